"""The certificate as an Open Badges 3.0 credential, signed with the tool's own key.

The credential is an `OpenBadgeCredential` (W3C Verifiable Credentials Data Model 2.0 with
the Open Badges 3.0 context), secured as Open Badges 3.0 §8.2 "JSON Web Token Proof Format"
asks: a compact JWS signed RS256 whose payload is the credential itself plus the claims
`iss` (issuer.id), `jti` (id), `nbf` (validFrom) and `sub` (credentialSubject.id). The JOSE
header holds only `alg`, `typ` ("JWT") and `kid`, a URL that serves the public key as a JWK
(`/certificates/keys/<thumbprint>`); the same thumbprint is the key's `kid` in `/lti/jwks`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from jwcrypto.jwk import JWK

from lti_tool.keys import ToolKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MEDIA_TYPE = "application/vc+jwt"


@dataclass(frozen=True)
class BadgeFacts:
    """What the credential states, frozen when the certificate is issued."""

    base_url: str
    code: str
    learner_name: str
    title: str
    description: str
    criteria: str
    programme_id: str
    organisation: str
    issued_at: datetime
    lang: str = "fr"


def credential_url(base_url: str, code: str) -> str:
    """The credential's id: its public verification page."""
    return f"{base_url}/certificates/{code}"


def issuer_url(base_url: str) -> str:
    return f"{base_url}/certificates/issuer"


def key_url(base_url: str, kid: str) -> str:
    return f"{base_url}/certificates/keys/{kid}"


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(facts: BadgeFacts) -> dict[str, Any]:
    """The OpenBadgeCredential (JSON-LD) for a certificate."""
    credential_id = credential_url(facts.base_url, facts.code)
    subject_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{credential_id}#subject").urn
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.title,
        "description": facts.description,
        "issuer": {
            "id": issuer_url(facts.base_url),
            "type": ["Profile"],
            "name": facts.organisation,
            "url": facts.base_url,
        },
        "validFrom": _iso(facts.issued_at),
        "credentialSubject": {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": facts.learner_name,
                }
            ],
            "achievement": {
                "id": f"{facts.base_url}/certificates/achievements/{facts.programme_id}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": facts.title,
                "description": facts.description,
                "criteria": {"narrative": facts.criteria},
                "inLanguage": facts.lang,
            },
        },
    }


def sign_credential(credential: dict[str, Any], key: ToolKey, base_url: str) -> str:
    """The credential as a compact JWS (Open Badges 3.0 §8.2), signed RS256 by `key`."""
    issued = datetime.strptime(credential["validFrom"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    payload = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(issued.timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }
    return jwt.encode(
        payload,
        key.private_pem,
        algorithm="RS256",
        headers={"kid": key_url(base_url, key.kid), "typ": "JWT"},
    )


class CredentialInvalid(Exception):
    """The token is not a valid credential of this tool."""


def verify_credential(token: str, public_jwk: dict[str, Any]) -> dict[str, Any]:
    """Check the signature with `public_jwk` and the claims against the credential
    (Open Badges 3.0 §8.2.4); the credential, or CredentialInvalid."""
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "RS256" or set(header) - {"alg", "kid", "typ", "jwk"}:
            raise CredentialInvalid(f"unexpected JOSE header {sorted(header)}")
        public_pem = JWK(**public_jwk).export_to_pem()
        payload: dict[str, Any] = jwt.decode(
            token,
            public_pem,
            algorithms=["RS256"],
            options={"require": ["iss", "jti", "nbf", "sub"], "verify_aud": False},
        )
    except jwt.PyJWTError as error:
        raise CredentialInvalid(str(error)) from None
    checks = {
        "iss": payload["issuer"]["id"],
        "jti": payload["id"],
        "sub": payload["credentialSubject"]["id"],
    }
    for claim, expected in checks.items():
        if payload[claim] != expected:
            raise CredentialInvalid(f"{claim} does not match the credential")
    valid_from = datetime.fromtimestamp(payload["nbf"], UTC)
    if _iso(valid_from.replace(tzinfo=None)) != payload["validFrom"]:
        raise CredentialInvalid("nbf does not match validFrom")
    return payload
