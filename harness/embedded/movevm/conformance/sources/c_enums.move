// Conformance: Move 2024 enums — variants with and without fields, match
// (by value, by & and &mut), nested and generic enums, guards, wildcard arms.
#[test_only]
module conformance::c_enums;

public enum Color has copy, drop { Red, Green, Blue }

public enum Shape has copy, drop {
    Circle { r: u64 },
    Rect { w: u64, h: u64 },
    Dot,
}

public enum Maybe<T> has copy, drop { Nothing, Just(T) }

// Reverse-Polish program: enums cannot be recursive, so expressions are a vector of ops.
public enum Op has copy, drop { Push(u64), Add, Mul, Halt }

public enum Either<L, R> has copy, drop { Left(L), Right(R) }

public enum Outer has copy, drop { A(Inner), B { i: Inner, k: u8 }, C }
public enum Inner has copy, drop { X, Y(u64) }

public enum Counter has drop { Off, On { ticks: u64 } }

fun n(x: u64): u64 { x }

fun color_code(c: Color): u8 {
    match (c) {
        Color::Red => 1,
        Color::Green => 2,
        Color::Blue => 3,
    }
}

fun area(s: &Shape): u64 {
    match (s) {
        Shape::Circle { r } => 3 * *r * *r,
        Shape::Rect { w, h } => *w * *h,
        Shape::Dot => 0,
    }
}

fun eval(prog: &vector<Op>): u64 {
    let mut stack = vector<u64>[];
    let mut i = 0;
    while (i < prog.length()) {
        match (&prog[i]) {
            Op::Push(v) => stack.push_back(*v),
            Op::Add => { let b = stack.pop_back(); let a = stack.pop_back(); stack.push_back(a + b) },
            Op::Mul => { let b = stack.pop_back(); let a = stack.pop_back(); stack.push_back(a * b) },
            Op::Halt => abort 9,
        };
        i = i + 1;
    };
    stack.pop_back()
}

fun unwrap_or<T: drop>(m: Maybe<T>, d: T): T {
    match (m) {
        Maybe::Just(v) => v,
        Maybe::Nothing => d,
    }
}

fun classify(x: u64): u8 {
    match (x) {
        0 => 0,
        1 | 2 | 3 => 1,
        v if (*v % 2 == 0) => 2,
        _ => 3,
    }
}

fun outer_value(o: &Outer): u64 {
    match (o) {
        Outer::A(Inner::X) => 1,
        Outer::A(Inner::Y(v)) => 10 + *v,
        Outer::B { i: Inner::Y(v), k } => 100 + *v + (*k as u64),
        Outer::B { i: Inner::X, k: _ } => 2,
        Outer::C => 3,
    }
}

fun tick(c: &mut Counter) {
    match (c) {
        Counter::Off => (),
        Counter::On { ticks } => *ticks = *ticks + 1,
    }
}

#[test]
fun variants_without_fields() {
    assert!(color_code(Color::Red) == 1, 0);
    assert!(color_code(Color::Green) == 2, 1);
    assert!(color_code(Color::Blue) == 3, 2);
}

#[test]
fun variants_with_named_fields_by_ref() {
    assert!(area(&Shape::Circle { r: n(2) }) == 12, 0);
    assert!(area(&Shape::Rect { w: n(3), h: 4 }) == 12, 1);
    assert!(area(&Shape::Dot) == 0, 2);
}

#[test]
fun enum_equality() {
    let a = Shape::Rect { w: n(1), h: 2 };
    assert!(a == Shape::Rect { w: 1, h: 2 }, 0);
    assert!(a != Shape::Rect { w: 2, h: 1 }, 1);
    assert!(a != Shape::Dot, 2);
    assert!(Color::Red != Color::Blue, 3);
}

