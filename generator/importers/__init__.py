"""Bring existing notes in: ``notes import-notes`` (a GitBook/Markdown folder) and ``notes import-list``
(an awesome-style paper list). Both turn their input into ``Entry`` objects and hand them to
``common.Importer``, which finds duplicates, writes notes that pass ``notes check`` and counts outcomes.
"""
