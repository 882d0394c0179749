"""A platform of the test suite that signs id_tokens any way a test asks, good or bad.

Its JWKS is served over real HTTP on 127.0.0.1 (the tool fetches it as it would an LMS's)
and it counts the fetches, so tests can see the cache and the refetch on an unknown kid.
"""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from werkzeug.wrappers import Request, Response

from tests.wsgi_thread import served_in_thread

ISSUER = "https://lms.test"
CLIENT_ID = "client-ambassadeurs"
DEPLOYMENT_ID = "deployment-1"
TOOL_BASE = "http://127.0.0.1:5000"  # the settings fixture's base_url
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@dataclass
class SigningPlatform:
    """Keys, a JWKS server and an id_token factory."""

    key: rsa.RSAPrivateKey = field(default_factory=new_private_key)
    kid: str = "platform-key-1"
    jwks_fetches: int = 0
    jwks_url: str = ""
    served_keys: list[tuple[str, rsa.RSAPrivateKey]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.served_keys = [(self.kid, self.key)]

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in self.served_keys:
            public = JWK.from_pem(pem(key).encode()).export_public(as_dict=True)
            public.update(kid=kid, alg="RS256", use="sig")
            keys.append(public)
        return {"keys": keys}

    def rotate(self) -> None:
        """Replace the signing key, as D2L does every hour."""
        self.key = new_private_key()
        self.kid = f"platform-key-{uuid.uuid4().hex[:6]}"
        self.served_keys = [(self.kid, self.key)]

    def wsgi(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/jwks":
            self.jwks_fetches += 1
            response = Response(json.dumps(self.jwks()), mimetype="application/json")
        else:
            response = Response("not found", 404)
        return response(environ, start_response)

    def registration(self) -> dict[str, Any]:
        """This platform as a config.json `platforms` entry."""
        return {
            "name": "LMS de test",
            "issuer": ISSUER,
            "client_id": CLIENT_ID,
            "auth_login_url": f"{ISSUER}/auth",
            "auth_token_url": f"{ISSUER}/token",
            "key_set_url": self.jwks_url,
            "deployment_ids": [DEPLOYMENT_ID],
        }

    def claims(self, issued_nonce: str, **overrides: Any) -> dict[str, Any]:
        """A valid resource-link launch as Moodle 5.0 sends it; `overrides` change claims
        (a value of None removes the claim)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "sub": "42",
            "iat": now,
            "exp": now + 60,
            "nonce": issued_nonce,
            "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiResourceLinkRequest",
            "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
            "https://purl.imsglobal.org/spec/lti/claim/deployment_id": DEPLOYMENT_ID,
            "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": f"{TOOL_BASE}/lti/launch",
            "https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "7"},
            "https://purl.imsglobal.org/spec/lti/claim/roles": [LEARNER],
            "https://purl.imsglobal.org/spec/lti/claim/context": {
                "id": "2",
                "type": ["CourseSection"],
                "label": "ANR",
            },
            "https://purl.imsglobal.org/spec/lti/claim/custom": {
                "activity": "m01.quiz",
                "context_memberships_url": "https://lms.test/mod/lti/services.php/2/memberships",
            },
            "https://purl.imsglobal.org/spec/lti/claim/launch_presentation": {
                "document_target": "iframe",
                "locale": "fr",
            },
        }
        for name, value in overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def sign(
        self,
        claims: dict[str, Any],
        kid: str | None = "default",
        key: rsa.RSAPrivateKey | None = None,
        algorithm: str = "RS256",
    ) -> str:
        headers = {} if kid is None else {"kid": self.kid if kid == "default" else kid}
        signing_key: Any = None  # alg "none"
        if algorithm.startswith("RS"):
            signing_key = pem(key or self.key)
        elif algorithm.startswith("HS"):
            signing_key = "a-shared-secret-a-platform-never-uses-for-lti"
        return jwt.encode(claims, signing_key, algorithm=algorithm, headers=headers)


def serve(platform: SigningPlatform) -> Iterator[SigningPlatform]:
    """Run the platform's JWKS server while the caller's block runs."""
    with served_in_thread(platform.wsgi) as port:
        platform.jwks_url = f"http://127.0.0.1:{port}/jwks"
        yield platform


def login_params(**overrides: str) -> dict[str, str]:
    params = {
        "iss": ISSUER,
        "login_hint": "42",
        "target_link_uri": f"{TOOL_BASE}/lti/launch",
        "lti_message_hint": '{"cmid":2}',
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT_ID,
    }
    params.update(overrides)
    return params


def page_address(page: str) -> str:
    """The address of the page a launch answered with: its script puts it in the address
    bar (path and query, with the session token)."""
    found = re.search(r'<script src="/assets/page-address\.[0-9a-f]+\.js" data-url="([^"]+)"', page)
    if found is None:
        raise AssertionError(f"not a page opened by a launch: {page[:300]}")
    return html.unescape(found.group(1))


def state_and_nonce(location: str) -> tuple[str, str]:
    query = parse_qs(urlsplit(location).query)
    return query["state"][0], query["nonce"][0]
