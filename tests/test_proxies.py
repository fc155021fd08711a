"""Proxies trusted only when they are the proxy, and a relayed request never local."""

import pytest

from app import create_app
from app.protection.proxies import is_trusted, networks

FORGED = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}


@pytest.fixture
def behind_proxy(config):
    config["PROXY_COUNT"] = 1
    app = create_app(config)

    @app.get("/test-client-address")
    def address():
        from flask import request

        return f"{request.remote_addr} {request.scheme}"

    return app


@pytest.mark.parametrize(
    "peer, seen",
    [
        ("127.0.0.1", "198.51.100.1 https"),  # the proxy on this machine
        ("127.0.0.9", "198.51.100.1 https"),
        ("::1", "198.51.100.1 https"),
        ("::ffff:127.0.0.1", "198.51.100.1 https"),
        ("203.0.113.9", "203.0.113.9 http"),  # someone reaching the backend past the proxy
        ("10.0.0.5", "10.0.0.5 http"),
    ],
)
def test_forwarded_headers_count_only_from_a_trusted_proxy(behind_proxy, peer, seen):
    client = behind_proxy.test_client()
    answer = client.get("/test-client-address", headers=FORGED, environ_base={"REMOTE_ADDR": peer})
    assert answer.text == seen


def test_the_trusted_proxies_are_a_setting(config):
    config.update(PROXY_COUNT=1, TRUSTED_PROXIES="10.0.0.0/8, fd00::/8")
    app = create_app(config)

    @app.get("/test-client-address")
    def address():
        from flask import request

        return request.remote_addr

    client = app.test_client()
    seen = client.get(
        "/test-client-address", headers=FORGED, environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert seen.text == "198.51.100.1"
    seen = client.get("/test-client-address", headers=FORGED)  # loopback is no longer trusted
    assert seen.text == "127.0.0.1"


def test_per_address_limits_count_the_peer_when_it_is_not_the_proxy(config, clock):
    config.update(PROXY_COUNT=1, RATELIMIT_ENABLED=True, RATELIMIT_HANDSHAKE="2 per 10 seconds")
    client = create_app(config).test_client()
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    for forged in ("198.51.100.1", "198.51.100.2"):
        client.get(
            "/socket.io/?EIO=4&transport=polling",
            headers={"X-Forwarded-For": forged},
            environ_base=stranger,
        )
    # A new forged address each time is the same stranger: its limit is reached.
    third = client.get(
        "/socket.io/?EIO=4&transport=polling",
        headers={"X-Forwarded-For": "198.51.100.3"},
        environ_base=stranger,
    )
    assert third.status_code == 429


def test_a_bad_trusted_proxies_setting_stops_the_start(config):
    config.update(PROXY_COUNT=1, TRUSTED_PROXIES=["not a network"])
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        create_app(config)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-For": "203.0.113.9"},
        {"X-Forwarded-For": "127.0.0.1"},
        {"X-Real-IP": "203.0.113.9"},
        {"X-Real-IP": "127.0.0.1"},
        {"Forwarded": "for=203.0.113.9"},
    ],
)
@pytest.mark.parametrize("proxies", [0, 1])
def test_metrics_never_take_a_relayed_request_for_a_local_one(config, headers, proxies):
    config["PROXY_COUNT"] = proxies
    client = create_app(config).test_client()
    response = client.get("/metrics", headers=headers)  # the peer is loopback: a local proxy
    assert response.status_code == 403 and response.json["error"]
    assert "gifchat_" not in response.text
    assert client.get("/metrics").status_code == 200  # this machine, asking itself


def test_networks_read_lists_and_strings():
    assert is_trusted("127.0.0.1", networks(["127.0.0.0/8", "::1"]))
    assert is_trusted("::1", networks("127.0.0.0/8,::1"))
    assert not is_trusted("128.0.0.1", networks(["127.0.0.0/8"]))
    assert not is_trusted("", networks(["127.0.0.0/8"]))
    assert not is_trusted(None, networks(["127.0.0.0/8"]))
