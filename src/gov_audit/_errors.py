"""Exception types. A broken rule file raises; a broken report produces findings."""
from __future__ import annotations


class GovAuditError(Exception):
    """Base class of every exception raised by gov_audit."""


class RuleError(GovAuditError):
    """A rule or template file is malformed.

    The message names the file and, where known, the rule id and the key at fault.
    """

    def __init__(self, message: str, *, path: str | None = None, rule: str | None = None):
        self.path = path
        self.rule = rule
        where = " ".join(p for p in (path and f"[{path}]", rule and f"rule {rule!r}:") if p)
        super().__init__(f"{where} {message}".strip())


class InputError(GovAuditError):
    """An input cannot be read as a report at all (empty, binary, not a report…).

    ``reason`` is a stable code (see ``gov_audit._read.REASONS``); ``message`` is for people.
    ``detail`` is what was found, in no particular language (a size, the library's own
    error), kept apart from the reason's words so that each language's message can be
    built from the code plus the detail (``gov_audit._read.input_error`` sets both).
    """

    def __init__(self, reason: str, message: str, *, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(message)