#[test]
fun generic_enum_by_value() {
    assert!(unwrap_or(Maybe::Just(n(5)), 0) == 5, 0);
    assert!(unwrap_or(Maybe::Nothing, n(7)) == 7, 1);
    assert!(unwrap_or(Maybe::Just(vector[1u8]), vector[]) == vector[1u8], 2);
}

#[test]
fun generic_enum_two_params() {
    let xs = vector[Either::Left(n(1)), Either::Right(true), Either::Left(5)];
    let mut sum = 0;
    let mut trues = 0u64;
    let mut i = 0;
    while (i < xs.length()) {
        match (&xs[i]) {
            Either::Left(v) => sum = sum + *v,
            Either::Right(b) => if (*b) trues = trues + 1,
        };
        i = i + 1;
    };
    assert!(sum == 6 && trues == 1, 0);
}

#[test]
fun enum_program_interpreter() {
    // (2 + 3) * 4
    let prog = vector[Op::Push(n(2)), Op::Push(3), Op::Add, Op::Push(4), Op::Mul];
    assert!(eval(&prog) == 20, 0);
}

#[test]
#[expected_failure(abort_code = 9, location = Self)]
fun abort_inside_match_arm() {
    let prog = vector[Op::Push(n(1)), Op::Halt];
    eval(&prog);
}

#[test]
fun literal_patterns_or_and_guards() {
    assert!(classify(n(0)) == 0, 0);
    assert!(classify(n(2)) == 1, 1);
    assert!(classify(n(3)) == 1, 2);
    assert!(classify(n(10)) == 2, 3);
    assert!(classify(n(11)) == 3, 4);
}

#[test]
fun nested_enum_patterns() {
    assert!(outer_value(&Outer::A(Inner::X)) == 1, 0);
    assert!(outer_value(&Outer::A(Inner::Y(n(5)))) == 15, 1);
    assert!(outer_value(&Outer::B { i: Inner::Y(n(5)), k: 7 }) == 112, 2);
    assert!(outer_value(&Outer::B { i: Inner::X, k: 7 }) == 2, 3);
    assert!(outer_value(&Outer::C) == 3, 4);
}

#[test]
fun match_on_mut_ref_updates_field() {
    let mut c = Counter::On { ticks: n(0) };
    tick(&mut c);
    tick(&mut c);
    let mut off = Counter::Off;
    tick(&mut off);
    match (c) {
        Counter::On { ticks } => assert!(ticks == 2, 0),
        Counter::Off => abort 1,
    };
}

#[test]
fun variant_reassignment() {
    let mut s = Shape::Dot;
    assert!(area(&s) == 0, 0);
    s = Shape::Circle { r: n(1) };
    assert!(area(&s) == 3, 1);
    s = Shape::Rect { w: 2, h: 2 };
    assert!(area(&s) == 4, 2);
}

#[test]
fun unpack_single_variant_with_let_match() {
    let m = Maybe::Just(Maybe::Just(n(3)));
    let inner = match (m) {
        Maybe::Just(Maybe::Just(v)) => v,
        _ => 0,
    };
    assert!(inner == 3, 0);
}

#[test]
fun match_returns_struct() {
    let s = Shape::Rect { w: n(6), h: 7 };
    let (w, h) = match (s) {
        Shape::Rect { w, h } => (w, h),
        _ => (0, 0),
    };
    assert!(w == 6 && h == 7, 0);
}

#[test]
fun enum_in_vector_and_copy() {
    let v = vector[Color::Blue, Color::Red];
    let c = v[0];
    assert!(color_code(c) == 3 && color_code(v[1]) == 1, 0);
}

#[test]
fun match_on_bool_and_tuple_free_values() {
    let r = match (n(4) > 3) {
        true => 1u8,
        false => 0,
    };
    assert!(r == 1, 0);
}

#[test]
#[expected_failure(abort_code = 5, location = Self)]
fun abort_from_wildcard_arm() {
    let m: Maybe<u64> = Maybe::Nothing;
    match (m) {
        Maybe::Just(_) => (),
        _ => abort 5,
    }
}
