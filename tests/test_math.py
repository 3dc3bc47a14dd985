"""Math in note bodies becomes MathML at build time (generator/render/mathml.py): typical formulas convert,
hostile TeX runs nothing, a formula too big or unreadable is an escaped error span and a warning."""

from __future__ import annotations

import time

import markdown
import pytest
from conftest import MKDOCS_YML, note, run_notes, write_site

from generator.render.mathml import MAX_DEPTH, MAX_FORMULAS, MAX_TEX_CHARS, MathError, failures, math_problems, tex_to_mathml
from generator.sanitize import sanitize_html

MATH_YML = MKDOCS_YML + "  - generator.render.mathml:\n      generic: true\n"


def render(body: str) -> str:
    html = markdown.markdown(body, extensions=["generator.render.mathml"], extension_configs={"generator.render.mathml": {"generic": True}})
    return sanitize_html(html).html


@pytest.mark.parametrize(
    ("tex", "pieces"),
    [
        (r"\frac{(2+2+K)\Psi}{N_d}", ["<mfrac>", "<mi>Ψ</mi>", "<msub><mi>N</mi><mi>d</mi></msub>"]),
        (r"\sum_{j=1}^{N} e^{x_j}", ["<msubsup><mo>∑</mo>", "<msup><mi>e</mi>"]),
        (r"\mathcal{O}(N^2)", ["<mi>\U0001d4aa</mi>", "<msup><mi>N</mi><mn>2</mn></msup>"]),
        (r"\text{memory} = 34sbh", ["<mtext>memory</mtext>", "<mn>34</mn>"]),
        (r"\begin{aligned} a &= b \\ c &= d \end{aligned}", ["<mtable", '<mtd columnalign="right"><mi>a</mi></mtd>', "<mtr>"]),
        (r"\tilde m_i < 2", ["<mover><mi>m</mi><mo", "<mo>&lt;</mo>"]),
    ],
)
def test_typical_formulas_become_mathml(tex, pieces):
    mathml = tex_to_mathml(tex)
    assert mathml.startswith('<math display="inline">') and mathml.endswith("</math>")
    for piece in pieces:
        assert piece in mathml, (piece, mathml)
    assert sanitize_html(mathml).removed == []  # the sanitizer keeps all of it
    assert tex_to_mathml(tex, display=True).startswith('<math display="block">')


def test_every_delimiter_is_converted_and_escapes_and_code_are_not():
    html = render("A \\$5 fee, $x_1$, \\(y^2\\) and `$z$`.\n\n$$\n\\frac{a}{b}\n$$\n\n\\[ \\sqrt{2} \\]\n")
    assert "$5 fee" in html and "<code>$z$</code>" in html
    assert html.count("<math") == 4 and html.count('display="block"') == 2
    assert "<msub><mi>x</mi><mn>1</mn></msub>" in html and "<mfrac>" in html and "<msqrt>" in html
    assert "arithmatex" not in html and "\\(" not in html


@pytest.mark.parametrize(
    ("tex", "gone"),
    [
        (r"\href{javascript:alert(1)}{x}", ["href", "javascript"]),
        (r"\style{background:url(//evil.example/t)}{x}", ["style", "url("]),
        (r"\text{<img src=x onerror=alert(1)>}", ["<img", 'onerror="', "<mtext><"]),
        (r"\text{</math><script>alert(1)</script>}", ["<script", "</math><"]),
        (r"\class{md-dialog}{x}", ["class", "md-dialog"]),
    ],
)
def test_hostile_tex_runs_nothing(tex, gone):
    html = render(f"Formula ${tex}$ here.\n")
    assert "<math" in html or 'class="math-error"' in html
    for text in gone:
        assert text not in html, (text, html)
    assert sanitize_html(html).removed == []  # made safe by mathml.py itself, not by luck of the sanitizer


def test_a_bad_formula_is_an_escaped_error_span_not_a_traceback():
    html = render("Bad $x^{$ and <b>$\\frac{<img src=x>}$</b>.\n")
    found = failures(html)
    assert found[0].tex == "x^{"
    assert '<span class="math-error" title="cannot be shown as math: ' in html and "<math" in html
    assert "<img" not in html.replace("&lt;img", "")


@pytest.mark.parametrize(
    "tex",
    [
        "x" * (MAX_TEX_CHARS + 1),
        "{" * (MAX_DEPTH + 1) + "x" + "}" * (MAX_DEPTH + 1),
        "\\left(" * 30 + "x" + "\\right)" * 30,
        "\\begin{matrix}" * 30 + "x" + "\\end{matrix}" * 30,
    ],
)
def test_math_bombs_are_refused_quickly(tex):
    start = time.perf_counter()
    with pytest.raises(MathError):
        tex_to_mathml(tex)
    assert time.perf_counter() - start < 0.1


def test_a_note_of_formulas_converts_the_first_few_hundred_quickly():
    formula = "$\\frac{(2+2+K)\\Psi}{N_d} + \\sum_{i=1}^{n} e^{x_i - m}$ "
    body = (formula * 12 + "\n\n") * (60 * 1024 // (len(formula) * 12 + 2))  # about 60 KiB, under MAX_BODY_BYTES
    md = markdown.Markdown(extensions=["generator.render.mathml"])
    start = time.perf_counter()
    html = md.convert(body)
    assert time.perf_counter() - start < 2.5  # measured 1.0 s on a loaded core (1,200 formulas: 3.6 s without the cap)
    assert html.count("<math") == MAX_FORMULAS
    assert [f.message for f in failures(html)] == [f"is one formula too many (a note may have at most {MAX_FORMULAS})"]
    md.reset()  # the count is per note
    assert md.convert("$x$ $y$").count("<math") == 2


def test_math_problems_point_at_the_formula_line():
    body = "## Problem\n\nFine $x$.\n\nBroken $y^{$ here.\n"
    problems = math_problems("papers/a.md", body, 6, render(body))
    assert [str(p) for p in problems] == [
        "papers/a.md:10: body: the formula $y^{$ cannot be shown as math: MissingSuperScriptOrSubscriptError"
    ]


def test_build_renders_math_and_a_broken_formula_fails_strict(tmp_path):
    good = note("Good", body="## Memory\n\nPer GPU: $\\frac{(2+2+K)\\Psi}{N_d}$.\n\n$$\n\\sum_i x_i\n$$\n")
    bad = note("Bad", body="## Memory\n\nBroken: $x^{$ and $\\href{javascript:alert(1)}{y}$.\n")
    write_site(tmp_path, {"osdi/2022/good.md": good, "osdi/2022/bad.md": bad}, mkdocs_yml=MATH_YML)
    from conftest import run_mkdocs

    build = run_mkdocs(tmp_path)  # not strict: every note is built
    assert build.returncode == 0, build.log
    page = build.html("papers/osdi/2022/good")
    assert "<mfrac>" in page and '<math display="block">' in page and "arithmatex" not in page
    assert "papers/osdi/2022/bad.md:8: body: the formula $x^{$ cannot be shown as math" in build.log
    bad_page = build.html("papers/osdi/2022/bad")
    assert '<span class="math-error"' in bad_page and "javascript:" not in bad_page and "Traceback" not in build.log
    assert run_mkdocs(tmp_path, "--strict").returncode == 1

    proc = run_notes("check", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "papers/osdi/2022/bad.md:8: body: the formula $x^{$ cannot be shown as math" in proc.stdout
    assert "good.md" not in proc.stdout
