"""``notes new``: a note that passes ``notes check``, from arguments or from answers in a terminal."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys

from conftest import note, run_mkdocs, run_notes, write_site

from generator.authoring.scaffold import slugify

TODAY = dt.date.today().isoformat()


def test_slugify_table():
    assert slugify("Orca: A Distributed Serving System for Transformer-Based Generative Models") == "orca"
    assert slugify("Alpa: Automating Inter- and Intra-Operator Parallelism") == "alpa"
    assert (
        slugify("Efficient Memory Management for Large Language Model Serving with PagedAttention")
        == "efficient-memory-management-large-language"
    )
    assert slugify("Ring Attention with Blockwise Transformers: Near-Infinite Context") == "ring-attention-blockwise-transformers-near"
    assert slugify("Naïve Scheduling") == "naive-scheduling"
    assert slugify("大模型推理") == "paper"


def test_new_note_from_arguments(tmp_path):
    write_site(tmp_path, {})
    proc = run_notes("new", "--title", "Orca: A Distributed Serving System", "--venue", "osdi", "--year", "2022",
                     "--authors", "Gyeong-In Yu, Byung-Gon Chun", "--tags", "LLM_serving, iteration-level_scheduling, llm-serving",
                     "--url", "https://www.usenix.org/conference/osdi22/presentation/yu", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "papers/osdi/2022/orca.md\n"
    text = (tmp_path / "papers/osdi/2022/orca.md").read_text()
    assert text.startswith(
        "---\n"
        'title: "Orca: A Distributed Serving System"\n'
        'venue: "OSDI"\n'
        "year: 2022\n"
        'authors: ["Gyeong-In Yu", "Byung-Gon Chun"]\n'
        'tags: ["LLM_serving", "iteration-level_scheduling"]\n'
        "# summary: One line in your own words, shown next to the paper in every list.\n"
        "links:\n"
        '  paper: "https://www.usenix.org/conference/osdi22/presentation/yu"\n'
        "status: unread\n"
    )
    assert f"added: {TODAY}\n---\n" in text
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Problem", "## Key idea", "## Design", "## Evaluation", "## Takeaways", "## My questions"]
    assert run_notes("check", cwd=tmp_path).returncode == 0

    again = run_notes("new", "--title", "Orca: A Distributed Serving System", "--venue", "OSDI", "--year", "2022", cwd=tmp_path)
    assert again.returncode == 1
    assert "papers/osdi/2022/orca.md already exists; not overwritten" in again.stderr
    assert (tmp_path / "papers/osdi/2022/orca.md").read_text() == text

    other = run_notes("new", "--title", "Orca: Elsewhere", "--venue", "SOSP", "--year", "2023", cwd=tmp_path)
    assert (other.returncode, other.stdout) == (0, "papers/sosp/2023/orca-sosp23.md\n")  # the id "orca" is taken
    related = run_notes("new", "--title", "vLLM: Paged", "--venue", "SOSP", "--year", "2023", "--builds-on", "orca",
                        "--compares-with", "orca, orca-sosp23", cwd=tmp_path)  # fmt: skip
    assert related.returncode == 0, related.stderr
    assert 'builds_on: ["orca"]\ncompares_with: ["orca", "orca-sosp23"]\n' in (tmp_path / "papers/sosp/2023/vllm.md").read_text()
    typo = run_notes("new", "--title", "Y", "--venue", "SOSP", "--year", "2023", "--compares-with", "orcaa", cwd=tmp_path)
    assert typo.returncode == 2 and "notes new: --compares-with: unknown paper id 'orcaa' (did you mean 'orca'?)" in typo.stderr
    assert not (tmp_path / "papers/sosp/2023/y.md").exists()
    clash = run_notes("new", "--title", "X", "--venue", "SOSP", "--year", "2023", "--slug", "orca", cwd=tmp_path)
    assert clash.returncode == 1 and "the id 'orca' is already used by papers/osdi/2022/orca.md" in clash.stderr
    assert run_notes("check", cwd=tmp_path).returncode == 0


def test_new_note_usage_errors_write_nothing(tmp_path):
    write_site(tmp_path, {})
    cases = {
        ("--title", "X", "--venue", "OSDII", "--year", "2022"): "--venue: unknown venue 'OSDII' (did you mean 'OSDI'?)",
        ("--title", "X", "--venue", "OSDI", "--year", "22"): "--year: '22' is not a year between 1950 and",
        ("--title", "X", "--venue", "OSDI"): "--year is required (or run `notes new` in a terminal to be asked)",
        ("--title", "X", "--venue", "OSDI", "--year", "2022", "--tags", "a/b"): "--tags: tag 'a/b' 'a/b' contains '/'",
        (
            "--title",
            "X",
            "--venue",
            "OSDI",
            "--year",
            "2022",
            "--url",
            "javascript:alert(1)",
        ): "--url: 'javascript:alert(1)' is not an http(s) URL",
        ("--title", "X", "--venue", "OSDI", "--year", "2022", "--slug", "../evil"): "--slug: use letters, digits",
        ("--title", "X", "--venue", "OSDI", "--year", "2022", "--slug", "index"): "--slug: index.md would not be read as a note",
        ("--title", "X", "--venue", "OSDI", "--year", "2022", "--slug", "README"): "--slug: README.md would not be read as a note",
        (
            "--title",
            "X",
            "--venue",
            "OSDI",
            "--year",
            "2022",
            "--slug",
            "CON",
        ): "--slug: makes the file or folder name 'CON', which Windows reserves",
    }
    for args, message in cases.items():
        proc = run_notes("new", *args, cwd=tmp_path)
        assert proc.returncode == 2, args
        assert message in proc.stderr, proc.stderr
    assert list((tmp_path / "papers").rglob("*")) == []


def test_a_title_whose_slug_notes_check_would_refuse_gets_another_file_name(tmp_path):
    """ "Index: …" and "CON: …" slugify to names the loader refuses (index.md is the folder's page,
    CON a name Windows reserves): the note gets the next free name, and notes check passes."""
    write_site(tmp_path, {})
    for title in ("Index: A Learned Index Structure", "CON: Continuous Batching"):
        proc = run_notes("new", "--title", title, "--venue", "OSDI", "--year", "2022", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "papers" / "osdi" / "2022").iterdir()) == ["con-osdi22.md", "index-osdi22.md"]
    check = run_notes("check", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr


def test_new_note_asks_in_a_terminal(tmp_path):
    write_site(tmp_path, {})
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "new"], cwd=tmp_path, stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    os.close(slave)
    answers = ["Orca: A Distributed Serving System", "OSDII", "OSDI", "2022", "Gyeong-In Yu, Byung-Gon Chun", "LLM_serving", ""]
    os.write(master, ("\n".join(answers) + "\n").encode())
    out, err = proc.communicate(timeout=60)
    os.close(master)
    assert proc.returncode == 0, err
    assert out == "papers/osdi/2022/orca.md\n"
    assert "Title: " in err and "Venue (OSDI, SOSP, arXiv …): " in err
    assert "unknown venue 'OSDII' (did you mean 'OSDI'?)" in err
    assert "Tags, comma-separated (optional, Enter to skip): " in err
    text = (tmp_path / "papers/osdi/2022/orca.md").read_text()
    assert 'authors: ["Gyeong-In Yu", "Byung-Gon Chun"]\ntags: ["LLM_serving"]\n' in text
    assert "links:" not in text.split("---")[1].replace("# links:", "")


def test_new_edit_check_build_end_to_end(tmp_path):
    write_site(tmp_path, {"osdi/2022/reef.md": note("REEF", authors="[Mingcong Han]")})
    proc = run_notes("new", "--title", "Orca: A Distributed Serving System", "--venue", "OSDI", "--year", "2022",
                     "--authors", "Gyeong-In Yu", "--tags", "LLM_serving", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / proc.stdout.strip()

    # the contributor fills in the note
    text = path.read_text()
    text = text.replace("# summary: One line in your own words, shown next to the paper in every list.",
                        "summary: Iteration-level scheduling for LLM serving.")  # fmt: skip
    text = text.replace("_What goes wrong today, for whom, and why do existing systems not fix it?_",
                        "Request-level batching wastes GPU time on finished requests.")  # fmt: skip
    text = text.replace("# level: essential   # or recommended, advanced", "level: essential")
    assert "# builds_on: [orca]" in text and "# compares_with: [orca, fastertransformer]" in text  # the relation hints
    text = text.replace("# compares_with: [orca, fastertransformer]", "compares_with: [reef]")
    path.write_text(text)

    check = run_notes("check", cwd=tmp_path)
    assert (check.returncode, check.stdout) == (0, ""), check.stdout
    assert "2 notes OK" in check.stderr

    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    assert "WARNING" not in build.log
    page = build.html("papers/osdi/2022/orca/")
    assert "Iteration-level scheduling for LLM serving." in page
    assert "Request-level batching wastes GPU time on finished requests." in page
    assert '<h2 id="problem">Problem' in page and '<h2 id="my-questions">My questions' in page
    assert 'data-citekey="yu2022orca"' in page
    assert "Orca: A Distributed Serving System" in build.html("venues/osdi/2022/")

    # a mistake made while editing is caught by notes check, with its line
    path.write_text(text.replace("year: 2022", "year: '2022'"))
    broken = run_notes("check", cwd=tmp_path)
    assert broken.returncode == 1
    assert broken.stdout.startswith("papers/osdi/2022/orca.md:4: year: must be a whole number")


def test_new_note_with_short_names(tmp_path):
    write_site(tmp_path, {})
    proc = run_notes("new", "--title", "Efficient Memory Management for LLM Serving", "--venue", "SOSP", "--year", "2023",
                     "--aka", "vLLM, PagedAttention, vLLM", cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / proc.stdout.strip()).read_text()
    assert '\naka: ["vLLM", "PagedAttention"]\n' in text and "# aka:" not in text  # a repeat once
    assert run_notes("check", cwd=tmp_path).returncode == 0
    proc = run_notes("new", "--title", "Another", "--venue", "SOSP", "--year", "2023", "--aka", "x" * 61, cwd=tmp_path)
    assert proc.returncode == 2 and "aka: entry 1 is longer than 60 characters" in proc.stderr
    plain = run_notes("new", "--title", "Third", "--venue", "SOSP", "--year", "2023", cwd=tmp_path)
    assert "# aka: [vLLM, PagedAttention]" in (tmp_path / plain.stdout.strip()).read_text()  # the hint
