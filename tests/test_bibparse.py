"""Reading messy .bib text: every entry is read or reported with its key, line and reason."""

from __future__ import annotations

import textwrap

import pytest

from generator.load.bibparse import evaluate, parse_bib, prepare


def bib(text: str):
    return parse_bib(textwrap.dedent(text).lstrip("\n"))


def test_missing_comma_after_key_is_repaired_on_the_same_line():
    parsed = bib("""
        @inproceedings{yu2022orca
          title = {Orca},
          year = 2022
        }
        @misc{next, title = {Next}, year = {2020}}
    """)
    assert [(e.key, e.line, e.fields["title"]) for e in parsed.entries] == [("yu2022orca", 1, "Orca"), ("next", 5, "Next")]
    assert parsed.entries[0].notes == ["added the missing comma after the key"]
    assert parsed.failures == []


def test_quoted_and_braced_values_macros_concatenation_and_months():
    parsed = bib("""
        @string{osdi = "16th USENIX Symposium on Operating Systems Design and Implementation"}
        @STRING{Proc = {Proceedings of the }}
        @article{a,
          title = "The {GPU} Is {"}Not{"} Enough",
          booktitle = proc # osdi,
          journal = undefinedmacro,
          month = jul,
          year = 2021,
        }
    """)
    (entry,) = parsed.entries
    assert entry.fields["title"] == 'The {GPU} Is {"}Not{"} Enough'
    assert entry.fields["booktitle"] == "Proceedings of the 16th USENIX Symposium on Operating Systems Design and Implementation"
    assert entry.fields["journal"] == "undefinedmacro"
    assert entry.fields["month"] == "July"
    assert entry.fields["year"] == "2021"


def test_multi_line_fields_and_percent_signs_inside_values_are_kept():
    parsed = bib("""
        @inproceedings{hydro,
          title     = {Hydro: Surrogate-Based Hyperparameter
                       Tuning Service},
          abstract  = {First paragraph.

          50% of the jobs; mail user@example.org.},
          note      = "100% quoted",
          year      = {2023}
        }
    """)
    (entry,) = parsed.entries
    assert " ".join(entry.fields["title"].split()) == "Hydro: Surrogate-Based Hyperparameter Tuning Service"
    assert "50% of the jobs; mail user@example.org." in entry.fields["abstract"]
    assert entry.fields["note"] == "100% quoted"


def test_percent_comments_between_entries_and_fields_are_ignored():
    parsed = bib("""
        % @article{commented, title = {Commented out}, year = {2019}}
        @inproceedings{x,   % after the key
          % between fields, with a comma, and an = sign
          title = {Kept}, % after a field
          year = {2024}
        }
    """)
    assert [e.key for e in parsed.entries] == ["x"]
    assert parsed.entries[0].fields == {"title": "Kept", "year": "2024"}
    assert parsed.failures == []


def test_prepare_keeps_every_line_in_place():
    text = "@a{k\n  title = {x}, % c\n}\n% gone\n"
    prepared, notes, _ = prepare(text)
    assert prepared.count("\n") == text.count("\n")
    assert prepared.splitlines() == ["@a{k,", "  title = {x}, ", "}", ""]
    assert notes == {1: "added the missing comma after the key"}


def test_duplicate_keys_and_repeated_fields_are_read_not_dropped():
    parsed = bib("""
        @misc{same, title = {First}, year = {2020}}
        @misc{same, title = {Second}, year = {2021}}
        @misc{rep, title = {Kept}, title = {Ignored}, year = {2022}}
    """)
    assert [(e.key, e.fields["title"]) for e in parsed.entries] == [("same", "First"), ("same", "Second"), ("rep", "Kept")]
    assert parsed.entries[1].notes == ["the key 'same' is used twice in the file"]
    assert parsed.entries[2].notes == ["repeated field title: kept the first"]


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("@misc{extra,\n  title = {Extra}},\n  year = {2020}\n}\n", "an extra '}' ends the entry before line 3"),
        ("@misc{noeq,\n  title {x},\n  year = {2020}\n}\n", "a field is not written as name = value"),
        (
            "@misc{noclose,\n  title = {No closing brace for the entry},\n  year = {2020}\n",
            "a value is still open when the next entry starts",
        ),
    ],
)
def test_unbalanced_entries_are_reported_and_the_next_entry_still_read(broken, reason):
    parsed = parse_bib("@misc{before, title = {Before}, year = {2019}}\n" + broken + "@misc{after, title = {After}, year = {2021}}\n")
    assert [e.key for e in parsed.entries] == ["before", "after"]
    (failure,) = parsed.failures
    assert failure.line == 2
    assert failure.key in ("extra", "noeq", "noclose")
    assert reason in failure.reason
    assert parsed.count == 3


