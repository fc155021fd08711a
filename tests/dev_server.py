"""The development server (`flask --app wsgi run`) in a subprocess, started like LiveServer."""

import sys
from pathlib import Path

from harness.live_server import LiveServer


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

    def command(self) -> list[str]:
        options = ["--debug"] if self.debug else []
        return flask_command("--app", "wsgi", "run", "--port", str(self.port), *options)
