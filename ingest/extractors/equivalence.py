"""Equivalent-grade formulas stated in a filing, read as linear functions of the grades.

A resource note often prints how its equivalent grade was computed:
"CuEq% = Cu% + ((Au g/t * 18.98) + (Mo g/t * 0.01586)) / 29.76" or
"AuEq (g/t) = Au (g/t) + 1.53 x Cu (%)". Each becomes an ``EquivalenceFormula``:
``intercept + sum(coefficient x grade)``, every grade in the unit the formula reads it in,
so a check can recompute a table's equivalent grade from its metal grades.

The arithmetic is tokenised and parsed here (numbers, ``+ - * / x × ÷``, parentheses,
commodity symbols with an optional unit); the text is never evaluated as code. A formula
is linearised by evaluating it at zero and at each unit vector, then checked at a second
point: one that is not linear (a product of two grades) is reported, not kept. A
formula is only ever read from what is printed, never derived from metal prices.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from ..lexicon.commodities import COMMODITIES, NORMAL_GRADE_UNIT
from ..model import Document, EquivalenceFormula, EquivalenceTerm, Issue
from ..readers.text import normalise

_METALS = {s for s in COMMODITIES if not s.endswith("Eq")}
_METAL_NAMES = {
    name: sym
    for sym, (_, names) in COMMODITIES.items()
    if not sym.endswith("Eq")
    for name in names
    if " " not in name
}
_SYMBOL = "|".join(sorted(_METALS, key=len, reverse=True))
_UNIT = r"%|g\s?/\s?t(?:onne)?|gpt|ppm|ppb|oz\s?/\s?t(?:on)?|opt|lb\s?/\s?t"
# The left-hand side: "CuEq%", "CuEq (%)", "AuEq (g/t)", "Cu Eq =", "CuEq. (%) =".
_NAME = "|".join(sorted(_METAL_NAMES, key=len, reverse=True))
_LHS = re.compile(
    rf"(?:\b(?P<metal>{_SYMBOL})[\s_]?(?:Eq|EQ|eq)\b\.?|(?i:\b(?P<name>{_NAME})\s+equivalent\b))"
    rf"\s*(?:(?P<u1>{_UNIT})|\(\s*(?P<u2>{_UNIT})\s*\))?\s*=\s*",
)
_TOKEN = re.compile(
    rf"""\s*(?:
      (?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<pct>\s?%)?
     |(?P<sym>{_SYMBOL}|[A-Za-z]+)(?![A-Za-z])
        (?:\s*(?:(?P<u1>{_UNIT})|\(\s*(?P<u2>{_UNIT})\s*\)))?
     |(?P<op>[-+*/×÷−()\[\]])
    )""",
    re.X,
)
_UNIT_NAMES = {"gpt": "g/t", "opt": "oz/t", "g/tonne": "g/t", "oz/ton": "oz/t"}
_OPS = {"×": "*", "÷": "/", "−": "-", "[": "(", "]": ")"}


class _Tok(NamedTuple):
    kind: str  # "num", "var", "op"
    value: float | str
    end: int


Expr = Callable[[dict[str, float]], float]


def extract_equivalences(doc: Document) -> tuple[list[EquivalenceFormula], list[Issue]]:
    """Every equivalent-grade formula printed in the filing's prose or table notes."""
    return find_formulas(
        (ln.no, _with_fractions(ln.raw) if "\\frac" in ln.raw else ln.text)
        for ln in doc.lines
        if "=" in ln.text and _has_eq(ln.text)
    )


_LATEX_WRAPPER = re.compile(r"\\(?:text|mathrm|mathbf|textbf|operatorname)\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")


def _with_fractions(raw: str) -> str:
    # The text loader drops LaTeX commands, which turns "\frac{Au}{1.6}" into "Au1.6";
    # a fraction is rewritten as a division first, innermost first.
    text = _LATEX_WRAPPER.sub(r"\1", raw)
    while True:
        rewritten = _FRAC.sub(r"((\1)/(\2))", text)
        if rewritten == text:
            return normalise(text)
        text = rewritten


