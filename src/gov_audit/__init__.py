"""gov_audit: audit 政府信息公开工作年度报告 for internal consistency.

Start with :func:`audit` (one report: a path, text, a dict of cells or a one-row
DataFrame) or :func:`audit_panel` (many reports of one template as a DataFrame with
one column per cell code). Both give findings: :class:`Finding` records and a tidy
findings DataFrame. :func:`audit_paths` audits files, folders and zip archives
as a batch, and :func:`format_results` writes the results as text, JSON, CSV, HTML or
XLSX. :func:`schema_for` shows the pandera schema compiled from the
rule files; :func:`load_rules` the rules themselves. Rule authors: see
``gov_audit.testing`` for hypothesis strategies.
"""
from __future__ import annotations

from ._api import AuditResult, audit, audit_reports
from ._audit import PanelResult, audit_panel, iter_findings
from ._batch import audit_paths
from ._compile import schema_for
from ._errors import GovAuditError, InputError, RuleError
from ._finding import FINDING_COLUMNS, Finding, Reason, findings_frame, relevance
from ._output import format_results
from ._read import read
from ._report import Report, panel_of
from ._rules import load_rules
from ._template import get_template

__version__ = "0.1.0"

__all__ = [
    "audit", "audit_panel", "audit_reports", "audit_paths", "format_results", "iter_findings", "read",
    "schema_for", "load_rules", "get_template", "panel_of", "findings_frame", "relevance",
    "AuditResult", "PanelResult", "Finding", "Reason", "Report", "FINDING_COLUMNS",
    "GovAuditError", "InputError", "RuleError",
]
