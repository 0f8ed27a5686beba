// K3s-DaaS shim of std::u8 (generated from one template; signatures follow the
// real MoveStdlib, bodies are this project's own and delegate to std::macros).

#[defines_primitive(u8)]
module std::u8;

use std::string::String;

/// Bitwise complement.
public fun bitwise_not(x: u8): u8 {
    x ^ max_value!()
}

public fun max(x: u8, y: u8): u8 {
    std::macros::num_max!(x, y)
}

public fun min(x: u8, y: u8): u8 {
    std::macros::num_min!(x, y)
}

/// |x - y|
public fun diff(x: u8, y: u8): u8 {
    std::macros::num_diff!(x, y)
}

/// x / y rounded up.
public fun divide_and_round_up(x: u8, y: u8): u8 {
    std::macros::num_div_ceil!(x, y)
}

public fun pow(base: u8, exponent: u8): u8 {
    std::macros::num_pow!(base, exponent)
}

/// Floor of the square root.
public fun sqrt(x: u8): u8 {
    std::macros::num_sqrt!<u8, u16>(x, 8)
}

/// Decimal representation.
public fun to_string(x: u8): String {
    std::macros::num_to_string!(x)
}

public macro fun max_value(): u8 {
    0xFF
}

public macro fun range_do<$R: drop>($start: u8, $stop: u8, $f: |u8| -> $R) {
    std::macros::range_do!($start, $stop, $f)
}

public macro fun range_do_eq<$R: drop>($start: u8, $stop: u8, $f: |u8| -> $R) {
    std::macros::range_do_eq!($start, $stop, $f)
}

public macro fun do<$R: drop>($stop: u8, $f: |u8| -> $R) {
    std::macros::do!($stop, $f)
}

public macro fun do_eq<$R: drop>($stop: u8, $f: |u8| -> $R) {
    std::macros::do_eq!($stop, $f)
}
