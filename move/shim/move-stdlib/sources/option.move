// K3s-DaaS shim of std::option. Struct layout, signatures and abort codes follow
// the real MoveStdlib; the bodies are written for this project.

/// An optional value, stored as a vector of length zero or one.
module std::option;

/// Either holds one `Element` (`some`) or nothing (`none`).
public struct Option<Element> has copy, drop, store {
    vec: vector<Element>,
}

/// The option holds a value but the operation needs `none`.
const EOPTION_IS_SET: u64 = 0x40000;
/// The option is `none` but the operation needs a value.
const EOPTION_NOT_SET: u64 = 0x40001;

public fun none<Element>(): Option<Element> {
    Option { vec: vector[] }
}

public fun some<Element>(e: Element): Option<Element> {
    Option { vec: vector[e] }
}

public fun is_none<Element>(t: &Option<Element>): bool {
    t.vec.length() == 0
}

public fun is_some<Element>(t: &Option<Element>): bool {
    t.vec.length() != 0
}

/// True when `t` holds a value equal to `e_ref`.
public fun contains<Element>(t: &Option<Element>, e_ref: &Element): bool {
    t.is_some() && &t.vec[0] == e_ref
}

public fun borrow<Element>(t: &Option<Element>): &Element {
    if (t.is_none()) abort EOPTION_NOT_SET;
    &t.vec[0]
}

public fun borrow_with_default<Element>(t: &Option<Element>, default_ref: &Element): &Element {
    if (t.is_some()) &t.vec[0] else default_ref
}

public fun get_with_default<Element: copy + drop>(t: &Option<Element>, default: Element): Element {
    if (t.is_some()) t.vec[0] else default
}

/// Put `e` into an empty option.
public fun fill<Element>(t: &mut Option<Element>, e: Element) {
    if (t.is_some()) abort EOPTION_IS_SET;
    t.vec.push_back(e);
}

/// Take the value out, leaving `none`.
public fun extract<Element>(t: &mut Option<Element>): Element {
    if (t.is_none()) abort EOPTION_NOT_SET;
    t.vec.pop_back()
}

public fun borrow_mut<Element>(t: &mut Option<Element>): &mut Element {
    if (t.is_none()) abort EOPTION_NOT_SET;
    &mut t.vec[0]
}

/// Replace the held value with `e`, returning the previous one.
public fun swap<Element>(t: &mut Option<Element>, e: Element): Element {
    if (t.is_none()) abort EOPTION_NOT_SET;
    let old = t.vec.pop_back();
    t.vec.push_back(e);
    old
}

/// Like `swap`, but also accepts `none` (then returns `none`).
public fun swap_or_fill<Element>(t: &mut Option<Element>, e: Element): Option<Element> {
    let previous = if (t.vec.is_empty()) none() else some(t.vec.pop_back());
    t.vec.push_back(e);
    previous
}

public fun destroy_with_default<Element: drop>(t: Option<Element>, default: Element): Element {
    let Option { mut vec } = t;
    if (vec.is_empty()) default else vec.pop_back()
}

public fun destroy_some<Element>(t: Option<Element>): Element {
    if (t.is_none()) abort EOPTION_NOT_SET;
    let Option { mut vec } = t;
    let value = vec.pop_back();
    vec.destroy_empty();
    value
}

public fun destroy_none<Element>(t: Option<Element>) {
    if (t.is_some()) abort EOPTION_IS_SET;
    let Option { vec } = t;
    vec.destroy_empty();
}

/// The option as a vector of length 0 or 1.
public fun to_vec<Element>(t: Option<Element>): vector<Element> {
    let Option { vec } = t;
    vec
}

// === Macros (compile-time only) ===

/// Run `f` on the value, if any.
public macro fun do<$T, $R: drop>($o: Option<$T>, $f: |$T| -> $R) {
    let o = $o;
    if (o.is_some()) { $f(o.destroy_some()); } else o.destroy_none()
}

public macro fun do_ref<$T, $R: drop>($o: &Option<$T>, $f: |&$T| -> $R) {
    let o = $o;
    if (o.is_some()) { $f(o.borrow()); }
}

public macro fun do_mut<$T, $R: drop>($o: &mut Option<$T>, $f: |&mut $T| -> $R) {
    let o = $o;
    if (o.is_some()) { $f(o.borrow_mut()); }
}

/// `o` if it holds a value, else `default`.
public macro fun or<$T>($o: Option<$T>, $default: Option<$T>): Option<$T> {
    let o = $o;
    if (o.is_some()) o else { o.destroy_none(); $default }
}

/// `f(value)` if `o` holds a value, else `none`.
public macro fun and<$T, $U>($o: Option<$T>, $f: |$T| -> Option<$U>): Option<$U> {
    let o = $o;
    if (o.is_some()) $f(o.destroy_some()) else { o.destroy_none(); none() }
}

public macro fun and_ref<$T, $U>($o: &Option<$T>, $f: |&$T| -> Option<$U>): Option<$U> {
    let o = $o;
    if (o.is_some()) $f(o.borrow()) else none()
}

public macro fun map<$T, $U>($o: Option<$T>, $f: |$T| -> $U): Option<$U> {
    let o = $o;
    if (o.is_some()) some($f(o.destroy_some())) else { o.destroy_none(); none() }
}

public macro fun map_ref<$T, $U>($o: &Option<$T>, $f: |&$T| -> $U): Option<$U> {
    let o = $o;
    if (o.is_some()) some($f(o.borrow())) else none()
}

/// Keep the value only when `f` accepts it.
public macro fun filter<$T: drop>($o: Option<$T>, $f: |&$T| -> bool): Option<$T> {
    let o = $o;
    if (o.is_some() && $f(o.borrow())) o else none()
}

public macro fun is_some_and<$T>($o: &Option<$T>, $f: |&$T| -> bool): bool {
    let o = $o;
    o.is_some() && $f(o.borrow())
}

/// Take the value out of `o`, or return `default` when `o` is `none`.
public macro fun extract_or<$T>($o: &mut Option<$T>, $default: $T): $T {
    let o = $o;
    if (o.is_some()) o.extract() else $default
}

/// Destroy `o`, returning its value or `default`.
public macro fun destroy_or<$T>($o: Option<$T>, $default: $T): $T {
    let o = $o;
    if (o.is_some()) o.destroy_some() else { o.destroy_none(); $default }
}
