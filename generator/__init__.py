"""Reading-notes site generator: notes in papers/ → venue, tag and paper pages.

The core (load → validate → index → render) does not import MkDocs; ``generator.engines.mkdocs_plugin`` adapts it.
"""

# The one place the version is written: pyproject.toml reads it (dynamic version) and `notes --version`
# prints it. Record each release in CHANGELOG.md.
__version__ = "0.1.0"
