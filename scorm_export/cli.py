"""`ambassadeurs scorm …`: build the SCORM packages."""

from __future__ import annotations

from pathlib import Path

import click

from course_content.loader import DEFAULT_ROOT, load_curriculum
from course_content.problems import ContentError
from scorm_export.package_builder import build_packages
from scorm_export.schemas import ENV_VAR, SchemasNotFound, schema_dir, validate_manifest
from scorm_export.structure import STANDARDS, Standard


@click.group("scorm")
def scorm_group() -> None:
    """Paquets SCORM 1.2 et 2004 / SCORM 1.2 and 2004 packages."""


def _size(size: int) -> str:
    return f"{size / 1024:.1f} Kio".replace(".", ",")


@scorm_group.command("build")
@click.option(
    "--standard",
    type=click.Choice(["1.2", "2004", "all"]),
    default="all",
    show_default=True,
    help="Norme SCORM / SCORM version.",
)
@click.option(
    "--module",
    "module_id",
    default="all",
    show_default=True,
    help="m01…m07, ou all (chaque module et le programme entier) / or all.",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en", "all"]),
    default="fr",
    show_default=True,
    help="Langue des paquets (en : contenu anglais là où il existe) / package language.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist/scorm"),
    show_default=True,
    help="Dossier de sortie / output folder.",
)
@click.option(
    "--content",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Dossier du programme (celui livré par défaut) / curriculum folder.",
)
@click.option(
    "--schemas",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help=f"XSD officiels (défaut : ${ENV_VAR} ou ../shared/scorm-schemas) / official XSDs.",
)
def build_command(
    standard: str,
    module_id: str,
    lang: str,
    out: Path,
    content: Path | None,
    schemas: Path | None,
) -> None:
    """Construit les paquets SCORM ; chaque manifeste est validé par les XSD officiels."""
    try:
        curriculum = load_curriculum(content or DEFAULT_ROOT)
    except ContentError as error:
        raise click.ClickException(
            "programme invalide, lancez « ambassadeurs content check » "
            "/ invalid curriculum, run 'ambassadeurs content check'\n"
            + "\n".join(str(problem) for problem in error.problems)
        ) from None
    known = [m.id for m in curriculum.modules]
    if module_id != "all" and module_id not in known:
        raise click.ClickException(
            f"module « {module_id} » inconnu (modules : {', '.join(known)}, all) / unknown module"
        )
    standards: tuple[Standard, ...] = STANDARDS if standard == "all" else (standard,)  # type: ignore[assignment]
    directory = schema_dir(schemas)
    if directory is None:
        click.echo(
            "Attention : XSD officiels introuvables ; paquets sans documents de contrôle et "
            f"manifestes non validés (voir --schemas ou ${ENV_VAR}) / official XSDs not found: "
            "packages have no control documents and manifests are not validated.",
            err=True,
        )

    def progress(step: str) -> None:
        click.echo(f"Construction / building: {step}…")

    try:
        languages = ("fr", "en") if lang == "all" else (lang,)
        built = build_packages(
            curriculum, out, standards, module_id, directory, progress, languages
        )
    except (OSError, SchemasNotFound) as error:
        raise click.ClickException(f"échec de la construction / build failed: {error}") from None

    invalid = 0
    if directory is not None:
        import zipfile

        for package in built:
            with zipfile.ZipFile(package.path) as archive:
                errors = validate_manifest(
                    archive.read("imsmanifest.xml"), package.standard, directory
                )
            for message in errors:
                click.echo(f"{package.path.name}: imsmanifest.xml:{message}", err=True)
            invalid += bool(errors)

    click.echo("")
    click.echo("Paquets / packages:")
    for package in built:
        click.echo(
            f"  {package.path.name:<48} SCORM {package.standard:<4} "
            f"{len(package.plan.scos):>3} SCO  {package.file_count:>3} fichiers/files  "
            f"{_size(package.size):>10}"
        )
    total = sum(p.size for p in built)
    checked = "manifestes valides (XSD) / manifests valid" if directory else "non validés"
    click.echo(
        f"{len(built)} paquet(s) / package(s), {_size(total)} au total, dans {out} ; {checked}."
    )
    if invalid:
        raise click.ClickException(f"{invalid} manifeste(s) invalide(s) / invalid manifest(s)")
