"""The built wheel: its metadata (PEP 639 license fields, the one version) and the license file inside."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from conftest import ROOT

from generator import __version__


def test_wheel_has_the_license_file_and_license_expression(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "generator", src / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(src)],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    assert wheel.name == f"reading_notes_generator-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as z:
        info = f"reading_notes_generator-{__version__}.dist-info/"
        assert z.read(info + "licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
        metadata = z.read(info + "METADATA").decode("utf-8").splitlines()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    assert f"Version: {__version__}" in metadata
    assert not [line for line in metadata if line.startswith("Classifier: License")]  # PEP 639: the expression only
