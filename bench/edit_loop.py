"""The edit loop under `mkdocs serve --dirty`: how long after saving a note its page shows the change.

    python bench/edit_loop.py            # 5,000 notes
    python bench/edit_loop.py --notes 1000

Starts `mkdocs serve --dirty` on a synthetic site, waits for the first build, then (1) appends a
sentence to one note's body and (2) changes that note's tags, and times how long until the served
pages (the note's page; the new tag page) show it. Also times a rebuild with no change (the warm path).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_corpus  # noqa: E402
from run import OURS_YML  # noqa: E402


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, needle: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if needle in fetch(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"{needle!r} did not appear at {url} within {timeout} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc): unlike wall time, it does
    not grow while other work on a shared machine holds the cores."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="editloop-") as tmp:
        site = Path(tmp)
        write_corpus(site / "papers", args.notes)
        (site / "docs").mkdir()
        (site / "docs" / "index.md").write_text("# Notes\n", encoding="utf-8")
        (site / "mkdocs.yml").write_text(OURS_YML, encoding="utf-8")
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        log = open(site / "serve.log", "w")  # noqa: SIM115  (the server writes to it until the finally: below closes it)
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}", "-f", str(site / "mkdocs.yml")],
            cwd=site,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            t = time.perf_counter()
            wait_for(base + "venues/", "Venues", 1800)
            print(f"first build: {time.perf_counter() - t:.1f} s", flush=True)
            note = site / "papers" / "osdi" / "2015" / "paper-00000.md"
            page = base + "papers/osdi/2015/paper-00000/"
            text = note.read_text(encoding="utf-8")

            used = cpu_seconds(server.pid)
            note.write_text(text + "\nEDITLOOP-BODY-TOKEN sentence.\n", encoding="utf-8")
            body = wait_for(page, "EDITLOOP-BODY-TOKEN", 600)
            print(f"body edit → page updated: {body:.2f} s (server CPU {cpu_seconds(server.pid) - used:.2f} s)", flush=True)

            time.sleep(1)
            new = text.replace("tags: [", "tags: [editloop_new_tag, ", 1) + "\nEDITLOOP-BODY-TOKEN sentence.\n"
            used = cpu_seconds(server.pid)
            note.write_text(new, encoding="utf-8")
            tags = wait_for(base + "tags/editloop-new-tag/", "paper-00000", 600)
            print(f"tag edit → new tag page lists the note: {tags:.2f} s (server CPU {cpu_seconds(server.pid) - used:.2f} s)", flush=True)
            assert "editloop_new_tag" in fetch(page)
        finally:
            server.terminate()
            server.wait(30)
            log.close()
        lines = (site / "serve.log").read_text(encoding="utf-8").splitlines()
        print("\n".join(line for line in lines if "Documentation built" in line or "Building" in line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
