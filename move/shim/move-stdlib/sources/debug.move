// K3s-DaaS shim of std::debug (natives declared with the real names and signatures).

/// Printing from Move code; only has an effect in unit tests.
module std::debug;

public native fun print<T>(x: &T);

public native fun print_stack_trace();
