// K3s-DaaS shim of sui::sui (Sui 1.71.1 signatures; bodies are our own).

/// `Coin<SUI>` pays for gas. 9 decimals; the smallest unit is the MIST.
module sui::sui;

use sui::balance::Balance;
use sui::coin;

/// Genesis minting attempted after epoch 0.
const EAlreadyMinted: u64 = 0;
/// Sender is not @0x0 the system address.
const ENotSystemAddress: u64 = 1;

#[allow(unused_const)]
/// MIST per SUI.
const MIST_PER_SUI: u64 = 1_000_000_000;

#[allow(unused_const)]
/// Total supply in whole SUI (10 billion).
const TOTAL_SUPPLY_SUI: u64 = 10_000_000_000;

/// Total supply in MIST.
const TOTAL_SUPPLY_MIST: u64 = 10_000_000_000_000_000_000;

/// The SUI currency (one-time witness of this module).
public struct SUI has drop {}

#[allow(unused_function, deprecated_usage)]
/// Mint the whole SUI supply; genesis only (sender @0x0, epoch 0). The embedded
/// chain of this project mints genesis coins natively and never calls it.
fun new(ctx: &mut TxContext): Balance<SUI> {
    assert!(ctx.sender() == @0x0, ENotSystemAddress);
    assert!(ctx.epoch() == 0, EAlreadyMinted);
    let (treasury, metadata) = coin::create_currency(
        SUI {},
        9,
        b"SUI",
        b"Sui",
        b"",
        option::none(),
        ctx,
    );
    transfer::public_freeze_object(metadata);
    let mut supply = treasury.into_supply();
    let total = supply.increase_supply(TOTAL_SUPPLY_MIST);
    supply.destroy_supply();
    total
}

#[allow(lint(public_entry))]
/// Send a SUI coin to `recipient`.
public entry fun transfer(c: coin::Coin<SUI>, recipient: address) {
    transfer::public_transfer(c, recipient)
}
