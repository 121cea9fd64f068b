"""Fault injection: queued faults (deterministic) and a seeded random failure rate."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Fault:
    """One queued fault. ``target``: ``"graph"`` (any Graph operation, top-level or inside a batch),
    ``"batch"`` (the ``$batch`` envelope itself) or ``"token"``. ``match`` is a substring of
    ``"METHOD /path"`` (path relative to the Graph base) or a predicate on that string."""

    kind: str  # "status" | "malformed" | "slow"
    remaining: int
    status: int = 0
    retry_after: float | None = None
    mode: str = ""
    target: str = "graph"
    match: str | Callable[[str], bool] | None = None

    def matches(self, target: str, signature: str) -> bool:
        if self.remaining <= 0 or self.target != target:
            return False
        if self.match is None:
            return True
        if callable(self.match):
            return bool(self.match(signature))
        return self.match in signature


class Faults:
    """Fault injection for tests: queued faults (deterministic) plus a seeded random failure rate.

    ``fail_rate`` applies to Graph operations, both top-level and inner batch requests, and answers
    with a status drawn from ``fail_statuses`` (429 responses carry ``Retry-After: retry_after``).
    ``delay`` slows every Graph response (to exercise client timeouts).
    """

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self.queue: list[Fault] = []
        self.fail_rate = 0.0
        self.fail_statuses: tuple[int, ...] = (429, 503)
        self.retry_after: float = 1
        self.delay = 0.0
        self.rng = random.Random(seed)
        self.injected: Counter[int | str] = Counter()

    def seed(self, seed: int) -> None:
        self.rng.seed(seed)

    def reset(self) -> None:
        with self._lock:
            self.queue.clear()
            self.fail_rate = 0.0
            self.delay = 0.0
            self.injected.clear()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.queue.append(fault)
        return fault

    def throttle(
        self,
        count: int = 1,
        retry_after: float | None = 1,
        *,
        target: str = "graph",
        match: str | Callable[[str], bool] | None = None,
    ) -> Fault:
        """The next ``count`` matching requests get HTTP 429 TooManyRequests with ``Retry-After``."""
        return self.add(Fault("status", count, 429, retry_after, target=target, match=match))

    def unavailable(
        self,
        count: int = 1,
        status: int = 503,
        retry_after: float | None = None,
        *,
        target: str = "graph",
        match: str | Callable[[str], bool] | None = None,
    ) -> Fault:
        """The next ``count`` matching requests get a 5xx (default 503 ServiceUnavailable)."""
        return self.add(Fault("status", count, status, retry_after, target=target, match=match))

    def token_failure(self, count: int = 1, status: int = 503, *, not_json: bool = False,
                      retry_after: float | None = None) -> Fault:
        """The next ``count`` token requests fail with ``status``; ``not_json`` answers with an HTML
        body (a throttling gateway) instead of the identity platform's JSON error."""
        return self.add(Fault("status", count, status, retry_after, mode="not-json" if not_json else "",
                              target="token"))

    def slow_batch(self, count: int = 1, seconds: float = 2.0) -> Fault:
        """The next ``count`` outer ``$batch`` requests are executed, then answered after ``seconds``
        (longer than the client's timeout: the client never learns the outcome)."""
        return self.add(Fault("slow", count, retry_after=seconds, target="batch"))

    def malformed(
        self,
        count: int = 1,
        mode: str = "not-json",
        *,
        target: str = "graph",
        match: str | Callable[[str], bool] | None = None,
    ) -> Fault:
        """Execute the request but garble the response. Modes: ``not-json`` (HTTP 200 text/html),
        ``truncated`` (cut JSON), ``missing-join-url`` (meeting without ``joinWebUrl``)."""
        if mode not in {"not-json", "truncated", "missing-join-url"}:
            raise ValueError(f"unknown malformed mode {mode!r}")
        return self.add(Fault("malformed", count, mode=mode, target=target, match=match))

    def take(self, kind: str, target: str, signature: str) -> Fault | None:
        """Consume the first matching queued fault, or draw one from ``fail_rate``."""
        with self._lock:
            for fault in self.queue:
                if fault.kind == kind and fault.matches(target, signature):
                    fault.remaining -= 1
                    self.injected[fault.status or fault.mode or fault.kind] += 1
                    return fault
            if (
                kind == "status"
                and target == "graph"
                and self.fail_rate > 0
                and self.rng.random() < self.fail_rate
            ):
                status = self.rng.choice(self.fail_statuses)
                self.injected[status] += 1
                return Fault("status", 0, status, self.retry_after if status == 429 else None)
        return None

