"""The pytest plugin of gov_audit (entry point ``pytest11: gov_audit``).

It registers two Hypothesis profiles and loads one when pytest starts:

* ``ci`` — few examples, derandomised (the same examples on every run, so CI is
  reproducible) and no deadline (one audit validates a whole pandera schema); the default;
* ``thorough`` — many examples, random, with the example database: for a nightly run or
  before changing a rule file.

Choose with ``HYPOTHESIS_PROFILE=thorough``; ``--hypothesis-profile`` still wins. A
project that registers its own profile of the same name in its ``conftest.py`` keeps
its own (conftest files load before ``pytest_configure``, and we register first).
If the user has loaded a profile of their own, we leave it alone.
"""
from __future__ import annotations

import os

from hypothesis import settings
from hypothesis.errors import InvalidArgument

ENV_VAR = "HYPOTHESIS_PROFILE"
DEFAULT_PROFILE = "ci"

settings.register_profile(
    "ci",
    # Hypothesis' own "ci" profile (derandomize, no database, print_blob) with fewer examples.
    parent=settings.get_profile("ci"), max_examples=12, deadline=None,
)
# Parent "default" explicitly: on a CI machine (CI=true) Hypothesis makes its derandomized
# "ci" profile the current default, and a profile registered without a parent inherits it.
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=400, deadline=None,
                          derandomize=False, print_blob=True)


def select_profile(option: str | None = None) -> str:
    """Load the profile the environment asks for and return its name.

    ``option`` is the value of ``--hypothesis-profile``, which the Hypothesis plugin has
    already applied. Without either, ``ci`` replaces only Hypothesis' built-in choice
    (``default``, or ``ci`` picked automatically on a CI machine).
    """
    if option:
        return settings.get_current_profile_name()
    name = os.environ.get(ENV_VAR)
    if name is None:
        if settings.get_current_profile_name() not in ("default", "ci"):
            return settings.get_current_profile_name()  # someone chose theirs
        name = DEFAULT_PROFILE
    settings.load_profile(name)
    return name


def pytest_configure(config) -> None:
    import pytest

    try:
        select_profile(config.getoption("hypothesis_profile", default=None))
    except InvalidArgument as exc:  # an unknown name: say which variable set it
        raise pytest.UsageError(f"{ENV_VAR}={os.environ.get(ENV_VAR)!r}: {exc}") from exc


def pytest_report_header(config) -> str:
    return f"gov_audit: hypothesis profile {settings.get_current_profile_name()!r} (set {ENV_VAR} to change)"
