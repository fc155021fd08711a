"""The app on its embedded default (SQLite, threading), with its files in a folder of its own."""

from pathlib import Path

from app import create_app


def embedded_app(folder: Path, **settings):
    """create_app with this folder for instance, uploads and database, and `settings` on top."""
    return create_app(
        {
            "SECRET_KEY": "bench",
            "SOCKETIO_ASYNC_MODE": "threading",
            "INSTANCE_PATH": str(folder / "instance"),
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "SQLITE_PATH": str(folder / "gifchat.sqlite3"),
            **settings,
        }
    )
