// Conformance: large shapes — an enum with 127 variants (match, equality,
// BCS tags near the one-byte ULEB limit), a struct with 20 fields of mixed
// widths, a 12-parameter function, a 6-level &mut path, a many-armed match.
#[test_only]
module conformance::c_shapes;

public enum Many has copy, drop {
    V0(u16),
    V1,
    V2,
    V3(u16),
    V4,
    V5,
    V6(u16),
    V7,
    V8,
    V9(u16),
    V10,
    V11,
    V12(u16),
    V13,
    V14,
    V15(u16),
    V16,
    V17,
    V18(u16),
    V19,
    V20,
    V21(u16),
    V22,
    V23,
    V24(u16),
    V25,
    V26,
    V27(u16),
    V28,
    V29,
    V30(u16),
    V31,
    V32,
    V33(u16),
    V34,
    V35,
    V36(u16),
    V37,
    V38,
    V39(u16),
    V40,
    V41,
    V42(u16),
    V43,
    V44,
    V45(u16),
    V46,
    V47,
    V48(u16),
    V49,
    V50,
    V51(u16),
    V52,
    V53,
    V54(u16),
    V55,
    V56,
    V57(u16),
    V58,
    V59,
    V60(u16),
    V61,
    V62,
    V63(u16),
    V64,
    V65,
    V66(u16),
    V67,
    V68,
    V69(u16),
    V70,
    V71,
    V72(u16),
    V73,
    V74,
    V75(u16),
    V76,
    V77,
    V78(u16),
    V79,
    V80,
    V81(u16),
    V82,
    V83,
    V84(u16),
    V85,
    V86,
    V87(u16),
    V88,
    V89,
    V90(u16),
    V91,
    V92,
    V93(u16),
    V94,
    V95,
    V96(u16),
    V97,
    V98,
    V99(u16),
    V100,
    V101,
    V102(u16),
    V103,
    V104,
    V105(u16),
    V106,
    V107,
    V108(u16),
    V109,
    V110,
    V111(u16),
    V112,
    V113,
    V114(u16),
    V115,
    V116,
    V117(u16),
    V118,
    V119,
    V120(u16),
    V121,
    V122,
    V123(u16),
    V124,
    V125,
    V126(u16)
}

public struct Wide has copy, drop { f0: u8, f1: u16, f2: u32, f3: u64, f4: u128, f5: u256, f6: u8, f7: u16, f8: u32, f9: u64, f10: u128, f11: u256, f12: u8, f13: u16, f14: u32, f15: u64, f16: u128, f17: u256, f18: u8, f19: u16 }

public struct L6 has copy, drop { v: vector<u64> }
public struct L5 has copy, drop { l6: L6 }
public struct L4 has copy, drop { xs: vector<L5> }
public struct L3 has copy, drop { l4: L4 }
public struct L2 has copy, drop { o: Option<L3> }
public struct L1 has copy, drop { l2: L2 }

fun n(x: u64): u64 { x }

