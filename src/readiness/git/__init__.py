"""The only git boundary: the repository, its reads, and the source's history."""
