"""Authoring: the commands that write notes and sites (notes new, notes init, the schema, the check summary)."""
