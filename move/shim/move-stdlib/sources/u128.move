// K3s-DaaS shim of std::u128 (generated from one template; signatures follow the
// real MoveStdlib, bodies are this project's own and delegate to std::macros).

#[defines_primitive(u128)]
module std::u128;

use std::string::String;

/// Bitwise complement.
public fun bitwise_not(x: u128): u128 {
    x ^ max_value!()
}

public fun max(x: u128, y: u128): u128 {
    std::macros::num_max!(x, y)
}

public fun min(x: u128, y: u128): u128 {
    std::macros::num_min!(x, y)
}

/// |x - y|
public fun diff(x: u128, y: u128): u128 {
    std::macros::num_diff!(x, y)
}

/// x / y rounded up.
public fun divide_and_round_up(x: u128, y: u128): u128 {
    std::macros::num_div_ceil!(x, y)
}

public fun pow(base: u128, exponent: u8): u128 {
    std::macros::num_pow!(base, exponent)
}

/// Floor of the square root.
public fun sqrt(x: u128): u128 {
    std::macros::num_sqrt!<u128, u256>(x, 128)
}

/// `some(x as u8)` when it fits, else `none`.
public fun try_as_u8(x: u128): Option<u8> {
    std::macros::try_as_u8!(x)
}

/// `some(x as u16)` when it fits, else `none`.
public fun try_as_u16(x: u128): Option<u16> {
    std::macros::try_as_u16!(x)
}

/// `some(x as u32)` when it fits, else `none`.
public fun try_as_u32(x: u128): Option<u32> {
    std::macros::try_as_u32!(x)
}

/// `some(x as u64)` when it fits, else `none`.
public fun try_as_u64(x: u128): Option<u64> {
    std::macros::try_as_u64!(x)
}

/// Decimal representation.
public fun to_string(x: u128): String {
    std::macros::num_to_string!(x)
}

public macro fun max_value(): u128 {
    0xFFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF
}

public macro fun range_do<$R: drop>($start: u128, $stop: u128, $f: |u128| -> $R) {
    std::macros::range_do!($start, $stop, $f)
}

public macro fun range_do_eq<$R: drop>($start: u128, $stop: u128, $f: |u128| -> $R) {
    std::macros::range_do_eq!($start, $stop, $f)
}

public macro fun do<$R: drop>($stop: u128, $f: |u128| -> $R) {
    std::macros::do!($stop, $f)
}

public macro fun do_eq<$R: drop>($stop: u128, $f: |u128| -> $R) {
    std::macros::do_eq!($stop, $f)
}
