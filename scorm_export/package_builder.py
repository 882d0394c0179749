"""Assemble a package's files and write it as a reproducible zip.

The same content gives byte-identical zips: entries sorted, a fixed timestamp, fixed
permissions, one compression level, no extra fields.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from course_content.model import Curriculum
from scorm_export.compact import compact_css
from scorm_export.manifest import METADATA_FILE_12, build_manifest, metadata_12
from scorm_export.runtime_parts import runtime_script, script_name
from scorm_export.schemas import control_files
from scorm_export.sco_pages import render_sco, runtime_parts
from scorm_export.structure import PackagePlan, Standard, curriculum_plan, module_plan

COURSE_STATIC = Path(__file__).resolve().parents[1] / "course_content" / "static"
# Every page uses these, and its runtime script (runtime_parts.py); nothing else is shipped.
SHARED_ASSETS = {
    "style.css": COURSE_STATIC / "style.css",
    "favicon.svg": COURSE_STATIC / "favicon.svg",
}
ZIP_TIMESTAMP = (2000, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644


@dataclass(frozen=True)
class BuiltPackage:
    """A package written to disk."""

    path: Path
    standard: Standard
    plan: PackagePlan
    file_count: int
    size: int


def package_files(
    plan: PackagePlan, curriculum: Curriculum, standard: Standard, schemas: Path | None
) -> dict[str, bytes]:
    """{path in the zip: content} for `plan` in `standard` (control XSDs when `schemas`)."""
    files: dict[str, bytes] = shared_assets()
    scripts = {runtime_parts(sco) for sco in plan.scos}
    for parts in scripts:
        files[script_name(parts)] = runtime_script(parts, plan.language).encode("utf-8")
    for sco in plan.scos:
        for name, html in render_sco(sco, plan, curriculum, standard).items():
            files[name] = html.encode("utf-8")
    if standard == "1.2":
        files[METADATA_FILE_12] = metadata_12(plan)
    shared = sorted([*SHARED_ASSETS, *(script_name(parts) for parts in scripts)])
    shared += [METADATA_FILE_12] if standard == "1.2" else []
    files["imsmanifest.xml"] = build_manifest(plan, standard, shared)
    if schemas is not None:
        for name, path in control_files(standard, schemas).items():
            files[name] = path.read_bytes()
    return files


def shared_assets() -> dict[str, bytes]:
    """The stylesheet and icon every page uses, compacted (an LMS serves them uncompressed)."""
    assets: dict[str, bytes] = {}
    for name, path in SHARED_ASSETS.items():
        text = path.read_text(encoding="utf-8")
        if name.endswith(".css"):
            text = compact_css(text)
        assets[name] = text.encode("utf-8")
    return assets


def write_zip(files: dict[str, bytes], target: Path) -> None:
    """Write `files` as a zip that depends on nothing but their names and contents."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = FILE_MODE << 16
            info.create_system = 3  # Unix, whatever the machine that builds
            archive.writestr(info, files[name], compresslevel=9)


def package_name(plan: PackagePlan, standard: Standard) -> str:
    """`ambassadeurs-nr-m01-scorm12.zip`, `ambassadeurs-nr-scorm2004-en.zip`… (French, the
    first language, has no suffix)."""
    suffix = "" if plan.language == "fr" else f"-{plan.language}"
    return f"{plan.identifier.replace('.', '-')}-scorm{standard.replace('.', '')}{suffix}.zip"


def plans(curriculum: Curriculum, module: str, lang: str = "fr") -> Iterator[PackagePlan]:
    """The packages to build: one module, or every module and the whole curriculum."""
    if module != "all":
        yield module_plan(curriculum, module, lang)
        return
    for each in curriculum.modules:
        yield module_plan(curriculum, each.id, lang)
    yield curriculum_plan(curriculum, lang)


def build_packages(
    curriculum: Curriculum,
    out: Path,
    standards: tuple[Standard, ...],
    module: str = "all",
    schemas: Path | None = None,
    progress: Callable[[str], None] = lambda _: None,
    languages: tuple[str, ...] = ("fr",),
) -> list[BuiltPackage]:
    """Build every requested package into `out`; `progress` is told each step."""
    built = []
    for plan in (p for lang in languages for p in plans(curriculum, module, lang)):
        for standard in standards:
            target = out / package_name(plan, standard)
            progress(f"{target.name} ({len(plan.scos)} SCO)")
            files = package_files(plan, curriculum, standard, schemas)
            write_zip(files, target)
            built.append(BuiltPackage(target, standard, plan, len(files), target.stat().st_size))
    return built
