"""`cascada bench`: the figures of DESIGN §7 measured in one run (see BENCHMARKS.md)."""
