"""Sending on a bad line: nothing typed is dropped, and every refusal says why and how long.

The page's requests are held, refused or cut with `page.route`, as a slow or failing line
would; the server behind them is the real one.
"""

import json
import re
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from .people import DESKTOP, expect

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
KOREAN = {"locale": "ko-KR", "viewport": PHONE}
ENGLISH = {"locale": "en-US", "viewport": DESKTOP}
WORDS = {
    "ko-KR": {
        "sending": "보내는 중…",
        "not sent": "보내지 못함",
        "busy": "서비스가 바쁩니다. 잠시 후 다시 시도해 주세요.",
        "failed": "요청이 실패했습니다. 다시 시도해 주세요.",
        "wait": re.compile(r"한꺼번에 너무 많이 보냈습니다\. \d+초 뒤에 다시 시도합니다\."),
        "retry": "다시 보내기",
        "edit": "수정",
        "discard": "버리기",
        "too large": "GIF는 5MB까지 올릴 수 있습니다.",
    },
    "en-US": {
        "sending": "Sending…",
        "not sent": "Not sent",
        "busy": "The service is busy. Please try again in a moment.",
        "failed": "The request failed. Please try again.",
        "wait": re.compile(r"Too many at once: trying again in \d+ s\."),
        "retry": "Retry",
        "edit": "Edit",
        "discard": "Discard",
        "too large": "A GIF can be at most 5 MB.",
    },
}
BOTH = pytest.mark.parametrize("options", [KOREAN, ENGLISH], ids=["ko-phone", "en-desktop"])
PENDING = re.compile(r"\bpending\b")
NOT_IN_ROOM = "That person is not in the room."  # in English whatever the page's language


def pair(person, title, options):
    """A (in `options`) in a new room, with B there to see what reaches the room."""
    a, b = person("A", **options), person("B")
    room_id = a.create_room(title)
    b.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")
    return a, b


def texts(visitor):
    return visitor.page.locator("#chat-list li.message .bubble .text").all_inner_texts()


def posts_of(visitor, path, handler):
    """Route the page's POSTs to `path` (its other methods go on) through handler(route)."""

    def route(route):
        if route.request.method != "POST":
            return route.fallback()
        return handler(route)

    visitor.page.route(path, route)


def refuse_first(status, error, code, headers=None):
    """A handler that refuses the first request with the server's shape, then lets all through."""
    refused = []

    def handler(route):
        if refused:
            return route.fallback()
        refused.append(route.request.url)
        body = json.dumps({"error": error, "code": code})
        route.fulfill(status=status, content_type="application/json", body=body, headers=headers)

    return handler, refused


@BOTH
def test_on_a_slow_line_each_message_shows_at_once_and_they_go_in_order_once(person, options):
    words = WORDS[options["locale"]]
    a, b = pair(person, "느린 회선", options)
    held = []

    def hold_first(route):
        if held:
            return route.fallback()
        held.append((route, route.fetch()))  # the server has it; its answer is slow to come back

    posts_of(a, "**/chat", hold_first)
    box = a.page.locator("#chat")
    a.type_message("first")
    first = a.message("first")
    expect(first).to_have_class(PENDING)
    expect(first.locator(".send-mark")).to_have_text(words["sending"])
    expect(box).to_have_value("")  # free for the next one at once
    a.type_message("second")
    second = a.message("second")
    expect(second).to_have_class(PENDING)
    expect(second.locator(".send-mark")).to_have_text(words["sending"])
    expect(b.message("first")).to_have_count(1)  # stored, and told to the room, mine included
    assert texts(a) == ["first", "second"] and len(held) == 1  # one at a time, in order
    a.screenshot(f"sending-slow-{options['locale']}.png", full_page=False)

    route, response = held[0]
    route.fulfill(response=response)
    for text in ("first", "second"):
        expect(a.message(text)).not_to_have_class(PENDING)
        expect(a.message(text)).to_have_count(1)  # the live copy and the answer are one message
        expect(b.message(text)).to_have_count(1)
    assert texts(a) == texts(b) == ["first", "second"]
    expect(box).to_have_value("")
    expect(a.page.locator("#chat-list li.pending")).to_have_count(0)