@pytest.mark.parametrize(
    "broken",
    ["@misc{open,\n  title = {Unclosed {brace,\n  year = {2020}\n}\n", '@misc{quote,\n  title = "Unclosed quote,\n  year = {2020}\n}\n'],
)
def test_an_entry_after_an_unclosed_value_is_text_of_that_value_not_an_entry(broken):
    """BibTeX reads on inside an open value: what follows is reported, never imported (issue #20)."""
    parsed = parse_bib("@misc{before, title = {Before}, year = {2019}}\n" + broken + "@misc{after, title = {After}, year = {2021}}\n")
    key = broken[6 : broken.index(",")]
    assert [e.key for e in parsed.entries] == ["before"]
    assert [(f.key, f.line) for f in parsed.failures] == [(key, 2), ("after", 6)]
    assert "a value is still open when the next entry starts" in parsed.failures[0].reason
    assert f"starts inside a value of {key} (line 2) that is still open here" in parsed.failures[1].reason
    assert parsed.count == 3


@pytest.mark.parametrize(
    "bib",
    [
        # a value that is never closed: the entry inside it, and a @string redefining a macro
        "@misc{good,\n  title = {Good},\n  note = {unclosed\n@article{evil, title = {Evil}, journal = jmlr, year = 2022}\n@string{jmlr = {Evil}}\n",
        # a value that is closed after a line that starts an entry (a downloaded abstract, say)
        "@misc{good,\n  title = {Good},\n  abstract = {text\n@article{evil, title = {Evil}, journal = jmlr, year = 2022}\n  more text},\n  year = 2022\n}\n",
        '@misc{good,\n  title = {Good},\n  abstract = "text\n@article{evil, title = {Evil}, journal = jmlr, year = 2022}\n  more text",\n  year = 2022\n}\n',
    ],
)
def test_an_entry_inside_a_value_never_becomes_an_entry(bib):
    parsed = parse_bib(bib + "@misc{later, title = {Later}, journal = jmlr, year = 2023}\n")
    assert "evil" not in [e.key for e in parsed.entries]
    evil = next(f for f in parsed.failures if f.key == "evil")
    assert evil.line == 4 and "starts inside a value of good (line 1)" in evil.reason
    for entry in parsed.entries:  # a later entry, when read, keeps the real macro
        assert entry.fields.get("journal", "jmlr") == "jmlr"
    assert parsed.count == 3


def test_an_entry_still_open_at_the_end_of_the_file():
    parsed = parse_bib("@misc{a, title = {A}, year = {2020}}\n\n@misc{last,\n  title = {Last},\n")
    assert [(f.key, f.line) for f in parsed.failures] == [("last", 3)]
    assert "still open at the end of the file" in parsed.failures[0].reason


def test_parenthesised_and_upper_case_entries_and_field_names():
    parsed = bib("""
        @ARTICLE(paren,
          Title = {Paren},
          YEAR = {2020}
        )
        @InProceedings{upper, BookTitle = {X}, Title = {Upper}, Year = 2021}
    """)
    assert [(e.key, e.entry_type, e.fields["title"]) for e in parsed.entries] == [
        ("paren", "article", "Paren"),
        ("upper", "inproceedings", "Upper"),
    ]
    assert parsed.entries[1].fields["booktitle"] == "X"


def test_crlf_bom_comments_preambles_and_strings_are_not_entries():
    parsed = parse_bib(
        '\ufeff@comment{x}\r\n@preamble{"\\newcommand{\\noopsort}[1]{}"}\r\n@string{a = "b"}\r\n@misc{k, title = {T}, year = {2020}}\r\n'
    )
    assert [e.key for e in parsed.entries] == ["k"]
    assert parsed.entries[0].line == 4
    assert parsed.failures == []


def test_evaluate_table():
    macros = {"a": "Alpha", "jan": "January"}
    assert evaluate('{x} # " y" # a', macros) == "x yAlpha"
    assert evaluate("2022", macros) == "2022"
    assert evaluate("JAN", macros) == "January"
    assert evaluate("{nested {braces} here}", macros) == "nested {braces} here"
    assert evaluate('"quote with {"} inside"', macros) == 'quote with {"} inside'
