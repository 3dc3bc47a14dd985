"""Bring existing notes in: ``notes import-bib`` (a BibTeX file), ``notes import-notes`` (a GitBook/Markdown
folder) and ``notes import-list`` (an awesome-style paper list). Each only parses its source format into
``common.Entry`` drafts; ``common`` finds duplicates (``PaperIndex``), keeps fields within the validator's
limits (``note_fields``) and reports every outcome (``Report``), and ``authoring/note_file.py`` writes the
note (shared with ``notes new``). import-notes and import-list hand their entries to ``common.Importer``;
import-bib keeps its own loop for what only it does (re-imports it may update, ``.bib`` sidecars).
"""