@BOTH
def test_a_rate_limited_message_counts_down_and_goes_by_itself(person, options):
    words = WORDS[options["locale"]]
    a, b = pair(person, "너무 빨라", options)
    handler, refused = refuse_first(
        429, "Too many messages. Try again in 2 seconds.", "rate-limited", {"Retry-After": "2"}
    )
    posts_of(a, "**/chat", handler)
    a.type_message("patience")
    mine = a.message("patience")
    expect(mine.locator(".send-problem")).to_have_text(words["wait"])
    expect(mine.locator("button")).to_have_count(0)  # no Retry that would fail again
    expect(mine).not_to_have_class(PENDING, timeout=10_000)  # it went when the wait ended
    assert len(refused) == 1
    expect(b.message("patience")).to_have_count(1)
    expect(a.message("patience")).to_have_count(1)


@BOTH
def test_a_refused_message_says_the_servers_reason_and_goes_first_when_sending_again(
    person, options
):
    words = WORDS[options["locale"]]
    a, b = pair(person, "바쁜 서버", options)
    handler, refused = refuse_first(503, words["busy"], "busy", {"Retry-After": "5"})
    posts_of(a, "**/chat", handler)
    a.type_message("one")
    one = a.message("one")
    expect(one.locator(".send-mark")).to_have_text(words["not sent"])
    expect(one.locator(".send-reason")).to_have_text(words["busy"])
    expect(one.get_by_role("button", name=words["retry"])).to_be_visible()
    expect(a.page.locator("#chat-error")).to_be_hidden()
    expect(a.page.locator("#chat")).to_have_value("")  # the words are in the list, not lost
    a.screenshot(f"sending-not-sent-{options['locale']}.png", full_page=False)

    # The next message sends the one before it again first: the room gets them in order.
    a.say("two")
    expect(one).not_to_have_class(PENDING)
    assert texts(a) == ["one", "two"]
    expect(b.message("two")).to_have_count(1)
    assert texts(b) == ["one", "two"] and len(refused) == 1


def test_a_message_cut_off_by_a_dropped_line_is_sent_again_with_retry(person):
    words = WORDS["ko-KR"]
    a, b = pair(person, "끊긴 요청", KOREAN)
    posts_of(a, "**/chat", lambda route: route.abort())
    a.type_message("다시 갈 말")
    mine = a.message("다시 갈 말")
    expect(mine.locator(".send-reason")).to_have_text(words["failed"])
    a.page.unroute("**/chat")
    mine.get_by_role("button", name=words["retry"]).click()
    expect(mine).not_to_have_class(PENDING)
    expect(b.message("다시 갈 말")).to_have_count(1)
    expect(a.message("다시 갈 말")).to_have_count(1)


def test_a_message_stored_whose_answer_was_lost_is_not_stored_twice_by_retry(person):
    words = WORDS["en-US"]
    a, b = pair(person, "lost answer", ENGLISH)
    stored = []

    def store_then_cut(route):
        if stored:
            return route.fallback()
        stored.append(route.fetch().status)  # the server has it; the page never hears so
        route.abort()

    posts_of(a, "**/chat", store_then_cut)
    a.type_message("only once")
    # The room may already have told A's page of the stored copy: then it shows beside the
    # one not sent, until Retry answers with that same copy.
    mine = a.message("only once").and_(a.page.locator("li.pending"))
    expect(mine.locator(".send-reason")).to_have_text(words["failed"])
    assert stored == [201]
    expect(b.message("only once")).to_have_count(1)
    mine.get_by_role("button", name=words["retry"]).click()
    expect(mine).to_have_count(0)
    expect(a.message("only once")).to_have_count(1)
    a.page.reload()
    expect(a.message("only once")).to_have_count(1)
    assert texts(a).count("only once") == 1 and texts(b).count("only once") == 1


