"""The source file: its models, the YAML loader with located problems, where it lives, and mark's edit."""
