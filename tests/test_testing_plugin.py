"""The pytest plugin: entry point, profiles, and choosing one with HYPOTHESIS_PROFILE."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points

import pytest
from hypothesis import settings

from gov_audit.testing import _plugin


def test_the_plugin_is_a_pytest11_entry_point():
    found = {e.name: e.value for e in entry_points(group="pytest11")}
    assert found.get("gov_audit") == "gov_audit.testing._plugin"


def test_profiles_are_registered():
    ci, thorough = settings.get_profile("ci"), settings.get_profile("thorough")
    assert ci.deadline is None and ci.derandomize and ci.max_examples < thorough.max_examples
    assert thorough.deadline is None and not thorough.derandomize


def test_the_active_profile_is_the_one_asked_for(pytestconfig):
    asked = pytestconfig.getoption("hypothesis_profile", default=None) or os.environ.get("HYPOTHESIS_PROFILE", "ci")
    assert settings.get_current_profile_name() == asked


@pytest.fixture
def restore_profile():
    before = settings.get_current_profile_name()
    yield
    settings.load_profile(before)


@pytest.mark.parametrize("env, current, option, expected", [
    (None, "default", None, "ci"),              # nothing chosen: ci
    (None, "ci", None, "ci"),                   # Hypothesis' own CI detection: our ci
    ("thorough", "default", None, "thorough"),  # the environment variable
    (None, "thorough", None, "thorough"),       # a profile the user loaded is kept
    ("thorough", "ci", "ci", "ci"),             # --hypothesis-profile wins
])
def test_select_profile(monkeypatch, restore_profile, env, current, option, expected):
    if env is None:
        monkeypatch.delenv("HYPOTHESIS_PROFILE", raising=False)
    else:
        monkeypatch.setenv("HYPOTHESIS_PROFILE", env)
    settings.load_profile(current)
    assert _plugin.select_profile(option) == expected == settings.get_current_profile_name()


def test_an_unknown_profile_is_a_usage_error(monkeypatch, restore_profile):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", "nightly")

    class Config:
        def getoption(self, name, default=None):
            return default

    with pytest.raises(pytest.UsageError, match="HYPOTHESIS_PROFILE='nightly'"):
        _plugin.pytest_configure(Config())


def test_a_fresh_pytest_run_picks_the_profile_from_the_environment(tmp_path):
    # The real thing, end to end: a project that only installed gov_audit.
    (tmp_path / "test_profile.py").write_text(textwrap.dedent("""\
        from hypothesis import settings

        def test_profile():
            assert settings.get_current_profile_name() == "thorough"
            assert settings.default.max_examples == settings.get_profile("thorough").max_examples
        """), encoding="utf-8")
    env = {**os.environ, "HYPOTHESIS_PROFILE": "thorough"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
