"""Hypothesis strategies for testing gov_audit rules (and code that consumes reports).

The public API is:

* :func:`reports` — complete :class:`gov_audit.Report` objects that break no rule of a
  template, built by construction from the rule files (so a new rule is honoured
  without touching this package);
* :func:`panels` — many such reports as one panel DataFrame, the shape of
  :func:`gov_audit.panel_of`;
* :func:`corruptions` — one cell of a report broken the way people do, with a
  :class:`Corruption` record of what changed (kinds: ``CORRUPTION_KINDS``);
* :func:`blind_spots` — per corruption kind, the cells where the rules promise no
  detection.
* :func:`render` — a report (or a dict of cells) written in one of :data:`FORMS`, the
  forms reports are published in (CMS HTML, Word-export HTML, pasted text, markdown,
  DOCX, PDF), with seeded random layouts; :func:`write_report` writes it to a file.

Installing gov_audit also registers a pytest plugin that provides the Hypothesis
profiles ``ci`` (default) and ``thorough``; choose with ``HYPOTHESIS_PROFILE``.
See docs/rule-authoring.md for a tutorial.
"""
from __future__ import annotations

from ._corrupt import CORRUPTION_KINDS, Corruption, blind_spots, corruptions
from ._render import FORMS, render, write_report
from ._strategies import panels, reports

__all__ = ["reports", "panels", "corruptions", "blind_spots", "Corruption", "CORRUPTION_KINDS",
           "render", "write_report", "FORMS"]
