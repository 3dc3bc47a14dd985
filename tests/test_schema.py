"""The editor schema (schema/note.schema.json) against the validator that `notes check` runs.

Both judge the same front-matters; they must agree on every one of them, except the documented gaps
(generator.authoring.schema.SCHEMA_GAPS), each pinned here so that a change on either side shows up.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess

import jsonschema
import pytest
from conftest import ROOT, run_notes, write_site

from generator.authoring import schema as note_schema_module
from generator.authoring.schema import SCHEMA_PATH, note_schema, render_schema
from generator.load.frontmatter import load_yaml, parse_front_matter
from generator.load.notes import find_notes
from generator.load.venues import load_registry
from generator.model import RawNote
from generator.validate.note import validate_note

REGISTRY, _ = load_registry(ROOT / "papers" / "venues.yml", ROOT)
SCHEMA = note_schema(REGISTRY)
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
BASE = 'title: "A Paper"\nvenue: OSDI\nyear: 2022\n'
NEXT_YEAR = dt.date.today().year + 1

# (what, extra front-matter lines after BASE or a whole front-matter, accepted by both)
AGREE = [
    ("minimal", "", True),
    (
        "every field",
        'authors: [Ann Lee, Bo Chen]\ntags: [GPU_sharing, "#LLM_serving", 算子融合, C++, "C#"]\n'
        "summary: One line.\nlinks: {paper: 'https://example.org/p', code: 'http://example.org/c', "
        "doi: 10.1145/3600006.3613165, arxiv: '2309.06180'}\nstatus: read\nlevel: essential\ntopic: Model serving\n"
        "id: vllm-sosp23\nrelated: [orca]\nadded: 2024-03-15\n",
        True,
    ),
    ("nulls where a field may be empty", "authors:\ntags:\nsummary:\nlinks:\nstatus:\nlevel:\ntopic:\nrelated:\nadded:\n", True),
    ("empty lists and mapping", "authors: []\ntags: []\nlinks: {}\n", True),
    # short names
    ("aka", "aka: [vLLM, PagedAttention, 2023]\n", True),
    ("aka not a list", "aka: vLLM\n", False),
    ("aka entry empty", "aka: ['']\n", False),
    ("aka entry too long", "aka: [" + "x" * 61 + "]\n", False),
    ("aka entry on two lines", 'aka: ["a\\nb"]\n', False),
    # relations
    ("relations", "builds_on: [orca, ' vllm-sosp23 ']\ncompares_with: [orca, 2023]\n", True),
    ("relations empty", "builds_on: []\ncompares_with:\n", True),
    ("relation not a list", "builds_on: orca\n", False),
    ("relation entry with a space", "compares_with: ['has space']\n", False),
    ("relation entry with markup", "compares_with: ['<b>x</b>']\n", False),
    ("relation entry a mapping", "builds_on: [{a: 1}]\n", False),
    ("relation entry negative number", "builds_on: [-5]\n", False),
    # evaluation facts
    ("evaluation", "evaluation: {hardware: 8x A100, workloads: [OPT-13B, ShareGPT], result: 2-4x throughput}\n", True),
    ("evaluation one workload as text", "evaluation: {workloads: OPT-13B}\n", True),
    ("evaluation empty", "evaluation: {}\n", True),
    ("evaluation not a mapping", "evaluation: fast\n", False),
    ("evaluation unknown key", "evaluation: {gpus: 8}\n", False),
    ("evaluation hardware a number", "evaluation: {hardware: 8}\n", False),
    ("evaluation hardware null", "evaluation: {hardware: }\n", False),
    ("evaluation result on two lines", 'evaluation: {result: "a\\nb"}\n', False),
    ("evaluation result too long", "evaluation: {result: " + "r" * 301 + "}\n", False),
    ("evaluation 21 workloads", "evaluation: {workloads: [" + ", ".join(["w"] * 21) + "]}\n", False),
    ("evaluation workload a mapping", "evaluation: {workloads: [{a: 1}]}\n", False),
    ("venue alias", "", True),
    # title
    ("no title", "", False),
    ("empty title", None, False),
    ("title of spaces", None, False),
    ("title is a number", None, False),
    ("title on two lines", None, False),
    ("title with outer newlines", None, True),
    ("title at the limit", None, True),
    ("title over the limit", None, False),
    ("title padded to over the limit", None, True),
    # venue
    ("venue key in lower case", "", True),
    ("venue alias with other punctuation", "", True),
    ("venue with spaces between letters", "", True),
    ("unknown venue", "", False),
    ("venue that only starts like one", "", False),
    ("venue prefix of a key", "", False),
    ("venue is a list", "", False),
    ("venue missing", "", False),
    # year
    ("year in quotes", "", False),
    ("year too early", "", False),
    ("year 1950", "", True),
    ("year true", "", False),
    ("year missing", "", False),
    # lists
    ("authors not a list", "authors: Ann Lee\n", False),
    ("author is a mapping", "authors: [{name: Ann}]\n", False),
    ("author is true", "authors: [true]\n", False),
    ("author is a number", "authors: [42]\n", True),
    ("author is a very long number", "authors: [" + "9" * 130 + "]\n", False),
    ("author is empty", "authors: ['']\n", False),
    ("author too long", f"authors: [{'a' * 121}]\n", False),
    ("author at the limit", f"authors: [{'a' * 120}]\n", True),
    ("too many authors", "authors: [" + ", ".join(f"a{i}" for i in range(101)) + "]\n", False),
    ("100 authors", "authors: [" + ", ".join(f"a{i}" for i in range(100)) + "]\n", True),
    # tags
    ("tag with a space", "tags: [GPU sharing]\n", True),
    ("tag with outer tabs and a hash", 'tags: ["\\t#\\t GPU \\t"]\n', True),
    ("tag of a plus and letters", "tags: ['C++']\n", True),
    ("tag with a backslash escape", "tags: ['GPU\\_sharing']\n", True),
    ("tag with a slash", "tags: [GPU/sharing]\n", False),
    ("tag with a comma inside quotes", "tags: ['a,b']\n", False),
    ("tag with an ellipsis", "tags: ['wait…']\n", False),
    ("tag with an em dash", "tags: ['a—b']\n", False),
    ("tag with a fullwidth colon", "tags: ['a：b']\n", False),
    ("tag of hashes only", "tags: ['##']\n", False),
    ("tag of separators only", "tags: ['_-.']\n", False),
    ("tag at 60 characters", f"tags: [{'t' * 60}]\n", True),
    ("tag over 60 characters", f"tags: [{'t' * 61}]\n", False),
    ("tag with hashes and backslashes around 60 characters", "tags: ['  \\\\#\\\\#" + "t" * 60 + "\\\\  ']\n", True),
    ("tag over 80 characters as written", "tags: ['" + "\\\\" * 30 + "t" * 55 + "']\n", False),
    ("tag that is a number", "tags: [2024]\n", True),
    # summary and topic
    ("summary on two lines", 'summary: "a\\nb"\n', False),
    ("summary over the limit", f"summary: {'s' * 401}\n", False),
    ("summary of spaces", 'summary: "   "\n', True),
    ("topic over the limit", f"topic: {'t' * 81}\n", False),
    ("topic is a list", "topic: [a]\n", False),
    # links
    ("links is a list", "links: [https://example.org]\n", False),
    ("unknown link kind", "links: {pdf: 'https://example.org'}\n", False),
    ("javascript link", "links: {paper: 'javascript:alert(1)'}\n", False),
    ("data link", "links: {paper: 'data:text/html,x'}\n", False),
    ("link without a host", "links: {paper: 'https:///x'}\n", False),
    ("link with a user", "links: {paper: 'https://user@example.org/'}\n", False),
    ("link with an empty host and a port", "links: {paper: 'https://:80/'}\n", False),
    ("link with a space", "links: {paper: 'https://example.org/a b'}\n", False),
    ("link ending in a newline", 'links: {paper: "https://example.org/\\n"}\n', False),
    ("link with a zero-width space", 'links: {paper: "https://exa\\u200bmple.org/"}\n', False),
    ("link in capitals", "links: {paper: 'HTTPS://EXAMPLE.ORG'}\n", True),
    ("link with query and fragment", "links: {paper: 'https://example.org?a=1#b'}\n", True),
    ("link with an at sign in the path", "links: {paper: 'https://example.org/@me'}\n", True),
    ("link with a half bracket", "links: {paper: 'https://[::1/'}\n", False),
    ("link too long", f"links: {{paper: 'https://example.org/{'a' * 2000}'}}\n", False),
    ("link is null", "links: {paper: }\n", False),
    ("doi", "links: {doi: ' 10.1000/xyz '}\n", True),
    ("bad doi", "links: {doi: 10.10/xyz}\n", False),
    ("doi with a space", "links: {doi: '10.1000/x y'}\n", False),
    ("arxiv as a number", "links: {arxiv: 2309.06180}\n", False),
    ("old arxiv id", "links: {arxiv: 'cs.DC/0101001v2'}\n", True),
    ("bad arxiv id", "links: {arxiv: '2309.061'}\n", False),
    # status and level
    ("status in capitals", "status: READ\n", True),
    ("status padded", "status: ' reading '\n", True),
    ("unknown status", "status: done\n", False),
    ("status is a number", "status: 1\n", False),
    ("level as its mark", "level: ⚡\n", True),
    ("level as an astral mark", "level: 💎\n", True),
    ("level mark and word", "level: ⚡ essential\n", False),
    ("level in mixed case", "level: Advanced\n", True),
    ("unknown level", "level: basic\n", False),
    # id
    ("id with dots", "id: vllm.sosp-23_v2\n", True),
    ("id with a space inside", "id: a b\n", False),
    ("id starting with a dash", "id: -a\n", False),
    ("id of spaces falls back to the file name", 'id: "  "\n', True),
    ("id is a number", "id: 42\n", False),
    ("id is null", "id:\n", False),
    ("id too long", f"id: {'a' * 81}\n", False),
    # related
    ("related too long", f"related: [{'r' * 81}]\n", False),
    ("related is text", "related: orca\n", False),
    # added
    ("added leap day", "added: 2024-02-29\n", True),
    ("added leap day of 2000", "added: 2000-02-29\n", True),
    ("added not a leap day", "added: 2023-02-29\n", False),
    ("added leap day of 1900", "added: 1900-02-29\n", False),
    ("added 31 April", "added: 2024-04-31\n", False),
    ("added month 13", "added: 2024-13-01\n", False),
    ("added year 0", "added: 0000-01-01\n", False),
    ("added padded", "added: ' 2024-03-15 '\n", True),
    ("added is a word", "added: yesterday\n", False),
    ("added is true", "added: true\n", False),
    # fields
    ("unknown field", "tittle: x\n", False),
    ("numeric key", "1: x\n", False),
]

# Front-matters written in full (BASE is not added): the title, venue and year rules themselves.
WHOLE = {
    "no title": "venue: OSDI\nyear: 2022\n",
    "empty title": 'title: ""\nvenue: OSDI\nyear: 2022\n',
    "title of spaces": 'title: "   "\nvenue: OSDI\nyear: 2022\n',
    "title is a number": "title: 42\nvenue: OSDI\nyear: 2022\n",
    "title on two lines": 'title: "a\\nb"\nvenue: OSDI\nyear: 2022\n',
    "title with outer newlines": 'title: "\\n a \\n"\nvenue: OSDI\nyear: 2022\n',
    "title at the limit": f"title: {'x' * 300}\nvenue: OSDI\nyear: 2022\n",
    "title over the limit": f"title: {'x' * 301}\nvenue: OSDI\nyear: 2022\n",
    "title padded to over the limit": f"title: '  {'x' * 300}  '\nvenue: OSDI\nyear: 2022\n",
    "venue alias": 'title: "A"\nvenue: USENIX ATC\nyear: 2022\n',
    "venue key in lower case": 'title: "A"\nvenue: osdi\nyear: 2022\n',
    "venue alias with other punctuation": 'title: "A"\nvenue: " usenix-atc "\nyear: 2022\n',
    "venue with spaces between letters": 'title: "A"\nvenue: "O S D I"\nyear: 2022\n',
    "unknown venue": 'title: "A"\nvenue: OSDII\nyear: 2022\n',
    "venue that only starts like one": 'title: "A"\nvenue: OSDI Workshop\nyear: 2022\n',
    "venue prefix of a key": 'title: "A"\nvenue: OSD\nyear: 2022\n',
    "venue is a list": 'title: "A"\nvenue: [OSDI]\nyear: 2022\n',
    "venue missing": 'title: "A"\nyear: 2022\n',
    "year in quotes": 'title: "A"\nvenue: OSDI\nyear: "2022"\n',
    "year too early": 'title: "A"\nvenue: OSDI\nyear: 1949\n',
    "year 1950": 'title: "A"\nvenue: OSDI\nyear: 1950\n',
    "year true": 'title: "A"\nvenue: OSDI\nyear: true\n',
    "year missing": 'title: "A"\nvenue: OSDI\n',
}

# Documented gaps (generator.authoring.schema.SCHEMA_GAPS): (what, front-matter, notes check accepts, schema accepts)
GAPS = [
    ("year after next year", f'title: "A"\nvenue: OSDI\nyear: {NEXT_YEAR + 1}\n', False, True),
    ("year with a decimal point", 'title: "A"\nvenue: OSDI\nyear: 2022.0\n', False, True),
    ("list entry with a decimal point", BASE + "authors: [3.0]\n", False, True),
    (
        "venue by its full name",
        'title: "A"\nvenue: USENIX Symposium on Operating Systems Design and Implementation\nyear: 2022\n',
        True,
        False,
    ),
    ("added in the basic ISO form", BASE + "added: 20240315\n", True, False),
    ("added as a week date", BASE + "added: 2024-W11-5\n", True, False),
    ("link to an IPv6 host", BASE + "links: {paper: 'http://[::1]/'}\n", True, False),
    ("link host with a fullwidth solidus", BASE + "links: {paper: 'https://a\uff0fb.org/'}\n", False, True),
    ("title over the limit until NFC", BASE.replace('"A Paper"', "'" + "e\u0301" * 200 + "'"), True, False),
    ("tag with an emoji", BASE + "tags: ['fast🔥']\n", False, True),
    ("doi with Arabic-Indic digits", BASE + "links: {doi: '10.\u0661\u0662\u0663\u0664/x'}\n", True, False),
    ("venue with a Kelvin sign", 'title: "A"\nvenue: "\u212aDD"\nyear: 2022\n', True, False),
    ("added in the future", BASE + "added: 2999-01-01\n", False, True),
    ("author with a zero-width space", BASE + 'authors: ["Ann\u200bLee"]\n', False, True),
    ("title with a Hangul filler", 'title: "A\u3164"\nvenue: OSDI\nyear: 2022\n', False, True),
]


def front_matter(what: str, extra: str | None) -> str:
    return WHOLE[what] if what in WHOLE else BASE + (extra or "")


def validator_accepts(text: str, file_name: str = "note.md") -> bool:
    data, lines = load_yaml(text, first_line=2, what="front-matter")
    raw = RawNote(f"papers/osdi/2022/{file_name}", f"osdi/2022/{file_name}", data, lines, "", len(text.splitlines()) + 3)
    paper, problems = validate_note(raw, REGISTRY)
    return paper is not None and not problems


def schema_accepts(text: str) -> bool:
    data, _ = load_yaml(text, first_line=2, what="front-matter")
    return VALIDATOR.is_valid(data)


def test_the_schema_is_a_valid_draft_07_schema():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"  # what VS Code's YAML extension reads


@pytest.mark.parametrize(("what", "extra", "accepted"), AGREE, ids=[a[0] for a in AGREE])
def test_schema_and_validator_agree(what, extra, accepted):
    text = front_matter(what, extra)
    assert validator_accepts(text) is accepted, f"notes check on {what!r}"
    assert schema_accepts(text) is accepted, f"schema on {what!r}: {[e.message[:200] for e in VALIDATOR.iter_errors(load_yaml(text)[0])]}"


@pytest.mark.parametrize(("what", "text", "validator", "schema"), GAPS, ids=[g[0] for g in GAPS])
def test_documented_gaps(what, text, validator, schema):
    """A change that closes one of these gaps should move its case to AGREE (and update SCHEMA_GAPS)."""
    assert (validator_accepts(text), schema_accepts(text)) == (validator, schema)


def test_every_shipped_note_passes_the_schema():
    papers = ROOT / "papers"
    checked = 0
    for path in find_notes(papers):
        data = parse_front_matter(path.read_text(encoding="utf-8")).data
        errors = [e.message[:200] for e in VALIDATOR.iter_errors(data)]
        assert not errors, f"{path.relative_to(ROOT)}: {errors}"
        checked += 1
    assert checked > 100


def test_every_venue_name_and_choice_is_offered_and_accepted():
    venue = SCHEMA["properties"]["venue"]
    offered = venue["anyOf"][0]["enum"]
    for v in REGISTRY.venues.values():
        for name in (v.key, *v.aliases):
            assert name in offered
            assert schema_accepts(f'title: "A"\nvenue: "{name}"\nyear: 2022\n'), name
            assert schema_accepts(f'title: "A"\nvenue: "{name.lower()}"\nyear: 2022\n'), name
    assert SCHEMA["properties"]["status"]["anyOf"][0]["enum"] == ["unread", "reading", "read"]
    assert SCHEMA["properties"]["level"]["anyOf"][0]["enum"][:3] == ["essential", "recommended", "advanced"]
    assert SCHEMA["required"] == ["title", "venue", "year"]


def test_site_venues_are_in_the_schema(tmp_path):
    write_site(
        tmp_path,
        {},
    )
    (tmp_path / "papers" / "venues.yml").write_text(
        "venues:\n  MyWS: {name: Workshop on Something, kind: workshop, aliases: [My Workshop]}\n"
    )
    proc = run_notes("schema", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    site_schema = json.loads(proc.stdout)
    assert {"MyWS", "My Workshop", "OSDI"} <= set(site_schema["properties"]["venue"]["anyOf"][0]["enum"])
    assert jsonschema.Draft7Validator(site_schema).is_valid({"title": "A", "venue": "my-ws", "year": 2022})
    assert not VALIDATOR.is_valid({"title": "A", "venue": "my-ws", "year": 2022})

    proc = run_notes("schema", cwd=tmp_path)  # the default place
    assert proc.returncode == 0 and "wrote schema/note.schema.json" in proc.stderr
    assert json.loads((tmp_path / "schema" / "note.schema.json").read_text(encoding="utf-8")) == site_schema

    (tmp_path / "papers" / "venues.yml").write_text("venues:\n  Bad: {name: X, kind: party}\n")
    proc = run_notes("schema", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 1 and "venues.Bad" in proc.stdout and proc.stdout.count("\n") == 1


def test_shipped_schema_is_up_to_date():
    shipped = (ROOT / SCHEMA_PATH).read_text(encoding="utf-8")
    assert shipped == render_schema(REGISTRY), "schema/note.schema.json is out of date: run `notes schema`"


def test_a_new_validator_field_needs_a_schema_rule(monkeypatch):
    monkeypatch.setattr(note_schema_module, "FIELDS", (*note_schema_module.FIELDS, "venue_url"))
    with pytest.raises(ValueError, match="no rule for: venue_url"):
        note_schema(REGISTRY)


def test_a_yaml_language_server_comment_is_fine_for_the_strict_loader(tmp_path):
    """The one-line editor setup (docs/contributing.md) puts a comment in the front-matter."""
    text = '---\n# yaml-language-server: $schema=../../../schema/note.schema.json\ntitle: "A"\nvenue: OSDI\nyear: 2022\n---\nBody\n'
    fm = parse_front_matter(text)
    assert fm.data == {"title": "A", "venue": "OSDI", "year": 2022} and fm.lines[("title",)] == 3
    write_site(tmp_path, {"osdi/2022/a.md": text})
    proc = run_notes("check", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stdout
    assert (tmp_path / "papers/osdi/2022" / "../../../schema/note.schema.json").resolve() == tmp_path / "schema/note.schema.json"


def _patterns(node, found=None):
    found = [] if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern":
                found.append(value)
            else:
                _patterns(value, found)
    elif isinstance(node, list):
        for value in node:
            _patterns(value, found)
    return found


def test_patterns_mean_the_same_in_javascript():
    """Editors run the patterns with JavaScript's RegExp: compare its verdicts with Python's re."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    samples = sorted(
        {
            s
            for _, text, *_ in [(w, front_matter(w, e)) for w, e, _ in AGREE] + [(g[0], g[1]) for g in GAPS]
            for s in _strings(load_yaml(text)[0])
        }
    )
    patterns = sorted(set(_patterns(SCHEMA)))
    script = (
        "const [patterns, samples] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const out = patterns.map(p => { const u = new RegExp(p, 'u'), plain = new RegExp(p);"
        "  return samples.map(s => [u.test(s), plain.test(s)]); });"
        "process.stdout.write(JSON.stringify(out));"
    )
    proc = subprocess.run([node, "-e", script], input=json.dumps([patterns, samples]), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    for pattern, row in zip(patterns, results, strict=True):
        for sample, (with_u, without_u) in zip(samples, row, strict=True):
            python = re.search(pattern, sample) is not None
            assert with_u == python == without_u, (pattern[:120], sample)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
