"""The development server (`flask --app wsgi run`) in a subprocess, started like LiveServer."""

import subprocess
import sys
import time
from pathlib import Path

import requests

from .live_server import PROJECT_ROOT, START_TIMEOUT, LiveServer


def flask_command(*args: str) -> list[str]:
    """The `flask` command of this interpreter's environment, as a developer types it."""
    script = Path(sys.executable).parent / "flask"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "flask", *args]


class DevServer(LiveServer):
    """`flask --app wsgi run` on a free port; with `debug`, the reloader's child serves."""

    def __init__(self, folder: Path, grace_seconds: float, debug: bool = False):
        super().__init__(folder, grace_seconds)
        self.debug = debug

    def environment(self) -> dict:
        # The caller's FLASK_DEBUG or a reloader's WERKZEUG_RUN_MAIN would change what runs.
        env = super().environment()
        return {k: v for k, v in env.items() if not k.startswith(("FLASK_", "WERKZEUG_"))}

    def start(self) -> None:
        """Start `flask run` and wait until GET / answers; raise with its stderr if it does not."""
        self._out = open(self.folder / "stdout.log", "wb")  # closed in stop()
        self._err = open(self.folder / "stderr.log", "wb")
        options = ["--debug"] if self.debug else []
        self.process = subprocess.Popen(
            flask_command("--app", "wsgi", "run", "--port", str(self.port), *options),
            cwd=PROJECT_ROOT,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
            start_new_session=True,  # its own process group, so stop() reaches the reloader's child
        )
        deadline = time.monotonic() + START_TIMEOUT
        with requests.Session() as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"flask run exited with {self.process.returncode}:\n{self.stderr()}"
                    )
                try:
                    if http.get(self.url + "/", timeout=1).status_code == 200:
                        return
                # The reloader's parent listens before its child accepts: a read may time out.
                except requests.RequestException:
                    pass
                time.sleep(0.1)
        raise RuntimeError(f"flask run did not answer within {START_TIMEOUT}s:\n{self.stderr()}")
