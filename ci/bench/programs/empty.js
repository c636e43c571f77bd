// Bench program: nothing at all; what remains is the cost of a seed itself.
