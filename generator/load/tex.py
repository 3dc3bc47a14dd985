"""TeX in BibTeX values ↔ plain Unicode text.

``tex_to_text`` reads what real ``.bib`` files hold (``{\\"u}``, ``\\'{e}``, ``{\\ss}``, ``\\&``,
``$\\{$USENIX$\\}$``, ``&amp;``, ``--``, ``\\emph{…}``, protective braces) and returns the text a
reader sees. ``text_to_tex`` is its exact inverse for any text (after whitespace is collapsed): it
writes every character TeX or BibTeX treats specially as a command, so a value can never close its
field, open a new entry or change the meaning of the text around it.
"""

from __future__ import annotations

import html
import re
import unicodedata

# \'e → é: accent commands and the combining mark each adds (the spacing mark for an empty argument)
_ACCENTS = {
    "'": ("\u0301", "´"), "`": ("\u0300", "`"), "^": ("\u0302", "^"), '"': ("\u0308", "¨"),
    "~": ("\u0303", "~"), "=": ("\u0304", "¯"), ".": ("\u0307", "˙"), "u": ("\u0306", "˘"),
    "v": ("\u030c", "ˇ"), "H": ("\u030b", "˝"), "c": ("\u0327", "¸"), "k": ("\u0328", "˛"),
    "r": ("\u030a", "˚"), "d": ("\u0323", "."), "b": ("\u0331", "_"), "t": ("\u0361", ""),
}  # fmt: skip
_WORDS = {
    # letters
    "ss": "ß", "SS": "SS", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
    "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð",
    "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
    # symbols
    "textbraceleft": "{", "textbraceright": "}", "textbackslash": "\\", "textasciitilde": "~",
    "textasciicircum": "^", "textunderscore": "_", "textendash": "–", "textemdash": "—",
    "ldots": "…", "dots": "…", "textellipsis": "…", "S": "§", "P": "¶", "copyright": "©",
    "textcopyright": "©", "textregistered": "®", "texttrademark": "™", "textquoteleft": "‘",
    "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”", "textquotedbl": '"',
    "pounds": "£", "textsterling": "£", "euro": "€", "texteuro": "€", "textdegree": "°",
    "textbar": "|", "textless": "<", "textgreater": ">", "textdollar": "$", "textpercent": "%",
    "textasciigrave": "`", "textbullet": "•", "textperiodcentered": "·", "guillemotleft": "«",
    "guillemotright": "»", "textexclamdown": "¡", "textquestiondown": "¿", "textmu": "µ",
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e",
    # math
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ",
    "Lambda": "Λ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "infty": "∞", "times": "×", "cdot": "·", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "approx": "≈", "sim": "∼", "pm": "±", "rightarrow": "→", "to": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "ell": "ℓ", "partial": "∂", "nabla": "∇", "sqrt": "√",
    "star": "⋆", "ast": "∗", "circ": "∘", "prime": "′", "mid": "|", "log": "log", "top": "⊤",
}  # fmt: skip
_LETTER_WORDS = {"ss", "SS", "o", "O", "ae", "AE", "oe", "OE", "aa", "AA", "l", "L", "i", "j",
                 "dh", "DH", "th", "TH", "ng", "NG"}  # fmt: skip
_SYMBOLS = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ",
            ",": " ", ";": " ", ":": " ", "!": "", "/": "", "-": "", "\\": " ", "@": "",
            "\n": " ", "\t": " "}  # fmt: skip
# commands that only style their argument: \emph{Orca} → Orca
_STYLE = {
    "emph", "textbf", "textit", "texttt", "textsc", "textrm", "textsf", "textup", "textsl",
    "textnormal", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb",
    "mathnormal", "mbox", "hbox", "text", "ensuremath", "uppercase", "lowercase", "MakeUppercase",
    "MakeLowercase", "textsuperscript", "textsubscript", "boldsymbol", "bm", "operatorname",
    "NoCaseChange", "url", "path", "nolinkurl", "underline", "textmd", "sc", "em", "bf", "it",
    "tt", "rm", "sf", "sl", "normalfont", "relax", "xspace", "protect", "nolinebreak",
    "allowbreak", "small", "footnotesize", "large", "Large", "scriptsize", "tiny", "huge",
    "normalsize", "noindent", "unskip", "null",
}  # fmt: skip
_DROP_ARG = {"noopsort", "index", "label", "cite", "footnote", "hspace", "vspace", "thanks"}
_SPACE = {"quad", "qquad", "enspace", "thinspace", "nobreakspace", "space"}
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|ndash|mdash|hellip|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
_GS_BRACE = re.compile(r"\$\\[{}]\$")  # Google Scholar writes a protective {USENIX} as $\{$USENIX$\}$
# How deep ``{…}`` groups (and accents on accents) may nest: real entries use 3 or 4 levels. The
# BibTeX reader (bibparse.evaluate) refuses deeper values with a problem; the decoder below reads any
# deeper group as flat text, so no input can exhaust the stack.
MAX_BRACE_DEPTH = 64


