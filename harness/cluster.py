"""A real redis-server for the tests, and several server processes sharing it as one cluster."""

import json
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest

from tests.required import require, unavailable

from .live_server import LiveServer, Person, Socket, free_port

REDIS_START_TIMEOUT = 10  # seconds for redis-server to answer PING


def installed_or_skip(command: str) -> str:
    """Where Debian's `command` is; a missing one skips the test here, but fails it in CI."""
    binary = shutil.which(command) or shutil.which(command, path="/usr/sbin")
    if binary is None:
        unavailable(f"{command} is not installed (Debian: apt-get install {command})")
    return binary


def redis_server_or_skip() -> str:
    """The redis-server binary, and the redis client library; see installed_or_skip."""
    binary = installed_or_skip("redis-server")
    require("redis", "redis")
    return binary


class RedisServer:
    """`redis-server` on a free loopback port, keeping nothing on disk, in `folder`.

    `options` go on its command line (`["--replicaof", host, port]`); with `sentinel`, the
    lines of a Sentinel's configuration, it runs as a Sentinel.
    """

    def __init__(self, folder: Path, options=(), sentinel: str | None = None):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.options = list(options)
        self.sentinel = sentinel
        self.process = None

    def start(self) -> None:
        import redis

        self.folder.mkdir(parents=True, exist_ok=True)
        command = [redis_server_or_skip()]
        if self.sentinel is not None:
            config = self.folder / "sentinel.conf"  # a Sentinel rewrites its own
            config.write_text(self.sentinel)
            command += [str(config), "--sentinel"]
        command += [
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.folder),
            "--logfile", str(self.folder / "redis.log"),
            *self.options,
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

    def kill(self) -> None:
        """kill -9: nothing is saved, every connection drops; start() brings it back empty."""
        self.process.kill()
        self.process.wait(timeout=10)

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


@contextmanager
def running_redis(folder: Path):
    """A started RedisServer in `folder`, stopped on leaving."""
    server = RedisServer(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of this test's own, stopped after it."""
    with running_redis(tmp_path / "redis") as server:
        yield server


class ClusterServer(LiveServer):
    """One process of a cluster: its logs in `folder`, its data in the cluster's `shared`."""

    def __init__(
        self, folder: Path, grace_seconds: float, shared: Path, redis_url: str, settings=None
    ):
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(folder, grace_seconds)
        self.shared = shared
        self.redis_url = redis_url
        self.settings = settings or {}  # more GIFCHAT_* settings, as JSON values

    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_SQLITE_PATH"] = json.dumps(str(self.shared / "gifchat.sqlite3"))
        env["GIFCHAT_UPLOAD_FOLDER"] = json.dumps(str(self.shared / "uploads"))
        env["GIFCHAT_INSTANCE_PATH"] = str(self.shared / "instance")
        env["GIFCHAT_REDIS_URL"] = self.redis_url
        env["GIFCHAT_REDIS_HEARTBEAT_SECONDS"] = "1"
        env["GIFCHAT_REDIS_POLL_SECONDS"] = "0.2"
        env["GIFCHAT_EXIT_DEBOUNCE_SECONDS"] = "1"
        env.update({f"GIFCHAT_{key}": json.dumps(value) for key, value in self.settings.items()})
        return env


def start_cluster(
    folder: Path,
    redis_url: str,
    size: int = 2,
    grace_seconds: float = 3600,
    shared=None,
    settings=None,
):
    """`size` started processes sharing one folder (`shared`) and one Redis; stop each after.

    `settings` adds GIFCHAT_* settings to every process's environment.
    """
    servers = []
    try:
        for number in range(size):
            server = ClusterServer(
                folder / f"process{number}",
                grace_seconds,
                shared or folder / "shared",
                redis_url,
                settings,
            )
            servers.append(server)
            server.start()
    except Exception as error:  # requests' errors too: nothing may be left running
        for server in servers:
            server.stop()
        pytest.fail(f"a cluster process did not start: {error}", pytrace=False)
    return servers


def _deploy_script():
    """deploy/cluster.py, which renders the nginx configuration the tests run too."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "deploy" / "cluster.py"
    spec = importlib.util.spec_from_file_location("deploy_cluster", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class NginxFront:
    """nginx, as the current user, in front of `servers`, from deploy/nginx.conf.template."""

    def __init__(self, folder: Path, servers: list):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.servers = servers

    def start(self) -> None:
        binary = installed_or_skip("nginx")
        self.folder.mkdir(parents=True, exist_ok=True)
        ports = [server.port for server in self.servers]
        conf = _deploy_script().render_nginx(self.folder, f"127.0.0.1:{self.port}", ports)
        self.command = [binary, "-p", str(self.folder), "-c", str(conf)]
        self.command += ["-e", str(self.folder / "nginx-error.log")]
        subprocess.run(self.command, check=True, timeout=10)  # daemonizes; pid in nginx.pid
        import requests

        deadline = time.monotonic() + REDIS_START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/", timeout=5).close()
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not answer within {REDIS_START_TIMEOUT}s")

    def stop(self) -> None:
        if (self.folder / "nginx.pid").exists():
            subprocess.run([*self.command, "-s", "stop"], check=False, timeout=10)


class BrowserSocket(Socket):
    """A Socket that sends its cookie with every request, as a browser does.

    python-engineio's client sends the given headers with the handshake only; its later
    polling requests carry only its HTTP session's cookies. Behind nginx's sticky hash of the
    session cookie they would land on another process, where a browser's never would.
    """

    def __init__(self, url: str, cookie: str, namespace: str, transport: str):
        import requests

        jar = requests.Session()
        for pair in cookie.split("; "):
            name, _, value = pair.partition("=")
            jar.cookies.set(name, value)
        # Socket makes its HTTP session with requests.Session(): hand it the filled jar.
        with mock.patch.object(requests, "Session", return_value=jar):
            super().__init__(url, cookie, namespace, transport)


class BrowserPerson(Person):
    """A Person whose sockets behave as a browser's do behind a proxy."""

    def socket(self, namespace: str, transport: str, **kwargs) -> Socket:
        sock = BrowserSocket(self.server.url, self.cookie, namespace, transport)
        self.sockets.append(sock)
        return sock