def test_a_message_typed_while_the_connection_is_lost_shows_and_goes_when_it_is_back(person):
    words = WORDS["en-US"]
    a, b = pair(person, "offline", ENGLISH)
    a.context.set_offline(True)
    expect(a.page.locator("body")).to_have_attribute("data-connection", "lost")
    a.type_message("while away")
    mine = a.message("while away")
    expect(mine).to_have_class(PENDING)
    expect(mine.locator(".send-mark")).to_have_text(words["sending"])
    expect(a.page.locator("#chat")).to_have_value("")
    a.context.set_offline(False)
    expect(mine).not_to_have_class(PENDING, timeout=20_000)  # Socket.IO's back-off, the rejoin
    expect(b.message("while away")).to_have_count(1)
    expect(a.message("while away")).to_have_count(1)


def test_a_message_refused_for_good_can_be_put_back_in_the_box_or_discarded(person):
    words = WORDS["en-US"]
    a, _b = pair(person, "refused", ENGLISH)
    handler, _refused = refuse_first(400, NOT_IN_ROOM, "not-in-room")
    posts_of(a, "**/chat", handler)
    box = a.page.locator("#chat")
    a.type_message("for someone gone")
    mine = a.message("for someone gone")
    expect(mine.locator(".send-reason")).to_have_text(NOT_IN_ROOM)
    box.fill("half written")
    mine.get_by_role("button", name=words["edit"]).click()
    expect(mine).to_have_count(0)
    expect(box).to_have_value("half written\nfor someone gone")  # nothing typed is lost

    a.page.unroute("**/chat")
    handler, _refused = refuse_first(400, NOT_IN_ROOM, "not-in-room")
    posts_of(a, "**/chat", handler)
    box.fill("let go")
    box.press("Enter")
    a.message("let go").get_by_role("button", name=words["discard"]).click()
    expect(a.message("let go")).to_have_count(0)
    expect(a.page.locator("#chat-list li.pending")).to_have_count(0)


def test_an_edit_refused_for_a_moment_stays_in_the_box_and_is_saved_with_retry(person):
    words = WORDS["ko-KR"]
    a, b = pair(person, "고치기", KOREAN)
    a.say("원래 말")
    box = a.page.locator("#chat")
    box.press("ArrowUp")
    expect(box).to_have_value("원래 말")
    box.fill("고친 말")
    refused = []

    def refuse_once(route):
        if refused or route.request.method != "PATCH":
            return route.fallback()
        refused.append(1)
        body = json.dumps({"error": words["busy"], "code": "busy"})
        route.fulfill(status=503, content_type="application/json", body=body)

    a.page.route("**/chat/*", refuse_once)
    box.press("Enter")
    failed = a.page.locator("#send-failed")
    expect(failed).to_contain_text(words["busy"])
    expect(box).to_have_value("고친 말")
    failed.get_by_role("button", name=words["retry"]).click()
    expect(a.message("고친 말")).to_have_count(1)
    expect(b.message("고친 말")).to_have_count(1)
    expect(failed).to_be_hidden()
    expect(box).to_have_value("")


def test_a_rate_limited_gif_counts_down_and_goes_by_itself(person, gif_path):
    words = WORDS["en-US"]
    a, b = pair(person, "gif wait", ENGLISH)
    handler, refused = refuse_first(
        429, "Too many GIFs. Try again in 1 second.", "rate-limited", {"Retry-After": "1"}
    )
    posts_of(a, "**/gif", handler)
    a.page.locator("#gif").set_input_files(gif_path)
    failed = a.page.locator("#send-failed")
    expect(failed).to_contain_text(words["wait"])
    expect(failed.get_by_role("button")).to_be_hidden()
    expect(b.page.locator("#chat-list img.gif")).to_have_count(1, timeout=10_000)
    expect(a.page.locator("#chat-list img.gif")).to_have_count(1)
    expect(failed).to_be_hidden()
    assert len(refused) == 1


