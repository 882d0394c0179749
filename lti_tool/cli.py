"""`ambassadeurs init|serve`: commands of the LTI tool."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from course_content.problems import ContentError
from lti_tool.config import ConfigError, Settings, load_settings
from lti_tool.instance import prepare_instance


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        raise click.ClickException(f"configuration : {error}") from None


def _prepare(settings: Settings) -> None:
    try:
        folder = prepare_instance(settings)
    except OSError as error:
        raise click.ClickException(f"dossier d'instance / instance folder: {error}") from None
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"base de données / database ({settings.sqlalchemy_url.split('@')[-1]}): "
            f"{error.__class__.__name__}: {getattr(error, 'orig', error)}"
        ) from None
    click.echo(f"Instance prête / instance ready: {folder}")


@click.command("init")
def init_command() -> None:
    """Prépare l'instance : dossier, clé secrète, base de données / prepare the instance."""
    _prepare(_settings())


@click.command("serve")
@click.option("--host", default=None, help="Adresse d'écoute (défaut : réglage host).")
@click.option("--port", default=None, type=int, help="Port (défaut : réglage port).")
def serve_command(host: str | None, port: int | None) -> None:
    """Sert l'outil (serveur intégré, pour un poste ou une petite installation)."""
    from werkzeug.serving import run_simple

    from lti_tool.app import create_app

    settings = _settings()
    _prepare(settings)
    try:
        app = create_app(settings)
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            "le contenu du programme est invalide / invalid curriculum"
        ) from None
    host = host or settings.host
    port = port or settings.port
    click.echo(f"Ambassadeurs NR : http://{host}:{port}/ (Ctrl+C pour arrêter)")
    run_simple(host, port, app, threaded=True, use_reloader=False)