fun many_value(m: Many): u64 {
    match (m) {
        Many::V0(x) => 0 + (x as u64),
        Many::V1 => 1,
        Many::V2 => 2,
        Many::V3(x) => 3 + (x as u64),
        Many::V4 => 4,
        Many::V5 => 5,
        Many::V6(x) => 6 + (x as u64),
        Many::V7 => 7,
        Many::V8 => 8,
        Many::V9(x) => 9 + (x as u64),
        Many::V10 => 10,
        Many::V11 => 11,
        Many::V12(x) => 12 + (x as u64),
        Many::V13 => 13,
        Many::V14 => 14,
        Many::V15(x) => 15 + (x as u64),
        Many::V16 => 16,
        Many::V17 => 17,
        Many::V18(x) => 18 + (x as u64),
        Many::V19 => 19,
        Many::V20 => 20,
        Many::V21(x) => 21 + (x as u64),
        Many::V22 => 22,
        Many::V23 => 23,
        Many::V24(x) => 24 + (x as u64),
        Many::V25 => 25,
        Many::V26 => 26,
        Many::V27(x) => 27 + (x as u64),
        Many::V28 => 28,
        Many::V29 => 29,
        Many::V30(x) => 30 + (x as u64),
        Many::V31 => 31,
        Many::V32 => 32,
        Many::V33(x) => 33 + (x as u64),
        Many::V34 => 34,
        Many::V35 => 35,
        Many::V36(x) => 36 + (x as u64),
        Many::V37 => 37,
        Many::V38 => 38,
        Many::V39(x) => 39 + (x as u64),
        Many::V40 => 40,
        Many::V41 => 41,
        Many::V42(x) => 42 + (x as u64),
        Many::V43 => 43,
        Many::V44 => 44,
        Many::V45(x) => 45 + (x as u64),
        Many::V46 => 46,
        Many::V47 => 47,
        Many::V48(x) => 48 + (x as u64),
        Many::V49 => 49,
        Many::V50 => 50,
        Many::V51(x) => 51 + (x as u64),
        Many::V52 => 52,
        Many::V53 => 53,
        Many::V54(x) => 54 + (x as u64),
        Many::V55 => 55,
        Many::V56 => 56,
        Many::V57(x) => 57 + (x as u64),
        Many::V58 => 58,
        Many::V59 => 59,
        Many::V60(x) => 60 + (x as u64),
        Many::V61 => 61,
        Many::V62 => 62,
        Many::V63(x) => 63 + (x as u64),
        Many::V64 => 64,
        Many::V65 => 65,
        Many::V66(x) => 66 + (x as u64),
        Many::V67 => 67,
        Many::V68 => 68,
        Many::V69(x) => 69 + (x as u64),
        Many::V70 => 70,
        Many::V71 => 71,
        Many::V72(x) => 72 + (x as u64),
        Many::V73 => 73,
        Many::V74 => 74,
        Many::V75(x) => 75 + (x as u64),
        Many::V76 => 76,
        Many::V77 => 77,
        Many::V78(x) => 78 + (x as u64),
        Many::V79 => 79,
        Many::V80 => 80,
        Many::V81(x) => 81 + (x as u64),
        Many::V82 => 82,
        Many::V83 => 83,
        Many::V84(x) => 84 + (x as u64),
        Many::V85 => 85,
        Many::V86 => 86,
        Many::V87(x) => 87 + (x as u64),
        Many::V88 => 88,
        Many::V89 => 89,
        Many::V90(x) => 90 + (x as u64),
        Many::V91 => 91,
        Many::V92 => 92,
        Many::V93(x) => 93 + (x as u64),
        Many::V94 => 94,
        Many::V95 => 95,
        Many::V96(x) => 96 + (x as u64),
        Many::V97 => 97,
        Many::V98 => 98,
        Many::V99(x) => 99 + (x as u64),
        Many::V100 => 100,
        Many::V101 => 101,
        Many::V102(x) => 102 + (x as u64),
        Many::V103 => 103,
        Many::V104 => 104,
        Many::V105(x) => 105 + (x as u64),
        Many::V106 => 106,
        Many::V107 => 107,
        Many::V108(x) => 108 + (x as u64),
        Many::V109 => 109,
        Many::V110 => 110,
        Many::V111(x) => 111 + (x as u64),
        Many::V112 => 112,
        Many::V113 => 113,
        Many::V114(x) => 114 + (x as u64),
        Many::V115 => 115,
        Many::V116 => 116,
        Many::V117(x) => 117 + (x as u64),
        Many::V118 => 118,
        Many::V119 => 119,
        Many::V120(x) => 120 + (x as u64),
        Many::V121 => 121,
        Many::V122 => 122,
        Many::V123(x) => 123 + (x as u64),
        Many::V124 => 124,
        Many::V125 => 125,
        Many::V126(x) => 126 + (x as u64),
    }
}

