"""Names that cannot pass for someone else: the lookalike attacks refused, real names kept."""

import unicodedata

import pytest

from app.visitor.names import NameRefused, clean_name, looks_alike
from app.visitor.skeleton import skeleton


def name_of(person):
    return person.client.get("/me").json["name"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        pytest.param("Mina\u200b", "name-hidden", id="zero-width space"),
        pytest.param("Mi\u200dna", "name-hidden", id="zero-width joiner between letters"),
        pytest.param("👩\u200d", "name-hidden", id="zero-width joiner at the end"),
        pytest.param("\ufe0f\ufe0fMina", "name-hidden", id="style selectors alone"),
        pytest.param("Mina\u2060", "name-hidden", id="word joiner"),
        pytest.param("\ufeffMina", "name-hidden", id="byte order mark"),
        pytest.param("Mina\u061c", "name-hidden", id="Arabic letter mark"),
        pytest.param("Mi\u2028na", "name-hidden", id="line separator"),
        pytest.param("Mi\u2029na", "name-hidden", id="paragraph separator"),
        pytest.param("Mi\u00adna", "name-hidden", id="soft hyphen"),
        pytest.param("Mina\ufe00", "name-hidden", id="variation selector"),
        pytest.param("Mina\U000e0100", "name-hidden", id="supplementary variation selector"),
        pytest.param("evil\u202egnp.exe", "name-hidden", id="direction override"),
        pytest.param("\u2067Mina\u2069", "name-hidden", id="direction isolate"),
        pytest.param("\u3164", "name-empty", id="Hangul filler"),
        pytest.param("\u3164\u3164 \u3164", "name-empty", id="Hangul fillers and a space"),
        pytest.param("\u2800\u2800", "name-empty", id="braille blank"),
        pytest.param("\u115f\u1160", "name-empty", id="Hangul jamo fillers"),
        pytest.param("\uffa0", "name-empty", id="half-width Hangul filler"),
        pytest.param("\u3000\u00a0", "name-empty", id="wide and no-break spaces"),
        pytest.param("a" + "\u0301" * 29, "name-marks", id="29 combining marks"),
        pytest.param("a\u0301\u0301", "name-marks", id="one mark twice"),
        pytest.param("#40bf40", "name-color", id="a color"),
        pytest.param("40bf40", "name-color", id="a color without its hash"),
        pytest.param("#ABC", "name-color", id="a short color"),
        pytest.param("＃４０ｂｆ４０", "name-color", id="a full-width color"),
        pytest.param("system", "name-reserved", id="system"),
        pytest.param("System", "name-reserved", id="System"),
        pytest.param("ѕуѕtеm", "name-reserved", id="system in Cyrillic"),
        pytest.param("ＳＹＳＴＥＭ", "name-reserved", id="full-width SYSTEM"),
        pytest.param("Admin!", "name-reserved", id="admin with punctuation"),
        pytest.param("owner", "name-reserved", id="owner"),
        pytest.param("guest", "name-reserved", id="guest"),
        pytest.param("방장", "name-reserved", id="owner in Korean"),
        pytest.param("관리자", "name-reserved", id="admin in Korean"),
        pytest.param("시스템", "name-reserved", id="system in Korean"),
        pytest.param("\ufdfd" * 30, "name-length", id="30 bismillah ligatures"),
        pytest.param("\ufdfd" * 4, "name-length", id="4 bismillah ligatures"),
    ],
)
def test_a_name_that_could_pass_for_another_is_refused_with_its_reason(app, name, reason):
    with app.test_request_context():
        with pytest.raises(NameRefused) as refused:
            clean_name(name)
    assert refused.value.reason == reason
    assert refused.value.status == 400 and refused.value.message


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("김민아", id="Korean"),
        pytest.param("สมชาย ที่นี่", id="Thai"),
        pytest.param("प्रियंका क्षत्रिय", id="Hindi"),
        pytest.param("Nguyễn Thị Hường", id="Vietnamese"),
        pytest.param("Nguye\u0302\u0303n", id="Vietnamese, decomposed"),
        pytest.param("Mina 👩‍💻", id="emoji sequence"),
        pytest.param("❤️ Mina", id="emoji with its style selector"),
        pytest.param("👋🏽", id="emoji with a skin tone"),
        pytest.param("❤️‍🔥 Jae", id="emoji sequence after a style selector"),
        pytest.param("👩🏽‍💻", id="emoji sequence with a skin tone"),
        pytest.param("Ана", id="Cyrillic alone"),
        pytest.param("Systematic", id="a word that starts like a reserved one"),
        pytest.param("\ufdfd", id="one bismillah ligature"),
    ],
)
def test_a_name_of_any_script_is_kept(app, name):
    with app.test_request_context():
        assert clean_name(name) == unicodedata.normalize("NFKC", name)


def test_a_name_is_normalised(app):
    with app.test_request_context():
        assert clean_name("  Ｍｉｎａ  ") == "Mina"  # full width becomes plain
        assert clean_name("Mi\u3000  na") == "Mi na"  # every space one space
        assert clean_name("𝐌𝐢𝐧𝐚") == "Mina"  # mathematical bold is letters


def test_lookalikes_share_a_skeleton():
    assert skeleton("Мina") == skeleton("Mina")  # Cyrillic М
    assert skeleton("rn") == skeleton("m")
    assert looks_alike("Мina", "Mina") and looks_alike("mina", "MINA")
    assert looks_alike("Mina", "M i n a") and not looks_alike("Mina", "Nina")


def test_a_name_like_someone_elses_in_the_room_is_refused(room, visitor):
    owner, room_id = room
    assert owner.rename("Mina").status_code == 200
    mallory = visitor()
    mallory.join(room_id)
    for lookalike in ("Мina", "mina", "MINA", "Mina.", "М і n а"):
        response = mallory.rename(lookalike)
        assert response.status_code == 400, lookalike
        assert response.json["error"] == "방에 있는 다른 사람의 이름과 비슷합니다."
        assert name_of(mallory) is None
    assert mallory.rename("Nina").status_code == 200


def test_a_name_like_someone_elses_elsewhere_is_free(room, visitor):
    owner, room_id = room
    owner.rename("Mina")
    elsewhere = visitor()
    assert elsewhere.rename("Мina").status_code == 200  # not in the room: nobody to fool
    assert owner.rename("Mina").status_code == 200  # one's own name again


@pytest.mark.parametrize(
    "name", ["Mina\u200b", "\u3164", "#40bf40", "system", "a" + "\u0301" * 29, "\ufdfd" * 30]
)
def test_the_attack_strings_change_nothing(visitor, name):
    mallory = visitor()
    mallory.rename("Mallory")
    response = mallory.rename(name)
    assert response.status_code == 400 and response.json["error"]
    assert name_of(mallory) == "Mallory"


def test_lookalikes_who_meet_in_a_room_are_marked_for_pages_to_tell_apart(room, visitor):
    owner, room_id = room
    owner.rename("Mina")
    mallory = visitor()
    mallory.rename("Мina")  # chosen elsewhere, then brought in
    listener = visitor()
    listener.rename("Jae")
    tab = listener.join(room_id)
    tab.get_received("/chat")
    mallory.join(room_id)
    (joined,) = [event for event in tab.get_received("/chat") if event["name"] == "join"]
    marked = {
        member["name"]: member.get("lookalike", False) for member in joined["args"][0]["members"]
    }
    assert marked == {"Mina": True, "Мina": True, "Jae": False}
