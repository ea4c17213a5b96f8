"""Rules as data: load ``rules/checks/*.yaml`` and expand them over a template.

A rule entry is declarative (see docs/rules.md). ``for_each`` binds ``{col}`` /
``{row}`` placeholders so that one entry covers every column or row; ``<group>``
in a cell pattern expands to the members of a template row or column group, so
one entry serves both templates even where their rows differ.

Rule kinds are registered in one explicit table, ``RULE_KINDS``, together with how an
in-year kind is checked (``RuleKind.holds``). A malformed rule raises :class:`RuleError`
naming the file and the rule; it never becomes a finding.
"""
from __future__ import annotations

import fnmatch
import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import yaml

from ._errors import RuleError
from ._resources import rules_dir
from ._template import Template, get_template

SEVERITIES = ("error", "warning")
TOLERANCE = 1e-6  # identities are over whole counts; this only absorbs float noise


# How each in-year kind is checked: vectorised over many values at once (a linear
# instance's residual Σ lhs − Σ rhs, or a unary instance's cell value). Blank values (NaN)
# pass whatever these say: the compiler checks only what was reported.
def _balances(residual: np.ndarray) -> np.ndarray:
    return np.abs(residual) <= TOLERANCE


def _does_not_exceed(residual: np.ndarray) -> np.ndarray:
    return residual <= TOLERANCE


def _is_non_negative(value: np.ndarray) -> np.ndarray:
    return value >= 0


def _is_whole_number(value: np.ndarray) -> np.ndarray:
    # distance to the nearest whole number: value % 1 would call 0.999999999 fractional
    return np.abs(value - np.round(value)) <= TOLERANCE


@dataclass(frozen=True)
class RuleKind:
    """What a kind of rule needs and how it compares.

    ``shape`` is "linear" (Σ lhs ⋚ Σ rhs over cells) or "unary" (a test on each cell);
    those are the in-year shapes the compiler builds. "cross_year" (this report against
    last year's, ``_crossyear.py``) and "narrative" (the report's text, ``_narrative.py``)
    are checked by post-passes; ``expand`` gives no in-year instances for them.
    ``relation`` is "eq" or "le" for linear kinds, a predicate name for unary ones.
    ``holds`` (in-year kinds only) tells, for an array of residuals or cell values, which
    ones satisfy the kind; the compiler makes it the kind's pandera check.
    """

    name: str
    shape: str
    relation: str
    required: tuple[str, ...]
    holds: Callable[[np.ndarray], np.ndarray] | None = None


RULE_KINDS: dict[str, RuleKind] = {
    "sum_identity": RuleKind("sum_identity", "linear", "eq", ("lhs", "rhs"), _balances),
    "at_most": RuleKind("at_most", "linear", "le", ("lhs", "rhs"), _does_not_exceed),
    "non_negative": RuleKind("non_negative", "unary", "non_negative", ("cells",), _is_non_negative),
    "integer": RuleKind("integer", "unary", "integer", ("cells",), _is_whole_number),
    # Post-pass kinds: cells prefixed ``prev:`` are last year's report's.
    "year_over_year": RuleKind("year_over_year", "cross_year", "eq", ("lhs", "rhs")),
    "text_quantity": RuleKind("text_quantity", "narrative", "eq", ("cells", "keywords", "context", "inclusive")),
    "text_sections": RuleKind("text_sections", "narrative", "in_order", ("headings",)),
    "text_period": RuleKind("text_period", "narrative", "year", ("wordings",)),
    "template_year": RuleKind("template_year", "narrative", "template", ("lenient_years",)),
}
IN_YEAR_SHAPES = ("linear", "unary")

_COMMON_KEYS = {"id", "title", "why", "severity", "kind", "templates", "for_each", "except"}


@dataclass(frozen=True)
class Rule:
    id: str
    title_zh: str
    title_en: str
    severity: str
    kind: str
    templates: tuple[str, ...]
    spec: dict
    path: str
    why: str = ""

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def __repr__(self) -> str:
        return f"<Rule {self.id} ({self.kind}, {self.severity})>"


