# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pytest settings of the project's test run.

A skipped test fails the run: Odoo skips every browser tour silently when
Chromium or websocket-client is missing, and a skipped tour proves nothing.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = (
            report.longrepr[2]
            if isinstance(report.longrepr, tuple)
            else report.longrepr
        )
        report.outcome = "failed"
        report.longrepr = f"skipped, and a skipped test fails this run: {reason}"


def pytest_sessionstart(session):
    """The test command passes ``--test-enable`` so that pytest-odoo's own
    import of ``odoo.tests`` logs no ERROR; reset it before anything runs."""
    import odoo

    odoo.tools.config["test_enable"] = False


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session):
    """Import the tests as Odoo's own runner does: with ``test_enable`` set.

    Otherwise ``odoo.tests`` logs an ERROR at import time. The flag is reset
    afterwards, so that loading the registry and starting the HTTP server run
    no test of their own (pytest-odoo sets it again around each test module).
    """
    import odoo

    odoo.tools.config["test_enable"] = True
    try:
        yield
    finally:
        odoo.tools.config["test_enable"] = False
