from __future__ import annotations

import pytest

from generator.authoring.venue_text import venue_from_text
from generator.load.tex import tex_to_text, text_to_tex
from generator.load.venues import Venue, load_registry

REGISTRY, _ = load_registry()


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"M{\"u}ller", "Müller"),
        (r"Sch\"{o}lkopf", "Schölkopf"),
        (r"{\'E}lodie", "Élodie"),
        (r"Ko{\c{c}}", "Koç"),
        (r"Dvo{\v{r}}{\'a}k", "Dvořák"),
        (r"Mart{\'\i}n", "Martín"),
        (r"na\"{\i}ve", "naïve"),
        (r"{\ss} {\o} {\AA} {\L}ukasz", "ß ø Å Łukasz"),
        (r"16th $\{$USENIX$\}$ Symposium ($\{$OSDI$\}$ 22)", "16th USENIX Symposium (OSDI 22)"),
        ("Fast &amp; Accurate &lt;1 ms", "Fast & Accurate <1 ms"),
        (r"\&amp; stays", "&amp; stays"),
        (r"{{FlashAttention}}: Fast {IO}-Awareness", "FlashAttention: Fast IO-Awareness"),
        (r"\emph{Orca} and \textbf{bold} {\bf old} \textit{it}", "Orca and bold old it"),
        (r"a -- b --- c", "a – b — c"),
        (r"``quoted'' 'single'", "“quoted” 'single'"),
        (r"50\% \$5 \#1 a\_b", "50% $5 #1 a_b"),
        (r"$O(n^2)$ with $\alpha$", "O(n^2) with α"),
        (r"\href{https://x.org}{Link} \noopsort{a}Zed", "Link Zed"),
        (r"\sys{} is \LaTeX{} fast", "sys is LaTeX fast"),
        ("Line one\n   line two\tend", "Line one line two end"),
        (r"Foo}, author={Mallory", "Foo, author=Mallory"),
        (r"D.~E. Knuth", "D. E. Knuth"),
        (r"\textbraceleft{}x\textbraceright{} \textbackslash{}", "{x} \\"),
        ("unclosed {group", "unclosed group"),
        ("trailing backslash \\", "trailing backslash \\"),
    ],
)
def test_tex_to_text(tex, text):
    assert tex_to_text(tex) == text


@pytest.mark.parametrize(
    ("text", "tex"),
    [
        ("Foo}, author={Mallory", r"Foo\textbraceright{}, author=\textbraceleft{}Mallory"),
        ("a--b", "a-{}-b"),
        ("A & B 100% $5 #1 a_b ^ ~", r"A \& B 100\% \$5 \#1 a\_b \textasciicircum{} \textasciitilde{}"),
        ("two\nlines\n@misc{x,", "two lines @misc\\textbraceleft{}x,"),
        ("zero\u200bwidth\u202eoverride", "zerowidthoverride"),
        ("Müller 算子融合", "Müller 算子融合"),
    ],
)
def test_text_to_tex(text, tex):
    assert text_to_tex(text) == tex


def key(venue: Venue | None) -> str | None:
    return venue.key if venue else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Proceedings of the 16th USENIX Symposium on Operating Systems Design and Implementation", "OSDI"),
        ("16th USENIX Symposium on Operating Systems Design and Implementation (OSDI 22)", "OSDI"),
        ("16th {USENIX} Symposium on Operating Systems Design and Implementation, {OSDI} 2022, Carlsbad, CA, USA", "OSDI"),
        ("arXiv preprint arXiv:2309.06180", "arXiv"),
        ("CoRR", "arXiv"),
        ("2022 USENIX Annual Technical Conference (USENIX ATC 22)", "ATC"),
        ("Proceedings of the 29th Symposium on Operating Systems Principles", "SOSP"),
        ("ACM SIGOPS 28th Symposium on Operating Systems Principles", "SOSP"),
        ("SOSP '23", "SOSP"),
        ("Advances in Neural Information Processing Systems 35", "NeurIPS"),
        ("Proceedings of Machine Learning and Systems 5", "MLSys"),
        ("Proceedings of the 4th Workshop on Machine Learning and Systems", "EuroMLSys"),
        ("Proceedings of the 40th International Conference on Machine Learning", "ICML"),
        ("The Twelfth International Conference on Learning Representations", "ICLR"),
        ("IEEE Trans. Parallel Distrib. Syst.", "TPDS"),
        ("IEEE Transactions on Parallel &amp; Distributed Systems", "TPDS"),
        ("Proc. VLDB Endow.", "VLDB"),
        ("SC20: International Conference for High Performance Computing, Networking, Storage and Analysis", "SC"),
        ("Proceedings of the 61st Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)", "ACL"),
        ("Proceedings of the 2023 ACM SIGMOD International Conference on Management of Data", "SIGMOD"),
        ("Proceedings of the ACM on Management of Data", "PACMMOD"),
        ("Proceedings of the ACM SIGCOMM 2022 Conference", "SIGCOMM"),
        ("Proceedings of the Nineteenth European Conference on Computer Systems", "EuroSys"),
        (
            "Proceedings of the 28th ACM International Conference on Architectural Support for Programming Languages and Operating Systems, Volume 2",
            "ASPLOS",
        ),
        ("Proceedings of the 23rd ACM/IFIP International Middleware Conference", "Middleware"),
        ("ACM Comput. Surv.", "CSUR"),
        ("Commun. ACM", "CACM"),
        ("jmlr", "JMLR"),
        # no answer rather than a wrong one
        ("Machine Learning for Healthcare Conference", None),
        ("Proceedings of the Workshop on Network Meets AI & ML", None),
        ("USENIX Association", None),
        ("MIT Press", None),
        ("", None),
    ],
)
def test_venue_from_text(text, expected):
    assert key(venue_from_text(text, REGISTRY)) == expected