@dataclass(frozen=True)
class RuleInstance:
    """One rule applied to one place: e.g. ``t3.balance`` for column ``natural``.

    ``name`` names the instance (``rule id[key]``) in findings and in
    ``CompiledRules.checked``, the table the evaluation frame's ``instance`` column indexes.
    """

    rule: Rule
    key: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...] = ()
    binding: tuple[tuple[str, str], ...] = ()  # for_each values, e.g. (("row", "total"),)

    @property
    def name(self) -> str:
        return f"{self.rule.id}[{self.key}]" if self.key else self.rule.id

    @property
    def cells(self) -> tuple[str, ...]:
        return self.lhs + self.rhs

    @property
    def kind(self) -> RuleKind:
        return RULE_KINDS[self.rule.kind]


_GROUP = re.compile(r"<([a-z_]+)>")
_VAR = re.compile(r"\{([a-z_]+)\}")


def _expand_pattern(pattern: str, binding: dict[str, str], template: Template, rule: Rule) -> list[str]:
    """Turn ``t3.<results>.{col}`` into concrete cell codes."""
    try:
        text = _VAR.sub(lambda m: binding[m.group(1)], pattern)
    except KeyError as exc:
        raise RuleError(f"placeholder {{{exc.args[0]}}} in {pattern!r} is not bound by for_each",
                        path=rule.path, rule=rule.id) from None
    table = text.split(".", 1)[0]
    pieces = []
    for part in text.split("."):
        m = _GROUP.fullmatch(part)
        if m:
            try:
                pieces.append(template.group(table, m.group(1)))
            except KeyError:
                raise RuleError(f"template {template.code} has no group <{m.group(1)}> in {table}",
                                path=rule.path, rule=rule.id) from None
        else:
            pieces.append((part,))
    codes = [".".join(p) for p in itertools.product(*pieces)]
    missing = [c for c in codes if c not in template.cells]
    if missing:
        raise RuleError(f"{pattern!r} names cells that template {template.code} does not have: "
                        f"{', '.join(missing[:5])}", path=rule.path, rule=rule.id)
    return codes


def _bindings(rule: Rule, template: Template) -> list[dict[str, str]]:
    spec = rule.spec.get("for_each") or {}
    if not isinstance(spec, dict):
        raise RuleError("for_each must map a placeholder to a list or 'table.rows/columns'",
                        path=rule.path, rule=rule.id)
    axes = []
    for var, values in spec.items():
        if isinstance(values, str):
            table, _, group = values.partition(".")
            try:
                values = template.group(table, group)
            except KeyError:
                raise RuleError(f"for_each {var}: {values!r} is not a row/column list of template "
                                f"{template.code}", path=rule.path, rule=rule.id) from None
        axes.append([(var, str(v)) for v in values])
    return [dict(combo) for combo in itertools.product(*axes)] if axes else [{}]


def expand(rule: Rule, template: Template) -> list[RuleInstance]:
    """All instances of ``rule`` over ``template`` (empty if the rule is for other templates)."""
    if template.code not in rule.templates:
        return []
    kind = RULE_KINDS[rule.kind]
    if kind.shape not in IN_YEAR_SHAPES:  # cross-year and narrative rules are post-passes
        return []
    if kind.shape == "unary":
        excluded = rule.spec.get("except") or []
        codes = [c for c in template.codes
                 if any(fnmatch.fnmatchcase(c, p) for p in rule.spec["cells"])
                 and not any(fnmatch.fnmatchcase(c, p) for p in excluded)]
        if not codes:
            raise RuleError(f"cells {rule.spec['cells']!r} match no cell of template {template.code}",
                            path=rule.path, rule=rule.id)
        return [RuleInstance(rule, c, (c,)) for c in codes]
    out = []
    for binding in _bindings(rule, template):
        lhs = [c for p in rule.spec["lhs"] for c in _expand_pattern(p, binding, template, rule)]
        rhs = [c for p in rule.spec["rhs"] for c in _expand_pattern(p, binding, template, rule)]
        if set(lhs) & set(rhs):
            raise RuleError(f"cells on both sides: {sorted(set(lhs) & set(rhs))}", path=rule.path, rule=rule.id)
        out.append(RuleInstance(rule, ",".join(binding.values()), tuple(lhs), tuple(rhs), tuple(binding.items())))
    return out


