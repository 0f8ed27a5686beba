// Conformance: std::option, std::string (UTF-8 natives: check, char
// boundary, sub_string, index_of) and std::ascii, with their abort codes.
#[test_only]
module conformance::c_strings;

use std::ascii;
use std::string::{Self, String};

fun n(x: u64): u64 { x }
fun bytes(b: vector<u8>): vector<u8> { b }

#[test]
fun option_some_none_basics() {
    let s = option::some(n(5));
    let e = option::none<u64>();
    assert!(s.is_some() && !s.is_none(), 0);
    assert!(e.is_none(), 1);
    assert!(*s.borrow() == 5 && s.contains(&5) && !s.contains(&6), 2);
    assert!(e.get_with_default(9) == 9 && s.get_with_default(9) == 5, 3);
    assert!(*e.borrow_with_default(&7) == 7, 4);
}

#[test]
fun option_fill_extract_swap() {
    let mut o = option::none();
    o.fill(n(1));
    assert!(o.swap(2) == 1, 0);
    *o.borrow_mut() = 3;
    assert!(o.extract() == 3 && o.is_none(), 1);
    assert!(o.swap_or_fill(4).is_none(), 2);
    assert!(o.destroy_some() == 4, 3);
}

#[test]
fun option_to_vec_and_destroy() {
    assert!(option::some(n(1)).to_vec() == vector[1], 0);
    assert!(option::none<u64>().to_vec() == vector[], 1);
    assert!(option::none<u64>().destroy_with_default(8) == 8, 2);
    option::none<u64>().destroy_none();
}

#[test]
fun option_macros() {
    let s = option::some(n(4));
    assert!(s.map!(|x| x * 10) == option::some(40), 0);
    assert!(s.filter!(|x| *x > 10).is_none(), 1);
    assert!(s.is_some_and!(|x| *x == 4), 2);
    assert!(option::none<u64>().destroy_or!(6) == 6, 3);
    let mut sum = 0;
    s.do!(|x| sum = sum + x);
    assert!(sum == 4, 4);
}

#[test]
#[expected_failure(abort_code = 0x40001, location = std::option)]
fun option_extract_none_aborts() {
    let mut o = option::none<u64>();
    o.extract();
}

#[test]
#[expected_failure(abort_code = 0x40000, location = std::option)]
fun option_fill_some_aborts() {
    let mut o = option::some(n(1));
    o.fill(2);
}

#[test]
#[expected_failure(abort_code = 0x40001, location = std::option)]
fun option_destroy_some_on_none() {
    option::none<u64>().destroy_some();
}

#[test]
fun utf8_valid_multibyte() {
    let s = string::utf8(bytes(b"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
    assert!(s.length() == 15, 0);
    assert!(!s.is_empty(), 1);
    assert!(string::try_utf8(bytes(b"\xe2\x82\xac")).is_some(), 2);
}

#[test]
fun utf8_invalid_detected_by_try() {
    assert!(string::try_utf8(bytes(x"ff")).is_none(), 0);
    assert!(string::try_utf8(bytes(x"c3")).is_none(), 1); // truncated sequence
    assert!(string::try_utf8(bytes(x"e282")).is_none(), 2);
    assert!(string::try_utf8(bytes(x"c0af")).is_none(), 3); // overlong encoding
    assert!(string::try_utf8(bytes(x"eda080")).is_none(), 4); // UTF-16 surrogate
    assert!(string::try_utf8(bytes(vector[])).is_some(), 5);
}

#[test]
#[expected_failure(abort_code = 1, location = std::string)]
fun utf8_invalid_aborts() {
    string::utf8(bytes(x"80"));
}

#[test]
fun string_append_and_insert() {
    let mut s = string::utf8(bytes(b"hello"));
    s.append(string::utf8(b" world"));
    s.append_utf8(b"!");
    assert!(s == string::utf8(b"hello world!"), 0);
    s.insert(5, string::utf8(b","));
    assert!(*s.as_bytes() == b"hello, world!", 1);
    s.insert(0, string::utf8(b">"));
    assert!(s.into_bytes() == b">hello, world!", 2);
}

#[test]
fun string_sub_string_and_index_of() {
    let s = string::utf8(bytes(b"abc\xc3\xa9def"));
    assert!(s.sub_string(0, 3) == string::utf8(b"abc"), 0);
    assert!(s.sub_string(3, 5) == string::utf8(b"\xc3\xa9"), 1);
    assert!(s.substring(5, 8) == string::utf8(b"def"), 2);
    assert!(s.index_of(&string::utf8(b"def")) == 5, 3);
    assert!(s.index_of(&string::utf8(b"zz")) == 8, 4);
    assert!(s.index_of(&string::utf8(b"")) == 0, 5);
}

#[test]
#[expected_failure(abort_code = 2, location = std::string)]
fun sub_string_inside_a_char_aborts() {
    let s = string::utf8(bytes(b"a\xc3\xa9"));
    s.sub_string(0, 2);
}

#[test]
#[expected_failure(abort_code = 2, location = std::string)]
fun sub_string_past_end_aborts() {
    let s = string::utf8(bytes(b"abc"));
    s.sub_string(1, 4);
}

#[test]
#[expected_failure(abort_code = 2, location = std::string)]
fun insert_inside_a_char_aborts() {
    let mut s = string::utf8(bytes(b"\xe2\x82\xac"));
    s.insert(1, string::utf8(b"x"));
}

#[test]
fun ascii_basics() {
    let mut a = ascii::string(bytes(b"Hello"));
    assert!(a.length() == 5 && a.all_characters_printable(), 0);
    a.push_char(ascii::char(33));
    assert!(a.as_bytes() == &b"Hello!", 1);
    assert!(a.pop_char().byte() == 33, 2);
    assert!(a.to_uppercase() == ascii::string(b"HELLO"), 3);
    assert!(a.to_lowercase() == ascii::string(b"hello"), 4);
    assert!(a.index_of(&ascii::string(b"llo")) == 2, 5);
    assert!(a.substring(1, 3) == ascii::string(b"el"), 6);
}

#[test]
fun ascii_conversions() {
    let a = ascii::string(bytes(b"abc"));
    let s: String = a.to_string();
    assert!(s == string::utf8(b"abc"), 0);
    assert!(s.to_ascii() == a, 1);
    assert!(ascii::try_string(bytes(x"80")).is_none(), 2);
    assert!(!ascii::string(bytes(x"07")).all_characters_printable(), 3);
    assert!(ascii::is_valid_char(127) && !ascii::is_valid_char(128), 4);
}

#[test]
#[expected_failure(abort_code = 0x10000, location = std::ascii)]
fun ascii_invalid_byte_aborts() {
    ascii::string(bytes(b"ok\xff"));
}

#[test]
#[expected_failure(abort_code = 0x10000, location = std::ascii)]
fun ascii_invalid_char_aborts() {
    ascii::char(200);
}

#[test]
#[expected_failure(abort_code = 0x10000, location = std::ascii)]
fun string_to_ascii_with_non_ascii_aborts() {
    string::utf8(bytes(b"\xc3\xa9")).to_ascii();
}
