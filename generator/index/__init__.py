"""Index: the catalog of validated papers (venues → years, tags, ids) and the problems found across notes."""
