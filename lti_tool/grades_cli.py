"""`ambassadeurs worker` and `ambassadeurs grades list|retry`: grade delivery from the CLI."""

from __future__ import annotations

import signal
from collections.abc import Callable

import click
from sqlalchemy.orm import Session

from lti_tool.cli import _ready_settings
from lti_tool.config import Settings
from lti_tool.database import make_engine
from lti_tool.grade_outbox import STATUSES, list_outbox, outbox_counts, retry_failed


def _install_signals(stop_now: Callable[[], None]) -> None:
    # SIGTERM (systemd, docker) and Ctrl+C: finish the row in flight, give the rest back.
    def handler(_signum: int, _frame: object) -> None:
        stop_now()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@click.command("worker")
@click.option(
    "--once",
    is_flag=True,
    help="Envoie ce qui est dû puis s'arrête / deliver what is due, then exit.",
)
def worker_command(once: bool) -> None:
    """Envoie les notes au LMS (AGS), autant de processus que voulu / deliver grades."""
    from lti_tool.grade_worker import run_worker_process
    from lti_tool.request_log import configure_json_logging

    settings: Settings = _ready_settings()
    configure_json_logging()
    handled = run_worker_process(settings, once=once, install_signals=_install_signals)
    if once:
        click.echo(f"{handled} note(s) traitée(s) / grade(s) handled", err=True)


@click.group("grades")
def grades_group() -> None:
    """Notes envoyées au LMS (file d'envoi) / grades sent to the LMS (outbox)."""


@grades_group.command("list")
@click.option(
    "--status", type=click.Choice(STATUSES), default=None, help="Seulement cet état / only this."
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
def grades_list(status: str | None, limit: int) -> None:
    """Liste la file d'envoi, les plus récentes d'abord / list the outbox, newest first."""
    engine = make_engine(_ready_settings().sqlalchemy_url)
    try:
        with Session(engine) as session:
            counts = outbox_counts(session)
            click.echo("  ".join(f"{name}={count}" for name, count in counts.items()))
            for entry in list_outbox(session, status=status, limit=limit):
                score = "-" if entry.score_given is None else f"{entry.score_given:g}"
                click.echo(
                    f"#{entry.id}\t{entry.status}\tplatform={entry.platform_id}\t"
                    f"user={entry.user_id}\t{entry.resource_id}\t{score}/{entry.score_maximum:g}"
                    f"\tattempts={entry.attempts}"
                    + (f"\n\t{entry.last_error}" if entry.last_error else "")
                )
    finally:
        engine.dispose()


@grades_group.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "all_failed", is_flag=True, help="Toutes les notes en échec / all failed.")
def grades_retry(ids: tuple[int, ...], all_failed: bool) -> None:
    """Renvoie des notes en échec (numéros, ou --all) / send failed grades again."""
    if not ids and not all_failed:
        raise click.UsageError("donnez des numéros ou --all / give ids or --all")
    engine = make_engine(_ready_settings().sqlalchemy_url)
    try:
        with Session(engine) as session, session.begin():
            queued = retry_failed(session, None if all_failed else list(ids))
    finally:
        engine.dispose()
    click.echo(f"{queued} note(s) remise(s) dans la file d'envoi / grade(s) queued again")