def test_a_gif_stored_whose_answer_was_lost_is_not_stored_twice_by_retry(person, gif_path):
    words = WORDS["en-US"]
    a, b = pair(person, "lost gif", ENGLISH)
    stored, keys = [], []

    def store_then_cut(route):
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) > 1:
            return route.fallback()
        # The page's file never reaches route.fetch (Playwright sends no multipart body on), so
        # the same upload is sent on from here with the page's headers: its cookie, CSRF and key.
        boundary, body = encode_multipart(
            {"gif": FileStorage(BytesIO(gif_path.read_bytes()), "a.gif", "gif", "image/gif")}
        )
        headers = {
            **route.request.all_headers(),
            "content-type": f"multipart/form-data; boundary={boundary}",
        }
        stored.append(route.fetch(headers=headers, post_data=body).status)  # the server has it
        route.abort()  # and the page never hears so

    posts_of(a, "**/gif", store_then_cut)
    a.page.locator("#gif").set_input_files(gif_path)
    failed = a.page.locator("#send-failed")
    expect(failed).to_contain_text(words["failed"])
    assert stored == [201]
    expect(b.page.locator("#chat-list img.gif")).to_have_count(1)
    with a.page.expect_response(
        lambda answer: answer.request.method == "POST" and answer.url.endswith("/gif")
    ) as again:
        failed.get_by_role("button", name=words["retry"]).click()
    assert again.value.status == 201
    expect(failed).to_be_hidden()
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]
    for visitor in (a, b):
        visitor.page.reload()
        expect(visitor.page.locator("#chat-list img.gif")).to_have_count(1)


def test_errors_go_once_the_next_message_is_typed_or_the_page_is_back(person, tmp_path):
    words = WORDS["ko-KR"]
    a, _b = pair(person, "지나간 오류", KOREAN)
    error = a.page.locator("#chat-error")
    big = tmp_path / "big.gif"
    big.write_bytes(b"GIF89a" + bytes(5 * 1024 * 1024))
    a.page.locator("#gif").set_input_files(big)
    expect(error).to_have_text(words["too large"])
    a.page.locator("#chat").press_sequentially("다음")
    expect(error).to_be_hidden()

    # An outage's error (a reaction the server was too busy for) goes when the page is back.
    a.say("반응할 말")
    handler, _refused = refuse_first(503, words["busy"], "busy")
    posts_of(a, "**/reactions", handler)
    liked = a.message("반응할 말")
    liked.locator(".bubble .text").click()  # on a phone, a tap opens a message's tools
    liked.locator(".react-more").click()
    liked.locator('button.reaction[data-emoji="🎉"]').click()
    expect(error).to_have_text(words["busy"])
    a.context.set_offline(True)
    expect(a.page.locator("body")).to_have_attribute("data-connection", "lost")
    a.context.set_offline(False)
    expect(a.page.locator("body")).to_have_attribute("data-connection", "live", timeout=20_000)
    expect(error).to_be_hidden()


def test_a_reply_and_a_whisper_on_a_slow_line_show_at_once_as_what_they_are(person):
    a, b = pair(person, "slow whisper", ENGLISH)
    b.say("question")
    held = []

    def hold_first(route):
        if held:
            return route.fallback()
        held.append(route)  # the request waits here before it reaches the server

    posts_of(a, "**/chat", hold_first)
    question = a.message("question")
    question.hover()
    question.locator(".reply-message").click()
    a.type_message("answer")
    answer = a.message("answer")
    expect(answer).to_have_class(PENDING)
    expect(answer.locator(".reply-quote")).to_contain_text("question")
    a.page.locator("#whisper-to").select_option(b.handle)
    a.type_message("secret")
    secret = a.message("secret")
    expect(secret).to_have_class(PENDING)
    expect(secret).to_have_class(re.compile(r"\bwhisper\b"))
    expect(a.page.locator("#reply-bar")).to_be_hidden()  # the reply went with its message

    held[0].continue_()
    for text in ("answer", "secret"):
        expect(a.message(text)).not_to_have_class(PENDING)
        expect(a.message(text)).to_have_count(1)
        expect(b.message(text)).to_have_count(1)
    expect(b.message("answer").locator(".reply-quote")).to_contain_text("question")
    expect(b.message("secret")).to_have_class(re.compile(r"\bwhisper\b"))
