"""`ambassadeurs init|serve|platforms|keys`: commands of the LTI tool."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from course_content.problems import ContentError
from lti_tool import keys
from lti_tool.config import ConfigError, Settings, load_settings
from lti_tool.database import make_engine
from lti_tool.instance import prepare_instance
from lti_tool.models import Platform
from lti_tool.platforms import (
    PlatformError,
    PlatformSpec,
    add_platform,
    list_platforms,
    remove_platform,
)


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
    except PlatformError as error:
        raise click.ClickException(f"configuration, platforms : {error}") from None
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"base de données / database ({settings.sqlalchemy_url.split('@')[-1]}): "
            f"{error.__class__.__name__}: {getattr(error, 'orig', error)}"
        ) from None
    click.echo(f"Instance prête / instance ready: {folder}", err=True)


@click.command("init")
def init_command() -> None:
    """Prépare l'instance : dossier, clé secrète, base de données / prepare the instance."""
    _prepare(_settings())


@click.command("serve")
@click.option("--host", default=None, help="Adresse d'écoute (défaut : réglage host).")
@click.option("--port", default=None, type=int, help="Port (défaut : réglage port).")
@click.option(
    "--production",
    is_flag=True,
    help="Gunicorn avec plusieurs processus, journaux JSON / gunicorn, several processes.",
)
@click.option("--workers", default=4, show_default=True, help="Processus (avec --production).")
@click.option("--threads", default=1, show_default=True, help="Fils par processus (--production).")
def serve_command(
    host: str | None, port: int | None, production: bool, workers: int, threads: int
) -> None:
    """Sert l'outil : serveur intégré par défaut, gunicorn avec --production."""
    from dataclasses import replace

    from werkzeug.serving import run_simple

    from lti_tool.app import create_app

    settings = _settings()
    settings = replace(settings, host=host or settings.host, port=port or settings.port)
    _prepare(settings)
    try:
        app = create_app(settings)
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            "le contenu du programme est invalide / invalid curriculum"
        ) from None
    click.echo(f"Ambassadeurs NR : http://{settings.host}:{settings.port}/ (Ctrl+C pour arrêter)")
    if production:
        from lti_tool.production_server import run_production_server
        from lti_tool.request_log import configure_json_logging

        configure_json_logging()
        click.echo(
            "Notes : lancez aussi « ambassadeurs worker » / grades: also run 'ambassadeurs worker'",
            err=True,
        )
        run_production_server(settings, workers=workers, threads=threads)
    else:
        worker = None
        if settings.embedded_grade_worker:
            from lti_tool.grade_worker import start_embedded_worker

            # Grades go to the LMS from a thread of this process (production: workers).
            worker = start_embedded_worker(app.extensions["ambassadeurs.engine"], settings)
        try:
            run_simple(settings.host, settings.port, app, threaded=True, use_reloader=False)
        finally:
            if worker is not None:
                worker.shutdown()


@click.group("db")
def db_group() -> None:
    """Base de données / database."""


@db_group.command("upgrade")
def db_upgrade_command() -> None:
    """Applique les migrations du schéma (sans risque si déjà à jour) / apply migrations."""
    _prepare(_settings())


def _ready_settings() -> Settings:
    settings = _settings()
    _prepare(settings)
    return settings


def _describe(platform: Platform) -> str:
    deployments = (
        ", ".join(f"{d.deployment_id} ({d.status})" for d in platform.deployments)
        or "(aucun / none)"
    )
    return "\n".join(
        [
            f"#{platform.id} {platform.name}",
            f"  status:          {platform.status} (source: {platform.source})",
            f"  deployment_policy: {platform.deployment_policy}",
            f"  issuer:          {platform.issuer}",
            f"  client_id:       {platform.client_id}",
            f"  auth_login_url:  {platform.auth_login_url}",
            f"  auth_token_url:  {platform.auth_token_url}",
            f"  key_set_url:     {platform.key_set_url}",
            f"  deployment_ids:  {deployments}",
        ]
    )


@click.group("platforms")
def platforms_group() -> None:
    """Plateformes LMS enregistrées / registered LMS platforms."""


