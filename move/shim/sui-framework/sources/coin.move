// K3s-DaaS shim of sui::coin (Sui 1.71.1 signatures; bodies are our own).
// Subset: the deny list, regulated currencies, coin registry and `pay` method
// aliases are left out; the structs kept here have the real layouts.

/// `Coin<T>`: an object wrapping a `Balance<T>`; `TreasuryCap<T>` mints and burns.
module sui::coin;

use std::ascii;
use std::string;
use sui::balance::{Self, Balance, Supply};
use sui::url::{Self, Url};

/// `.into_supply()` on a `TreasuryCap`.
public use fun treasury_into_supply as TreasuryCap.into_supply;

/// `create_currency` was given a type that is not a one-time witness.
const EBadWitness: u64 = 0;
/// Invalid argument (e.g. dividing into zero parts).
const EInvalidArg: u64 = 1;
/// Splitting a coin more times than its value allows.
const ENotEnough: u64 = 2;
#[allow(unused_const)]
/// The deny cap does not allow a global pause.
const EGlobalPauseNotAllowed: u64 = 3;

/// A transferable amount of `T`.
public struct Coin<phantom T> has key, store {
    id: UID,
    balance: Balance<T>,
}

/// Display metadata of currency `T` (one per currency).
public struct CoinMetadata<phantom T> has key, store {
    id: UID,
    decimals: u8,
    name: string::String,
    symbol: ascii::String,
    description: string::String,
    icon_url: Option<Url>,
}

/// Authority to mint and burn `T`.
public struct TreasuryCap<phantom T> has key, store {
    id: UID,
    total_supply: Supply<T>,
}

// === TreasuryCap and Supply ===

public fun total_supply<T>(cap: &TreasuryCap<T>): u64 {
    cap.total_supply.supply_value()
}

/// Unwrap the cap into its `Supply` (irreversible).
public fun treasury_into_supply<T>(treasury: TreasuryCap<T>): Supply<T> {
    let TreasuryCap { id, total_supply } = treasury;
    id.delete();
    total_supply
}

public fun supply_immut<T>(treasury: &TreasuryCap<T>): &Supply<T> {
    &treasury.total_supply
}

public fun supply_mut<T>(treasury: &mut TreasuryCap<T>): &mut Supply<T> {
    &mut treasury.total_supply
}

// === Coin and Balance ===

public fun value<T>(self: &Coin<T>): u64 {
    self.balance.value()
}

public fun balance<T>(coin: &Coin<T>): &Balance<T> {
    &coin.balance
}

public fun balance_mut<T>(coin: &mut Coin<T>): &mut Balance<T> {
    &mut coin.balance
}

/// Wrap `balance` into a new coin object.
public fun from_balance<T>(balance: Balance<T>, ctx: &mut TxContext): Coin<T> {
    Coin { id: object::new(ctx), balance }
}

/// Unwrap a coin, deleting the object, and keep its balance.
public fun into_balance<T>(coin: Coin<T>): Balance<T> {
    let Coin { id, balance } = coin;
    id.delete();
    balance
}

/// A coin of `value` split off `balance`. Aborts with `balance::ENotEnough`.
public fun take<T>(balance: &mut Balance<T>, value: u64, ctx: &mut TxContext): Coin<T> {
    from_balance(balance.split(value), ctx)
}

/// Move the coin's value into `balance`.
public fun put<T>(balance: &mut Balance<T>, coin: Coin<T>) {
    balance.join(into_balance(coin));
}

#[allow(lint(public_entry))]
/// Merge `c` into `self`.
public entry fun join<T>(self: &mut Coin<T>, c: Coin<T>) {
    self.balance.join(into_balance(c));
}

/// A new coin with `split_amount` taken from `self`. Aborts with `balance::ENotEnough`.
public fun split<T>(self: &mut Coin<T>, split_amount: u64, ctx: &mut TxContext): Coin<T> {
    take(&mut self.balance, split_amount, ctx)
}

/// Split `self` into `n` equal parts: returns `n - 1` new coins, the remainder
/// stays in `self`. Aborts with `EInvalidArg` if `n == 0`, `ENotEnough` if `n > value`.
public fun divide_into_n<T>(self: &mut Coin<T>, n: u64, ctx: &mut TxContext): vector<Coin<T>> {
    assert!(n > 0, EInvalidArg);
    assert!(n <= self.value(), ENotEnough);
    let part = self.value() / n;
    let mut parts = vector[];
    let mut i = 1;
    while (i < n) {
        parts.push_back(self.split(part, ctx));
        i = i + 1;
    };
    parts
}

