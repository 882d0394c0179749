"""Assignment and Grade Services (AGS 2.0): line items and scores, as Moodle 5.0 takes them.

What Moodle does, read in its source and seen on a real 5.0 (see docs in the shared notes):

- line-item URLs carry a query string (`…/lineitems/5/lineitem?type_id=1`): `/scores` goes
  into the path, before the `?`;
- a score whose `timestamp` is not strictly newer than the stored one (second resolution)
  gets 409: the platform holds a newer score, which is not an error;
- a user who is not gradable (a teacher previewing) gets 400 "Incorrect score received";
- `scoreGiven` is dropped unless `gradingProgress` is FullyGraded, and any other
  `gradingProgress` clears the grade already stored;
- line items created by a tool are manual gradebook columns unless they carry
  `resourceLinkId`, which ties them to the activity.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lti_tool.lti_services import (
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    ServiceClient,
    ServiceError,
    ServicePlatform,
)

CLAIM_AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
MEDIA_SCORE = "application/vnd.ims.lis.v1.score+json"
MEDIA_LINE_ITEM = "application/vnd.ims.lis.v2.lineitem+json"
MEDIA_LINE_ITEMS = "application/vnd.ims.lis.v2.lineitemcontainer+json"

FULLY_GRADED = "FullyGraded"
PENDING_MANUAL = "PendingManual"
COMPLETED = "Completed"
SUBMITTED = "Submitted"
NOT_GRADABLE_TEXT = "Incorrect score received"


def scores_url(line_item_url: str) -> str:
    """The line item's `/scores` endpoint: in the path, before any query string."""
    parts = urlsplit(line_item_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def with_query(url: str, **params: str) -> str:
    """`url` with `params` added to the query string it may already have."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, v) for k, v in params.items() if v]
    return urlunsplit(parts._replace(query=urlencode(query)))


def iso_timestamp(moment: datetime) -> str:
    """A naive UTC time as AGS wants it: ISO 8601 with milliseconds and an explicit offset."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


@dataclass(frozen=True)
class ScoreBody:
    """One score for one learner (imsglobal.org/spec/lti-ags/v2p0/#score-publish-service)."""

    user_id: str
    score_given: float | None
    score_maximum: float
    activity_progress: str
    grading_progress: str
    comment: str
    timestamp: datetime

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "userId": self.user_id,
            "activityProgress": self.activity_progress,
            "gradingProgress": self.grading_progress,
            "timestamp": iso_timestamp(self.timestamp),
        }
        if self.score_given is not None:
            body["scoreGiven"] = self.score_given
            body["scoreMaximum"] = self.score_maximum
        if self.comment:
            body["comment"] = self.comment
        return body


class ScoreOutcome(enum.Enum):
    SENT = "sent"
    NEWER_ON_PLATFORM = "newer_on_platform"
    NOT_GRADABLE = "not_gradable"


def post_score(
    client: ServiceClient,
    platform: ServicePlatform,
    scopes: tuple[str, ...],
    line_item_url: str,
    score: ScoreBody,
) -> ScoreOutcome:
    """Send one score; 409 and Moodle's not-gradable 400 are outcomes, other failures raise."""
    try:
        client.call(
            platform,
            scopes,
            "POST",
            scores_url(line_item_url),
            accept="application/json",
            content_type=MEDIA_SCORE,
            body=score.payload(),
        )
    except ServiceError as error:
        if error.status == 409:
            return ScoreOutcome.NEWER_ON_PLATFORM
        if error.status == 400 and NOT_GRADABLE_TEXT.lower() in error.body.lower():
            return ScoreOutcome.NOT_GRADABLE
        raise
    return ScoreOutcome.SENT


@dataclass(frozen=True)
class LineItemSpec:
    """The line item a score goes to when the launch has no coupled one for it."""

    line_items_url: str
    resource_link_id: str
    resource_id: str
    tag: str
    label: str
    score_maximum: float


def _matches(item: Mapping[str, Any], spec: LineItemSpec) -> bool:
    return (
        str(item.get("resourceId", "")) == spec.resource_id
        and str(item.get("resourceLinkId", "")) == spec.resource_link_id
        and bool(item.get("id"))
    )


def find_line_item(
    client: ServiceClient, platform: ServicePlatform, scopes: tuple[str, ...], spec: LineItemSpec
) -> str | None:
    """The URL of the line item for this resource link and resource id, if there is one."""
    if SCOPE_LINEITEM not in scopes and SCOPE_LINEITEM_READONLY not in scopes:
        return None
    url = with_query(
        spec.line_items_url,
        resource_link_id=spec.resource_link_id,
        resource_id=spec.resource_id,
    )
    for page in client.get_pages(platform, scopes, url, MEDIA_LINE_ITEMS):
        # The spec's container is a JSON array; lti1p3platform wraps it in {"content": …}.
        items = page.get("content", []) if isinstance(page, dict) else page
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and _matches(item, spec):
                return str(item["id"])
    return None


def create_line_item(
    client: ServiceClient, platform: ServicePlatform, scopes: tuple[str, ...], spec: LineItemSpec
) -> str:
    """Create the line item, tied to the resource link; its URL."""
    if SCOPE_LINEITEM not in scopes:
        raise ServiceError(
            "le LMS ne permet pas à l'outil de créer une colonne de notes : dans Moodle, "
            "réglez le service AGS sur « synchronisation des notes et gestion des colonnes » "
            "/ the LMS does not let the tool create a gradebook column: in Moodle, set the "
            "AGS service to 'grade synchronization and column management'",
            retriable=False,
        )
    response = client.call(
        platform,
        scopes,
        "POST",
        spec.line_items_url,
        accept=MEDIA_LINE_ITEM,
        content_type=MEDIA_LINE_ITEM,
        body={
            "label": spec.label or spec.resource_id,
            "scoreMaximum": spec.score_maximum,
            "resourceId": spec.resource_id,
            "tag": spec.tag,
            "resourceLinkId": spec.resource_link_id,
        },
    )
    try:
        created = response.json()
    except ValueError:
        created = None
    if not isinstance(created, dict) or not created.get("id"):
        raise ServiceError(
            "le LMS a créé la colonne sans en donner l'adresse / the LMS created the line "
            "item without giving its URL",
            retriable=True,
            status=response.status_code,
        )
    return str(created["id"])
