// Does nothing: what is left in a seed of it is the boot's and loopsim's own.