fun twelve(p0: u64, p1: u64, p2: u64, p3: u64, p4: u64, p5: u64, p6: u64, p7: u64, p8: u64, p9: u64, p10: u64, p11: u64): u64 { p0 * 1 + p1 * 2 + p2 * 3 + p3 * 4 + p4 * 5 + p5 * 6 + p6 * 7 + p7 * 8 + p8 * 9 + p9 * 10 + p10 * 11 + p11 * 12 }

fun wide(): Wide { Wide { f0: 1, f1: 2, f2: 3, f3: 4, f4: 5, f5: 6, f6: 7, f7: 8, f8: 9, f9: 10, f10: 11, f11: 12, f12: 13, f13: 14, f14: 15, f15: 16, f16: 17, f17: 18, f18: 19, f19: 20 } }

fun digit_name(d: u64): vector<u8> {
    match (d) {
        0 => b"zero", 1 => b"one", 2 => b"two", 3 => b"three", 4 => b"four",
        5 => b"five", 6 => b"six", 7 => b"seven", 8 => b"eight", 9 => b"nine",
        _ => b"many",
    }
}

#[test]
fun match_over_many_variants() {
    assert!(many_value(Many::V0(5)) == 5, 0);
    assert!(many_value(Many::V1) == 1, 1);
    assert!(many_value(Many::V125) == 125, 2);
    assert!(many_value(Many::V126(4)) == 130, 3);
    assert!(many_value(Many::V64) == 64, 4);
}

#[test]
fun equality_over_many_variants() {
    assert!(Many::V125 != Many::V124, 0);
    assert!(Many::V126(1) == Many::V126(1) && Many::V126(1) != Many::V126(2), 1);
}

#[test]
fun bcs_tags_of_high_variants() {
    assert!(std::bcs::to_bytes(&Many::V125) == x"7d", 0);
    assert!(std::bcs::to_bytes(&Many::V126(0x0102)) == x"7e0201", 1);
    assert!(std::bcs::to_bytes(&Many::V0(1)) == x"000100", 2);
}

#[test]
fun wide_struct_fields_and_bcs() {
    let mut w = wide();
    assert!(w.f0 == 1 && w.f5 == 6 && w.f19 == 20, 0);
    w.f17 = w.f17 + 100;
    assert!(w.f17 == 118, 1);
    assert!(std::bcs::to_bytes(&wide()) == x"010200030000000400000000000000050000000000000000000000000000000600000000000000000000000000000000000000000000000000000000000000070800090000000a000000000000000b0000000000000000000000000000000c000000000000000000000000000000000000000000000000000000000000000d0e000f0000001000000000000000110000000000000000000000000000001200000000000000000000000000000000000000000000000000000000000000131400", 2);
    let Wide { f3, f11, .. } = w;
    assert!(f3 == 4 && f11 == 12, 3);
}

#[test]
fun twelve_parameters() {
    assert!(twelve(n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8), n(9), n(10), n(11), n(12)) == 650, 0);
}

#[test]
fun six_level_mut_path() {
    let mut a = L1 { l2: L2 { o: option::some(L3 { l4: L4 { xs: vector[L5 { l6: L6 { v: vector[n(1), 2] } }] } }) } };
    let b = a;
    a.l2.o.borrow_mut().l4.xs[0].l6.v.push_back(3);
    *&mut a.l2.o.borrow_mut().l4.xs[0].l6.v[0] = 10;
    assert!(a.l2.o.borrow().l4.xs[0].l6.v == vector[10, 2, 3], 0);
    assert!(b.l2.o.borrow().l4.xs[0].l6.v == vector[1, 2], 1);
}

#[test]
fun many_armed_literal_match() {
    assert!(digit_name(n(0)) == b"zero" && digit_name(n(7)) == b"seven", 0);
    assert!(digit_name(n(9)) == b"nine" && digit_name(n(10)) == b"many", 1);
}
