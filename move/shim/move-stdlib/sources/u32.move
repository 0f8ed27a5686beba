// K3s-DaaS shim of std::u32 (generated from one template; signatures follow the
// real MoveStdlib, bodies are this project's own and delegate to std::macros).

#[defines_primitive(u32)]
module std::u32;

use std::string::String;

/// Bitwise complement.
public fun bitwise_not(x: u32): u32 {
    x ^ max_value!()
}

public fun max(x: u32, y: u32): u32 {
    std::macros::num_max!(x, y)
}

public fun min(x: u32, y: u32): u32 {
    std::macros::num_min!(x, y)
}

/// |x - y|
public fun diff(x: u32, y: u32): u32 {
    std::macros::num_diff!(x, y)
}

/// x / y rounded up.
public fun divide_and_round_up(x: u32, y: u32): u32 {
    std::macros::num_div_ceil!(x, y)
}

public fun pow(base: u32, exponent: u8): u32 {
    std::macros::num_pow!(base, exponent)
}

/// Floor of the square root.
public fun sqrt(x: u32): u32 {
    std::macros::num_sqrt!<u32, u64>(x, 32)
}

/// `some(x as u8)` when it fits, else `none`.
public fun try_as_u8(x: u32): Option<u8> {
    std::macros::try_as_u8!(x)
}

/// `some(x as u16)` when it fits, else `none`.
public fun try_as_u16(x: u32): Option<u16> {
    std::macros::try_as_u16!(x)
}

/// Decimal representation.
public fun to_string(x: u32): String {
    std::macros::num_to_string!(x)
}

public macro fun max_value(): u32 {
    0xFFFF_FFFF
}

public macro fun range_do<$R: drop>($start: u32, $stop: u32, $f: |u32| -> $R) {
    std::macros::range_do!($start, $stop, $f)
}

public macro fun range_do_eq<$R: drop>($start: u32, $stop: u32, $f: |u32| -> $R) {
    std::macros::range_do_eq!($start, $stop, $f)
}

public macro fun do<$R: drop>($stop: u32, $f: |u32| -> $R) {
    std::macros::do!($stop, $f)
}

public macro fun do_eq<$R: drop>($stop: u32, $f: |u32| -> $R) {
    std::macros::do_eq!($stop, $f)
}
