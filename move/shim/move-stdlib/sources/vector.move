// K3s-DaaS shim of std::vector. Signatures, natives and abort codes follow the
// real MoveStdlib; the bodies below are written for this project.

#[defines_primitive(vector)]
/// Growable, 0-indexed sequences. The natives are compiled to bytecode instructions.
module std::vector;

/// `bytes.to_string()` — UTF-8 string from a byte vector (aborts if invalid).
public use fun std::string::utf8 as vector.to_string;
/// `bytes.try_to_string()` — `none` when the bytes are not UTF-8.
public use fun std::string::try_utf8 as vector.try_to_string;
/// `bytes.to_ascii_string()` — ASCII string from a byte vector (aborts if invalid).
public use fun std::ascii::string as vector.to_ascii_string;
/// `bytes.try_to_ascii_string()` — `none` when the bytes are not ASCII.
public use fun std::ascii::try_string as vector.try_to_ascii_string;

/// An index was outside the vector.
const EINDEX_OUT_OF_BOUNDS: u64 = 0x20000;

#[bytecode_instruction]
public native fun empty<Element>(): vector<Element>;

#[bytecode_instruction]
public native fun length<Element>(v: &vector<Element>): u64;

#[syntax(index)]
#[bytecode_instruction]
public native fun borrow<Element>(v: &vector<Element>, i: u64): &Element;

#[bytecode_instruction]
public native fun push_back<Element>(v: &mut vector<Element>, e: Element);

#[syntax(index)]
#[bytecode_instruction]
public native fun borrow_mut<Element>(v: &mut vector<Element>, i: u64): &mut Element;

#[bytecode_instruction]
public native fun pop_back<Element>(v: &mut vector<Element>): Element;

#[bytecode_instruction]
public native fun destroy_empty<Element>(v: vector<Element>);

#[bytecode_instruction]
public native fun swap<Element>(v: &mut vector<Element>, i: u64, j: u64);

/// A vector holding exactly `e`.
public fun singleton<Element>(e: Element): vector<Element> {
    let mut out = empty();
    out.push_back(e);
    out
}

/// Reverse `v` in place by swapping mirrored positions.
public fun reverse<Element>(v: &mut vector<Element>) {
    let n = v.length();
    if (n < 2) return;
    let mut lo = 0;
    let mut hi = n - 1;
    while (lo < hi) {
        v.swap(lo, hi);
        lo = lo + 1;
        hi = hi - 1;
    }
}

/// Move every element of `other` onto the end of `lhs`, keeping their order.
public fun append<Element>(lhs: &mut vector<Element>, mut other: vector<Element>) {
    other.reverse();
    while (!other.is_empty()) lhs.push_back(other.pop_back());
    other.destroy_empty();
}

/// True when `v` has no elements.
public fun is_empty<Element>(v: &vector<Element>): bool {
    v.length() == 0
}

/// True when some element of `v` equals `e`.
public fun contains<Element>(v: &vector<Element>, e: &Element): bool {
    let (found, _) = index_of(v, e);
    found
}

/// `(true, i)` for the first `i` with `v[i] == e`, else `(false, 0)`.
public fun index_of<Element>(v: &vector<Element>, e: &Element): (bool, u64) {
    let n = v.length();
    let mut i = 0;
    while (i < n) {
        if (&v[i] == e) return (true, i);
        i = i + 1;
    };
    (false, 0)
}

/// Remove and return `v[i]`, shifting the tail left (order kept, O(n)).
public fun remove<Element>(v: &mut vector<Element>, i: u64): Element {
    let n = v.length();
    if (i >= n) abort EINDEX_OUT_OF_BOUNDS;
    let mut k = i;
    while (k + 1 < n) {
        v.swap(k, k + 1);
        k = k + 1;
    };
    v.pop_back()
}

/// Insert `e` at position `i` (0 ≤ i ≤ length), shifting the tail right.
public fun insert<Element>(v: &mut vector<Element>, e: Element, i: u64) {
    let n = v.length();
    if (i > n) abort EINDEX_OUT_OF_BOUNDS;
    v.push_back(e);
    let mut k = n;
    while (k > i) {
        v.swap(k, k - 1);
        k = k - 1;
    }
}

/// Remove `v[i]` by swapping it with the last element (O(1), order not kept).
public fun swap_remove<Element>(v: &mut vector<Element>, i: u64): Element {
    assert!(!v.is_empty(), EINDEX_OUT_OF_BOUNDS);
    let last = v.length() - 1;
    v.swap(i, last);
    v.pop_back()
}

