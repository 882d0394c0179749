"""`ambassadeurs scorm build`: progress, summary, clean errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from scorm_export.cli import scorm_group
from tests.conftest import FIXTURE_CURRICULUM


def test_build_reports_progress_and_a_summary(schemas: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        scorm_group,
        [
            "build",
            "--content",
            str(FIXTURE_CURRICULUM),
            "--out",
            str(tmp_path),
            "--module",
            "m02",
            "--standard",
            "1.2",
            "--schemas",
            str(schemas),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Construction / building: test-programme-m02-scorm12.zip (2 SCO)" in result.output
    assert "test-programme-m02-scorm12.zip" in result.output.split("Paquets / packages:")[1]
    assert "1 paquet(s)" in result.output and "manifestes valides" in result.output
    assert (tmp_path / "test-programme-m02-scorm12.zip").is_file()


def test_unknown_module_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        scorm_group,
        ["build", "--content", str(FIXTURE_CURRICULUM), "--out", str(tmp_path), "--module", "m09"],
    )
    assert result.exit_code == 1
    assert "module « m09 » inconnu" in result.output
    assert "Traceback" not in result.output


def test_invalid_curriculum_is_a_clean_error(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / "01-intro" / "quiz.yaml").write_text("id: [\n", encoding="utf-8")
    result = CliRunner().invoke(
        scorm_group, ["build", "--content", str(content_copy), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert "programme invalide" in result.output and "quiz.yaml" in result.output
    assert "Traceback" not in result.output
