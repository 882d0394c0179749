"""LTI Dynamic Registration 1.0, the tool's side (imsglobal.org/spec/lti-dr/v1p0).

The LMS opens `/lti/register?openid_configuration=…&registration_token=…`; the tool reads
the platform's OpenID configuration, checks it, posts its own client registration to the
platform's `registration_endpoint`, and keeps the client id and deployment id it gets
back. This module does the protocol over HTTP and nothing else (no Flask, no database).

What Moodle 5.0 requires of the request (mod/lti registration_helper, tried on a real
one): `response_types` includes `id_token`, `token_endpoint_auth_method` is
`private_key_jwt`, and the tool configuration's `domain` equals the host[:port] of its
`target_link_uri` (else 400 `domain_targetlinkuri_mismatch`). Its registration token is
single-use (401 `token_already_used`) and valid one hour.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from lti_tool.urls import ToolUrls

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
TOOL_SCOPES = (
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
    SCOPE_NRPS,
)
"""Grades (AGS: line items, results, scores) and the roster (NRPS)."""

CLAIMS = ("iss", "sub", "name", "given_name", "family_name")
"""The identity claims the tool asks for: names for the trainer's dashboard, no e-mail."""

DEEP_LINKING_PLACEMENTS = ("ContentArea", "link_selection", "assignment_selection")
"""Where the activity picker may appear, in the words of Moodle (ContentArea) and Canvas;
only those the platform announces are requested."""

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_RESPONSE_BYTES = 1024 * 1024
"""A platform's configuration or registration response larger than this is refused."""

PRODUCT_NAMES = {
    "moodle": "Moodle",
    "canvas": "Canvas",
    "desire2learn": "Brightspace",
    "d2l": "Brightspace",
    "brightspace": "Brightspace",
    "blackboard": "Blackboard",
    "BlackboardLearn": "Blackboard",
    "openedx": "Open edX",
    "sakai": "Sakai",
}


class RegistrationError(Exception):
    """The registration cannot go on; `code` names the explanation shown to the admin."""

    def __init__(self, code: str, detail: str, platform_message: str = "") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.platform_message = platform_message
        """What the platform answered, shown as is (escaped) to the administrator."""


@dataclass(frozen=True)
class PlatformConfiguration:
    """The parts of a platform's OpenID configuration the tool uses."""

    url: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    registration_endpoint: str
    authorization_server: str | None = None
    product_family_code: str = ""
    version: str = ""
    scopes_supported: tuple[str, ...] | None = None
    messages_supported: tuple[str, ...] = ()
    deep_linking_placements: tuple[str, ...] = ()

    @property
    def product_name(self) -> str:
        """A readable name for the LMS (Moodle, Canvas…), or its family code."""
        code = self.product_family_code
        return PRODUCT_NAMES.get(code, PRODUCT_NAMES.get(code.lower(), code or "LMS"))

    @property
    def supports_deep_linking(self) -> bool:
        # A platform that lists no message types is given the benefit of the doubt.
        return not self.messages_supported or "LtiDeepLinkingRequest" in self.messages_supported


@dataclass(frozen=True)
class RegistrationResult:
    """What the platform gave back: the client id, and the deployment id when it says."""

    client_id: str
    deployment_id: str | None
    scope: str
    response: dict[str, Any] = field(default_factory=dict)


def _is_web_url(url: object) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def check_url(url: str, what: str) -> None:
    """Only https, except on this machine (a local LMS for trying the tool out)."""
    parts = urlsplit(url)
    if not _is_web_url(url):
        raise RegistrationError("config_invalid", f"{what} is not an http(s) URL: {url!r}")
    if parts.scheme != "https" and parts.hostname not in LOOPBACK_HOSTS:
        raise RegistrationError("insecure_url", f"{what} is not https: {url!r}")


