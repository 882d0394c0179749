"""Every SCO of generated SCORM packages, in French and in English, as an LMS serves them.

The packages are built as `ambassadeurs scorm build` builds them and served by the SCORM
tests' loopback LMS (tests/scorm_export), which, like Moodle, sends the files as they are:
no compression. Each SCO page is opened on its own, cold.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from course_content.model import Curriculum
from scorm_export.package_builder import build_packages


@dataclass(frozen=True)
class ScoPage:
    """One SCO page of a built package."""

    package: str  # folder under the LMS's /pkg/
    href: str
    kind: str
    lang: str

    @property
    def name(self) -> str:
        return f"{self.package}/{self.href}"

    def url(self, lms_url: str) -> str:
        return f"{lms_url}/pkg/{self.package}/{self.href}"


def build_sco_pages(
    sources: dict[str, tuple[Curriculum, str]],
    root: Path,
    languages: tuple[str, ...] = ("fr", "en"),
    schemas: Path | None = None,
) -> list[ScoPage]:
    """Build and unpack {label: (curriculum, module id or "all")} in SCORM 1.2 under `root`;
    one ScoPage per SCO of every package."""
    pages = []
    for label, (curriculum, module) in sources.items():
        built = build_packages(
            curriculum, root / "zips" / label, ("1.2",), module, schemas, languages=languages
        )
        for package in built:
            if package.plan.whole_curriculum and module == "all":
                continue  # the same pages as the module packages
            folder = f"{label}-{package.path.stem}"
            with zipfile.ZipFile(package.path) as archive:
                archive.extractall(root / "pkg" / folder)
            pages += [
                ScoPage(folder, sco.href, sco.kind, package.plan.language)
                for sco in package.plan.scos
            ]
    return pages


def page_weight(page: ScoPage, root: Path) -> int:
    """Bytes of the page and of the scripts it loads (what differs between SCOs of a package;
    the stylesheet and icon are the same for all)."""
    folder = root / "pkg" / page.package
    html = (folder / page.href).read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', html)
    return len(html.encode("utf-8")) + sum((folder / s).stat().st_size for s in scripts)


def heaviest_of_each_kind(pages: list[ScoPage], root: Path) -> list[ScoPage]:
    """Per package, the heaviest lesson, quiz and workshop: if they fit, the others do."""
    heaviest: dict[tuple[str, str], tuple[int, ScoPage]] = {}
    for page in pages:
        weight = page_weight(page, root)
        slot = (page.package, page.kind)
        if slot not in heaviest or weight > heaviest[slot][0]:
            heaviest[slot] = (weight, page)
    return [page for page in pages if heaviest[(page.package, page.kind)][1] is page]