/// A coin worth zero.
public fun zero<T>(ctx: &mut TxContext): Coin<T> {
    from_balance(balance::zero(), ctx)
}

/// Aborts with `balance::ENonZero` unless the coin is worth zero.
public fun destroy_zero<T>(c: Coin<T>) {
    into_balance(c).destroy_zero()
}

// === Currency creation, minting and burning ===

#[deprecated(note = b"Use `coin_registry::new_currency_with_otw` instead")]
/// Create currency `T` from its one-time witness. Aborts with `EBadWitness`.
public fun create_currency<T: drop>(
    witness: T,
    decimals: u8,
    symbol: vector<u8>,
    name: vector<u8>,
    description: vector<u8>,
    icon_url: Option<Url>,
    ctx: &mut TxContext,
): (TreasuryCap<T>, CoinMetadata<T>) {
    assert!(sui::types::is_one_time_witness(&witness), EBadWitness);
    let cap = TreasuryCap { id: object::new(ctx), total_supply: balance::create_supply(witness) };
    let metadata = CoinMetadata {
        id: object::new(ctx),
        decimals,
        name: string::utf8(name),
        symbol: ascii::string(symbol),
        description: string::utf8(description),
        icon_url,
    };
    (cap, metadata)
}

/// Mint a coin of `value`. Aborts with `balance::EOverflow`.
public fun mint<T>(cap: &mut TreasuryCap<T>, value: u64, ctx: &mut TxContext): Coin<T> {
    from_balance(cap.total_supply.increase_supply(value), ctx)
}

/// Mint a balance of `value`. Aborts with `balance::EOverflow`.
public fun mint_balance<T>(cap: &mut TreasuryCap<T>, value: u64): Balance<T> {
    cap.total_supply.increase_supply(value)
}

#[allow(lint(public_entry))]
/// Burn `c`; returns the amount burned.
public entry fun burn<T>(cap: &mut TreasuryCap<T>, c: Coin<T>): u64 {
    cap.total_supply.decrease_supply(into_balance(c))
}

#[allow(lint(public_entry))]
/// Mint `amount` and send it to `recipient`.
public entry fun mint_and_transfer<T>(
    c: &mut TreasuryCap<T>,
    amount: u64,
    recipient: address,
    ctx: &mut TxContext,
) {
    transfer::public_transfer(mint(c, amount, ctx), recipient)
}

// === Metadata ===

#[allow(lint(public_entry))]
public entry fun update_name<T>(
    _treasury: &TreasuryCap<T>,
    metadata: &mut CoinMetadata<T>,
    name: string::String,
) {
    metadata.name = name;
}

#[allow(lint(public_entry))]
public entry fun update_symbol<T>(
    _treasury: &TreasuryCap<T>,
    metadata: &mut CoinMetadata<T>,
    symbol: ascii::String,
) {
    metadata.symbol = symbol;
}

#[allow(lint(public_entry))]
public entry fun update_description<T>(
    _treasury: &TreasuryCap<T>,
    metadata: &mut CoinMetadata<T>,
    description: string::String,
) {
    metadata.description = description;
}

#[allow(lint(public_entry))]
public entry fun update_icon_url<T>(
    _treasury: &TreasuryCap<T>,
    metadata: &mut CoinMetadata<T>,
    url: ascii::String,
) {
    metadata.icon_url = option::some(url::new_unsafe(url));
}

public fun get_decimals<T>(metadata: &CoinMetadata<T>): u8 {
    metadata.decimals
}

public fun get_name<T>(metadata: &CoinMetadata<T>): string::String {
    metadata.name
}

public fun get_symbol<T>(metadata: &CoinMetadata<T>): ascii::String {
    metadata.symbol
}

public fun get_description<T>(metadata: &CoinMetadata<T>): string::String {
    metadata.description
}

public fun get_icon_url<T>(metadata: &CoinMetadata<T>): Option<Url> {
    metadata.icon_url
}

// === test-only ===

#[test_only]
public fun mint_for_testing<T>(value: u64, ctx: &mut TxContext): Coin<T> {
    from_balance(balance::create_for_testing(value), ctx)
}

#[test_only]
public fun burn_for_testing<T>(coin: Coin<T>): u64 {
    into_balance(coin).destroy_for_testing()
}

#[test_only]
public fun create_treasury_cap_for_testing<T>(ctx: &mut TxContext): TreasuryCap<T> {
    TreasuryCap { id: object::new(ctx), total_supply: balance::create_supply_for_testing() }
}

// === deprecated ===

/// Kept for compatibility (takes `&mut` by historical accident).
public fun supply<T>(treasury: &mut TreasuryCap<T>): &Supply<T> {
    &treasury.total_supply
}
