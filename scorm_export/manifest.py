"""`imsmanifest.xml` for SCORM 1.2 and SCORM 2004 4th edition, written with lxml.

Identifiers come from the content ids (`m01.quiz` → item `m01.quiz`, resource
`res-m01.quiz`), so a change of wording never changes them. Every SCO depends on one
shared asset resource (stylesheet, scripts, icon).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from lxml import etree

from scorm_export.sco_pages import feedback_href
from scorm_export.structure import PackagePlan, Sco, Standard

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

NS12 = {
    None: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "xsi": XSI,
}
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
NS2004 = {
    None: "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
    "lom": "http://ltsc.ieee.org/xsd/LOM",
    "xsi": XSI,
}
SCHEMA_LOCATIONS = {
    "1.2": [
        (NS12[None], "imscp_rootv1p1p2.xsd"),
        (IMSMD12, "imsmd_rootv1p2p1.xsd"),
        (NS12["adlcp"], "adlcp_rootv1p2.xsd"),
    ],
    "2004": [
        (NS2004[None], "imscp_v1p1.xsd"),
        (NS2004["adlcp"], "adlcp_v1p3.xsd"),
        (NS2004["adlseq"], "adlseq_v1p3.xsd"),
        (NS2004["adlnav"], "adlnav_v1p3.xsd"),
        (NS2004["imsss"], "imsss_v1p0.xsd"),
        (NS2004["lom"], "lom.xsd"),
    ],
}
SHARED_RESOURCE = "res-commun"
METADATA_FILE_12 = "metadata.xml"


def resource_id(sco: Sco) -> str:
    return f"res-{sco.content_id}"


def mastery_percent(pass_mark: float) -> str:
    """A pass mark (0–1) as a SCORM 1.2 mastery score (0–100, no float noise)."""
    return format((Decimal(str(pass_mark)) * 100).normalize(), "f")


class _Writer:
    def __init__(self, plan: PackagePlan, standard: Standard, shared_files: Iterable[str]) -> None:
        self.plan = plan
        self.standard = standard
        self.ns = NS12 if standard == "1.2" else NS2004
        self.shared_files = sorted(shared_files)

    def q(self, prefix: str | None, name: str) -> str:
        return f"{{{self.ns[prefix]}}}{name}"

    def sub(
        self,
        parent: etree._Element,
        name: str,
        text: str | None = None,
        prefix: str | None = None,
        **attrs: str,
    ) -> etree._Element:
        element = etree.SubElement(parent, self.q(prefix, name), attrs)
        if text is not None:
            element.text = text
        return element

    def manifest(self) -> bytes:
        root = etree.Element(
            self.q(None, "manifest"),
            {"identifier": self.plan.identifier, "version": self.plan.version},
            nsmap=self.ns,
        )
        root.set(
            f"{{{XSI}}}schemaLocation",
            " ".join(f"{ns} {xsd}" for ns, xsd in SCHEMA_LOCATIONS[self.standard]),
        )
        self.metadata(root)
        self.organizations(root)
        self.resources(root)
        return bytes(
            etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        )

    # --- metadata ---

    def metadata(self, root: etree._Element) -> None:
        metadata = self.sub(root, "metadata")
        self.sub(metadata, "schema", "ADL SCORM")
        if self.standard == "1.2":
            self.sub(metadata, "schemaversion", "1.2")
            # Inline imsmd cannot be checked by an XSD 1.0 validator (its schema breaks the
            # Unique Particle Attribution rule): SCORM 1.2 allows it in a file of its own.
            self.sub(metadata, "location", METADATA_FILE_12, prefix="adlcp")
        else:
            self.sub(metadata, "schemaversion", "2004 4th Edition")
            lom = self.sub(metadata, "lom", prefix="lom")
            general = self.sub(lom, "general", prefix="lom")
            self.lom_string(self.sub(general, "title", prefix="lom"), self.plan.title)
            self.sub(general, "language", self.plan.language, prefix="lom")
            self.lom_string(self.sub(general, "description", prefix="lom"), self.plan.description)
            life_cycle = self.sub(lom, "lifeCycle", prefix="lom")
            version = self.sub(life_cycle, "version", prefix="lom")
            self.lom_string(version, self.plan.version, language="x-none")

    def lom_string(self, parent: etree._Element, text: str, language: str | None = None) -> None:
        self.sub(parent, "string", text, prefix="lom", language=language or self.plan.language)

    # --- organization ---

    def organizations(self, root: etree._Element) -> None:
        org_id = f"org-{self.plan.identifier}"
        organizations = self.sub(root, "organizations", default=org_id)
        organization = self.sub(organizations, "organization", identifier=org_id)
        self.sub(organization, "title", self.plan.title)
        if self.plan.whole_curriculum:
            for part in self.plan.modules:
                module = part.module
                cluster = self.sub(organization, "item", identifier=module.id)
                self.sub(cluster, "title", f"Module {module.number} : {module.title.get('fr')}")
                for sco in part.scos:
                    self.item(cluster, sco)
                self.cluster_sequencing(cluster)
        else:
            for sco in self.plan.scos:
                self.item(organization, sco)
        self.cluster_sequencing(organization)

    def item(self, parent: etree._Element, sco: Sco) -> None:
        item = self.sub(parent, "item", identifier=sco.content_id, identifierref=resource_id(sco))
        self.sub(item, "title", sco.title)
        pass_mark = sco.pass_mark
        if self.standard == "1.2":
            # Only the quiz has a mastery score: on a content-only SCO it would keep some
            # LMSs from ever recording "completed".
            if pass_mark is not None:
                self.sub(item, "masteryscore", mastery_percent(pass_mark), prefix="adlcp")
            return
        sequencing = self.sub(item, "sequencing", prefix="imsss")
        if pass_mark is None:
            # Lessons and workshops count for completion, not for the module's success.
            self.sub(
                sequencing,
                "rollupRules",
                prefix="imsss",
                rollupObjectiveSatisfied="false",
            )
        else:
            objectives = self.sub(sequencing, "objectives", prefix="imsss")
            primary = self.sub(
                objectives,
                "primaryObjective",
                prefix="imsss",
                objectiveID=f"{sco.content_id}.reussite",
                satisfiedByMeasure="true",
            )
            self.sub(primary, "minNormalizedMeasure", repr(pass_mark), prefix="imsss")
        self.sub(
            sequencing,
            "deliveryControls",
            prefix="imsss",
            completionSetByContent="true",
            objectiveSetByContent="true",
        )

    def cluster_sequencing(self, element: etree._Element) -> None:
        """Flow in content order (modules, then lessons → quiz → workshops), choice allowed."""
        if self.standard == "2004":
            sequencing = self.sub(element, "sequencing", prefix="imsss")
            self.sub(sequencing, "controlMode", prefix="imsss", choice="true", flow="true")

    # --- resources ---

    def resources(self, root: etree._Element) -> None:
        resources = self.sub(root, "resources")
        scorm_type = "scormtype" if self.standard == "1.2" else "scormType"
        for sco in self.plan.scos:
            resource = self.sub(
                resources,
                "resource",
                identifier=resource_id(sco),
                type="webcontent",
                href=sco.href,
            )
            resource.set(self.q("adlcp", scorm_type), "sco")
            self.sub(resource, "file", href=sco.href)
            feedback = feedback_href(sco)
            if feedback:
                self.sub(resource, "file", href=feedback)
            self.sub(resource, "dependency", identifierref=SHARED_RESOURCE)
        shared = self.sub(resources, "resource", identifier=SHARED_RESOURCE, type="webcontent")
        shared.set(self.q("adlcp", scorm_type), "asset")
        for name in self.shared_files:
            self.sub(shared, "file", href=name)


def build_manifest(plan: PackagePlan, standard: Standard, shared_files: Iterable[str]) -> bytes:
    """The manifest of `plan` for `standard`; `shared_files` are the assets every page uses."""
    return _Writer(plan, standard, shared_files).manifest()


def metadata_12(plan: PackagePlan) -> bytes:
    """SCORM 1.2's metadata file (IMS Metadata 1.2.1): title, language, description, version."""
    E = f"{{{IMSMD12}}}"
    lom = etree.Element(E + "lom", nsmap={None: IMSMD12})

    def langstring(parent: etree._Element, text: str, lang: str) -> None:
        element = etree.SubElement(parent, E + "langstring")
        element.set(f"{{{XML_NS}}}lang", lang)
        element.text = text

    general = etree.SubElement(lom, E + "general")
    langstring(etree.SubElement(general, E + "title"), plan.title, plan.language)
    etree.SubElement(general, E + "language").text = plan.language
    langstring(etree.SubElement(general, E + "description"), plan.description, plan.language)
    lifecycle = etree.SubElement(lom, E + "lifecycle")
    langstring(etree.SubElement(lifecycle, E + "version"), plan.version, "x-none")
    return bytes(etree.tostring(lom, xml_declaration=True, encoding="UTF-8", pretty_print=True))
