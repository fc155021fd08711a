"""Open-file limits: both entry points raise theirs at start and fit their connections to it."""

import json
import os
import resource
import subprocess
import sys
import time

import pytest

from harness.live_server import PROJECT_ROOT, START_TIMEOUT, free_port

LOW = 256  # a soft limit below what 10,000 connections need
_, HARD = resource.getrlimit(resource.RLIMIT_NOFILE)

pytestmark = pytest.mark.skipif(
    HARD != resource.RLIM_INFINITY and HARD <= LOW, reason="the hard limit leaves nothing to raise"
)


def _lowered():
    resource.setrlimit(resource.RLIMIT_NOFILE, (LOW, HARD))


def _soft_limit(pid: int) -> int:
    with open(f"/proc/{pid}/limits") as limits:
        for line in limits:
            if line.startswith("Max open files"):
                return int(line.split()[3])
    raise AssertionError("no open-file limit in /proc")


def test_gunicorn_settings_raise_the_limit_and_fit_worker_connections():
    read = (
        "import json, resource, runpy; settings = runpy.run_path('gunicorn.conf.py');"
        "print(json.dumps([resource.getrlimit(resource.RLIMIT_NOFILE)[0],"
        " settings['worker_connections']]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", read],
        cwd=PROJECT_ROOT,
        preexec_fn=_lowered,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=True,
    )
    soft, connections = json.loads(done.stdout)
    assert soft > LOW
    assert soft == HARD or HARD == resource.RLIM_INFINITY
    assert 0 < connections < soft


@pytest.mark.server
@pytest.mark.skipif(not os.path.exists("/proc/self/limits"), reason="reads /proc")
def test_python_wsgi_py_raises_the_limit(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIFCHAT_")}
    env |= {
        "GIFCHAT_PORT": str(port),
        "GIFCHAT_INSTANCE_PATH": str(tmp_path / "instance"),
        "GIFCHAT_SQLITE_PATH": json.dumps(str(tmp_path / "gifchat.sqlite3")),
        "GIFCHAT_SECRET_KEY": json.dumps("limits test secret"),
    }
    log = tmp_path / "stderr.log"
    with open(log, "wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "wsgi.py"],
            cwd=PROJECT_ROOT,
            env=env,
            preexec_fn=_lowered,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        soft = LOW
        while soft == LOW and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            soft = _soft_limit(server.pid)
        assert server.poll() is None, log.read_text(errors="replace")
        assert soft == HARD or (HARD == resource.RLIM_INFINITY and soft > LOW)
    finally:
        server.terminate()
        server.wait(timeout=START_TIMEOUT)
