"""A real redis-server for the tests, and several server processes sharing it as one cluster."""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from .live_server import LiveServer, free_port

REDIS_START_TIMEOUT = 10  # seconds for redis-server to answer PING


def redis_server_or_skip() -> str:
    """The redis-server binary; a missing one skips the test here, but fails it in CI."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    pytest.importorskip("redis")
    return binary


class RedisServer:
    """`redis-server` on a free loopback port, keeping nothing on disk, in `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        import redis

        self.folder.mkdir(parents=True, exist_ok=True)
        command = [
            redis_server_or_skip(),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.folder),
            "--logfile", str(self.folder / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + REDIS_START_TIMEOUT
        with redis.Redis.from_url(self.url, socket_connect_timeout=1) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"redis-server exited with {self.process.returncode}")
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer within {REDIS_START_TIMEOUT}s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, decode_responses=True)


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own, stopped after it."""
    server = RedisServer(tmp_path / "redis")
    try:
        server.start()
        yield server
    finally:
        server.stop()


class ClusterServer(LiveServer):
    """One process of a cluster: its logs in `folder`, its data in the cluster's `shared`."""

    def __init__(self, folder: Path, grace_seconds: float, shared: Path, redis_url: str):
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(folder, grace_seconds)
        self.shared = shared
        self.redis_url = redis_url

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_SQLITE_PATH"] = json.dumps(str(self.shared / "gifchat.sqlite3"))
        env["GIFCHAT_UPLOAD_FOLDER"] = json.dumps(str(self.shared / "uploads"))
        env["GIFCHAT_INSTANCE_PATH"] = str(self.shared / "instance")
        env["GIFCHAT_REDIS_URL"] = self.redis_url
        env["GIFCHAT_REDIS_HEARTBEAT_SECONDS"] = "1"
        env["GIFCHAT_REDIS_POLL_SECONDS"] = "0.2"
        return env


def start_cluster(
    folder: Path, redis_url: str, size: int = 2, grace_seconds: float = 3600, shared=None
):
    """`size` started processes sharing one folder (`shared`) and one Redis; stop each after."""
    servers = []
    try:
        for number in range(size):
            server = ClusterServer(
                folder / f"process{number}", grace_seconds, shared or folder / "shared", redis_url
            )
            servers.append(server)
            server.start()
    except RuntimeError as error:
        for server in servers:
            server.stop()
        pytest.fail(f"a cluster process did not start: {error}", pytrace=False)
    return servers
