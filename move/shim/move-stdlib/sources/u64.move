// K3s-DaaS shim of std::u64 (generated from one template; signatures follow the
// real MoveStdlib, bodies are this project's own and delegate to std::macros).

#[defines_primitive(u64)]
module std::u64;

use std::string::String;

/// Bitwise complement.
public fun bitwise_not(x: u64): u64 {
    x ^ max_value!()
}

public fun max(x: u64, y: u64): u64 {
    std::macros::num_max!(x, y)
}

public fun min(x: u64, y: u64): u64 {
    std::macros::num_min!(x, y)
}

/// |x - y|
public fun diff(x: u64, y: u64): u64 {
    std::macros::num_diff!(x, y)
}

/// x / y rounded up.
public fun divide_and_round_up(x: u64, y: u64): u64 {
    std::macros::num_div_ceil!(x, y)
}

/// x / y rounded up (the newer name of `divide_and_round_up`).
public fun div_ceil(x: u64, y: u64): u64 {
    std::macros::num_div_ceil!(x, y)
}

/// x * y / z without intermediate overflow; aborts if z is 0 or the result exceeds u64.
public fun mul_div(x: u64, y: u64, z: u64): u64 {
    std::macros::num_mul_div!<u64, u128>(x, y, z)
}

/// Like `mul_div`, rounded up.
public fun mul_div_ceil(x: u64, y: u64, z: u64): u64 {
    std::macros::num_mul_div_ceil!<u64, u128>(x, y, z)
}

public fun pow(base: u64, exponent: u8): u64 {
    std::macros::num_pow!(base, exponent)
}

/// Floor of the square root.
public fun sqrt(x: u64): u64 {
    std::macros::num_sqrt!<u64, u128>(x, 64)
}

/// `some(x as u8)` when it fits, else `none`.
public fun try_as_u8(x: u64): Option<u8> {
    std::macros::try_as_u8!(x)
}

/// `some(x as u16)` when it fits, else `none`.
public fun try_as_u16(x: u64): Option<u16> {
    std::macros::try_as_u16!(x)
}

/// `some(x as u32)` when it fits, else `none`.
public fun try_as_u32(x: u64): Option<u32> {
    std::macros::try_as_u32!(x)
}

/// Decimal representation.
public fun to_string(x: u64): String {
    std::macros::num_to_string!(x)
}

public macro fun max_value(): u64 {
    0xFFFF_FFFF_FFFF_FFFF
}

public macro fun range_do<$R: drop>($start: u64, $stop: u64, $f: |u64| -> $R) {
    std::macros::range_do!($start, $stop, $f)
}

public macro fun range_do_eq<$R: drop>($start: u64, $stop: u64, $f: |u64| -> $R) {
    std::macros::range_do_eq!($start, $stop, $f)
}

public macro fun do<$R: drop>($stop: u64, $f: |u64| -> $R) {
    std::macros::do!($stop, $f)
}

public macro fun do_eq<$R: drop>($stop: u64, $f: |u64| -> $R) {
    std::macros::do_eq!($stop, $f)
}
