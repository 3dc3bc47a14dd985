from __future__ import annotations

from pathlib import Path

import pytest

from generator.venues import load_registry


@pytest.fixture(scope="module")
def registry():
    reg, problems = load_registry()
    assert problems == []
    return reg


@pytest.mark.parametrize(
    "name, key",
    [
        ("OSDI", "OSDI"), ("osdi", "OSDI"), ("USENIX ATC", "ATC"), ("usenix-atc", "ATC"), ("arXiv", "arXiv"),
        ("ARXIV", "arXiv"), ("TPDS", "TPDS"), ("NIPS", "NeurIPS"), ("SysML", "MLSys"), ("PVLDB", "VLDB"),
        ("ACM Computing Surveys", "CSUR"), ("MSR Technical Report", "MSR-TR"),
        ("USENIX Symposium on Operating Systems Design and Implementation", "OSDI"),
    ],
)
def test_resolve(registry, name, key):
    assert registry.resolve(name).key == key


@pytest.mark.parametrize("name, hint", [("OSDII", "OSDI"), ("Eurosyss", "EuroSys"), ("NeurlPS", "NeurIPS")])
def test_suggest(registry, name, hint):
    assert registry.resolve(name) is None
    assert registry.suggest(name) == hint


def test_every_builtin_venue_has_a_kind_and_unique_slug(registry):
    slugs = [v.slug for v in registry.venues.values()]
    assert len(slugs) == len(set(slugs))
    for venue in registry.venues.values():
        assert venue.name and venue.kind


def test_site_file_adds_venues_and_editions(tmp_path: Path):
    site = tmp_path / "venues.yml"
    site.write_text(
        "venues:\n  MyWS: {name: My Workshop, kind: workshop, aliases: [My WS]}\n"
        "editions:\n  OSDI:\n    2022: {name: 16th OSDI, homepage: 'https://www.usenix.org/conference/osdi22', location: Carlsbad}\n",
        encoding="utf-8",
    )
    reg, problems = load_registry(site, tmp_path)
    assert problems == []
    assert reg.resolve("my ws").key == "MyWS"
    facts = reg.edition_facts(reg.resolve("OSDI"), 2022)
    assert (facts.name, facts.location) == ("16th OSDI", "Carlsbad")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("venues:\n  X: {name: X}\n", "venues.yml:2: venues.X: 'kind' must be one of conference, journal, workshop, preprint, report"),
        ("venues:\n  X: {name: X, kind: journal, homepage: 'javascript:alert(1)'}\n", "venues.yml:2: venues.X: 'homepage' must be an http(s) URL"),
        ("editions:\n  OSDII:\n    2022: {name: x}\n", "venues.yml:2: editions.OSDII: unknown venue (did you mean 'OSDI'?)"),
        ("editions:\n  OSDI:\n    2022: {nam: x}\n", "venues.yml:3: editions.OSDI.2022.nam: unknown field (fields: name, homepage, papers, location)"),
        ("venue:\n  X: {}\n", "venues.yml:1: venue: unknown section (use 'venues' or 'editions')"),
        ("venues: [\n", "venues.yml:2: venues.yml: invalid YAML: did not find expected node content"),
    ],
)
def test_site_file_problems(tmp_path: Path, text, expected):
    site = tmp_path / "venues.yml"
    site.write_text(text, encoding="utf-8")
    _, problems = load_registry(site, tmp_path)
    assert [str(p) for p in problems] == [expected]