/// Everything after the first `n` elements of `v`; empty when `n >= length`.
public fun skip<T: drop>(mut v: vector<T>, n: u64): vector<T> {
    let len = v.length();
    if (n >= len) return vector[];
    let mut tail = vector[];
    (len - n).do!(|_| tail.push_back(v.pop_back()));
    tail.reverse();
    tail
}

/// The first `n` elements of `v`; aborts when `n` is greater than its length.
public fun take<T: drop>(mut v: vector<T>, n: u64): vector<T> {
    assert!(n <= v.length());
    v.reverse();
    let mut head = vector[];
    n.do!(|_| head.push_back(v.pop_back()));
    head
}

/// Concatenate the inner vectors in order.
public fun flatten<T>(v: vector<vector<T>>): vector<T> {
    let mut out = vector[];
    v.do!(|inner| out.append(inner));
    out
}

// === Macros (compile-time only; they leave no trace in bytecode) ===

public macro fun tabulate<$T>($n: u64, $f: |u64| -> $T): vector<$T> {
    let n = $n;
    let mut out = vector[];
    n.do!(|i| out.push_back($f(i)));
    out
}

/// Consume `v` from the back, calling `f` on each element.
public macro fun destroy<$T, $R: drop>($v: vector<$T>, $f: |$T| -> $R) {
    let mut v = $v;
    while (!v.is_empty()) $f(v.pop_back());
    v.destroy_empty();
}

/// Consume `v` front to back, calling `f` on each element.
public macro fun do<$T, $R: drop>($v: vector<$T>, $f: |$T| -> $R) {
    let mut v = $v;
    v.reverse();
    while (!v.is_empty()) $f(v.pop_back());
    v.destroy_empty();
}

public macro fun do_ref<$T, $R: drop>($v: &vector<$T>, $f: |&$T| -> $R) {
    let v = $v;
    let n = v.length();
    n.do!(|i| $f(&v[i]))
}

public macro fun do_mut<$T, $R: drop>($v: &mut vector<$T>, $f: |&mut $T| -> $R) {
    let v = $v;
    let n = v.length();
    n.do!(|i| $f(&mut v[i]))
}

public macro fun map<$T, $U>($v: vector<$T>, $f: |$T| -> $U): vector<$U> {
    let v = $v;
    let mut out = vector[];
    v.do!(|e| out.push_back($f(e)));
    out
}

public macro fun map_ref<$T, $U>($v: &vector<$T>, $f: |&$T| -> $U): vector<$U> {
    let v = $v;
    let mut out = vector[];
    v.do_ref!(|e| out.push_back($f(e)));
    out
}

public macro fun filter<$T: drop>($v: vector<$T>, $f: |&$T| -> bool): vector<$T> {
    let v = $v;
    let mut out = vector[];
    v.do!(|e| if ($f(&e)) out.push_back(e));
    out
}

public macro fun partition<$T>($v: vector<$T>, $f: |&$T| -> bool): (vector<$T>, vector<$T>) {
    let v = $v;
    let mut yes = vector[];
    let mut no = vector[];
    v.do!(|e| if ($f(&e)) yes.push_back(e) else no.push_back(e));
    (yes, no)
}

public macro fun find_index<$T>($v: &vector<$T>, $f: |&$T| -> bool): Option<u64> {
    let v = $v;
    let n = v.length();
    let mut i = 0;
    let mut found = option::none();
    while (i < n && found.is_none()) {
        if ($f(&v[i])) found = option::some(i);
        i = i + 1;
    };
    found
}

public macro fun find_indices<$T>($v: &vector<$T>, $f: |&$T| -> bool): vector<u64> {
    let v = $v;
    let mut out = vector[];
    let n = v.length();
    n.do!(|i| if ($f(&v[i])) out.push_back(i));
    out
}

public macro fun count<$T>($v: &vector<$T>, $f: |&$T| -> bool): u64 {
    let v = $v;
    let mut hits = 0;
    v.do_ref!(|e| if ($f(e)) hits = hits + 1);
    hits
}

public macro fun fold<$T, $Acc>($v: vector<$T>, $init: $Acc, $f: |$Acc, $T| -> $Acc): $Acc {
    let v = $v;
    let mut acc = $init;
    v.do!(|e| acc = $f(acc, e));
    acc
}

public macro fun any<$T>($v: &vector<$T>, $f: |&$T| -> bool): bool {
    let v = $v;
    let n = v.length();
    let mut i = 0;
    let mut hit = false;
    while (!hit && i < n) {
        hit = $f(&v[i]);
        i = i + 1;
    };
    hit
}

public macro fun all<$T>($v: &vector<$T>, $f: |&$T| -> bool): bool {
    let v = $v;
    let n = v.length();
    let mut i = 0;
    let mut ok = true;
    while (ok && i < n) {
        ok = $f(&v[i]);
        i = i + 1;
    };
    ok
}

