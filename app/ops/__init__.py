"""What operators need: health, metrics, request logs and security headers."""

from flask import request

from . import health, logs, metrics
from .access import ANSWER, RequestLog
from .headers import secure


def init_app(app, socketio) -> None:
    """Wire it all into a built app; call last, once Socket.IO is bound."""
    logs.init_app(app)
    app.register_blueprint(health.bp)
    counters = metrics.init_app(app, socketio)

    @app.after_request
    def after(response):
        answer = request.environ.get(ANSWER)
        if answer is not None:  # not when the app is called without RequestLog around it
            answer["endpoint"] = request.endpoint or "none"
            answer["remote_addr"] = request.remote_addr  # the client's, past trusted proxies
        if response.status_code == 503 and request.endpoint != "health.readyz":
            counters.store_errors.inc()
        return secure(response)

    # Outermost, around Socket.IO's middleware too: every request gets its id and line.
    app.wsgi_app = RequestLog(app.wsgi_app, counters.observe_request)
