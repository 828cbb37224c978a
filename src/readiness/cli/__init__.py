"""The command line: one click group, the entry point and its start-up prefetch."""