public macro fun zip_do<$T1, $T2, $R: drop>(
    $v1: vector<$T1>,
    $v2: vector<$T2>,
    $f: |$T1, $T2| -> $R,
) {
    let v1 = $v1;
    let mut v2 = $v2;
    assert!(v1.length() == v2.length());
    v2.reverse();
    v1.do!(|a| $f(a, v2.pop_back()));
    v2.destroy_empty();
}

public macro fun zip_do_reverse<$T1, $T2, $R: drop>(
    $v1: vector<$T1>,
    $v2: vector<$T2>,
    $f: |$T1, $T2| -> $R,
) {
    let v1 = $v1;
    let mut v2 = $v2;
    assert!(v1.length() == v2.length());
    v1.destroy!(|a| $f(a, v2.pop_back()));
    v2.destroy_empty();
}

public macro fun zip_do_ref<$T1, $T2, $R: drop>(
    $v1: &vector<$T1>,
    $v2: &vector<$T2>,
    $f: |&$T1, &$T2| -> $R,
) {
    let v1 = $v1;
    let v2 = $v2;
    let n = v1.length();
    assert!(n == v2.length());
    n.do!(|i| $f(&v1[i], &v2[i]));
}

public macro fun zip_do_mut<$T1, $T2, $R: drop>(
    $v1: &mut vector<$T1>,
    $v2: &mut vector<$T2>,
    $f: |&mut $T1, &mut $T2| -> $R,
) {
    let v1 = $v1;
    let v2 = $v2;
    let n = v1.length();
    assert!(n == v2.length());
    n.do!(|i| $f(&mut v1[i], &mut v2[i]));
}

public macro fun zip_map<$T1, $T2, $U>(
    $v1: vector<$T1>,
    $v2: vector<$T2>,
    $f: |$T1, $T2| -> $U,
): vector<$U> {
    let mut out = vector[];
    zip_do!($v1, $v2, |a, b| out.push_back($f(a, b)));
    out
}

public macro fun zip_map_ref<$T1, $T2, $U>(
    $v1: &vector<$T1>,
    $v2: &vector<$T2>,
    $f: |&$T1, &$T2| -> $U,
): vector<$U> {
    let mut out = vector[];
    zip_do_ref!($v1, $v2, |a, b| out.push_back($f(a, b)));
    out
}

/// Stable in-place insertion sort; `le` is "less than or equal".
public macro fun insertion_sort_by<$T>($v: &mut vector<$T>, $le: |&$T, &$T| -> bool) {
    let v = $v;
    let n = v.length();
    let mut i = 1;
    while (i < n) {
        let mut j = i;
        while (j > 0 && !$le(&v[j - 1], &v[j])) {
            v.swap(j - 1, j);
            j = j - 1;
        };
        i = i + 1;
    }
}

/// Stable in-place bottom-up merge sort (rotation-based merge, no extra storage).
public macro fun merge_sort_by<$T>($v: &mut vector<$T>, $le: |&$T, &$T| -> bool) {
    let v = $v;
    let n = v.length();
    let mut width = 1;
    while (width < n) {
        let mut start = 0;
        while (start + width < n) {
            let mut mid = start + width;
            let end = if (mid + width < n) mid + width else n;
            let mut l = start;
            let mut r = mid;
            while (l < mid && r < end) {
                if ($le(&v[l], &v[r])) {
                    l = l + 1;
                } else {
                    // rotate v[r] down to position l
                    let mut k = r;
                    while (k > l) {
                        v.swap(k, k - 1);
                        k = k - 1;
                    };
                    l = l + 1;
                    mid = mid + 1;
                    r = r + 1;
                }
            };
            start = end;
        };
        width = width * 2;
    }
}

public macro fun is_sorted_by<$T>($v: &vector<$T>, $le: |&$T, &$T| -> bool): bool {
    let v = $v;
    let n = v.length();
    let mut i = 1;
    let mut sorted = true;
    while (sorted && i < n) {
        sorted = $le(&v[i - 1], &v[i]);
        i = i + 1;
    };
    sorted
}

/// The longest prefix of `v` whose elements all satisfy `p`.
public macro fun take_while<$T: drop>($v: vector<$T>, $p: |&$T| -> bool): vector<$T> {
    let v = $v;
    let n = v.length();
    let mut k = 0;
    while (k < n && $p(&v[k])) k = k + 1;
    v.take(k)
}

/// What remains of `v` after its longest prefix satisfying `p`.
public macro fun skip_while<$T: drop>($v: vector<$T>, $p: |&$T| -> bool): vector<$T> {
    let v = $v;
    let n = v.length();
    let mut k = 0;
    while (k < n && $p(&v[k])) k = k + 1;
    v.skip(k)
}