def test_venue_from_text_uses_the_sites_own_venues(tmp_path):
    site = tmp_path / "venues.yml"
    site.write_text(
        "venues:\n  MAPL: {name: ACM SIGPLAN International Workshop on Machine Learning and Programming Languages, kind: workshop}\n"
    )
    registry, problems = load_registry(site)
    assert problems == []
    text = "Proceedings of the 3rd ACM SIGPLAN International Workshop on Machine Learning and Programming Languages"
    assert key(venue_from_text(text, registry)) == "MAPL"
    assert venue_from_text(text, REGISTRY) is None


# Real booktitle/journal shapes as the ACM DL, IEEE Xplore, USENIX, PMLR, NeurIPS, OpenReview, DBLP and
# Google Scholar export them. A journal never maps to a conference of a similar name, and a workshop
# held at a conference is not the conference.
REAL_SHAPES = [
    ("Proceedings of the 2017 ACM International Conference on Management of Data", "SIGMOD"),
    ("Proceedings of the 2019 International Conference on Management of Data", "SIGMOD"),
    ("SIGMOD '17: Proceedings of the 2017 ACM International Conference on Management of Data", "SIGMOD"),
    ("Proceedings of the 38th ACM SIGPLAN Conference on Programming Language Design and Implementation", "PLDI"),
    ("PLDI 2021: Proceedings of the 42nd ACM SIGPLAN International Conference on Programming Language Design and Implementation", "PLDI"),
    ("2019 IEEE/ACM International Symposium on Code Generation and Optimization (CGO)", "CGO"),
    ("Proc. ACM Program. Lang.", "PACMPL"),
    ("27th USENIX Security Symposium (USENIX Security 18)", "USENIX-Security"),
    ("Proceedings of the 2016 ACM SIGSAC Conference on Computer and Communications Security", "CCS"),
    ("2020 IEEE Symposium on Security and Privacy (SP)", "S&P"),
    ("Computer Vision -- ECCV 2020: 16th European Conference, Glasgow, UK, August 23--28, 2020, Proceedings, Part I", "ECCV"),
    ("European Conference on Computer Vision", "ECCV"),
    (
        "Proceedings of the 2019 Conference of the North American Chapter of the Association for Computational Linguistics: Human Language Technologies, Volume 1 (Long and Short Papers)",
        "NAACL",
    ),
    ("2018 IEEE International Conference on Robotics and Automation (ICRA)", "ICRA"),
    ("Proceedings of The 6th Conference on Robot Learning", "CoRL"),
    ("Conference on Robot Learning", "CoRL"),
    ("Proceedings of the 40th International Conference on Machine Learning", "ICML"),
    ("International Conference on Machine Learning", "ICML"),
    ("Advances in Neural Information Processing Systems", "NeurIPS"),
    ("Advances in Neural Information Processing Systems 36 (NeurIPS 2023)", "NeurIPS"),
    ("Thirty-seventh Conference on Neural Information Processing Systems", "NeurIPS"),
    ("The Eleventh International Conference on Learning Representations", "ICLR"),
    ("International Conference on Learning Representations", "ICLR"),
    ("Transactions on Machine Learning Research", "TMLR"),
    ("First Conference on Language Modeling", "COLM"),
    ("Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)", "CVPR"),
    ("Proceedings of the IEEE/CVF International Conference on Computer Vision", "ICCV"),
    ("2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)", "CVPR"),
    ("Proceedings of the AAAI Conference on Artificial Intelligence", "AAAI"),
    ("Proceedings of the Twenty-Sixth International Joint Conference on Artificial Intelligence", "IJCAI"),
    ("Proceedings of the 2020 Conference on Empirical Methods in Natural Language Processing (EMNLP)", "EMNLP"),
    ("Findings of the Association for Computational Linguistics: EMNLP 2023", "Findings"),
    ("Proceedings of the 25th ACM SIGKDD International Conference on Knowledge Discovery \\& Data Mining", "KDD"),
    ("Proceedings of the Web Conference 2021", "WWW"),
    ("Proceedings of the 44th International ACM SIGIR Conference on Research and Development in Information Retrieval", "SIGIR"),
    ("2021 IEEE 37th International Conference on Data Engineering (ICDE)", "ICDE"),
    ("Proceedings of the 2021 CHI Conference on Human Factors in Computing Systems", "CHI"),
    ("ACM Transactions on Graphics (TOG)", "TOG"),
    ("IEEE Transactions on Pattern Analysis and Machine Intelligence", "TPAMI"),
    ("2021 ACM/IEEE 48th Annual International Symposium on Computer Architecture (ISCA)", "ISCA"),
    ("Proceedings of the 50th Annual IEEE/ACM International Symposium on Microarchitecture", "MICRO"),
    ("2020 IEEE International Symposium on High Performance Computer Architecture (HPCA)", "HPCA"),
    ("Proceedings of the Fifteenth European Conference on Computer Systems", "EuroSys"),
    ("19th USENIX Conference on File and Storage Technologies (FAST 21)", "FAST"),
    ("14th USENIX Symposium on Networked Systems Design and Implementation (NSDI 17)", "NSDI"),
    ("Proceedings of the ACM Symposium on Cloud Computing", "SoCC"),
    ("Proceedings of the 26th ACM SIGPLAN Symposium on Principles and Practice of Parallel Programming", "PPoPP"),
    ("Proceedings of the International Conference for High Performance Computing, Networking, Storage and Analysis", "SC"),
    ("Proceedings of the 2018 Conference of the ACM Special Interest Group on Data Communication", "SIGCOMM"),
    ("Proceedings of the VLDB Endowment", "VLDB"),
    ("PMLR", None),
    ("OpenReview.net", "OpenReview"),
    ("Journal of Machine Learning Research", "JMLR"),
    ("The Journal of Machine Learning Research", "JMLR"),
    ("Machine Learning", "MLJ"),
    ("Artificial Intelligence", "AIJ"),
    ("Workshop on ML Systems at NeurIPS", None),
    ("NeurIPS Workshop on Machine Learning Systems", None),
    ("Proceedings of the 14th ACM Workshop on Hot Topics in Networks", "HotNets"),
    ("Proceedings of the Workshop on Hot Topics in Operating Systems", "HotOS"),
    ("Proceedings of the 3rd Workshop on Machine Learning and Systems", "EuroMLSys"),
    ("Nature", "Nature"),
    ("Neural Computation", "NECO"),
    ("IEEE Micro", "IEEE-Micro"),
    ("ACM SIGOPS Operating Systems Review", "OSR"),
    ("Communications of the ACM", "CACM"),
    ("J. ACM", "JACM"),
    ("IEEE Computer Architecture Letters", "CAL"),
    ("ACM Trans. Comput. Syst.", "TOCS"),
    ("ACM Transactions on Computer Systems (TOCS)", "TOCS"),
    ("IEEE Trans. Computers", "TC"),
    ("Proceedings of the 2013 ACM SIGMOD International Conference on Management of Data", "SIGMOD"),
    ("Proceedings of the 41st ACM SIGPLAN Conference on Programming Language Design and Implementation", "PLDI"),
    ("Proceedings of the ACM on Programming Languages", "PACMPL"),
    (
        "Proceedings of the 2017 ACM SIGPLAN International Conference on Object-Oriented Programming, Systems, Languages, and Applications",
        "OOPSLA",
    ),
    ("NeurIPS 2023 Workshop on Efficient Natural Language and Speech Processing", None),
    ("ICML 2022 Workshop on Hardware Aware Efficient Training", None),
    ("Mach. Learn.", "MLJ"),
]