def issuer_matches(configuration_url: str, issuer: str) -> bool:
    """The configuration URL starts with the issuer, at a path boundary (the spec's check:
    `https://lms.test.evil.example/…` does not start `https://lms.test`)."""
    base = issuer.rstrip("/")
    return configuration_url == base or configuration_url.startswith(base + "/")


def _read_json(response: requests.Response, what: str) -> Any:
    body = b""
    for chunk in response.iter_content(64 * 1024):
        body += chunk
        if len(body) > MAX_RESPONSE_BYTES:
            raise RegistrationError("config_invalid", f"{what} larger than 1 MiB")
    try:
        return json.loads(body)
    except ValueError:
        raise RegistrationError(
            "config_invalid", f"{what} is not JSON", body[:300].decode("utf-8", "replace")
        ) from None


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def fetch_configuration(
    http: requests.Session, url: str, registration_token: str
) -> PlatformConfiguration:
    """GET the platform's OpenID configuration (with the token as Bearer when there is one)
    and check what the registration needs, the issuer prefix first."""
    check_url(url, "openid_configuration")
    try:
        response = http.get(
            url,
            headers={"Accept": "application/json", **_bearer(registration_token)},
            stream=True,
        )
    except requests.RequestException as error:
        raise RegistrationError("config_unreachable", f"GET {url}: {error}") from None
    with response:
        if response.status_code != 200:
            raise RegistrationError(
                "config_unreachable",
                f"GET {url}: HTTP {response.status_code}",
                response.text[:300] if response.status_code < 500 else "",
            )
        data = _read_json(response, "the openid configuration")
    if not isinstance(data, dict):
        raise RegistrationError("config_invalid", "the openid configuration is not an object")
    missing = [
        name
        for name in (
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "registration_endpoint",
        )
        if not _is_web_url(data.get(name))
    ]
    if missing:
        raise RegistrationError("config_invalid", f"missing or not URLs: {', '.join(missing)}")
    issuer = str(data["issuer"])
    if not issuer_matches(url, issuer):
        raise RegistrationError(
            "issuer_mismatch", f"configuration URL {url!r} does not start with issuer {issuer!r}"
        )
    check_url(issuer, "issuer")
    check_url(str(data["registration_endpoint"]), "registration_endpoint")
    _check_supported(data, "token_endpoint_auth_methods_supported", "private_key_jwt")
    _check_supported(data, "id_token_signing_alg_values_supported", "RS256")
    platform = data.get(PLATFORM_CONFIGURATION)
    platform = platform if isinstance(platform, dict) else {}
    messages = [m for m in platform.get("messages_supported") or [] if isinstance(m, dict)]
    placements: list[str] = []
    for message in messages:
        if message.get("type") == "LtiDeepLinkingRequest":
            placements += [str(p) for p in message.get("placements") or []]
    scopes = data.get("scopes_supported")
    server = data.get("authorization_server")
    return PlatformConfiguration(
        url=url,
        issuer=issuer,
        authorization_endpoint=str(data["authorization_endpoint"]),
        token_endpoint=str(data["token_endpoint"]),
        jwks_uri=str(data["jwks_uri"]),
        registration_endpoint=str(data["registration_endpoint"]),
        authorization_server=str(server) if isinstance(server, str) and server else None,
        product_family_code=str(platform.get("product_family_code") or ""),
        version=str(platform.get("version") or ""),
        scopes_supported=tuple(str(s) for s in scopes) if isinstance(scopes, list) else None,
        messages_supported=tuple(str(m.get("type")) for m in messages),
        deep_linking_placements=tuple(dict.fromkeys(placements)),
    )


def _check_supported(data: Mapping[str, Any], name: str, needed: str) -> None:
    values = data.get(name)
    if isinstance(values, list) and needed not in values:
        raise RegistrationError("config_invalid", f"{name} does not include {needed}")


@dataclass(frozen=True)
class ToolDescription:
    """How the tool presents itself, in French and English."""

    name_fr: str
    name_en: str
    description_fr: str
    description_en: str


