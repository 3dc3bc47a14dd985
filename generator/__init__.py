"""Reading-notes site generator: notes in papers/ → venue, tag and paper pages.

The core (load → validate → index → render) does not import MkDocs; ``generator.plugin`` adapts it.
"""

__version__ = "0.1.0"
