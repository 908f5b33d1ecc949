"""Prometheus metrics and the small HTTP server for /healthz and /metrics."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

ACTIVE_WINDOW_S = 30 * 60
"""A session counts as active when its resident wrote within this window."""


class Metrics:
    """The bot's metrics in their own registry (several bots can live in one process)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "lotse_updates_total", "Updates handled, by kind", ["kind"], registry=self.registry
        )
        self.errors = Counter(
            "lotse_errors_total", "Errors, by stage", ["stage"], registry=self.registry
        )
        self.latency = Histogram(
            "lotse_reply_seconds",
            "From receiving an update to the last reply sent",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.handoffs = Counter(
            "lotse_handoffs_total", "Requests for a person", registry=self.registry
        )
        self.dead_letters = Counter(
            "lotse_dead_letters_total",
            "Calls not delivered: undelivered (retries ran out) or refused (by Telegram)",
            ["verdict"],
            registry=self.registry,
        )
        for verdict in ("undelivered", "refused"):
            self.dead_letters.labels(verdict=verdict)  # shown as 0 from the start
        self.resent = Counter(
            "lotse_dead_letters_resent_total",
            "Undelivered calls queued again (at start or with /resend)",
            registry=self.registry,
        )
        self.active = Gauge(
            "lotse_active_sessions",
            "Residents who wrote in the last 30 minutes",
            registry=self.registry,
        )
        self.active.set_function(self._count_active)
        self._seen: OrderedDict[int, float] = OrderedDict()
        self._clock = clock

    def saw(self, chat_id: int) -> None:
        """Note activity of a resident (only an opaque chat id, kept in memory)."""
        self._seen[chat_id] = self._clock()
        self._seen.move_to_end(chat_id)

    def _count_active(self) -> int:
        limit = self._clock() - ACTIVE_WINDOW_S
        while self._seen and next(iter(self._seen.values())) < limit:
            self._seen.popitem(last=False)
        return len(self._seen)

    def render(self) -> bytes:
        """The Prometheus text format."""
        return generate_latest(self.registry)


def add_observability_routes(
    app: web.Application, metrics: Metrics, healthy: Callable[[], bool]
) -> None:
    """Add /healthz (200 "ok" or 503) and /metrics to an aiohttp application."""

    async def healthz(_request: web.Request) -> web.Response:
        ok = healthy()
        return web.Response(text="ok" if ok else "unhealthy", status=200 if ok else 503)

    async def metrics_page(_request: web.Request) -> web.Response:
        return web.Response(body=metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
