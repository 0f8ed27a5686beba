// K3s-DaaS shim of std::macros: shared macro implementations behind the uN
// modules. Macros are compile-time only; these bodies are our own.

module std::macros;

use std::string::String;

public(package) macro fun num_max<$T>($x: $T, $y: $T): $T {
    let (x, y) = ($x, $y);
    if (x < y) y else x
}

public(package) macro fun num_min<$T>($x: $T, $y: $T): $T {
    let (x, y) = ($x, $y);
    if (y < x) y else x
}

public(package) macro fun num_diff<$T>($x: $T, $y: $T): $T {
    let (x, y) = ($x, $y);
    if (x < y) y - x else x - y
}

public(package) macro fun num_div_ceil<$T>($x: $T, $y: $T): $T {
    let (x, y) = ($x, $y);
    let q = x / y;
    if (q * y == x) q else q + 1
}

/// Square-and-multiply exponentiation.
public(package) macro fun num_pow($base: _, $exponent: u8): _ {
    let mut base = $base;
    let mut e = $exponent;
    let mut acc = 1;
    while (e > 0) {
        if (e & 1 == 1) acc = acc * base;
        e = e >> 1;
        if (e > 0) base = base * base;
    };
    acc
}

/// Integer square root (floor) computed bit by bit in the wider type `$U`.
public(package) macro fun num_sqrt<$T, $U>($x: $T, $bitsize: u8): $T {
    let mut rem = ($x as $U);
    let mut bit = (1: $U) << $bitsize;
    let mut root = (0: $U);
    while (bit != 0) {
        if (rem >= root + bit) {
            rem = rem - (root + bit);
            root = (root >> 1) + bit;
        } else {
            root = root >> 1;
        };
        bit = bit >> 2;
    };
    (root as $T)
}

/// Decimal representation.
public(package) macro fun num_to_string($x: _): String {
    let mut x = $x;
    let mut digits = vector[];
    loop {
        digits.push_back(((x % 10) as u8) + 48);
        x = x / 10;
        if (x == 0) break;
    };
    digits.reverse();
    digits.to_string()
}

public macro fun range_do<$T, $R: drop>($start: $T, $stop: $T, $f: |$T| -> $R) {
    let stop = $stop;
    let mut i = $start;
    while (i < stop) {
        $f(i);
        i = i + 1;
    }
}

/// Inclusive range; never increments past `stop` (safe at the type's maximum).
public macro fun range_do_eq<$T, $R: drop>($start: $T, $stop: $T, $f: |$T| -> $R) {
    let stop = $stop;
    let mut i = $start;
    if (i <= stop) {
        loop {
            $f(i);
            if (i == stop) break;
            i = i + 1;
        }
    }
}

public macro fun do<$T, $R: drop>($stop: $T, $f: |$T| -> $R) {
    range_do!(0, $stop, $f)
}

public macro fun do_eq<$T, $R: drop>($stop: $T, $f: |$T| -> $R) {
    range_do_eq!(0, $stop, $f)
}

public(package) macro fun try_as_u8($x: _): Option<u8> {
    let x = $x;
    if (x <= 0xFF) option::some(x as u8) else option::none()
}

public(package) macro fun try_as_u16($x: _): Option<u16> {
    let x = $x;
    if (x <= 0xFFFF) option::some(x as u16) else option::none()
}

public(package) macro fun try_as_u32($x: _): Option<u32> {
    let x = $x;
    if (x <= 0xFFFF_FFFF) option::some(x as u32) else option::none()
}

public(package) macro fun try_as_u64($x: _): Option<u64> {
    let x = $x;
    if (x <= 0xFFFF_FFFF_FFFF_FFFF) option::some(x as u64) else option::none()
}

public(package) macro fun try_as_u128($x: _): Option<u128> {
    let x = $x;
    if (x <= 0xFFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF) option::some(x as u128) else option::none()
}

public(package) macro fun num_mul_div<$T, $U>($a: $T, $b: $T, $c: $T): $T {
    let wide = ($a as $U) * ($b as $U);
    (wide / ($c as $U)) as $T
}

public(package) macro fun num_mul_div_ceil<$T, $U>($a: $T, $b: $T, $c: $T): $T {
    let wide = ($a as $U) * ($b as $U);
    let c = ($c as $U);
    let q = wide / c;
    (if (q * c == wide) q else q + 1) as $T
}
