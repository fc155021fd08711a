"""GIFs decode in a child process: heavy ones slow nobody else, and its end is a clean answer."""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import offload
from app.chat import gif_probe, media
from harness.gifs import gif, heavy_gif
from harness.live_server import LiveServer, running

from .bystander import Alongside, uploader_and_bystander
from .test_gif_bombs import offset_bomb

# Round trips a bystander must have answered while heavy GIFs decode: decoding on the
# server's event loop answers one between two decodes at most, a child process hundreds.
# How long each takes is bench/gifs.py's to measure.
ANSWERED_WHILE_DECODING = 10
HEAVY_UPLOADS = 4


@pytest.fixture
def the_server_never_decodes(monkeypatch):
    """The parent's own decoder fails the test: only the child may decode."""

    def decoded_here(*_args, **_kwargs):
        raise AssertionError("decoded in the server's process")

    monkeypatch.setattr(gif_probe, "probe", decoded_here)


@pytest.mark.parametrize(
    "data, message",
    [
        pytest.param(offset_bomb(200), "이미지가 너무 큽니다.", id="offset-bomb"),
        pytest.param(gif(frames=60), "애니메이션이 너무 깁니다.", id="too-many-frames"),
        pytest.param(b"GIF89a<script>", "GIF 이미지만 올릴 수 있습니다.", id="not-a-gif"),
    ],
)
def test_the_child_refuses_bombs_with_the_usual_message(
    app, member, the_server_never_decodes, data, message
):
    person, room_id = member
    app.config.update(GIF_MAX_FRAMES=50)
    response = person.post_gif(room_id, data)
    assert response.status_code == 400
    assert response.json["error"] == message


def test_the_child_accepts_a_real_gif(member, the_server_never_decodes):
    person, room_id = member
    assert person.post_gif(room_id, gif(8, 8, frames=3)).status_code == 201


def test_a_child_out_of_memory_is_a_clear_refusal(app, store, member):
    person, room_id = member
    # Python and Pillow take ~170 MB of address space; a 4096x4096 canvas needs more.
    app.config.update(GIF_DECODER_MEMORY=200 * 1024 * 1024)
    response = person.post_gif(room_id, heavy_gif(4096, 2))
    assert response.status_code == 400
    assert response.json["error"] == "이미지가 너무 큽니다."
    assert person.post_gif(room_id, gif()).status_code == 201  # a small one still fits


def test_a_child_that_cannot_even_start_is_a_refusal_not_a_crash(app, member):
    person, room_id = member
    app.config.update(GIF_DECODER_MEMORY=8 * 1024 * 1024)  # too little for Python itself
    response = person.post_gif(room_id, gif())
    assert response.status_code == 400
    assert response.json["error"]


def test_a_child_past_its_time_is_killed_and_the_upload_refused(app, store, member, monkeypatch):
    person, room_id = member
    app.config.update(GIF_DECODE_WALL_SECONDS=0.01)
    ends = []

    def watched(*args):
        try:
            done = run_child(*args)
        except subprocess.TimeoutExpired:
            ends.append("killed")
            raise
        ends.append(done.returncode)
        return done

    run_child = media.run_child
    monkeypatch.setattr(media, "run_child", watched)
    response = person.post_gif(room_id, heavy_gif(4096, 20))
    assert response.status_code == 400
    assert response.json["error"] == "애니메이션을 처리하는 데 너무 오래 걸립니다."
    assert ends == ["killed"]  # it did not decode 20 frames first
    assert [chat for chat in store.chats(room_id, limit=5) if chat.gif] == []


def test_a_child_killed_under_eventlet_is_a_refusal_not_a_500(member, monkeypatch):
    # Eventlet's green subprocess.run raises the unpatched module's TimeoutExpired, a class of
    # its own. Stood in for here: eventlet imported in this process warns at every fork.
    class Unpatched(Exception):
        def __init__(self, cmd, timeout):
            super().__init__(cmd, timeout)
            self.cmd, self.timeout = cmd, timeout

    patcher = SimpleNamespace(original=lambda name: SimpleNamespace(TimeoutExpired=Unpatched))
    monkeypatch.setitem(sys.modules, "eventlet.patcher", patcher)

    def green_run(args, **kwargs):
        raise Unpatched(args, kwargs["timeout"])

    monkeypatch.setattr(offload, "subprocess", SimpleNamespace(**vars(subprocess)))
    monkeypatch.setattr(offload.subprocess, "run", green_run)
    person, room_id = member
    response = person.post_gif(room_id, gif())
    assert response.status_code == 400
    assert response.json == {
        "error": "애니메이션을 처리하는 데 너무 오래 걸립니다.",
        "code": "not-a-gif",
    }


