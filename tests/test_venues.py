from __future__ import annotations

from pathlib import Path

import pytest

from generator.load.venues import load_registry


@pytest.fixture(scope="module")
def registry():
    reg, problems = load_registry()
    assert problems == []
    return reg


@pytest.mark.parametrize(
    "name, key",
    [
        ("OSDI", "OSDI"),
        ("osdi", "OSDI"),
        ("USENIX ATC", "ATC"),
        ("usenix-atc", "ATC"),
        ("arXiv", "arXiv"),
        ("ARXIV", "arXiv"),
        ("TPDS", "TPDS"),
        ("NIPS", "NeurIPS"),
        ("SysML", "MLSys"),
        ("PVLDB", "VLDB"),
        ("ACM Computing Surveys", "CSUR"),
        ("MSR Technical Report", "MSR-TR"),
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
        (
            "venues:\n  X: {name: X, kind: journal, homepage: 'javascript:alert(1)'}\n",
            "venues.yml:2: venues.X: 'homepage' must be an http(s) URL",
        ),
        ("editions:\n  OSDII:\n    2022: {name: x}\n", "venues.yml:2: editions.OSDII: unknown venue (did you mean 'OSDI'?)"),
        (
            "editions:\n  OSDI:\n    2022: {nam: x}\n",
            "venues.yml:3: editions.OSDI.2022.nam: unknown field (fields: name, homepage, papers, location)",
        ),
        ("venue:\n  X: {}\n", "venues.yml:1: venue: unknown section (use 'venues' or 'editions')"),
        ("venues: [\n", "venues.yml:2: venues.yml: invalid YAML: did not find expected node content"),
    ],
)
def test_site_file_problems(tmp_path: Path, text, expected):
    site = tmp_path / "venues.yml"
    site.write_text(text, encoding="utf-8")
    _, problems = load_registry(site, tmp_path)
    assert [str(p) for p in problems] == [expected]


# ---------------------------------------------------------------- a registry that covers the field


def test_registry_names_its_source_and_date():
    from importlib import resources

    head = resources.files("generator").joinpath("data/venues.yml").read_text(encoding="utf-8")[:1500]
    assert "CCF" in head and "2022 edition" in head and "last checked" in head


def test_registry_covers_the_field(registry):
    kinds = {v.kind for v in registry.venues.values()}
    assert {"conference", "journal", "workshop", "preprint", "report"} <= kinds
    ranked = [v for v in registry.venues.values() if v.rank]
    assert sum(v.rank == "CCF-A" for v in ranked) >= 90
    assert sum(v.rank == "CCF-B" for v in ranked) >= 150
    assert len(registry.venues) >= 400


@pytest.mark.parametrize(
    "name, key",
    [
        # the names real textbook bibliographies failed on before
        ("PLDI", "PLDI"), ("CGO", "CGO"), ("OOPSLA", "OOPSLA"), ("USENIX Security", "USENIX-Security"),
        ("USENIX Security Symposium", "USENIX-Security"), ("ECCV", "ECCV"), ("NAACL", "NAACL"),
        ("NAACL-HLT", "NAACL"), ("ICRA", "ICRA"), ("CoRL", "CoRL"), ("TMLR", "TMLR"), ("COLM", "COLM"),
        ("MLSys", "MLSys"), ("ICLR", "ICLR"), ("IEEE S&P", "S&P"), ("NDSS", "NDSS"), ("CCS", "CCS"),
        ("SIGIR", "SIGIR"), ("CIKM", "CIKM"), ("CHI", "CHI"), ("SIGGRAPH", "SIGGRAPH"), ("TPAMI", "TPAMI"),
        ("International Conference on Management of Data", "SIGMOD"), ("SIGMOD Conference", "SIGMOD"),
        ("Proceedings of the ACM on Management of Data", "PACMMOD"), ("Machine Learning", "MLJ"),
        ("Artificial Intelligence", "AIJ"), ("Journal of the ACM", "JACM"), ("bioRxiv", "bioRxiv"),
        ("ESEC/FSE", "FSE"), ("SC", "SC"), ("HotNets", "HotNets"), ("ISPASS", "ISPASS"),
    ],
)  # fmt: skip
def test_resolve_the_field(registry, name, key):
    assert registry.resolve(name).key == key


def _small_registry(*extra: tuple[str, str]):
    """OSDI, NSDI, VLDB, ICML, SOSP, ASPLOS (and ``extra``): no PLDI, no USENIX Security."""
    from generator.load.venues import VenueRegistry
    from generator.model import Venue

    small = VenueRegistry()
    venues = [("OSDI", "USENIX Symposium on Operating Systems Design and Implementation"), ("NSDI", "Networked Systems"),
              ("VLDB", "Proceedings of the VLDB Endowment"), ("ICML", "International Conference on Machine Learning"),
              ("SOSP", "Symposium on Operating Systems Principles"), ("ASPLOS", "Architectural Support"), *extra]  # fmt: skip
    for key, full in venues:
        aliases = ("USENIX OSDI",) if key == "OSDI" else ()
        small.add(Venue(key=key, name=full, kind="conference", slug=key.lower(), aliases=aliases))
    return small


@pytest.mark.parametrize(
    "name, hint",
    [
        ("OSDII", "OSDI"), ("VLBD", "VLDB"), ("NSID", "NSDI"), ("SOSPP", "SOSP"), ("ASPLSO", "ASPLOS"),
        ("Proceedings of the VLDB Endowmnt", "VLDB"), ("International Conference on Machine Learnin", "ICML"),
        ("PLDI", None), ("USENIX Security", None), ("ICLR", None), ("Springer", None), ("Website", None),
        ("SIGMOD", None), ("ATC", None), ("ICMLA", "ICML"), ("CGO", None),
    ],
)  # fmt: skip
def test_suggest_only_what_is_close_as_written(name, hint):
    """A shared prefix ("USENIX ...") or two letters of four ("PLDI"/"VLDB") is not a typo."""
    assert _small_registry().suggest(name) == hint


def test_suggest_finds_a_typo_of_a_long_name():
    assert _small_registry(("USENIX-Security", "USENIX Security Symposium")).suggest("USENIX Securty") == "USENIX-Security"