def _parse_rule(entry: object, path: Path) -> Rule:
    if not isinstance(entry, dict):
        raise RuleError(f"each rule must be a mapping, got {type(entry).__name__}", path=str(path))
    rid = entry.get("id")
    if not isinstance(rid, str) or not rid:
        raise RuleError("a rule has no 'id'", path=str(path))
    kind = entry.get("kind")
    if kind not in RULE_KINDS:
        raise RuleError(f"unknown kind {kind!r}; known kinds: {', '.join(RULE_KINDS)}", path=str(path), rule=rid)
    spec = RULE_KINDS[kind]
    missing = [k for k in spec.required if k not in entry]
    if missing:
        raise RuleError(f"kind {kind!r} needs {', '.join(missing)}", path=str(path), rule=rid)
    unknown = set(entry) - _COMMON_KEYS - set(spec.required)
    if unknown:
        raise RuleError(f"unknown keys {sorted(unknown)}", path=str(path), rule=rid)
    for key in spec.required:
        if not isinstance(entry[key], list) or not all(isinstance(x, str) for x in entry[key]):
            raise RuleError(f"{key!r} must be a list of cell patterns", path=str(path), rule=rid)
    severity = entry.get("severity", "error")
    if severity not in SEVERITIES:
        raise RuleError(f"severity must be one of {SEVERITIES}, got {severity!r}", path=str(path), rule=rid)
    title = entry.get("title") or {}
    if not isinstance(title, dict) or not title.get("zh") or not title.get("en"):
        raise RuleError("title needs both 'zh' and 'en'", path=str(path), rule=rid)
    temps = entry.get("templates")
    if not isinstance(temps, list) or not temps:
        raise RuleError("'templates' must list the templates the rule applies to", path=str(path), rule=rid)
    return Rule(rid, title["zh"], title["en"], severity, kind, tuple(str(t) for t in temps), entry,
                str(path), entry.get("why", ""))


def load_rule_file(path: Path) -> list[Rule]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"not valid YAML: {exc}", path=str(path)) from exc
    except OSError as exc:
        raise RuleError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError("a rule file needs a top-level 'rules:' list", path=str(path))
    return [_parse_rule(e, Path(path)) for e in data["rules"]]


def load_rules(folder: str | Path | None = None) -> list[Rule]:
    """Every rule in ``folder/checks/*.yaml`` (default: the packaged rules)."""
    return list(_load_rules_cached(str(folder or rules_dir())))


@functools.lru_cache(maxsize=None)
def _load_rules_cached(folder: str) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    seen: dict[tuple[str, str], str] = {}
    for path in sorted(Path(folder, "checks").glob("*.yaml")):
        for rule in load_rule_file(path):
            for t in rule.templates:
                if (rule.id, t) in seen:
                    raise RuleError(f"duplicate rule id (also in {seen[rule.id, t]})", path=str(path), rule=rule.id)
                seen[rule.id, t] = str(path)
            rules.append(rule)
    return tuple(rules)


def period_words(wordings) -> str:
    """A text_period rule's ``wordings`` (期限, 时限, …: what follows 统计 in the 统计期限
    sentence) as one regex alternation, ``(?:期限|时限|…)``.

    The one list is the rule's: the conformance check (``_conformance``) and the year
    reader (``_read._meta``) both build their patterns from it.
    """
    return "(?:" + "|".join(sorted((re.escape(w) for w in wordings), key=len, reverse=True)) + ")"


def period_wordings(folder: str) -> tuple[str, ...]:
    """The wordings of the first text_period rule of a rules folder; () when it has none."""
    rule = next((r for r in _load_rules_cached(folder) if r.kind == "text_period"), None)
    return tuple(rule.spec["wordings"]) if rule is not None else ()


def instances_for(template: Template | str, rules: list[Rule] | None = None) -> list[RuleInstance]:
    """All rule instances for a template, checking every rule against it."""
    tpl = template if isinstance(template, Template) else get_template(template)
    return [i for r in (rules if rules is not None else load_rules()) for i in expand(r, tpl)]
