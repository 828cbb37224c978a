"""The command line: the click group (``main``), one module per command, the entry point and its
start-up head start."""
