#[test_only]
module conformance::enums;

public enum Shape has copy, drop, store {
    Circle(u64),
    Rect { w: u64, h: u64 },
    Empty,
}

public enum Maybe<T> has copy, drop, store {
    Nothing,
    Just(T),
}

public enum Leaf has copy, drop {
    One(u64),
    Two(u64, u64),
}

public enum Tree has copy, drop {
    Leaf(Leaf),
    Node(vector<Leaf>),
}

fun leaf_sum(l: &Leaf): u64 {
    match (l) {
        Leaf::One(a) => *a,
        Leaf::Two(a, b) => *a + *b,
    }
}

fun area(s: &Shape): u64 {
    match (s) {
        Shape::Circle(r) => 3 * *r * *r,
        Shape::Rect { w, h } => *w * *h,
        Shape::Empty => 0,
    }
}

fun grow(s: &mut Shape) {
    match (s) {
        Shape::Circle(r) => *r = *r + 1,
        Shape::Rect { w, h: _ } => *w = *w * 2,
        Shape::Empty => {},
    }
}

fun sum(t: &Tree): u64 {
    match (t) {
        Tree::Leaf(l) => leaf_sum(l),
        Tree::Node(children) => {
            let mut s = 0;
            let mut i = 0;
            while (i < children.length()) { s = s + leaf_sum(&children[i]); i = i + 1; };
            s
        },
    }
}

fun unwrap_or<T: drop>(m: Maybe<T>, d: T): T {
    match (m) {
        Maybe::Just(v) => v,
        Maybe::Nothing => d,
    }
}

fun set_just<T: drop>(m: &mut Maybe<T>, v: T) {
    match (m) {
        Maybe::Just(x) => *x = v,
        Maybe::Nothing => {},
    }
}

fun id(x: u64): u64 { x }

#[test]
fun generic_enum_by_mut_ref() {
    let mut m = Maybe::Just(id(1));
    set_just(&mut m, 9);
    assert!(m == Maybe::Just(9), 0);
    let mut n: Maybe<u64> = Maybe::Nothing;
    set_just(&mut n, 9);
    assert!(n == Maybe::Nothing, 1);
}

#[test]
fun match_by_ref() {
    assert!(area(&Shape::Circle(id(2))) == 12, 0);
    assert!(area(&Shape::Rect { w: id(3), h: 4 }) == 12, 1);
    assert!(area(&Shape::Empty) == 0, 2);
}

#[test]
fun match_by_mut_ref() {
    let mut c = Shape::Circle(id(1));
    grow(&mut c);
    assert!(c == Shape::Circle(2), 0);
    let mut r = Shape::Rect { w: 2, h: 5 };
    grow(&mut r);
    assert!(area(&r) == 20, 1);
}

#[test]
fun match_by_value() {
    let s = Shape::Rect { w: id(6), h: 7 };
    let n = match (s) {
        Shape::Rect { w, h } => w + h,
        _ => 0,
    };
    assert!(n == 13, 0);
}

#[test]
fun generic_enum() {
    assert!(unwrap_or(Maybe::Just(id(5)), 0) == 5, 0);
    assert!(unwrap_or(Maybe::Nothing, b"d") == b"d", 1);
}

#[test]
fun nested_enum() {
    let t = Tree::Node(vector[Leaf::One(1), Leaf::Two(2, 3), Leaf::One(id(4))]);
    assert!(sum(&t) == 10, 0);
    assert!(sum(&Tree::Leaf(Leaf::Two(id(5), 6))) == 11, 1);
}

#[test]
fun enum_equality_and_copy() {
    let a = Shape::Circle(id(3));
    let mut b = a;
    grow(&mut b);
    assert!(a != b && a == Shape::Circle(3), 0);
}

#[test]
fun enum_in_vector() {
    let mut v = vector[Shape::Empty, Shape::Circle(1)];
    grow(&mut v[1]);
    assert!(v[1] == Shape::Circle(2), 0);
}

#[test]
fun enum_bcs() {
    assert!(std::bcs::to_bytes(&Shape::Empty) == x"02", 0);
    assert!(std::bcs::to_bytes(&Shape::Circle(id(1))) == x"000100000000000000", 1);
    assert!(std::bcs::to_bytes(&Maybe::Just(7u8)) == x"0107", 2);
}

#[test]
#[expected_failure(abort_code = 5, location = Self)]
fun abort_in_match_arm() {
    match (Shape::Circle(id(1))) {
        Shape::Circle(_) => abort 5,
        _ => {},
    }
}
