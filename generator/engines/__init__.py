"""Engines: thin adapters that run the core inside MkDocs or around Zensical."""
