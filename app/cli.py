"""`flask run`, whatever `--app` names: it serves wsgi:app, the app with its background work.

Registered as the `run` command of the `flask` command (setup.cfg's `flask.commands` entry
point, the way Flask lets a package replace a command). `flask --app app run` would otherwise
build the app from its factory, which starts nothing by design: no empty room would ever be
deleted, no expired session swept, no Redis heartbeat sent. wsgi.py picks the server's mode,
wraps the app for Werkzeug's server and starts that work in the process that serves.
"""

import click
from flask.cli import ScriptInfo, run_command

from .config import PROJECT_ROOT

# The names `--app` may give this package's factory by.
FACTORY = {"app", "app:create_app", "app:create_app()"}


@click.command(
    "run",
    params=run_command.params,
    help=run_command.help,
    short_help=run_command.short_help,
    epilog="GIF chat: `--app app` serves wsgi:app, the app with its background work.",
)
@click.pass_context
def run(context: click.Context, **options) -> None:
    info = context.ensure_object(ScriptInfo)
    if info.app_import_path in FACTORY:
        entry = PROJECT_ROOT / "wsgi.py"
        if not entry.is_file():  # installed without the project's folder
            raise click.UsageError(
                "the app's factory starts no background work (no empty room would be deleted):"
                f" serve {entry.name} from the project's folder, or with gunicorn"
            )
        info.app_import_path = str(entry)  # from any folder, as Flask takes a file's path
        click.echo("gifchat: `--app app run` serves wsgi:app, with its background work", err=True)
    # Flask's own command, in a context of its own: wsgi.py recognises it there.
    context.invoke(run_command, **options)
