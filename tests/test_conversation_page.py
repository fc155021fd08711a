"""The chat page's parts for steering a conversation, in each language, from the catalogs."""

import re

import pytest

from .pages import page_data


@pytest.mark.parametrize(
    ("language", "asked", "edited", "guest"),
    [
        ("ko", "어떻게 불러 드릴까요?", "(수정됨)", "손님, 파랑"),
        ("en", "What should people call you?", "(edited)", "Guest, blue"),
    ],
)
def test_the_room_page_offers_search_a_name_and_names_to_mention(
    visitor, language, asked, edited, guest
):
    alice = visitor()
    room_id = alice.create_room("talk")
    page = alice.client.get(f"/room/{room_id}", headers={"Accept-Language": language}).text
    assert re.search(r'<form id="search-form" class="room-search" role="search">', page)
    assert 'maxlength="100"' in page  # a search of at most 100 characters, as the server takes
    # The name offer: hidden until the script sees there is no name, so never in the way.
    assert re.search(r'<form id="name-offer"[^>]* hidden>', page) and asked in page
    assert '<ul id="mention-list" class="mention-list" role="listbox"' in page
    strings = page_data(page, "room-config")["strings"]
    assert strings["edited"] == edited
    assert {"reply", "editMessage", "replyingTo", "originalGone", "searchFound"} <= strings.keys()
    spoken = page_data(page, "page-config")["strings"]
    assert spoken["guest"].replace("%(color)s", spoken["colorBlue"]) == guest