def requested_scopes(configuration: PlatformConfiguration) -> list[str]:
    """The tool's scopes the platform supports (all of them when it does not say)."""
    if configuration.scopes_supported is None:
        return list(TOOL_SCOPES)
    return [s for s in TOOL_SCOPES if s in configuration.scopes_supported]


def registration_request(
    configuration: PlatformConfiguration, urls: ToolUrls, tool: ToolDescription
) -> dict[str, Any]:
    """The client registration the tool posts (the spec's `application_type` web
    registration, with the LTI tool configuration)."""
    messages: list[dict[str, Any]] = []
    if configuration.supports_deep_linking:
        deep_linking: dict[str, Any] = {
            "type": "LtiDeepLinkingRequest",
            "target_link_uri": urls.launch,
            "label": tool.name_fr,
            "label#fr": tool.name_fr,
            "label#en": tool.name_en,
        }
        placements = [
            p for p in DEEP_LINKING_PLACEMENTS if p in configuration.deep_linking_placements
        ]
        if placements:
            deep_linking["placements"] = placements
        messages.append(deep_linking)
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls.login,
        "redirect_uris": [urls.launch],
        "client_name": tool.name_fr,
        "client_name#fr": tool.name_fr,
        "client_name#en": tool.name_en,
        "jwks_uri": urls.jwks,
        "client_uri": urls.home,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(requested_scopes(configuration)),
        TOOL_CONFIGURATION: {
            # Moodle requires domain == host[:port] of target_link_uri.
            "domain": urlsplit(urls.launch).netloc,
            "target_link_uri": urls.launch,
            "description": tool.description_fr,
            "description#fr": tool.description_fr,
            "description#en": tool.description_en,
            "claims": list(CLAIMS),
            "messages": messages,
            # Canvas: names, no e-mail (its default would hide names from the dashboard).
            "https://canvas.instructure.com/lti/privacy_level": "name_only",
        },
    }


def register(
    http: requests.Session,
    configuration: PlatformConfiguration,
    registration_token: str,
    request: Mapping[str, Any],
) -> RegistrationResult:
    """POST the registration; the platform's refusal is kept word for word for the page."""
    try:
        response = http.post(
            configuration.registration_endpoint,
            json=dict(request),
            headers={"Accept": "application/json", **_bearer(registration_token)},
            stream=True,
        )
    except requests.RequestException as error:
        raise RegistrationError(
            "registration_unreachable", f"POST {configuration.registration_endpoint}: {error}"
        ) from None
    with response:
        if response.status_code not in (200, 201):
            said = response.text[:300].strip()
            code = "registration_refused"
            if response.status_code in (401, 403):
                code = "token_used" if "already" in said.lower() else "token_refused"
            raise RegistrationError(
                code, f"registration endpoint answered HTTP {response.status_code}", said
            )
        data = _read_json(response, "the registration response")
    client_id = data.get("client_id") if isinstance(data, dict) else None
    if not isinstance(client_id, str | int) or not str(client_id).strip():
        raise RegistrationError("registration_invalid", "the response has no client_id")
    tool_configuration = data.get(TOOL_CONFIGURATION)
    deployment = (
        tool_configuration.get("deployment_id") if isinstance(tool_configuration, dict) else None
    )
    scope = data.get("scope")
    return RegistrationResult(
        client_id=str(client_id).strip(),
        deployment_id=str(deployment).strip() if deployment not in (None, "") else None,
        scope=scope if isinstance(scope, str) else "",
        response=data,
    )


def platform_name(configuration: PlatformConfiguration) -> str:
    """`Moodle moodle.example.org`: what the admin pages call this registration."""
    return f"{configuration.product_name} {urlsplit(configuration.issuer).netloc}"


def granted_scopes(result: RegistrationResult, requested: Sequence[str]) -> list[str]:
    """The scopes the platform granted (what was asked when it does not say)."""
    return result.scope.split() if result.scope else list(requested)
