"""CSRF protection: Flask-WTF's, verifying each signed token once per process, not on every post.

The change to Flask-WTF itself lives in app/patches/flask_wtf_csrf.py.
"""

from flask_wtf.csrf import CSRFProtect

from .patches import flask_wtf_csrf


class RememberingCSRFProtect(CSRFProtect):
    """Flask-WTF's protection, with the tokens it verified remembered (see the patch)."""

    def init_app(self, app):
        flask_wtf_csrf.install()
        super().init_app(app)

    def check_unread(self, token: str) -> None:
        """Check a header's token before the body is read; raise CSRFError if it fails."""
        flask_wtf_csrf.check_unread(token)