def _has_eq(text: str) -> bool:
    return "Eq" in text or "EQ" in text or "eq" in text


def find_formulas(
    lines: Iterable[tuple[int, str]],
) -> tuple[list[EquivalenceFormula], list[Issue]]:
    """Formulas in (line number, text) pairs; the same formula printed twice is kept once."""
    out: list[EquivalenceFormula] = []
    issues: list[Issue] = []
    seen: set[tuple] = set()
    for no, text in lines:
        for m in _LHS.finditer(text):
            formula, problem = _formula(text, m, no)
            if problem:
                issues.append(
                    Issue(
                        line=no,
                        kind="equivalence_formula",
                        reason=f"equivalent-grade formula not read: {problem}",
                        text=text[m.start() : m.start() + 200],
                    )
                )
                continue
            if formula is None:
                continue
            key = (
                formula.commodity,
                formula.unit,
                round(formula.intercept, 12),
                tuple((t.commodity, t.unit, round(t.coefficient, 12)) for t in formula.terms),
            )
            if key not in seen:
                seen.add(key)
                out.append(formula)
    return out, issues


def _formula(text: str, m: re.Match[str], no: int) -> tuple[EquivalenceFormula | None, str]:
    metal = m.group("metal") or _METAL_NAMES[m.group("name").lower()]
    tokens = _tokens(text, m.end())
    if not tokens:
        return None, ""  # "CuEq = " then prose: not a formula
    try:
        expr, pos = _parse_sum(tokens, 0)
    except _NotAFormula as exc:
        return None, str(exc)
    if pos != len(tokens):
        return None, f"unexpected {tokens[pos].value!r}"
    variables = list(dict.fromkeys(t.value for t in tokens if t.kind == "var"))
    if not variables:
        return None, ""  # "CuEq = 0.37%": a cut-off, not a formula
    try:
        intercept = expr(dict.fromkeys(variables, 0.0))
        coefficients = {}
        for v in variables:
            point = dict.fromkeys(variables, 0.0)
            point[v] = 1.0
            coefficients[v] = expr(point) - intercept
        probe = {v: 2.0 + i * 1.5 for i, v in enumerate(variables)}
        linear = intercept + sum(coefficients[v] * probe[v] for v in variables)
        observed = expr(probe)
    except ZeroDivisionError:
        return None, "it divides by a grade"
    if abs(observed - linear) > 1e-9 * max(1.0, abs(observed)):
        return None, "it is not linear in the grades"
    terms = []
    for v in variables:
        commodity, _, unit = str(v).partition("|")
        terms.append(EquivalenceTerm(commodity, unit or _normal_unit(commodity), coefficients[v]))
    unit = _unit(m.group("u1") or m.group("u2"))
    if unit is None:
        # "CuEq = Cu + ...": the equivalent is read in the unit of its own metal's term.
        unit = next((t.unit for t in terms if t.commodity == metal), None) or _normal_unit(metal)
    end = tokens[-1].end
    return (
        EquivalenceFormula(
            commodity=f"{metal}Eq",
            unit=unit,
            intercept=_tidy(intercept),
            terms=[EquivalenceTerm(t.commodity, t.unit, _tidy(t.coefficient)) for t in terms],
            line=no,
            text=text[m.start() : end].strip(),
        ),
        "",
    )


