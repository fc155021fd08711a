"""Error pages speak to people: what happened in their language, and the way back to the lobby."""

import re

import pytest

HTML = {"Accept": "text/html"}


def heading(page: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()


@pytest.mark.parametrize(
    ("language", "title"), [("ko", "페이지를 찾을 수 없습니다"), ("en", "Page not found")]
)
def test_an_unknown_address_is_a_page_not_found_with_a_way_back(app, language, title):
    client = app.test_client()
    response = client.get("/nope", headers={**HTML, "Accept-Language": language})
    assert response.status_code == 404
    assert heading(response.text) == title
    assert 'href="/"' in response.text  # back to the lobby
    for developer_words in ("GET", "/nope", "route", "라우터"):
        assert developer_words not in response.text.split("<main", 1)[1]


def test_a_script_still_gets_the_json_error(app):
    response = app.test_client().get(
        "/nope", headers={"Accept": "application/json", "Accept-Language": "en"}
    )
    assert response.status_code == 404
    assert response.json == {"error": "No route for GET /nope.", "code": "not-found"}


def test_a_wrong_method_page_names_no_method(app):
    response = app.test_client().put("/room", headers={**HTML, "Accept-Language": "en"})
    assert response.status_code == 405
    main = response.text.split("<main", 1)[1]
    assert "PUT" not in main and "not allowed" not in main
    assert heading(response.text) == "That did not work"
    assert 'href="/"' in main
