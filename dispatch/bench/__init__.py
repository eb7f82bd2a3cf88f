"""A benchmark of the optimiser on Solomon VRPTW instances (a script, not a test)."""
