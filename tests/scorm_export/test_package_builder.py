"""Zips: reproducible byte for byte, manifest at the root, control documents, size budget."""

from __future__ import annotations

import zipfile
from pathlib import Path

from course_content.loader import load_curriculum
from course_content.model import Curriculum
from scorm_export.package_builder import (
    SHARED_ASSETS,
    BuiltPackage,
    build_packages,
    package_files,
    write_zip,
)
from scorm_export.schemas import validate_manifest
from scorm_export.structure import module_plan
from tests.scorm_export.conftest import read_zip

MODULE_ZIP_BUDGET = 300 * 1024


def test_same_content_gives_byte_identical_zips(
    curriculum: Curriculum, schemas: Path, tmp_path: Path
) -> None:
    first = build_packages(curriculum, tmp_path / "a", ("1.2", "2004"), "m01", schemas)
    second = build_packages(curriculum, tmp_path / "b", ("1.2", "2004"), "m01", schemas)
    for one, two in zip(first, second, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes()


def test_zip_entries_are_sorted_dated_and_permissioned_the_same(tmp_path: Path) -> None:
    target = tmp_path / "p.zip"
    write_zip({"b.html": b"b", "a/x.xsd": b"x", "imsmanifest.xml": b"<m/>"}, target)
    with zipfile.ZipFile(target) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["a/x.xsd", "b.html", "imsmanifest.xml"]
    assert {i.date_time for i in infos} == {(2000, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_manifest_and_control_documents_are_at_the_root(
    fixture_packages: list[BuiltPackage],
) -> None:
    for package in fixture_packages:
        names = set(read_zip(package.path))
        assert "imsmanifest.xml" in names
        if package.standard == "1.2":
            assert {"imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "metadata.xml"} <= names
        else:
            assert {"imscp_v1p1.xsd", "imsss_v1p0.xsd", "lom.xsd", "common/dataTypes.xsd"} <= names


def test_a_module_package_holds_its_pages_and_the_shared_assets_only(
    curriculum: Curriculum,
) -> None:
    files = package_files(module_plan(curriculum, "m02"), curriculum, "1.2", None)
    assert set(files) == {
        *SHARED_ASSETS,
        "scorm-lesson.js",  # each page kind loads only the runtime parts it uses
        "scorm-questions-quiz.js",
        "m02-l01.html",
        "m02-quiz.html",
        "m02-quiz-retours.html",  # the quiz's feedback, fetched at the first answer
        "metadata.xml",
        "imsmanifest.xml",
    }


def test_shipped_curriculum_builds_valid_packages_within_budget(
    schemas: Path, tmp_path: Path
) -> None:
    curriculum = load_curriculum()
    built = build_packages(curriculum, tmp_path, ("1.2", "2004"), "all", schemas)
    assert len(built) == 2 * (len(curriculum.modules) + 1)
    for package in built:
        manifest = read_zip(package.path)["imsmanifest.xml"]
        assert validate_manifest(manifest, package.standard, schemas) == [], package.path.name
        if not package.plan.whole_curriculum:
            assert package.size <= MODULE_ZIP_BUDGET, (package.path.name, package.size)
