"""imsmanifest.xml: valid against the official XSDs, stable ids, pass marks, per-standard names."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from course_content.model import Curriculum
from scorm_export.manifest import build_manifest, mastery_percent
from scorm_export.package_builder import BuiltPackage
from scorm_export.schemas import validate_manifest
from scorm_export.structure import curriculum_plan, module_plan
from tests.scorm_export.conftest import read_zip

ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"


def manifest_of(package: BuiltPackage) -> etree._Element:
    return etree.fromstring(read_zip(package.path)["imsmanifest.xml"])


def test_every_manifest_validates_against_the_official_xsds(
    fixture_packages: list[BuiltPackage], schemas: Path
) -> None:
    assert len(fixture_packages) == 6  # 2 modules + the whole curriculum, 2 standards
    for package in fixture_packages:
        manifest = read_zip(package.path)["imsmanifest.xml"]
        assert validate_manifest(manifest, package.standard, schemas) == [], package.path.name


def test_validation_rejects_a_misordered_sequencing(curriculum: Curriculum, schemas: Path) -> None:
    manifest = etree.fromstring(build_manifest(module_plan(curriculum, "m01"), "2004", []))
    sequencing = manifest.find(f".//{{{IMSSS}}}sequencing")
    assert sequencing is not None
    sequencing.append(sequencing[0])  # rollupRules after deliveryControls: out of order
    errors = validate_manifest(etree.tostring(manifest), "2004", schemas)
    assert errors and "rollupRules" in errors[0]


def test_validation_rejects_the_2004_attribute_spelling_in_12(
    curriculum: Curriculum, schemas: Path
) -> None:
    text = build_manifest(module_plan(curriculum, "m01"), "1.2", []).replace(
        b"adlcp:scormtype", b"adlcp:scormType"
    )
    assert validate_manifest(text, "1.2", schemas)


def test_identifiers_come_from_content_ids(fixture_packages: list[BuiltPackage]) -> None:
    package = next(p for p in fixture_packages if p.path.name == "test-programme-m01-scorm12.zip")
    root = manifest_of(package)
    assert root.get("identifier") == "test-programme.m01"
    items = [i.get("identifier") for i in root.iter("{*}item")]
    assert items == ["m01.l01", "m01.quiz", "m01.ws.atelier"]
    refs = [i.get("identifierref") for i in root.iter("{*}item")]
    assert refs == ["res-m01.l01", "res-m01.quiz", "res-m01.ws.atelier"]


def test_whole_curriculum_groups_scos_by_module_in_order(curriculum: Curriculum) -> None:
    root = etree.fromstring(build_manifest(curriculum_plan(curriculum), "1.2", []))
    organization = root.find("{*}organizations/{*}organization")
    assert organization is not None
    modules = organization.findall("{*}item")
    assert [m.get("identifier") for m in modules] == ["m01", "m02"]
    assert [i.get("identifier") for i in modules[1].findall("{*}item")] == ["m02.l01", "m02.quiz"]
    assert organization.findtext("{*}title") == "Programme d'essai"


def test_scorm12_mastery_score_only_on_the_quiz(curriculum: Curriculum) -> None:
    root = etree.fromstring(build_manifest(module_plan(curriculum, "m01"), "1.2", []))
    mastery = {
        item.get("identifier"): item.findtext(f"{{{ADLCP12}}}masteryscore")
        for item in root.iter("{*}item")
    }
    assert mastery == {"m01.l01": None, "m01.quiz": "70", "m01.ws.atelier": None}
    types = {
        r.get("identifier"): r.get(f"{{{ADLCP12}}}scormtype") for r in root.iter("{*}resource")
    }
    assert types["res-m01.quiz"] == "sco" and types["res-commun"] == "asset"


def test_mastery_percent_has_no_float_noise() -> None:
    assert [mastery_percent(x) for x in (0.7, 0.55, 0.8, 1.0, 0.333)] == [
        "70",
        "55",
        "80",
        "100",
        "33.3",
    ]


def test_scorm2004_quiz_objective_uses_the_pass_mark(curriculum: Curriculum) -> None:
    root = etree.fromstring(build_manifest(module_plan(curriculum, "m02"), "2004", []))
    quiz = next(i for i in root.iter("{*}item") if i.get("identifier") == "m02.quiz")
    primary = quiz.find(f".//{{{IMSSS}}}primaryObjective")
    assert primary is not None and primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext(f"{{{IMSSS}}}minNormalizedMeasure") == "0.5"
    types = {r.get(f"{{{ADLCP2004}}}scormType") for r in root.iter("{*}resource")}
    assert types == {"sco", "asset"}
    assert root.findtext("{*}metadata/{*}schemaversion") == "2004 4th Edition"


def test_scorm2004_metadata_has_title_language_description_version(
    curriculum: Curriculum,
) -> None:
    root = etree.fromstring(build_manifest(module_plan(curriculum, "m01"), "2004", []))
    lom = "{http://ltsc.ieee.org/xsd/LOM}"
    general = root.find(f"{{*}}metadata/{lom}lom/{lom}general")
    assert general is not None
    assert general.findtext(f"{lom}title/{lom}string") == "Module 1 : Introduction"
    assert general.findtext(f"{lom}language") == "fr"
    assert general.findtext(f"{lom}description/{lom}string") == "Le premier module."
    assert root.findtext(f".//{lom}lifeCycle/{lom}version/{lom}string") == "0.1"


def test_every_listed_file_is_in_the_package_and_every_file_is_listed(
    fixture_packages: list[BuiltPackage],
) -> None:
    for package in fixture_packages:
        files = read_zip(package.path)
        root = etree.fromstring(files["imsmanifest.xml"])
        listed = {f.get("href") for f in root.iter("{*}file")}
        assert listed <= set(files), package.path.name
        control = {n for n in files if n.endswith((".xsd", ".dtd"))}
        assert set(files) == listed | control | {"imsmanifest.xml"}, package.path.name
        for href in listed | {r.get("href") for r in root.iter("{*}resource") if r.get("href")}:
            assert href and not href.startswith("/") and "\\" not in href
