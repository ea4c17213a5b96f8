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
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import yaml

from ._errors import RuleError
from ._resources import ENV_VAR, rules_dir
from ._template import Template, get_template, templates

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


def _expand_pattern(pattern: str, binding: dict[str, str], template: Template, rule: Rule,
                    key: str | None = None) -> list[str]:
    """Turn ``t3.<results>.{col}`` into concrete cell codes (``key``: the rule key it is from, for errors)."""
    at = f"{key!r}: " if key else ""
    try:
        text = _VAR.sub(lambda m: binding[m.group(1)], pattern)
    except KeyError as exc:
        raise RuleError(f"{at}placeholder {{{exc.args[0]}}} in {pattern!r} is not bound by for_each",
                        path=rule.path, rule=rule.id) from None
    table = text.split(".", 1)[0]
    pieces = []
    for part in text.split("."):
        m = _GROUP.fullmatch(part)
        if m:
            try:
                pieces.append(template.group(table, m.group(1)))
            except KeyError:
                raise RuleError(f"{at}template {template.code} has no group <{m.group(1)}> in {table}",
                                path=rule.path, rule=rule.id) from None
        else:
            pieces.append((part,))
    codes = [".".join(p) for p in itertools.product(*pieces)]
    missing = [c for c in codes if c not in template.cells]
    if missing:
        raise RuleError(f"{at}{pattern!r} names cells that template {template.code} does not have: "
                        f"{', '.join(missing[:5])}", path=rule.path, rule=rule.id)
    return codes


_FOR_EACH_VALUES = ("must be a list of row/column names or 'TABLE.rows', 'TABLE.columns' or "
                    "'TABLE.<group>' (a row or column group of the template)")


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
        elif not isinstance(values, (list, tuple)) or not values:
            raise RuleError(f"for_each {var}: {_FOR_EACH_VALUES}, got {values!r}", path=rule.path, rule=rule.id)
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
            raise RuleError(f"'cells' {rule.spec['cells']!r} match no cell of template {template.code}",
                            path=rule.path, rule=rule.id)
        return [RuleInstance(rule, c, (c,)) for c in codes]
    out = []
    for binding in _bindings(rule, template):
        lhs = [c for p in rule.spec["lhs"] for c in _expand_pattern(p, binding, template, rule, "lhs")]
        rhs = [c for p in rule.spec["rhs"] for c in _expand_pattern(p, binding, template, rule, "rhs")]
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
    where = {"path": str(path), "rule": rid}
    kind = entry.get("kind")
    if not isinstance(kind, str) or kind not in RULE_KINDS:
        raise RuleError(f"unknown kind {kind!r}; known kinds: {', '.join(RULE_KINDS)}", **where)
    spec = RULE_KINDS[kind]
    missing = [k for k in spec.required if k not in entry]
    if missing:
        raise RuleError(f"kind {kind!r} needs {', '.join(missing)}", **where)
    unknown = set(entry) - _COMMON_KEYS - set(spec.required)
    if unknown:
        raise RuleError(f"unknown keys {sorted(map(str, unknown))}", **where)
    for key in spec.required:
        if not _is_list_of_str(entry[key]):
            raise RuleError(f"{key!r} must be a list of cell patterns, got {_shown(entry[key])}", **where)
    severity = entry.get("severity", "error")
    if severity not in SEVERITIES:
        raise RuleError(f"severity must be one of {SEVERITIES}, got {severity!r}", **where)
    title = entry.get("title") or {}
    if not isinstance(title, dict) or not all(isinstance(title.get(k), str) and title[k] for k in ("zh", "en")):
        raise RuleError("title needs both 'zh' and 'en'", **where)
    if not isinstance(entry.get("why", ""), str):
        raise RuleError(f"'why' must be text, got {_shown(entry['why'])}", **where)
    temps = entry.get("templates")
    if (not isinstance(temps, list) or not temps
            or not all(isinstance(t, (str, int)) and not isinstance(t, bool) for t in temps)):
        raise RuleError("'templates' must list the templates the rule applies to", **where)
    rule = Rule(rid, title["zh"], title["en"], severity, kind, tuple(str(t) for t in temps), entry,
                str(path), entry.get("why", ""))
    _check_against_templates(rule)
    return rule


