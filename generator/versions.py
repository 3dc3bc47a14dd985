"""The installed version of a package, for the keys of what a build keeps for the next one (a kept
conversion, rendering, finished page or search run is used only with the versions that made it)."""

from __future__ import annotations

import importlib.metadata


def package_version(distribution: str) -> str:
    """``distribution``'s installed version, or "" when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""
