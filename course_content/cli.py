"""`ambassadeurs content …`: commands for people who write the curriculum."""

from __future__ import annotations

from pathlib import Path

import click

from course_content.loader import DEFAULT_ROOT, check_curriculum


@click.group("content")
def content_group() -> None:
    """Vérifier le contenu du programme / check the curriculum content."""


@content_group.command("check")
@click.argument(
    "path",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
def check_command(path: Path | None) -> None:
    """Valide le programme (celui livré par défaut) ; chaque problème en file:line: message."""
    root = path or DEFAULT_ROOT
    problems = check_curriculum(root)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(
            f"{len(problems)} problème(s) trouvé(s) / {len(problems)} problem(s) found", err=True
        )
        raise SystemExit(1)
    click.echo(f"Contenu valide / content is valid: {root}")
