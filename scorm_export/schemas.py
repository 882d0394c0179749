"""The official SCORM control documents (XSD/DTD): where they are, which ones a package
ships, and validating a manifest against them offline.

They are not kept in this repository: they live in `shared/scorm-schemas/` beside it
(see its SOURCES.md), or wherever `AMBASSADEURS_SCORM_SCHEMAS` points.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from lxml import etree

from scorm_export.structure import Standard

ENV_VAR = "AMBASSADEURS_SCORM_SCHEMAS"
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO_ROOT.parent / "shared" / "scorm-schemas"

# Files a package carries at its root (ADL's conformance suites expect them there), by
# their path inside the schemas folder. SCORM 1.2's ims_xml.xsd and imsmd are named by the
# 1.2 schemas themselves; 2004 ships the LOM binding because its manifests carry inline LOM.
_LOM_PARTS = [
    "lom.xsd",
    "common/anyElement.xsd",
    "common/dataTypes.xsd",
    "common/elementNames.xsd",
    "common/elementTypes.xsd",
    "common/rootElement.xsd",
    "common/vocabTypes.xsd",
    "common/vocabValues.xsd",
    "extend/strict.xsd",
    "unique/strict.xsd",
    "vocab/strict.xsd",
]
CONTROL_FILES: dict[Standard, list[str]] = {
    "1.2": [
        "scorm12/imscp_rootv1p1p2.xsd",
        "scorm12/adlcp_rootv1p2.xsd",
        "scorm12/imsmd_rootv1p2p1.xsd",
        "scorm12/ims_xml.xsd",
    ],
    "2004": [
        *(
            f"scorm2004-4th/{name}"
            for name in [
                "imscp_v1p1.xsd",
                "adlcp_v1p3.xsd",
                "adlseq_v1p3.xsd",
                "adlnav_v1p3.xsd",
                "imsss_v1p0.xsd",
                "imsss_v1p0auxresource.xsd",
                "imsss_v1p0control.xsd",
                "imsss_v1p0delivery.xsd",
                "imsss_v1p0limit.xsd",
                "imsss_v1p0objective.xsd",
                "imsss_v1p0random.xsd",
                "imsss_v1p0rollup.xsd",
                "imsss_v1p0seqrule.xsd",
                "imsss_v1p0util.xsd",
                "xml.xsd",
                "XMLSchema.dtd",
                "datatypes.dtd",
                *_LOM_PARTS,
            ]
        )
    ],
}
_WRAPPERS: dict[Standard, str] = {
    "1.2": "validate-scorm12.xsd",
    "2004": "validate-scorm2004-4th.xsd",
}


class SchemasNotFound(Exception):
    """The folder of official XSDs is missing or incomplete."""


def schema_dir(override: Path | None = None) -> Path | None:
    """The schemas folder: `override`, else $AMBASSADEURS_SCORM_SCHEMAS, else the shared one."""
    candidate = override or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else DEFAULT_DIR)
    return candidate if (candidate / _WRAPPERS["1.2"]).is_file() else None


def control_files(standard: Standard, directory: Path) -> dict[str, Path]:
    """{name in the package: file} for the control documents of `standard`."""
    files = {}
    for relative in CONTROL_FILES[standard]:
        source = directory / relative
        if not source.is_file():
            raise SchemasNotFound(f"fichier manquant / missing file: {source}")
        # At the package root, the folder of the standard is dropped (scorm12/x.xsd → x.xsd).
        files[relative.split("/", 1)[1]] = source
    return files


@cache
def _schema(standard: Standard, directory: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(directory / _WRAPPERS[standard])))


def validate_manifest(manifest: bytes, standard: Standard, directory: Path) -> list[str]:
    """XSD errors of a manifest, as `line: message` (empty when valid)."""
    schema = _schema(standard, directory)
    document = etree.fromstring(manifest, parser=etree.XMLParser(resolve_entities=False))
    if schema.validate(document.getroottree()):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]