def _is_list_of_str(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def _shown(value: object) -> str:
    return f"{type(value).__name__} {value!r}" if not isinstance(value, list) else repr(value)


def _check_against_templates(rule: Rule) -> None:
    """What can be checked when a rule is loaded, against the templates in force.

    Everything that would otherwise make a rule silently apply nowhere, or to fewer places
    than written: an unknown template, a unary pattern or ``except`` entry matching no
    cell, a malformed ``for_each``, a cross-year cell that no template has. (An in-year
    ``lhs``/``rhs`` cell is checked when the rule is expanded over a template: ``expand``.)
    """
    where = {"path": rule.path, "rule": rule.id}
    known = templates()
    unknown = [t for t in rule.templates if t not in known]
    if unknown:
        raise RuleError(f"'templates' names {', '.join(map(repr, unknown))}, which is not a template "
                        f"(known: {', '.join(known)})", **where)
    if len(set(rule.templates)) < len(rule.templates):
        raise RuleError(f"'templates' lists a template twice: {list(rule.templates)}", **where)
    own = [known[t] for t in rule.templates]
    shape = RULE_KINDS[rule.kind].shape
    spec = rule.spec
    if "except" in spec:
        if shape != "unary":
            raise RuleError(f"'except' only applies to kinds {', '.join(_kinds('unary'))}", **where)
        if not _is_list_of_str(spec["except"]):
            raise RuleError(f"'except' must be a list of cell patterns, got {_shown(spec['except'])}", **where)
    if shape == "unary":
        if not spec["cells"]:
            raise RuleError("'cells' lists no cell pattern", **where)
        for key in ("cells", "except"):
            for pattern in spec.get(key) or ():
                if not any(fnmatch.fnmatchcase(c, pattern) for t in own for c in t.cells):
                    raise RuleError(f"{key!r}: {pattern!r} matches no cell of template "
                                    f"{' or '.join(rule.templates)}", **where)
    if "for_each" in spec:
        if shape not in ("linear", "cross_year"):
            raise RuleError(f"'for_each' only applies to kinds with 'lhs' and 'rhs' "
                            f"({', '.join(_kinds('linear', 'cross_year'))})", **where)
        _check_for_each(rule, own, known)
    if shape == "cross_year":
        for tpl in own:
            for binding in _bindings(rule, tpl):
                for key in ("lhs", "rhs"):
                    for pattern in spec[key]:
                        if pattern.startswith("prev:"):
                            # last year's template may lack the cell (the rule then does
                            # not apply to that pair), but some template must have it
                            if not _known_somewhere(pattern[len("prev:"):], binding, rule):
                                raise RuleError(f"{key!r}: {pattern!r} names cells that no template has",
                                                **where)
                        else:
                            _expand_pattern(pattern, binding, tpl, rule, key)


def _kinds(*shapes: str) -> list[str]:
    return [k for k, v in RULE_KINDS.items() if v.shape in shapes]


def _check_for_each(rule: Rule, own: list[Template], known: dict[str, Template]) -> None:
    where = {"path": rule.path, "rule": rule.id}
    spec = rule.spec["for_each"]
    if not isinstance(spec, dict) or not spec:
        raise RuleError(f"'for_each' must map each placeholder to its values "
                        f"(e.g. {{col: t3.columns}}), got {_shown(spec)}", **where)
    patterns = [p for key in ("lhs", "rhs") for p in rule.spec[key]]
    for var, values in spec.items():
        if not isinstance(var, str) or not _VAR.fullmatch("{" + var + "}"):
            raise RuleError(f"for_each: {var!r} is not a placeholder name (a-z and _)", **where)
        using = [p for p in patterns if "{" + var + "}" in p]
        if not using:
            raise RuleError(f"for_each {var}: no 'lhs'/'rhs' pattern uses {{{var}}}", **where)
        if isinstance(values, str):
            continue  # a template group: resolved by _bindings below, per template
        if not _is_list_of_str(values) or not values:
            raise RuleError(f"for_each {var}: {_FOR_EACH_VALUES}, got {_shown(values)}", **where)
        if len(set(values)) < len(values):
            raise RuleError(f"for_each {var}: a value is listed twice: {values}", **where)
        # each value must be a row or column of a table whose patterns use it
        tables = {p.removeprefix("prev:").split(".", 1)[0] for p in using}
        pool = own if not any(p.startswith("prev:") for p in using) else list(known.values())
        names = {n for t in pool for code in tables if code in t.tables
                 for n in (*t.tables[code].rows, *t.tables[code].columns)}
        bad = [v for v in values if v not in names]
        if bad and names:
            raise RuleError(f"for_each {var}: {', '.join(map(repr, bad))} is not a row or column of "
                            f"{'/'.join(sorted(tables))} in template {' or '.join(t.code for t in pool)}", **where)
    for tpl in own:
        _bindings(rule, tpl)  # 'TABLE.group' values must resolve in every template of the rule


def _known_somewhere(pattern: str, binding: dict[str, str], rule: Rule) -> bool:
    """Whether some template in force has every cell ``pattern`` names (for a ``prev:`` cell)."""
    for tpl in templates().values():
        try:
            _expand_pattern(pattern, binding, tpl, rule)
        except RuleError:
            continue
        return True
    return False


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice in one mapping (YAML keeps the last one)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:  # an unhashable key: the constructor reports it
                    continue
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        f"found the key {key!r} twice", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_rule_file(path: Path) -> list[Rule]:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        raise RuleError(f"not valid YAML: {exc}", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise RuleError(f"not UTF-8 text (byte {exc.start}: {exc.object[exc.start:exc.start + 4]!r}); "
                        "save the file as UTF-8", path=str(path)) from None
    except OSError as exc:
        raise RuleError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError("a rule file needs a top-level 'rules:' list", path=str(path))
    return [_parse_rule(e, Path(path)) for e in data["rules"]]


RULE_SUFFIXES = (".yaml", ".yml")


def load_rules(folder: str | Path | None = None) -> list[Rule]:
    """Every rule in ``folder/checks/*.yaml`` (and ``*.yml``; default: the packaged rules).

    A folder that does not exist or holds no rule files raises :class:`RuleError`. The
    rules are cached; an edited, added or removed rule file is read again on the next call.
    """
    return list(_load_rules_cached(str(folder or rules_dir())))


# (rules folder, templates folder) -> (rule files, their stamp, the rules read). A call
# stats checks/ and each rule file (~10-50 µs) and reads the files again only when one
# changed: an edit is seen at once, with no time window. The callers that run per report
# (compile, narrative, year reader, cross-year) keep their own per-folder caches and call
# this about once per folder and process, so the stat calls cost nothing measurable there.
_CACHE: dict[tuple[str, str], tuple[list[str], tuple | None, tuple[Rule, ...]]] = {}


def _stamp(checks: str, files: list[str]) -> tuple:
    """What changes when a rule file is edited, added or removed (OSError: one is gone)."""
    out = [os.stat(checks).st_mtime_ns]  # the listing: files added, removed, renamed
    for f in files:
        st = os.stat(f)
        out.append((st.st_mtime_ns, st.st_size))
    return tuple(out)


def _rule_files(folder: str) -> list[str]:
    """The rule files of a rules folder, or a RuleError saying what was looked for."""
    env = f" (from {ENV_VAR})" if os.environ.get(ENV_VAR) == folder else ""
    if not os.path.isdir(folder):
        what = "does not exist" if not os.path.exists(folder) else "is not a folder"
        raise RuleError(f"the rules folder{env} {what}", path=folder)
    checks = Path(folder, "checks")
    files = sorted(str(p) for p in (checks.iterdir() if checks.is_dir() else ())
                   if p.name.endswith(RULE_SUFFIXES) and p.is_file())
    if not files:
        own = [n for n in os.listdir(folder) if n.endswith(RULE_SUFFIXES)]
        hint = (f"; the folder itself holds {', '.join(sorted(own)[:3])}: pass the folder that holds "
                "checks/, not checks/ itself" if own else "")
        raise RuleError(f"no rule files in the rules folder{env}: looked for checks/*.yaml and "
                        f"checks/*.yml under it{hint}", path=folder)
    return files


def _load_rules_cached(folder: str) -> tuple[Rule, ...]:
    key = (folder, str(rules_dir()))  # rules are checked against the templates in force
    hit = _CACHE.get(key)
    if hit is not None:
        try:
            if _stamp(os.path.join(folder, "checks"), hit[0]) == hit[1]:
                return hit[2]
        except OSError:  # a rule file has gone: list them again
            pass
    files = _rule_files(folder)
    try:
        stamp = _stamp(os.path.join(folder, "checks"), files)  # before reading: an edit meanwhile is seen next time
    except OSError:
        stamp = None
    rules: list[Rule] = []
    seen: dict[tuple[str, str], str] = {}
    for path in files:
        for rule in load_rule_file(Path(path)):
            for t in rule.templates:
                if (rule.id, t) in seen:
                    raise RuleError(f"duplicate rule id (also in {seen[rule.id, t]})", path=str(path), rule=rule.id)
                seen[rule.id, t] = str(path)
            rules.append(rule)
    result = tuple(rules)
    _CACHE[key] = (files, stamp, result)
    return result


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
