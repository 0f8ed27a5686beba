// K3s-DaaS shim of sui::clock (Sui 1.71.1 signatures; bodies are our own).

/// Time for Move calls: the shared `Clock` object at 0x6, updated by the
/// system at every consensus commit. Entry functions may only take `&Clock`.
module sui::clock;

/// Sender is not @0x0 the system address.
const ENotSystemAddress: u64 = 0;

public struct Clock has key {
    id: UID,
    /// Milliseconds since the Unix epoch, as of the current consensus commit.
    timestamp_ms: u64,
}

/// The clock's current timestamp in milliseconds.
public fun timestamp_ms(clock: &Clock): u64 {
    clock.timestamp_ms
}

#[allow(unused_function)]
/// Create and share the singleton clock; genesis only.
fun create(ctx: &TxContext) {
    assert!(ctx.sender() == @0x0, ENotSystemAddress);
    transfer::share_object(Clock { id: object::clock(), timestamp_ms: 0 })
}

#[allow(unused_function)]
/// Set the time; system transaction only.
fun consensus_commit_prologue(clock: &mut Clock, timestamp_ms: u64, ctx: &TxContext) {
    assert!(ctx.sender() == @0x0, ENotSystemAddress);
    clock.timestamp_ms = timestamp_ms
}

// === test-only ===

#[test_only]
/// A fresh clock at time 0.
public fun create_for_testing(ctx: &mut TxContext): Clock {
    Clock { id: object::new(ctx), timestamp_ms: 0 }
}

#[test_only]
public fun share_for_testing(clock: Clock) {
    transfer::share_object(clock)
}

#[test_only]
/// Advance the clock by `tick` milliseconds.
public fun increment_for_testing(clock: &mut Clock, tick: u64) {
    clock.timestamp_ms = clock.timestamp_ms + tick;
}

#[test_only]
/// Set the clock; time never goes backwards. Like the real framework this uses a
/// code-less `assert!`, so the abort code is the compiler's line-tagged code.
public fun set_for_testing(clock: &mut Clock, timestamp_ms: u64) {
    assert!(timestamp_ms >= clock.timestamp_ms);
    clock.timestamp_ms = timestamp_ms;
}

#[test_only]
public fun destroy_for_testing(clock: Clock) {
    let Clock { id, timestamp_ms: _ } = clock;
    id.delete();
}
