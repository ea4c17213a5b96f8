"""Write a report into each form it is published in, for round-trip and robustness tests.

A report (a :class:`gov_audit.Report`, or a dict of cell code → value plus a template)
is laid out as the national template prints it — label columns with merged cells,
table 3's three-row header, table 4's two-level header — and then written as a CMS
web page, Word-exported HTML, pasted text (one cell per line, cells spaced on a line,
or cells run together), markdown, DOCX or PDF. Every random choice (merge styles, where
a table is split, placeholders for blank cells, separators) comes from one seed, so a
failing example can be written again exactly: ``render(report, "docx", seed=7)``.

Blank cells (``None``) print as a placeholder (``/``, ``—``, ``无``) or, in tabular
forms, as an empty cell. In text, where an empty cell leaves no trace, ``blank=""``
makes the inherently ambiguous layout on purpose.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Mapping

from .._report import Report
from .._template import Template
from ._layout import FORMS, PLACEHOLDERS, SUFFIXES, cells_of, layout
from ._render_office import write_docx, write_pdf
from ._render_web import (SEPARATORS, write_html, write_markdown, write_text_lines, write_text_run, write_text_spaced,
                          write_word_html)

# The form a bare suffix names: the first form written with it (.html → html, .txt → text_lines).
SUFFIX_FORMS = {s: next(f for f in FORMS if SUFFIXES[f] == s) for s in SUFFIXES.values()} | {".htm": "html"}


def render(report: Report | Mapping[str, float | None], form: str, *, seed: int = 0,
           template: str | Template | None = None, year: int | None = None, blank: str | None = None,
           **options) -> str | bytes:
    """A report written in one of :data:`FORMS`: ``str`` for text forms, ``bytes`` for DOCX and PDF.

    ``blank`` overrides how blank cells print (``"/"``, or ``""`` for an empty cell); by
    default tabular forms pick a placeholder or an empty cell at random, text forms a
    placeholder (an empty cell in text leaves no trace at all). ``options`` go to the
    form's writer (markdown: ``below="repeat"|"empty"``, what a cell merged down rows
    leaves in the rows below its first; text_spaced: ``seps``, the cell separators;
    text_run: ``spaced``, the share of rows whose cells keep a space between them).
    """
    if form not in FORM_WRITERS:
        raise ValueError(f"unknown form {form!r}; known: {', '.join(FORMS)}")
    if blank is None and form.startswith("text"):
        blank = random.Random(seed).choice(PLACEHOLDERS)
    doc = layout(report, template, seed=seed, year=year, blank=blank)
    return FORM_WRITERS[form](doc, random.Random(seed + 1), **options)


def write_report(report: Report | Mapping[str, float | None], path: str | Path, form: str | None = None, *,
                 seed: int = 0, template: str | Template | None = None, year: int | None = None) -> Path:
    """Write a rendered report to ``path``; the form defaults to the one its suffix names."""
    path = Path(path)
    if form is None:
        suffix = path.suffix.lower()
        if suffix not in SUFFIX_FORMS:
            raise ValueError(f"cannot tell the form from the suffix {path.suffix!r} of {path.name!r}; "
                             f"known suffixes: {', '.join(SUFFIX_FORMS)} (or pass form=)")
        form = SUFFIX_FORMS[suffix]
    out = render(report, form, seed=seed, template=template, year=year)
    if isinstance(out, str):
        path.write_text(out, encoding="utf-8")
    else:
        path.write_bytes(out)
    return path


FORM_WRITERS = {
    "html": write_html,
    "html_split": lambda doc, rng: write_html(doc, rng, varied=True),
    "word_html": write_word_html,
    "text_lines": write_text_lines,
    "text_spaced": write_text_spaced,
    "text_run": write_text_run,
    "markdown": write_markdown,
    "docx": write_docx,
    "pdf": write_pdf,
}

__all__ = ["FORMS", "FORM_WRITERS", "PLACEHOLDERS", "SEPARATORS", "SUFFIXES", "cells_of", "layout", "render",
           "write_report"]
