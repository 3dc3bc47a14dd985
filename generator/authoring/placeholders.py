"""Repository files shipped as templates: CODEOWNERS and the pre-commit example name the maintainers
and the repository with placeholders (``@FILL-IN-MAINTAINERS``, ``FILL-IN-OWNER/FILL-IN-REPO``) that
one documented step fills in (README.md, "Make it yours"). ``notes check`` reports a placeholder left
in them under GitHub Actions (or with ``--templates``), so an unfilled template is not shipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.model import Problem

TEMPLATE_FILES = (".github/CODEOWNERS", ".pre-commit-hooks.yaml", "CONTRIBUTING.md")
PLACEHOLDER = re.compile(r"@?FILL-IN-[A-Z]+(?:/FILL-IN-[A-Z]+)?")
HOW = "fill in the templates with the one command in README.md, section 'Make it yours'"


def placeholder_problems(root: Path) -> list[Problem]:
    """A problem per template file that still holds a placeholder, at its first one."""
    problems = []
    for name in TEMPLATE_FILES:
        try:
            text = (root / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = [(number, found.group()) for number, line in enumerate(text.splitlines(), 1) if (found := PLACEHOLDER.search(line))]
        if lines:
            first, token = lines[0]
            more = f" (and on {len(lines) - 1} more line{'s' if len(lines) > 2 else ''})" if len(lines) > 1 else ""
            problems.append(Problem(name, first, "template", f"still holds the placeholder {token!r}{more}: {HOW}"))
    return problems
