"""An LMS of the test suite that supports LTI Dynamic Registration, served over real HTTP.

It follows the examples of the 1EdTech LTI Dynamic Registration 1.0 spec (its OpenID
configuration and its registration response), and the rules Moodle 5.0 applies to the
tool's request (mod/lti registration_helper): `response_types` must include `id_token`,
`token_endpoint_auth_method` must be `private_key_jwt`, `domain` must equal the host[:port]
of `target_link_uri` (else 400 `domain_targetlinkuri_mismatch`), the registration token is
single-use (401 `token_already_used`). It signs launches with its own keys
(SigningPlatform) for the client ids it issued.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from tests.lti_tool.signing_platform import SigningPlatform
from tests.wsgi_thread import served_in_thread

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"


@dataclass
class RegistrationPlatform:
    signer: SigningPlatform = field(default_factory=SigningPlatform)
    base: str = ""
    issuer_override: str = ""
    """Announce another issuer than the configuration's own address (a forged config)."""
    tokens: dict[str, bool] = field(default_factory=dict)
    """registration token -> already used"""
    registrations: list[dict[str, Any]] = field(default_factory=list)
    configuration_auth: list[str] = field(default_factory=list)
    """The Authorization headers the configuration endpoint received."""
    reissue_client_id: str = ""
    """Answer with this client id (Moodle's "update this tool" keeps the tool's)."""

    @property
    def issuer(self) -> str:
        return self.issuer_override or self.base

    @property
    def configuration_url(self) -> str:
        return f"{self.base}/.well-known/openid-configuration"

    def new_token(self) -> str:
        token = secrets.token_urlsafe(24)
        self.tokens[token] = False
        return token

    def openid_configuration(self) -> dict[str, Any]:
        """Shaped like the spec's example of a platform configuration."""
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.base}/auth",
            "registration_endpoint": f"{self.base}/register",
            "jwks_uri": f"{self.base}/jwks",
            "token_endpoint": f"{self.base}/token",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
            "scopes_supported": [
                "openid",
                "https://purl.imsglobal.org/spec/lti-ags/scope/score",
                "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
                "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
            ],
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public", "pairwise"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "moodle",
                "version": "5.0.1",
                "messages_supported": [
                    {"type": "LtiResourceLinkRequest"},
                    {"type": "LtiDeepLinkingRequest", "placements": ["ContentArea"]},
                ],
                "variables": ["CourseSection.timeFrame.end", "CourseSection.timeFrame.begin"],
            },
        }

    def register(self, request: Request) -> Response:
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        if not auth.startswith("Bearer ") or token not in self.tokens:
            return Response("missing_registration_token", 401)
        if self.tokens[token]:
            return Response("token_already_used", 401)
        if request.mimetype != "application/json":
            return Response("not JSON", 400)
        body = json.loads(request.get_data())
        tool = body.get(TOOL_CONFIGURATION) or {}
        for name in ("initiate_login_uri", "redirect_uris", "client_name", "jwks_uri"):
            if not body.get(name):
                return Response(f"missing required attribute {name}", 400)
        if "id_token" not in body.get("response_types", []):
            return Response("invalid_response_types", 400)
        if body.get("token_endpoint_auth_method") != "private_key_jwt":
            return Response("invalid_token_endpoint_auth_method", 400)
        if tool.get("domain") != urlsplit(tool.get("target_link_uri", "")).netloc:
            return Response("domain_targetlinkuri_mismatch", 400)
        self.tokens[token] = True
        client_id = self.reissue_client_id or secrets.token_urlsafe(10)
        deployment_id = str(len(self.registrations) + 1)
        self.registrations.append(body)
        answer = {
            "client_id": client_id,
            "registration_client_uri": f"{self.base}/register/{client_id}",
            **{k: v for k, v in body.items() if k != TOOL_CONFIGURATION},
            TOOL_CONFIGURATION: {**tool, "deployment_id": deployment_id},
        }
        return Response(json.dumps(answer), 200, mimetype="application/json")

    def wsgi(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/.well-known/openid-configuration":
            self.configuration_auth.append(request.headers.get("Authorization", ""))
            response = Response(
                json.dumps(self.openid_configuration()), mimetype="application/json"
            )
        elif request.path == "/register" and request.method == "POST":
            response = self.register(request)
        elif request.path == "/jwks":
            response = Response(json.dumps(self.signer.jwks()), mimetype="application/json")
        else:
            response = Response("not found", 404)
        return response(environ, start_response)


def serve(platform: RegistrationPlatform) -> Iterator[RegistrationPlatform]:
    with served_in_thread(platform.wsgi) as port:
        platform.base = f"http://127.0.0.1:{port}"
        yield platform
