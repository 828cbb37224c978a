"""Files on disk: atomic replacement, locks, the pages folder, test pause points."""
