"""Prometheus metrics: counters kept per app, gauges read when scraped."""

import hmac
import ipaddress

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from .. import wire
from ..patches import socketio_deliveries
from ..protection.proxies import relayed
from ..store import StoreUnavailable
from ..visitor.identity import no_session
from ..web.errors import json_error

bp = Blueprint("metrics", __name__)


class Metrics:
    """One app's counters, in a registry of its own: apps and tests never share one."""

    def __init__(self):
        disable_created_metrics()  # a *_created series per counter is noise here
        self.registry = registry = CollectorRegistry(auto_describe=True)
        self.messages = Counter(
            "gifchat_messages", "Text messages posted, whispers included", registry=registry
        )
        self.gifs = Counter("gifchat_gifs", "GIFs posted", registry=registry)
        self.deliveries = _Tally(
            "gifchat_deliveries", "Socket.IO events sent to sockets by this process"
        )
        registry.register(self.deliveries)
        self.rate_limited = Counter(
            "gifchat_rate_limited",
            "Requests and socket events refused by a rate limit",
            ["limit"],
            registry=registry,
        )
        self.store_errors = Counter(
            "gifchat_store_errors",
            "Requests and socket events answered 'unavailable' (503)",
            registry=registry,
        )
        self.request_seconds = Histogram(
            "gifchat_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["endpoint"],
            registry=registry,
        )
        self._durations = {}  # endpoint -> its child of request_seconds

    def count_refusal(self, limit: str) -> None:
        """Count one 429 of the rate limit named `limit` (e.g. "chat"); app.protection.limits
        calls it."""
        self.rate_limited.labels(limit=limit).inc()

    def observe_request(self, endpoint: str, seconds: float) -> None:
        """Count one answered request's duration under its endpoint."""
        durations = self._durations.get(endpoint)
        if durations is None:  # labels() takes a lock and builds a key: once per endpoint
            durations = self._durations[endpoint] = self.request_seconds.labels(endpoint=endpoint)
        durations.observe(seconds)


def get_metrics() -> Metrics:
    return current_app.extensions["metrics"]


class _Tally:
    """A counter for the hottest path, one event per socket: a plain int, read when scraped.

    prometheus_client's Counter takes a lock on each increment, which under eventlet is a
    green lock, several times the cost of the increment itself.
    """

    def __init__(self, name: str, documentation: str):
        self.name = name
        self.documentation = documentation
        self.value = 0

    def describe(self):
        return [CounterMetricFamily(self.name, self.documentation)]

    def collect(self):
        yield CounterMetricFamily(self.name, self.documentation, value=self.value)


class _Now:
    """Gauges computed at scrape time from the sockets, the store and presence."""

    def __init__(self, app, server):
        self.app = app
        self.server = server

    def describe(self):
        return []  # names are not known until collected; nothing to clash with

    def collect(self):
        sockets = GaugeMetricFamily(
            "gifchat_sockets", "Socket.IO connections open on this process", labels=["namespace"]
        )
        for namespace in (wire.CHAT, wire.LOBBY):
            count = sum(1 for _ in self.server.manager.get_participants(namespace, None))
            sockets.add_metric([namespace], count)
        yield sockets
        try:
            rooms = self.app.extensions["store"].list_rooms()
        except StoreUnavailable:
            return  # the rest would be guesses; /readyz says why
        presence = self.app.extensions["presence"]
        yield GaugeMetricFamily("gifchat_rooms", "Rooms that exist", value=len(rooms))
        yield GaugeMetricFamily(
            "gifchat_people_in_rooms",
            "People in rooms (a visitor with two tabs counts once), all processes",
            value=sum(presence.count(room.id) for room in rooms),
        )


def _on_emit(metrics: Metrics):
    """Count messages and GIFs as they are sent out: each stored chat is emitted once."""

    def emitted(event, namespace, data) -> None:
        if event == wire.MESSAGE and namespace == wire.CHAT and isinstance(data, dict):
            (metrics.gifs if "gif" in data else metrics.messages).inc()

    return emitted


def _count_socket_store_errors(socketio) -> None:
    answer = socketio.default_exception_handler

    def counted(error):
        if isinstance(error, StoreUnavailable):
            get_metrics().store_errors.inc()
        return answer(error)

    if answer is not None:
        socketio.default_exception_handler = counted


def init_app(app, socketio) -> Metrics:
    """Count what this app's Socket.IO server sends; serve /metrics."""
    metrics = app.extensions["metrics"] = Metrics()
    server = socketio.server
    metrics.registry.register(_Now(app, server))
    socketio_deliveries.watch(server, metrics.deliveries, _on_emit(metrics))
    _count_socket_store_errors(socketio)
    app.register_blueprint(bp)
    return metrics


def _from_this_machine() -> bool:
    # A relayed request is never local: nginx on this machine relays the whole world, and
    # the headers may name the client (or anyone) whether or not they were unwrapped.
    if relayed(request.headers):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _has_token() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), str(token).encode())


@bp.get("/metrics")
@no_session
def metrics():
    """Prometheus text format, to this machine or to whoever has the metrics token."""
    if not (_from_this_machine() or _has_token()):
        return json_error(_("Metrics are served to this machine, or with the metrics token."), 403)
    body = generate_latest(get_metrics().registry)
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