@pytest.mark.parametrize(("text", "expected"), REAL_SHAPES)
def test_venue_from_real_shapes(text, expected):
    assert key(venue_from_text(text, REGISTRY)) == expected


def test_a_journal_title_never_becomes_a_conference_of_a_similar_name():
    """Even when the registry lacks the journal, "Machine Learning" is not ICML: no event word, no conference."""
    from generator.load.venues import VenueRegistry

    without = VenueRegistry()
    for venue in REGISTRY.venues.values():
        if venue.key not in ("MLJ", "AIJ", "NN"):
            without.add(venue)
    for text in ("Machine Learning", "Artificial Intelligence", "Neural Networks", "Mach. Learn."):
        assert venue_from_text(text, without) is None, text
    assert key(venue_from_text("Proceedings of the 40th International Conference on Machine Learning", without)) == "ICML"


def test_two_venues_that_fit_equally_well_give_no_answer():
    from generator.load.venues import VenueRegistry
    from generator.model import Venue

    reg = VenueRegistry()
    reg.add(Venue(key="A", name="Conference on Widget Systems", kind="conference", slug="a"))
    reg.add(Venue(key="B", name="Symposium on Widget Systems", kind="conference", slug="b"))
    assert venue_from_text("Proceedings of Widget Systems 2020", reg) is None
