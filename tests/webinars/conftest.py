"""Fixtures for the Graph client tests: a real HTTPS Graph emulator and a client aimed at it.

No database: these tests exercise HTTP behaviour only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.graph_emulator import GraphEmulator
from webinars.graph.client import GraphClient, clear_app_cache


class SleepRecorder(list[float]):
    """Injected instead of time.sleep: records the requested delays and returns at once."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def graph_emulator() -> Iterator[GraphEmulator]:
    """A fresh emulator per test (start-up is ~10 ms: EC keys, ephemeral port), small pages."""
    clear_app_cache()
    with GraphEmulator(page_size=3, seed=1234) as emulator:
        yield emulator
    clear_app_cache()


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def graph_client(graph_emulator: GraphEmulator, sleeps: SleepRecorder) -> GraphClient:
    return GraphClient(graph_emulator.config(max_retries=3, max_backoff=2.0), sleep=sleeps)
