// K3s-DaaS shim of sui::balance (Sui 1.71.1 signatures; bodies are our own).
// Funds-accumulator and system-only functions are not part of this subset.

/// Storable amounts of a currency `T` (`Balance`) and its mint/burn counter (`Supply`).
module sui::balance;

/// `.into_coin(ctx)` on a `Balance`.
public use fun sui::coin::from_balance as Balance.into_coin;

/// `.value()` on a `Supply`.
public use fun supply_value as Supply.value;

/// Destroying a non-zero balance.
const ENonZero: u64 = 0;
/// Supply arithmetic would overflow (or underflow on burn).
const EOverflow: u64 = 1;
/// Withdrawing more than the balance holds.
const ENotEnough: u64 = 2;
#[allow(unused_const)]
/// Sender is not @0x0 the system address.
const ENotSystemAddress: u64 = 3;
#[allow(unused_const)]
/// System operation performed for a coin other than SUI.
const ENotSUI: u64 = 4;

/// The total minted amount of `T`; wrapped in `coin::TreasuryCap`.
public struct Supply<phantom T> has store {
    value: u64,
}

/// An amount of `T` that can be stored inside other structs.
public struct Balance<phantom T> has store {
    value: u64,
}

public fun value<T>(self: &Balance<T>): u64 {
    self.value
}

public fun supply_value<T>(supply: &Supply<T>): u64 {
    supply.value
}

/// A new, zero supply for `T`, authorized by a witness of `T`.
public fun create_supply<T: drop>(_: T): Supply<T> {
    Supply { value: 0 }
}

/// Mint `value` more. Aborts with `EOverflow` past u64::MAX.
public fun increase_supply<T>(self: &mut Supply<T>, value: u64): Balance<T> {
    assert!(value <= std::u64::max_value!() - self.value, EOverflow);
    self.value = self.value + value;
    Balance { value }
}

/// Burn `balance` and return its amount. Aborts with `EOverflow` if it exceeds the supply.
public fun decrease_supply<T>(self: &mut Supply<T>, balance: Balance<T>): u64 {
    let Balance { value } = balance;
    assert!(self.value >= value, EOverflow);
    self.value = self.value - value;
    value
}

public fun zero<T>(): Balance<T> {
    Balance { value: 0 }
}

/// Add `balance` into `self`; returns the new value.
public fun join<T>(self: &mut Balance<T>, balance: Balance<T>): u64 {
    let Balance { value } = balance;
    self.value = self.value + value;
    self.value
}

/// Take `value` out of `self`. Aborts with `ENotEnough`.
public fun split<T>(self: &mut Balance<T>, value: u64): Balance<T> {
    assert!(self.value >= value, ENotEnough);
    self.value = self.value - value;
    Balance { value }
}

/// Take everything out of `self`.
public fun withdraw_all<T>(self: &mut Balance<T>): Balance<T> {
    let all = self.value;
    self.split(all)
}

/// Aborts with `ENonZero` unless the balance is zero.
public fun destroy_zero<T>(balance: Balance<T>) {
    assert!(balance.value == 0, ENonZero);
    let Balance { value: _ } = balance;
}

/// A supply without a witness (coin creation inside the framework).
public(package) fun create_supply_internal<T>(): Supply<T> {
    Supply { value: 0 }
}

/// Destroy a supply, preventing further minting; returns the minted total.
public(package) fun destroy_supply<T>(self: Supply<T>): u64 {
    let Supply { value } = self;
    value
}

// === test-only ===

#[test_only]
public fun create_for_testing<T>(value: u64): Balance<T> {
    Balance { value }
}

#[test_only]
public fun destroy_for_testing<T>(self: Balance<T>): u64 {
    let Balance { value } = self;
    value
}

#[test_only]
public fun create_supply_for_testing<T>(): Supply<T> {
    Supply { value: 0 }
}
