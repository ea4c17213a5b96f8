"""Shared pytest set-up.

Hypothesis profiles (``ci`` by default, ``thorough`` with HYPOTHESIS_PROFILE=thorough)
come from gov_audit's pytest plugin, registered as the ``pytest11`` entry point
``gov_audit``. If the plugin is not active (``-p no:gov_audit``, or a checkout used
without installing it), apply it from here — registering it a second time as a plugin
would be an error, so only its configure step runs.
"""
from __future__ import annotations


def pytest_configure(config):
    if not config.pluginmanager.has_plugin("gov_audit"):
        from gov_audit.testing import _plugin

        _plugin.pytest_configure(config)
