"""Pure rules of the counter: no Qt, no SQL, no I/O."""