@platforms_group.command("add")
@click.option("--name", default="", help="Nom affiché (défaut : l'issuer).")
@click.option("--issuer", required=True, help="Issuer (Moodle : son wwwroot).")
@click.option("--client-id", required=True, help="Client ID donné par le LMS.")
@click.option("--auth-login-url", required=True, help="URL d'authentification OIDC.")
@click.option("--auth-token-url", required=True, help="URL du jeton d'accès (services).")
@click.option("--key-set-url", required=True, help="URL du jeu de clés (JWKS) du LMS.")
@click.option("--auth-audience", default=None, help="Audience du jeton (Brightspace).")
@click.option("--deployment-id", "deployment_ids", multiple=True, help="Deployment ID (répétable).")
def platforms_add(
    name: str,
    issuer: str,
    client_id: str,
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    auth_audience: str | None,
    deployment_ids: tuple[str, ...],
) -> None:
    """Enregistre une plateforme, ou lui ajoute des déploiements / register a platform."""
    spec = PlatformSpec(
        issuer=issuer,
        client_id=client_id,
        auth_login_url=auth_login_url,
        auth_token_url=auth_token_url,
        key_set_url=key_set_url,
        name=name,
        deployment_ids=deployment_ids,
        auth_audience=auth_audience or None,
    )
    settings = _ready_settings()
    spec = replace(spec, deployment_policy=settings.deployment_policy)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with Session(engine) as session, session.begin():
            platform, added = add_platform(session, spec)
            click.echo(_describe(platform))
            if added:
                click.echo(f"Déploiement(s) ajouté(s) / deployment(s) added: {', '.join(added)}")
    except PlatformError as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()


@platforms_group.command("list")
def platforms_list() -> None:
    """Liste les plateformes enregistrées / list registered platforms."""
    engine = make_engine(_ready_settings().sqlalchemy_url)
    with Session(engine) as session:
        platforms = list_platforms(session)
        if not platforms:
            click.echo("Aucune plateforme / no platform.")
        for platform in platforms:
            deployments = ",".join(d.deployment_id for d in platform.deployments) or "-"
            click.echo(
                f"#{platform.id}\t{platform.name}\t{platform.issuer}\t"
                f"{platform.client_id}\tdeployments={deployments}\t{platform.status}"
            )
    engine.dispose()


@platforms_group.command("show")
@click.argument("platform_id", type=int)
def platforms_show(platform_id: int) -> None:
    """Affiche une plateforme / show one platform."""
    engine = make_engine(_ready_settings().sqlalchemy_url)
    with Session(engine) as session:
        platform = session.get(Platform, platform_id)
        if platform is None:
            raise click.ClickException(f"plateforme #{platform_id} inconnue / unknown platform")
        click.echo(_describe(platform))
    engine.dispose()


@platforms_group.command("remove")
@click.argument("platform_id", type=int)
@click.confirmation_option(prompt="Supprimer cette plateforme et ses lancements ?")
def platforms_remove(platform_id: int) -> None:
    """Supprime une plateforme et ses déploiements / remove a platform."""
    engine = make_engine(_ready_settings().sqlalchemy_url)
    with Session(engine) as session, session.begin():
        if not remove_platform(session, platform_id):
            raise click.ClickException(f"plateforme #{platform_id} inconnue / unknown platform")
    engine.dispose()
    click.echo(f"Plateforme #{platform_id} supprimée / removed.")


@click.group("keys")
def keys_group() -> None:
    """Clés de signature de l'outil / the tool's signing keys."""


@keys_group.command("rotate")
def keys_rotate() -> None:
    """Ajoute une clé de signature ; l'ancienne reste publiée le temps de la période de grâce."""
    settings = _ready_settings()
    grace = timedelta(days=settings.key_grace_days)
    new_key = keys.rotate(settings.instance, grace)
    click.echo(
        f"Nouvelle clé / new key: {new_key.kid} "
        f"(l'ancienne reste publiée {settings.key_grace_days} jours / previous key kept "
        f"published for {settings.key_grace_days} days)"
    )


@click.group("admin")
def admin_group() -> None:
    """Comptes d'administration des pages /admin / administrator accounts."""


def _password_option(function: Any) -> Any:
    return click.option(
        "--password",
        prompt="Mot de passe / password",
        hide_input=True,
        confirmation_prompt="Confirmez / confirm",
        help="Demandé sans écho si absent (évitez de le passer en argument).",
    )(function)


@admin_group.command("create")
@click.argument("username")
@_password_option
def admin_create(username: str, password: str) -> None:
    """Crée un compte d'administration / create an administrator account."""
    from lti_tool.admin_accounts import AccountError, create_account

    engine = make_engine(_ready_settings().sqlalchemy_url)
    try:
        with Session(engine) as session, session.begin():
            create_account(session, username, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()
    click.echo(f"Compte « {username} » créé / account created: sign in at /admin/login")


@admin_group.command("set-password")
@click.argument("username")
@_password_option
def admin_set_password(username: str, password: str) -> None:
    """Change le mot de passe d'un compte (ferme ses sessions) / change a password."""
    from lti_tool.admin_accounts import AccountError, set_password

    engine = make_engine(_ready_settings().sqlalchemy_url)
    try:
        with Session(engine) as session, session.begin():
            set_password(session, username, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()
    click.echo(f"Mot de passe de « {username} » changé / password changed.")
