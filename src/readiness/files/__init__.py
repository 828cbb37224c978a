"""Files on disk: atomic replacement, locks, the pages folder, the watch loop, test pause points."""
