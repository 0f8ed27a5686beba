// K3s-DaaS shim of sui::event (Sui 1.71.1 signatures). Authenticated event
// streams (which need sui::accumulator) are not part of this subset.

/// Emit custom Move events; the type `T` is the event's index.
module sui::event;

/// Emit `event`. The Sui verifier only allows this from the module defining `T`.
public native fun emit<T: copy + drop>(event: T);

#[test_only]
/// Number of events emitted so far in this transaction.
public native fun num_events(): u32;

#[test_only]
/// Every event of type `T` emitted so far in this transaction.
public native fun events_by_type<T: copy + drop>(): vector<T>;
