"""Log lines as text or as JSON lines: the app's and gunicorn's own (gunicorn.conf.py).

Nothing here imports the app or Flask: gunicorn.conf.py loads this file by its path in
gunicorn's master, before the workers patch the standard library for their event loop.
"""

import json
import logging
import time
from datetime import UTC, datetime

FORMATS = ("text", "json")
TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object a line; the traceback, if any, inside it."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """logging.Formatter(TEXT), formatting each second's date and time once, not on every line."""

    def __init__(self):
        super().__init__(TEXT)
        self._last = (None, "")  # (a second since the epoch, its date and time)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):  # gunicorn's lines have none
            record.request_id = "-"
        return super().format(record)

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        if datefmt:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        last, stamp = self._last
        if second != last:
            stamp = time.strftime(self.default_time_format, self.converter(second))
            self._last = (second, stamp)
        return self.default_msec_format % (stamp, record.msecs)
