"""Shared fixtures: one Prefect test harness for the whole session (flow wiring tests)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API and database, started once; request it to run flows."""
    from prefect.testing.utilities import prefect_test_harness

    # The default 30 s start-up timeout trips on a loaded 2-core machine.
    with prefect_test_harness(server_startup_timeout=180):
        yield
