"""Validate: check each note's fields and body; every problem is a Problem at a path and line."""
