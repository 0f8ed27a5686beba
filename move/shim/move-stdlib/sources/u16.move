// K3s-DaaS shim of std::u16 (generated from one template; signatures follow the
// real MoveStdlib, bodies are this project's own and delegate to std::macros).

#[defines_primitive(u16)]
module std::u16;

use std::string::String;

/// Bitwise complement.
public fun bitwise_not(x: u16): u16 {
    x ^ max_value!()
}

public fun max(x: u16, y: u16): u16 {
    std::macros::num_max!(x, y)
}

public fun min(x: u16, y: u16): u16 {
    std::macros::num_min!(x, y)
}

/// |x - y|
public fun diff(x: u16, y: u16): u16 {
    std::macros::num_diff!(x, y)
}

/// x / y rounded up.
public fun divide_and_round_up(x: u16, y: u16): u16 {
    std::macros::num_div_ceil!(x, y)
}

public fun pow(base: u16, exponent: u8): u16 {
    std::macros::num_pow!(base, exponent)
}

/// Floor of the square root.
public fun sqrt(x: u16): u16 {
    std::macros::num_sqrt!<u16, u32>(x, 16)
}

/// `some(x as u8)` when it fits, else `none`.
public fun try_as_u8(x: u16): Option<u8> {
    std::macros::try_as_u8!(x)
}

/// Decimal representation.
public fun to_string(x: u16): String {
    std::macros::num_to_string!(x)
}

public macro fun max_value(): u16 {
    0xFFFF
}

public macro fun range_do<$R: drop>($start: u16, $stop: u16, $f: |u16| -> $R) {
    std::macros::range_do!($start, $stop, $f)
}

public macro fun range_do_eq<$R: drop>($start: u16, $stop: u16, $f: |u16| -> $R) {
    std::macros::range_do_eq!($start, $stop, $f)
}

public macro fun do<$R: drop>($stop: u16, $f: |u16| -> $R) {
    std::macros::do!($stop, $f)
}

public macro fun do_eq<$R: drop>($stop: u16, $f: |u16| -> $R) {
    std::macros::do_eq!($stop, $f)
}
