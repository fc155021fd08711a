"""Slow work runs off the event loop: GIF bombs and heavy GIFs stall nobody else."""

import threading

import pytest

from harness.gifs import heavy_gif
from harness.live_server import running

from .bystander import Alongside, uploader_and_bystander
from .test_gif_bombs import offset_bomb

# Round trips a bystander must have answered while the GIFs are checked: decoding on the
# event loop stalls it 4-44 s at a time, leaving it a handful at most.
ANSWERED_WHILE_CHECKING = 10


@pytest.mark.parametrize(
    "decoder, offloaded",
    [
        # A child process needs no thread: the wait is the event loop's.
        ("process", ["generate_password_hash", "check_password_hash"]),
        ("thread", ["generate_password_hash", "check_password_hash", "check_gif"]),
    ],
)
def test_slow_work_goes_through_the_installed_offload(app, visitor, decoder, offloaded):
    app.config["GIF_DECODER"] = decoder
    ran = []

    def offload(fn, *args):
        ran.append(getattr(fn, "func", fn))
        result = []
        worker = threading.Thread(target=lambda: result.append(fn(*args)))
        worker.start()
        worker.join(timeout=30)
        return result[0]

    app.extensions["offload"] = offload
    owner, guest = visitor(), visitor()
    room_id = owner.create_room("secret", password="pw")
    assert guest.enter(room_id, password="pw").status_code == 302
    owner.join(room_id)  # only people in the room may post
    assert owner.post_gif(room_id, heavy_gif(16, 2)).status_code == 201
    assert [fn.__name__ for fn in ran] == offloaded


@pytest.fixture(scope="module")
def server(tmp_path_factory, async_mode):
    with running(tmp_path_factory.mktemp("offload"), 5, mode=async_mode) as live:
        yield live


@pytest.mark.server
def test_bombs_and_heavy_gifs_do_not_stall_a_bystander(people):
    uploader, room_id, sock = uploader_and_bystander(people)

    def upload(data, answers: list) -> None:
        response = uploader.post_gif(room_id, data, timeout=60)
        answers.append(response.status_code)

    bomb: list[int] = []
    seen_bomb = Alongside(sock, [lambda: upload(offset_bomb(100), bomb)], timeout=60)
    heavy: list[int] = []
    data = heavy_gif(4096, 10)
    seen_heavy = Alongside(sock, [lambda: upload(data, heavy)] * 3, timeout=60)

    assert bomb == [400]
    # One address decodes one GIF at a time, whatever the decoders: the first heavy but legal
    # GIF goes through, the others wait behind it and may be told to try again.
    assert heavy.count(201) >= 1 and set(heavy) <= {201, 503}, heavy
    assert seen_bomb.unanswered == seen_heavy.unanswered == 0
    assert seen_heavy.while_all_ran >= ANSWERED_WHILE_CHECKING
