"""Fixtures for the SCORM export: the official XSDs, built packages of the test curriculum."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from course_content.model import Curriculum
from scorm_export.package_builder import BuiltPackage, build_packages
from scorm_export.schemas import schema_dir


@pytest.fixture(scope="session")
def schemas() -> Path:
    """The official XSDs; missing is a failure under CI, a skip on a developer's machine."""
    directory = schema_dir()
    if directory is None:
        message = (
            "XSD officiels introuvables (../shared/scorm-schemas ou $AMBASSADEURS_SCORM_SCHEMAS)"
            " / official XSDs not found"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return directory


@pytest.fixture(scope="session")
def fixture_packages(
    curriculum: Curriculum, schemas: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[BuiltPackage]:
    """Every package of the test curriculum (each module and the whole), both standards."""
    out = tmp_path_factory.mktemp("scorm")
    return build_packages(curriculum, out, ("1.2", "2004"), "all", schemas)


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