class _Decoder:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.depth = 0  # open groups and accents being read

    def group(self) -> str:
        """The rest of a ``{…}`` group whose ``{`` was just read, decoded (flat when nested too deep)."""
        if self.depth >= MAX_BRACE_DEPTH:
            end = closing_delimiter(self.s, self.i - 1)  # the group's `{` was just read
            flat = self.s[self.i : end].replace("{", "").replace("}", "")
            self.i = min(end + 1, len(self.s))
            return flat
        self.depth += 1
        try:
            return self.run(until_brace=True)
        finally:
            self.depth -= 1

    def run(self, until_brace: bool = False) -> str:
        out: list[str] = []
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if ch == "}":
                self.i += 1
                if until_brace:
                    return "".join(out)
                continue  # a stray closing brace
            if ch == "{":
                self.i += 1
                out.append(self.group())
            elif ch == "\\":
                out.append(self.command())
            elif ch == "$":
                self.i += 1  # math shift: the formula's text is kept
            elif ch == "~":
                self.i += 1
                out.append(" ")
            elif ch == "&" and (m := _ENTITY.match(s, self.i)):
                self.i = m.end()
                out.append(html.unescape(m.group()))
            elif ch == "-" and s.startswith("---", self.i):
                self.i += 3
                out.append("—")
            elif ch == "-" and s.startswith("--", self.i):
                self.i += 2
                out.append("–")
            elif ch == "`" and s.startswith("``", self.i):
                self.i += 2
                out.append("“")
            elif ch == "'" and s.startswith("''", self.i):
                self.i += 2
                out.append("”")
            else:
                self.i += 1
                out.append(ch)
        return "".join(out)

    def command(self) -> str:
        s = self.s
        self.i += 1  # the backslash
        if self.i >= len(s):
            return "\\"
        m = re.compile(r"[A-Za-z]+").match(s, self.i)
        if m is None:  # a control symbol: \& \{ \' …
            ch = s[self.i]
            self.i += 1
            if ch in _ACCENTS:
                return self.accent(ch)
            return _SYMBOLS.get(ch, ch)
        name = m.group()
        self.i = m.end()
        if name in _ACCENTS and len(name) == 1:
            return self.accent(name)
        if name in _WORDS:
            if name in _LETTER_WORDS:
                self.skip_spaces()
            elif s.startswith("{}", self.i):
                self.i += 2
            return _WORDS[name]
        if name in _SPACE:
            return " "
        if name == "href":  # \href{url}{text} → text
            self.argument()
            return self.argument()
        if name in _DROP_ARG:
            self.skip_spaces()
            if self.i < len(s) and s[self.i] == "{":
                self.argument()
            return ""
        if name in _STYLE:
            self.skip_spaces()
            return ""  # a following {…} group is read as an ordinary group
        return name  # an unknown macro (\sys, \name): keep its name rather than lose it

    def accent(self, name: str) -> str:
        mark, spacing = _ACCENTS[name]
        self.skip_spaces()
        if self.depth >= MAX_BRACE_DEPTH:  # \'\'\'… : accents on accents, too many to stack
            return spacing
        self.depth += 1
        try:
            base = self.accent_base()
        finally:
            self.depth -= 1
        if not base:
            return spacing
        return unicodedata.normalize("NFC", base[0] + mark) + base[1:]

    def accent_base(self) -> str:
        s = self.s
        if self.i >= len(s):
            return ""
        ch = s[self.i]
        if ch == "{":
            self.i += 1
            inner_start = self.i
            text = self.group()
            if s[inner_start : inner_start + 2] in ("\\i", "\\j"):
                text = text.replace("ı", "i", 1).replace("ȷ", "j", 1)
            return text
        if ch == "\\":
            if s.startswith("\\i", self.i) and not s[self.i + 2 : self.i + 3].isalpha():
                self.i += 2
                self.skip_spaces()
                return "i"
            if s.startswith("\\j", self.i) and not s[self.i + 2 : self.i + 3].isalpha():
                self.i += 2
                self.skip_spaces()
                return "j"
            return self.command()
        if ch == "}":
            return ""
        self.i += 1
        return ch

    def argument(self) -> str:
        self.skip_spaces()
        if self.i < len(self.s) and self.s[self.i] == "{":
            self.i += 1
            return self.group()
        if self.i < len(self.s):
            self.i += 1
            return self.s[self.i - 1]
        return ""

    def skip_spaces(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t\n":
            self.i += 1


def closing_delimiter(s: str, start: int) -> int:
    """Index of the delimiter closing the ``{`` or ``"`` at ``start`` (or the end of the text)."""
    depth = 0
    i = start
    quote = s[start] == '"'
    if quote:
        i += 1
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if not quote and depth == 0:
                return i
        elif ch == '"' and quote and depth == 0:
            return i
        i += 1
    return len(s)


def brace_depth(text: str) -> int:
    """How deep the ``{…}`` groups of a value nest (``\\{`` and ``\\}`` do not count)."""
    deepest = depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == "}":
            depth = max(depth - 1, 0)
        i += 1
    return deepest


def collapse(text: str) -> str:
    """One space between words, none at the ends (what BibTeX and HTML show anyway)."""
    return " ".join(text.split())


def tex_to_text(value: str) -> str:
    """The text a reader sees in a BibTeX value: accents as Unicode, braces and markup gone."""
    value = _GS_BRACE.sub("", value)
    return collapse(unicodedata.normalize("NFC", _Decoder(value).run()))


_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}  # fmt: skip
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def visible(text: str) -> str:
    """The text without control and invisible characters (zero-width, bidi overrides), collapsed."""
    return collapse(_INVISIBLE.sub("", _CONTROL.sub(" ", text)))


def text_to_tex(text: str) -> str:
    """A BibTeX value (without its enclosing braces) that shows exactly ``text``.

    Braces in the text become ``\\textbraceleft{}``/``\\textbraceright{}``, so the value's braces
    always balance and a value can never end its field early; line breaks become spaces, so no line
    of the output starts with text from the value; ``--``, ``''`` and ````` are split so that they
    are not read as dashes or quotes. Control and invisible characters are left out.
    """
    text = visible(text)
    out: list[str] = []
    for i, ch in enumerate(text):
        out.append(_ESCAPES.get(ch, ch))
        if ch in "-'`" and i + 1 < len(text) and text[i + 1] == ch:
            out.append("{}")
    return "".join(out)
