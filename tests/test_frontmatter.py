from __future__ import annotations

import pytest

from generator.load.frontmatter import FrontMatterError, decode, parse_front_matter


def test_fields_lines_and_body():
    fm = parse_front_matter('---\ntitle: "X"\ntags: [a, b]\nlinks:\n  paper: https://x.org\n---\n## Notes\n')
    assert fm.data == {"title": "X", "tags": ["a", "b"], "links": {"paper": "https://x.org"}}
    assert fm.lines[("title",)] == 2
    assert fm.lines[("links", "paper")] == 5
    assert fm.body == "## Notes\n"
    assert fm.body_line == 7


@pytest.mark.parametrize(
    "value, expected",
    [
        ("yes", "yes"),
        ("NO", "NO"),
        ("on", "on"),
        ("2021-01-01", "2021-01-01"),
        ("0777", "0777"),
        ("12:30", "12:30"),
        ("true", True),
        ("2022", 2022),
        ("1.5", 1.5),
        ("null", None),
    ],
)
def test_yaml_11_surprises_stay_strings(value, expected):
    assert parse_front_matter(f"---\nx: {value}\n---\n").data["x"] == expected


@pytest.mark.parametrize(
    "text, line, field, message",
    [
        ("title: x\n", 1, "front-matter", "missing (a note starts with a '---' line, then fields such as 'title:', then '---')"),
        ("---\ntitle: x\n", 1, "front-matter", "no closing '---' line after the fields"),
        ("---\n---\n", 2, "front-matter", "is empty (add at least title, venue and year)"),
        ("---\n- a\n- b\n---\n", 2, "front-matter", "must be a list of 'field: value' lines"),
        ("---\ntitle: a\ntitle: b\n---\n", 3, "title", "duplicate key (first given on line 2; keep one)"),
        ("---\nlinks:\n  code: a\n  code: b\n---\n", 4, "links.code", "duplicate key (first given on line 3; keep one)"),
        ("---\na: &x [1]\nb: *x\n---\n", 3, "front-matter", "YAML anchors and aliases (&, *) are not allowed"),
        (
            "---\ntitle: !!python/object/apply:os.system [ls]\n---\n",
            2,
            "front-matter",
            "the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (write a plain value)",
        ),
        (
            "---\ntitle: x\n\tyear: 1\n---\n",
            3,
            "front-matter",
            "invalid YAML: found a tab character that violates indentation (indent with spaces, not tabs)",
        ),
        (
            "---\ntitle: a: b\n---\n",
            2,
            "front-matter",
            "invalid YAML: mapping values are not allowed in this context (check the indentation, and quote values that contain ': ')",
        ),
        ('---\ntitle: "x\u202ey"\n---\n', 2, "front-matter", "contains the invisible control character U+202E (remove it)"),
        ("---\nx: " + "[" * 10 + "]" * 10 + "\n---\n", 2, "front-matter", "nested deeper than 8 levels"),
    ],
)
def test_errors(text, line, field, message):
    with pytest.raises(FrontMatterError) as info:
        parse_front_matter(text)
    assert (info.value.line, info.value.field, info.value.message) == (line, field, message)


def test_bom_and_crlf_are_fine():
    text = decode(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nbody\r\n")
    assert parse_front_matter(text).data == {"title": "x"}


def test_non_utf8_names_its_line():
    with pytest.raises(FrontMatterError) as info:
        decode(b"---\ntitle: x\n\xff\n---\n")
    assert (info.value.line, info.value.field) == (3, "encoding")


def test_libyaml_parser_is_used_when_available():
    import yaml

    from generator.load import frontmatter

    assert yaml.__with_libyaml__ == frontmatter.LIBYAML
    if yaml.__with_libyaml__:
        assert frontmatter.StrictLoader.__mro__[1].__module__ == "yaml._yaml"
