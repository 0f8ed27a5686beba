#[test_only]
module conformance::basics;

#[test]
fun locals_and_branches() {
    let mut i = 0u64;
    let mut s = 0u64;
    while (i < 10) { s = s + i; i = i + 1; };
    assert!(s == 45, 1);
}

#[test]
#[expected_failure(abort_code = 7, location = Self)]
fun abort_with_code() {
    abort 7
}

#[test]
#[expected_failure(arithmetic_error, location = Self)]
fun u8_overflow() {
    let x: u8 = 255;
    let _y = x + (id(1) as u8);
}

fun id(x: u64): u64 { x }
