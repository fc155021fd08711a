"""Requests that need no visitor make none: no session is stored and no cookie is set.

A cookie for a 404 or a file would pile sessions up for nobody (scanners, <img> tags).
Such views are marked @no_session; an unknown path has no view at all.
"""

import pytest

from app.protection.guards import large_body
from app.visitor.identity import no_session

JSON = {"Accept": "application/json"}


@pytest.mark.parametrize(
    "path, headers, status",
    [
        pytest.param("/nowhere", JSON, 404, id="json-404"),
        pytest.param("/room/x/chats/deep/nowhere", JSON, 404, id="json-404-deep"),
        pytest.param("/gif/" + "0" * 24 + ".gif", {}, 404, id="unknown-gif"),
        pytest.param("/healthz", {}, 200, id="healthz"),
        pytest.param("/readyz", {}, 200, id="readyz"),
        pytest.param("/static/js/api.js", {}, 200, id="static"),
    ],
)
def test_no_cookie_and_no_session_for_what_needs_no_visitor(app, path, headers, status):
    client = app.test_client()
    with client.get(path, headers=headers) as response:  # a file's answer holds it open
        assert response.status_code == status
        assert "Set-Cookie" not in response.headers
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None


def test_a_json_404_says_not_found_in_its_code(app):
    response = app.test_client().get("/nowhere", headers=JSON)
    assert response.json["code"] == "not-found"


def test_a_page_gets_its_visitor_and_cookie(app):
    response = app.test_client().get("/")
    assert response.status_code == 200 and "Set-Cookie" in response.headers


def test_the_marks_are_on_the_views(app):
    views = app.view_functions
    marked = {name for name, view in views.items() if getattr(view, "no_session", False)}
    assert marked == {"static", "chat.gif", "health.healthz", "health.readyz", "metrics.metrics"}
    assert {name for name, view in views.items() if getattr(view, "large_body", False)} == {
        "chat.post_gif"
    }


def test_markers_return_the_view_itself():
    def view():
        return "ok"

    assert no_session(view) is view and large_body(view) is view
    assert view.no_session is True and view.large_body is True