@pytest.mark.parametrize(
    "script",
    [
        pytest.param("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", id="segfault"),
        pytest.param("raise SystemExit(3)", id="exit-3"),
        pytest.param("print('what?')", id="nonsense"),
    ],
)
def test_a_crashing_child_is_a_refusal_not_a_500(app, member, monkeypatch, tmp_path, script):
    person, room_id = member
    crash = tmp_path / "crash.py"
    crash.write_text(script)
    monkeypatch.setattr(media, "PROBE", str(crash))
    response = person.post_gif(room_id, gif())
    assert response.status_code == 400
    assert response.json["error"] == "이 GIF를 읽을 수 없습니다."


def test_a_child_stopped_by_its_cpu_limit_is_a_clear_refusal(app, member, monkeypatch, tmp_path):
    person, room_id = member
    spin = tmp_path / "spin.py"  # a decoder stuck in a loop that never checks the time
    spin.write_text(
        "import resource\nresource.setrlimit(resource.RLIMIT_CPU, (1, 2))\nwhile True:\n    pass\n"
    )
    monkeypatch.setattr(media, "PROBE", str(spin))
    response = person.post_gif(room_id, gif())
    assert response.status_code == 400
    assert response.json["error"] == "애니메이션을 처리하는 데 너무 오래 걸립니다."


def test_no_child_to_be_had_is_busy_not_a_500(member, monkeypatch):
    person, room_id = member

    def no_process(*_args):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(media, "run_child", no_process)
    response = person.post_gif(room_id, gif())
    assert response.status_code == 503
    assert "다시 시도" in response.json["error"]


def test_the_child_answers_on_its_own_without_the_app(tmp_path):
    # As the server starts it: by path, isolated (no project on sys.path), elsewhere.
    caps = {"max_bytes": 10_000, "max_pixels": 100, "max_frames": 5, "max_total_pixels": 500}
    settings = json.dumps({"caps": caps, "memory": 1 << 30})
    answers = [
        subprocess.run(
            [sys.executable, "-I", media.PROBE, settings],
            input=data,
            capture_output=True,
            cwd=tmp_path,
            timeout=30,
            check=True,
        ).stdout
        for data in (gif(), gif(frames=6), gif(20, 20), b"")
    ]
    assert answers == [b"ok\n", b"too-long\n", b"too-large\n", b"empty\n"]


class DecoderServer(LiveServer):
    """The production server, with GIF decoding as `decoder` says."""

    def __init__(self, folder, grace_seconds, decoder: str):
        super().__init__(folder, grace_seconds)
        self.decoder = decoder

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_GIF_DECODER"] = json.dumps(self.decoder)
        # Every heavy upload waits for its turn rather than hearing "busy".
        env["GIFCHAT_GIF_DECODER_WAIT_SECONDS"] = "120"
        return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("gifproc"), 5, DecoderServer, decoder="process") as live:
        yield live


def upload(person, room_id: str, data: bytes, answers: list) -> None:
    response = person.post_gif(room_id, data, timeout=150)
    answers.append((response.status_code, response.text[:200]))


@pytest.mark.server
def test_a_bystander_is_answered_all_along_while_heavy_gifs_decode(people):
    uploader, room_id, sock = uploader_and_bystander(people)
    heavy = heavy_gif(4096, 8)  # legal: 8 frames of 16.7 Mpx, decoded in 0.5-3 s each
    answers: list = []
    seen = Alongside(sock, [lambda: upload(uploader, room_id, heavy, answers)] * HEAVY_UPLOADS)
    assert [status for status, _ in answers] == [201] * HEAVY_UPLOADS, answers
    assert seen.unanswered == 0
    assert seen.while_all_ran >= ANSWERED_WHILE_DECODING


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) of the process itself, and of its children it waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own, children = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
    return own / os.sysconf("SC_CLK_TCK"), children / os.sysconf("SC_CLK_TCK")


@pytest.mark.server
def test_the_server_leaves_the_decoding_to_its_children(server, people):
    uploader = people()
    room_id = uploader.create_room("gifs")
    uploader.join(room_id, "websocket")
    heavy = heavy_gif(4096, 8)
    pid = server.worker_pid()
    own_before, children_before = cpu_seconds(pid)
    answers: list = []
    for _ in range(2):
        upload(uploader, room_id, heavy, answers)
    own, children = (
        after - before
        for after, before in zip(cpu_seconds(pid), (own_before, children_before), strict=True)
    )
    assert [status for status, _ in answers] == [201, 201], answers
    # 16 frames of 16.7 Mpx take about a second of CPU to decode: the children's, not the server's.
    assert children > 0.3 and own < children / 3, (own, children)
