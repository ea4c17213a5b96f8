"""A recipe for reports that satisfy every rule, derived from the expanded rule instances.

Nothing here knows what table 3 *means*. The recipe is read off the rule instances of a
template, so a changed rule file or a new identity changes the recipe with it:

* **Variables** are the template's cells plus one *slack* per ``at_most`` instance, which
  turns Σ lhs ≤ Σ rhs into Σ lhs + slack = Σ rhs with slack ≥ 0. Every linear rule is then
  a homogeneous equation, and the rules together are ``A x = 0``.
* **Elimination.** Gauss–Jordan elimination over exact fractions picks one *dependent*
  (pivot) variable per independent equation; the other variables are *free*. Redundant
  equations (t3's balance of the 总计 column follows from the other columns) reduce to
  zero and drop out. Pivots are chosen greedily: a variable whose solved form has the
  fewest negative terms, so totals (``total = Σ parts``) come first and ``new`` in
  ``new + carry_in = total + carry_out`` is preferred to ``carry_out``. Each inequality's
  slack is its own pivot, which makes ``at_most`` a bound on free cells rather than a
  formula for one of them.
* **Drawing in bounds.** Every dependent is a linear form in the free variables. Free
  variables are drawn one at a time; a free variable with a negative coefficient in a
  non-negative dependent may not exceed what that dependent has accumulated so far
  (free variables with only positive coefficients are drawn first, so there is room).
  Since 0 always fits, no draw can fail: non-negativity and every ``at_most`` hold by
  construction for *any* pivot choice. The greedy choice only makes the data look right.
* **Whole numbers.** If elimination ever produced a fractional coefficient, a free
  variable feeding an integer dependent is drawn as a multiple of the denominators' lcm
  (``step``). With today's 0/±1 sum rules every step is 1.
* **Blank units.** Under the blank policy an identity is checked only when all of its
  cells are present. The sets of cells that can be left blank without any finding are
  exactly the unions of the connected components of the "shares a linear rule" graph.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from .._errors import RuleError
from .._rules import Rule, RuleInstance, instances_for, load_rules
from .._template import Template
from .._linked import linked_groups

Number = int | Fraction
MONEY_STEP = Fraction(1, 100)  # money is drawn in fen/cents: two decimals


@dataclass(frozen=True)
class FreeVar:
    """A cell drawn directly: ``value = k * step`` for a drawn integer ``k``."""

    cell: str
    step: Number                                # int whenever it is whole: int arithmetic is fast
    non_negative: bool
    uses: tuple[tuple[int, Number], ...]        # (index into Plan.guarded, coefficient)


@dataclass(frozen=True)
class Dependent:
    """A cell or slack computed from free cells: ``Σ coef · value(free cell)``."""

    name: str
    terms: tuple[tuple[str, Number], ...]
    non_negative: bool


@dataclass(frozen=True)
class Plan:
    """How to build a consistent report of one template under one rule set."""

    template: Template
    free: tuple[FreeVar, ...]                   # in draw order
    dependents: tuple[Dependent, ...]
    guarded: tuple[int, ...]                    # indices of dependents that must stay >= 0
    components: tuple[tuple[str, ...], ...]     # blankable units, in template order
    totals: frozenset[str]                      # cells that are a lone side of a sum_identity

    def evaluate(self, free_values: dict[str, Number]) -> dict[str, Number]:
        """Every cell's value given the free cells' values (slacks are dropped)."""
        out = dict(free_values)
        for dep in self.dependents:
            value = sum((coef * free_values[c] for c, coef in dep.terms), 0)
            if not dep.name.startswith("~"):
                out[dep.name] = value
        return out


def _slack(inst: RuleInstance) -> str:
    return f"~slack:{inst.name}"          # "~" cannot start a cell code


def _choose_pivot(rows: list[dict[str, Fraction]], order: dict[str, int],
                  non_negative: set[str]) -> tuple[int, str]:
    """The (row, variable) pivot whose solved form has the fewest negative terms."""
    best, found = None, None
    for i, row in enumerate(rows):
        # In var = −Σ (a/c)·u a term is negative when a and c have the same sign.
        same = {True: 0, False: 0}
        for u, a in row.items():
            if u in non_negative:
                same[a > 0] += 1
        for var, c in row.items():
            negatives = same[c > 0] - 1 if var in non_negative else 0
            key = (abs(c) != 1, negatives, len(row), order[var])
            if best is None or key < best:
                best, found = key, (i, var)
    return found


def _substitute(row: dict[str, Fraction], var: str, expr: dict[str, Fraction]) -> None:
    a = row.pop(var, None)
    if a is None:
        return
    for u, b in expr.items():
        v = row.get(u, 0) + a * b
        if v:
            row[u] = v
        else:
            row.pop(u, None)


def _eliminate(rows: list[dict[str, Fraction]], order: dict[str, int],
               non_negative: set[str]) -> dict[str, dict[str, Fraction]]:
    """Gauss–Jordan elimination of the equalities: pivot → its value as a form in free variables.

    (Inequalities are not passed in: each slack is its own pivot, see ``build_plan``.)
    """
    pivots: dict[str, dict[str, Fraction]] = {}
    pending = [dict(r) for r in rows]
    while True:
        pending = [r for r in pending if r]  # an emptied row was implied by the others
        if not pending:
            return pivots
        i, var = _choose_pivot(pending, order, non_negative)
        row = pending.pop(i)
        c = row.pop(var)
        expr = {u: -a / c for u, a in row.items()}
        for other in (*pending, *pivots.values()):
            _substitute(other, var, expr)
        pivots[var] = expr


def _components(cells: list[str], linear: list[RuleInstance]) -> tuple[tuple[str, ...], ...]:
    # template order, so components come out in printed order
    return tuple(tuple(g) for g in linked_groups(cells, (inst.cells for inst in linear)))


def build_plan(template: Template, rules: list[Rule] | None = None) -> Plan:
    """Derive the construction recipe for ``template`` from the rule instances."""
    rules = load_rules() if rules is None else rules
    instances = instances_for(template, rules)
    codes = template.codes
    order = {c: i for i, c in enumerate(codes)}
    non_negative: set[str] = set()
    integer: set[str] = set()
    linear: list[RuleInstance] = []
    for inst in instances:
        if inst.kind.shape == "linear":
            linear.append(inst)
        elif inst.kind.relation == "non_negative":
            non_negative.add(inst.key)
        elif inst.kind.relation == "integer":
            integer.add(inst.key)
        else:  # a new unary kind needs a generator before reports can satisfy it
            raise RuleError(f"gov_audit.testing cannot yet generate data for rule kind {inst.rule.kind!r}",
                            path=inst.rule.path, rule=inst.rule.id)

    equalities, inequalities = [], []
    for inst in linear:
        row: dict[str, Fraction] = {}
        for c in inst.lhs:
            row[c] = row.get(c, 0) + Fraction(1)
        for c in inst.rhs:
            row[c] = row.get(c, 0) - Fraction(1)
        if inst.kind.relation == "eq":
            equalities.append(row)
        elif inst.kind.relation == "le":
            row[_slack(inst)] = Fraction(1)  # Σ lhs − Σ rhs + slack = 0
            inequalities.append((_slack(inst), row))
        else:
            raise RuleError(f"gov_audit.testing cannot yet generate data for relation {inst.kind.relation!r}",
                            path=inst.rule.path, rule=inst.rule.id)

    pivots = _eliminate(equalities, order, non_negative)
    for slack, row in inequalities:
        for var, expr in pivots.items():
            _substitute(row, var, expr)
        row.pop(slack)
        pivots[slack] = {u: -a for u, a in row.items()}
        non_negative.add(slack)

    dependents = [Dependent(v, tuple((u, _as_number(a)) for u, a in sorted(e.items(), key=lambda t: order[t[0]])),
                            v in non_negative)
                  for v, e in sorted(pivots.items(), key=lambda t: order.get(t[0], len(order)))]
    guarded = [k for k, d in enumerate(dependents) if d.non_negative]
    free_cells = [c for c in codes if c not in pivots]
    free = []
    for c in free_cells:
        kind = template.cells[c].kind
        uses = tuple((g, coef) for g, k in enumerate(guarded) for u, coef in dependents[k].terms if u == c)
        # lcm of the denominators this cell meets in whole-number dependents
        dens = [Fraction(coef).denominator for d in dependents if d.name in integer
                for u, coef in d.terms if u == c]
        needs_whole = c in integer or bool(dens)
        step = math.lcm(1, *dens) if needs_whole else (MONEY_STEP if kind == "money" else 1)
        free.append(FreeVar(c, step, c in non_negative, uses))
    # Cells that only add to guarded dependents go first, so later cells have room.
    free.sort(key=lambda f: (any(coef < 0 for _, coef in f.uses) or (not f.non_negative and bool(f.uses)),
                             order[f.cell]))
    totals = frozenset(side[0] for inst in linear if inst.kind.relation == "eq"
                       for side in (inst.lhs, inst.rhs) if len(side) == 1)
    return Plan(template, tuple(free), tuple(dependents), tuple(guarded),
                _components(codes, linear), totals)


def _as_number(a: Fraction) -> Number:
    return int(a) if a.denominator == 1 else a


_CACHE: dict[tuple, tuple[object, object]] = {}


def memo(what: str, template: Template, rules: list[Rule] | None, build):
    """``build(template, rules)``, cached per template and rule set (compared by identity).

    ``load_rules()`` returns the same cached ``Rule`` objects for one rules folder, so a
    changed ``GOV_AUDIT_RULES`` gives a new key rather than a stale answer.
    """
    rules = load_rules() if rules is None else list(rules)
    key = (what, id(template), tuple(id(r) for r in rules))
    hit = _CACHE.get(key)
    if hit is None:
        # keep the keyed objects alive so that their ids cannot be reused
        hit = _CACHE[key] = ((template, tuple(rules)), build(template, rules))
    return hit[1]


def plan_for(template: Template, rules: list[Rule] | None = None) -> Plan:
    """:func:`build_plan`, cached."""
    return memo("plan", template, rules, build_plan)
