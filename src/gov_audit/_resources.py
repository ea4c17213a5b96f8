"""Where the rule files live.

The rule files are data in the repository's top-level ``rules/`` folder. A wheel
carries them as ``gov_audit/rules`` (see ``force-include`` in pyproject.toml); a
source checkout or an editable install reads the top-level folder directly.
"""
from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

ENV_VAR = "GOV_AUDIT_RULES"


def rules_dir() -> Path:
    """Return the folder holding ``templates/`` and ``checks/``.

    ``GOV_AUDIT_RULES`` overrides it (used by rule authors trying a new rule set).
    """
    return _rules_dir(os.environ.get(ENV_VAR) or "")


@functools.lru_cache(maxsize=None)
def _rules_dir(override: str) -> Path:
    # Cached per value of the override: finding the packaged folder through importlib
    # costs about a millisecond, and every read asks for the templates.
    if override:
        return Path(override)
    packaged = Path(str(resources.files("gov_audit"))) / "rules"
    if (packaged / "templates").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if (checkout / "templates").is_dir():
        return checkout
    raise FileNotFoundError(
        "gov_audit cannot find its rule files (looked in "
        f"{packaged} and {checkout}); set {ENV_VAR} to the rules folder"
    )