def _tokens(text: str, pos: int) -> list[_Tok]:
    """Tokens of the expression from ``pos`` up to the first thing that is not arithmetic."""
    out: list[_Tok] = []
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        if m.group("num") is not None:
            value = float(m.group("num").replace(",", ""))
            out.append(_Tok("num", value / 100 if m.group("pct") else value, m.end()))
        elif m.group("sym") is not None:
            word = m.group("sym")
            symbol = word if word in _METALS else _METAL_NAMES.get(word.lower())
            if word in ("x", "X") and m.group("u1") is None and m.group("u2") is None:
                out.append(_Tok("op", "*", m.end()))
            elif symbol is None:
                break  # a word: the formula has ended ("... / 29.76 where ...")
            else:
                unit = _unit(m.group("u1") or m.group("u2")) or ""
                out.append(_Tok("var", f"{symbol}|{unit}", m.end()))
        else:
            op = m.group("op")
            out.append(_Tok("op", _OPS.get(op, op), m.end()))
        pos = m.end()
    # A sentence's closing parenthesis or trailing operator is not part of the formula.
    while out and out[-1].kind == "op" and out[-1].value != ")":
        out.pop()
    depth = 0
    for i, t in enumerate(out):
        if t.value == "(" and t.kind == "op":
            depth += 1
        elif t.value == ")" and t.kind == "op":
            depth -= 1
            if depth < 0:
                return out[:i]
    return out


class _NotAFormula(ValueError):
    pass


def _parse_sum(tokens: list[_Tok], i: int) -> tuple[Expr, int]:
    left, i = _parse_product(tokens, i)
    while i < len(tokens) and tokens[i].kind == "op" and tokens[i].value in "+-":
        op = tokens[i].value
        right, i = _parse_product(tokens, i + 1)
        left = _add(left, right) if op == "+" else _sub(left, right)
    return left, i


def _parse_product(tokens: list[_Tok], i: int) -> tuple[Expr, int]:
    left, i = _parse_unary(tokens, i)
    while i < len(tokens) and tokens[i].kind == "op" and tokens[i].value in "*/":
        op = tokens[i].value
        right, i = _parse_unary(tokens, i + 1)
        left = _mul(left, right) if op == "*" else _div(left, right)
    return left, i


def _parse_unary(tokens: list[_Tok], i: int) -> tuple[Expr, int]:
    if i < len(tokens) and tokens[i].kind == "op" and tokens[i].value in "+-":
        inner, i = _parse_unary(tokens, i + 1)
        return (_neg(inner) if tokens[i - 1].value == "-" else inner), i
    return _parse_atom(tokens, i)


def _parse_atom(tokens: list[_Tok], i: int) -> tuple[Expr, int]:
    if i >= len(tokens):
        raise _NotAFormula("it ends early")
    t = tokens[i]
    if t.kind == "num":
        return _const(float(t.value)), i + 1
    if t.kind == "var":
        return _var(str(t.value)), i + 1
    if t.value == "(":
        inner, i = _parse_sum(tokens, i + 1)
        if i >= len(tokens) or tokens[i].value != ")":
            raise _NotAFormula("a parenthesis is not closed")
        return inner, i + 1
    raise _NotAFormula(f"unexpected {t.value!r}")


def _const(c: float) -> Expr:
    return lambda _: c


def _var(name: str) -> Expr:
    return lambda env: env[name]


def _add(a: Expr, b: Expr) -> Expr:
    return lambda env: a(env) + b(env)


def _sub(a: Expr, b: Expr) -> Expr:
    return lambda env: a(env) - b(env)


def _mul(a: Expr, b: Expr) -> Expr:
    return lambda env: a(env) * b(env)


def _div(a: Expr, b: Expr) -> Expr:
    return lambda env: a(env) / b(env)


def _neg(a: Expr) -> Expr:
    return lambda env: -a(env)


def _unit(printed: str | None) -> str | None:
    if not printed:
        return None
    unit = re.sub(r"\s+", "", printed)
    return _UNIT_NAMES.get(unit, unit)


def _normal_unit(symbol: str) -> str | None:
    # A formula that prints no unit for a grade reads it as the tables do: copper in %,
    # gold in g/t.
    entry = COMMODITIES.get(symbol)
    return NORMAL_GRADE_UNIT[entry[0]] if entry else None


def _tidy(x: float) -> float:
    return float(f"{x:.12g}") + 0.0
