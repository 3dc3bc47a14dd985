"""Load: read notes, front-matter, sidecars, the venue registry, tag aliases, reading paths and git history."""
