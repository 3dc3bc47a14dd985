from __future__ import annotations

import pytest

from generator.tex import tex_to_text, text_to_tex
from generator.venue_text import venue_from_text
from generator.venues import Venue, load_registry

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
        ("Proceedings of the 28th ACM International Conference on Architectural Support for Programming Languages and Operating Systems, Volume 2", "ASPLOS"),
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
    site.write_text("venues:\n  MAPL: {name: ACM SIGPLAN International Workshop on Machine Learning and Programming Languages, kind: workshop}\n")
    registry, problems = load_registry(site)
    assert problems == []
    text = "Proceedings of the 3rd ACM SIGPLAN International Workshop on Machine Learning and Programming Languages"
    assert key(venue_from_text(text, registry)) == "MAPL"
    assert venue_from_text(text, REGISTRY) is None
