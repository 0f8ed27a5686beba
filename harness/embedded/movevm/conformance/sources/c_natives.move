// Conformance: edge cases of the natives — UTF-8 validity at the code-point
// limits, char boundaries at both ends, index_of with multi-byte text,
// type names of enums / framework types / original ids, BCS of objects,
// one-time witnesses, and debug::print (a no-op for the verdict).
#[test_only]
module conformance::c_natives;

use std::string::{Self, utf8};
use std::type_name;

public struct C_NATIVES has drop {}
public struct NotOtw has drop {}
public struct Obj has key, store { id: UID, tag: u8 }
public enum Level has copy, drop { Low, High(u8) }

fun bytes(b: vector<u8>): vector<u8> { b }

#[test]
fun utf8_code_point_limits() {
    assert!(string::try_utf8(bytes(x"7f")).is_some(), 0);
    assert!(string::try_utf8(bytes(x"c280")).is_some(), 1); // U+0080
    assert!(string::try_utf8(bytes(x"efbfbf")).is_some(), 2); // U+FFFF
    assert!(string::try_utf8(bytes(x"f48fbfbf")).is_some(), 3); // U+10FFFF
    assert!(string::try_utf8(bytes(x"f4908080")).is_none(), 4); // above U+10FFFF
    assert!(string::try_utf8(bytes(x"f880808080")).is_none(), 5); // 5-byte form
    assert!(string::try_utf8(bytes(x"e080af")).is_none(), 6); // overlong 3-byte
    assert!(string::try_utf8(bytes(x"00")).is_some(), 7); // NUL is valid
    assert!(string::try_utf8(bytes(x"c3a9c3")).is_none(), 8); // truncated at end
}

#[test]
fun sub_string_at_both_ends() {
    let s = utf8(bytes(b"\xe2\x82\xacab"));
    assert!(s.sub_string(0, 0).is_empty(), 0);
    assert!(s.sub_string(5, 5).is_empty(), 1);
    assert!(s.sub_string(0, 5) == s, 2);
    assert!(s.sub_string(3, 5) == utf8(b"ab"), 3);
}

#[test]
fun insert_at_end_and_into_empty() {
    let mut s = utf8(bytes(b"\xc3\xa9"));
    s.insert(2, utf8(b"!"));
    assert!(s == utf8(b"\xc3\xa9!"), 0);
    let mut e = utf8(bytes(b""));
    e.insert(0, utf8(b"x"));
    assert!(e == utf8(b"x"), 1);
}

#[test]
fun index_of_multibyte() {
    let s = utf8(bytes(b"\xe2\x82\xac\xe2\x82\xac-\xe2\x82\xac"));
    assert!(s.index_of(&utf8(b"-")) == 6, 0);
    assert!(s.index_of(&utf8(b"\xe2\x82\xac-")) == 3, 1);
    assert!(s.index_of(&s) == 0, 2);
    assert!(utf8(b"").index_of(&utf8(b"a")) == 0, 3);
}

#[test]
#[expected_failure(abort_code = 2, location = std::string)]
fun sub_string_reversed_range_aborts() {
    utf8(bytes(b"abc")).sub_string(2, 1);
}

#[test]
fun ascii_insert_and_edges() {
    let mut a = bytes(b"ad").to_ascii_string();
    a.insert(1, b"bc".to_ascii_string());
    assert!(a == b"abcd".to_ascii_string(), 0);
    a.insert(4, b"!".to_ascii_string());
    assert!(a.into_bytes() == b"abcd!", 1);
    assert!(b"".to_ascii_string().is_empty(), 2);
    assert!(b"abc".to_ascii_string().index_of(&b"".to_ascii_string()) == 0, 3);
}

#[test]
#[expected_failure(abort_code = 0x10001, location = std::ascii)]
fun ascii_substring_past_end_aborts() {
    bytes(b"abc").to_ascii_string().substring(1, 4);
}

#[test]
fun type_name_of_enum_and_framework_types() {
    let l = type_name::with_defining_ids<Level>();
    assert!(l.datatype_string() == b"Level".to_ascii_string(), 0);
    let c = type_name::with_defining_ids<sui::coin::Coin<sui::sui::SUI>>();
    assert!(c.into_string() == b"0000000000000000000000000000000000000000000000000000000000000002::coin::Coin<0000000000000000000000000000000000000000000000000000000000000002::sui::SUI>".to_ascii_string(), 1);
    let o = type_name::with_original_ids<Option<address>>();
    assert!(o.into_string() == b"0000000000000000000000000000000000000000000000000000000000000001::option::Option<address>".to_ascii_string(), 2);
    assert!(type_name::with_defining_ids<vector<address>>().is_primitive(), 3);
}

#[test]
fun type_name_addresses() {
    assert!(type_name::defining_id<Level>() == @0x0, 0);
    assert!(type_name::original_id<sui::coin::Coin<u8>>() == @0x2, 1);
    let s = type_name::with_defining_ids<std::ascii::String>();
    assert!(s.address_string() == b"0000000000000000000000000000000000000000000000000000000000000001".to_ascii_string(), 2);
    assert!(s.module_string() == b"ascii".to_ascii_string(), 3);
}

#[test]
fun bcs_of_objects() {
    let mut ctx = tx_context::dummy();
    let o = Obj { id: object::new(&mut ctx), tag: 7 };
    let b = std::bcs::to_bytes(&o);
    assert!(b.length() == 33 && b[32] == 7, 0);
    let mut id_bytes = object::id_bytes(&o);
    id_bytes.push_back(7);
    assert!(b == id_bytes, 1);
    let Obj { id, tag: _ } = o;
    id.delete();
    let t = sui::table::new<u8, u8>(&mut ctx);
    let tb = std::bcs::to_bytes(&t);
    assert!(tb.length() == 40 && tb[32] == 0, 2); // UID + u64 size
    t.destroy_empty();
}

#[test]
fun bcs_of_enums_with_payloads() {
    assert!(std::bcs::to_bytes(&Level::Low) == x"00", 0);
    assert!(std::bcs::to_bytes(&Level::High(9)) == x"0109", 1);
    assert!(std::bcs::to_bytes(&option::some(Level::High(1))) == x"010101", 2);
}

#[test]
fun one_time_witness_checks() {
    let w = sui::test_utils::create_one_time_witness<C_NATIVES>();
    assert!(sui::types::is_one_time_witness(&w), 0);
    assert!(!sui::types::is_one_time_witness(&NotOtw {}), 1);
}

#[test]
fun debug_print_does_not_change_state() {
    let v = vector[1u8, 2];
    std::debug::print(&v);
    std::debug::print(&b"text".to_string());
    std::debug::print(&Level::High(3));
    assert!(v == vector[1, 2], 0);
}
