// K3s-DaaS shim of sui::types (Sui 1.71.1 signatures).

/// Type checks provided by the runtime.
module sui::types;

/// Whether `T` is a one-time witness: the struct named after its module, with
/// only `drop`, passed to that module's `init`.
public native fun is_one_time_witness<T: drop>(_: &T): bool;
