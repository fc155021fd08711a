"""GIF bombs: small files that decode into huge or endless work are refused, and cheaply."""

import itertools
import os
import struct
from io import BytesIO

import pytest
from PIL import Image

from app.chat import gif_probe
from app.chat.media import InvalidGif, check_gif
from app.offload import slot
from harness.gifs import gif, heavy_gif

CAPS = {
    "max_bytes": 5 * 1024 * 1024,
    "max_pixels": 1000 * 1000,
    "max_frames": 50,
    "max_total_pixels": 2_000_000,
}
PIXEL = b"\x02\x02\x44\x01\x00"  # the LZW data of one pixel of color 0


def offset_bomb(frames: int, at: int = 9000) -> bytes:
    """A 1x1 GIF whose later 1x1 frames sit at (at, at): Pillow grows its canvas to cover them."""
    screen = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    first = b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + PIXEL
    later = b"," + struct.pack("<HHHHB", at, at, 1, 1, 0) + PIXEL
    return screen + first + later * (frames - 1) + b";"


def test_the_offset_bomb_grows_the_canvas_it_claims_not_to():
    with Image.open(BytesIO(offset_bomb(3))) as image:
        assert image.size == (1, 1)
        image.seek(1)
        assert image.size == (9001, 9001)


def test_frames_far_off_the_canvas_are_refused():
    with pytest.raises(InvalidGif, match="too large"):
        check_gif(offset_bomb(30), **CAPS)


def test_each_frame_counts_at_the_canvas_size_it_decodes_into():
    # 901 x 901 is allowed once, but five frames fill it five times: 4 Mpx.
    with pytest.raises(InvalidGif, match="too long"):
        check_gif(offset_bomb(5, at=900), **CAPS)


def test_a_gif_within_every_cap_passes():
    check_gif(offset_bomb(2, at=900), **CAPS)
    check_gif(heavy_gif(300, 10), **CAPS)


def test_decoding_stops_when_its_time_budget_is_spent(monkeypatch):
    ticks = itertools.count()
    monkeypatch.setattr(gif_probe.time, "thread_time", lambda: float(next(ticks)))
    with pytest.raises(InvalidGif, match="too long to decode"):
        check_gif(gif(frames=10), **CAPS, max_seconds=3)


def test_pillows_own_canvas_bound_is_a_clear_refusal():
    with pytest.raises(InvalidGif, match="too large"):
        check_gif(offset_bomb(2, at=60000), **{**CAPS, "max_pixels": 10**10})


def _uploads(app) -> list:
    folder = app.config["UPLOAD_FOLDER"]
    return os.listdir(folder) if os.path.isdir(folder) else []


def _gifs(store, room_id) -> list:
    return [chat for chat in store.chats(room_id, limit=10) if chat.gif]


def test_an_uploaded_bomb_is_refused_and_nothing_is_kept(app, store, member):
    person, room_id = member
    response = person.post_gif(room_id, offset_bomb(200))
    assert response.status_code == 400
    assert response.json["error"] == "이미지가 너무 큽니다."  # the default language's
    assert _gifs(store, room_id) == [] and _uploads(app) == []


def test_busy_decoders_answer_503_and_keep_nothing(app, store, member):
    person, room_id = member
    app.config.update(GIF_DECODERS=1, GIF_DECODER_WAIT_SECONDS=0.05)
    with app.app_context(), slot("gif", 1, 0):  # someone else's GIF is being checked
        response = person.post_gif(room_id, gif())
    assert response.status_code == 503
    assert "다시 시도" in response.json["error"]
    assert _gifs(store, room_id) == [] and _uploads(app) == []
    assert person.post_gif(room_id, gif()).status_code == 201  # and free again after
