"""Two builds of the shipped notes are byte-identical, whatever the hash seed, file order, time zone and locale."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SOURCE_DATE_EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def copy_project(dest: Path, reverse: bool) -> None:
    """mkdocs.yml, docs/ and papers/, written in sorted or reverse order (via temporary names that are
    renamed in the opposite order, so directory order differs too), with different mtimes."""
    files = sorted(p for folder in ("docs", "papers") for p in (ROOT / folder).rglob("*") if p.is_file())
    files.append(ROOT / "mkdocs.yml")
    if reverse:
        files.reverse()
    staged = []
    for i, src in enumerate(files):
        target = dest / src.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".tmp{i}")
        shutil.copyfile(src, temp)
        staged.append((temp, target))
    for temp, target in reversed(staged):
        temp.rename(target)
        if reverse:
            os.utime(target, (946684800, 946684800))  # 2000-01-01


def build(root: Path, **env: str) -> subprocess.Popen[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "TZ", "PYTHONHASHSEED"))}
    full.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, **env)
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
                            cwd=root, env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    copy_project(a, reverse=False)
    copy_project(b, reverse=True)
    runs = [build(a, PYTHONHASHSEED="1", TZ="UTC", LC_ALL="C", LANG="C"),
            build(b, PYTHONHASHSEED="4242", TZ="Pacific/Kiritimati", LC_ALL="C.UTF-8", LANG="C.UTF-8")]  # fmt: skip
    for run in runs:
        out, _ = run.communicate(timeout=600)
        assert run.returncode == 0, out
    first, second = tree(a / "site"), tree(b / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    for name in ("sitemap.xml", "sitemap.xml.gz", "pagefind/pagefind-entry.json", "index.html", "papers/osdi/2022/reef/index.html"):
        assert name in first, name
    # the gzip header holds a time: SOURCE_DATE_EPOCH's day, not the time of the build
    mtime = int.from_bytes(first["sitemap.xml.gz"][4:8], "little")
    assert int(SOURCE_DATE_EPOCH) - 86400 < mtime <= int(SOURCE_DATE_EPOCH)
    assert gzip.decompress(first["sitemap.xml.gz"]) == first["sitemap.xml"]
