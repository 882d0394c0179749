"""Configuration in one place: defaults < config.json < environment variables.

`config.example.json` documents every field. Environment variables are the field names in
upper case with the `AMBASSADEURS_` prefix (`AMBASSADEURS_BASE_URL`, …);
`AMBASSADEURS_CONFIG` names the config file (default: `config.json` in the working folder).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "AMBASSADEURS_"
_TRUE_WORDS = frozenset({"1", "true", "yes", "oui"})
_FALSE_WORDS = frozenset({"0", "false", "no", "non"})


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Settings:
    base_url: str = "http://127.0.0.1:5000"
    """Public URL of the tool, as the LMS and browsers reach it (no trailing slash)."""
    instance_path: str = "instance"
    """Folder for the SQLite database, the keys and the secret key (created 0700)."""
    database_url: str = ""
    """SQLAlchemy URL; empty means SQLite in the instance folder."""
    redis_url: str = ""
    """Redis URL (redis://host:6379/0); when set, caches and rate limits are shared by every
    process instead of kept in each one."""
    secret_key: str = ""
    """Signs session tokens; empty means generated once into the instance folder (0600)."""
    content_path: str = ""
    """Curriculum folder; empty means the curriculum shipped with the package."""
    default_language: str = "fr"
    host: str = "127.0.0.1"
    port: int = 5000
    platforms: list[dict[str, Any]] = field(default_factory=list)
    """LTI platforms to seed into the database at start (see config.example.json)."""
    key_grace_days: int = 7
    """After `ambassadeurs keys rotate`, days the previous public key stays in the JWKS."""
    session_minutes: int = 120
    """Lifetime of a learner's session token after a launch (renewed on every page)."""
    http_timeout_seconds: int = 10
    """Timeout of every outbound HTTP call (platform key sets, services)."""
    proxy_fix: int = 0
    """Reverse proxies in front of the tool whose X-Forwarded-* headers are trusted."""
    demo_platform: bool = True
    """Built-in demo platform on the home page; only ever active on a loopback base_url."""
    embedded_grade_worker: bool = True
    """`ambassadeurs serve` (not --production) delivers grades in a thread of its own."""
    grade_batch_size: int = 20
    """Outbox rows a grade worker claims at a time."""
    grade_poll_seconds: int = 5
    """How often an idle grade worker looks for new rows (new scores also wake it)."""
    grade_lease_seconds: int = 120
    """How long a claimed row stays a worker's before another may take it over (a worker
    that died); renewed before each row, at least 5 × http_timeout_seconds."""
    grade_max_attempts: int = 20
    """Failed deliveries of a row before it is marked failed (about 15 h with the defaults)."""
    grade_retry_base_seconds: int = 30
    """First retry delay; it doubles on each failure (with jitter) up to the maximum."""
    grade_retry_max_seconds: int = 3600
    """Longest delay between two retries of a row."""
    roster_cache_minutes: int = 60
    """How long the course roster (NRPS) is used before the dashboard fetches it again."""
    registration_approval: str = ""
    """New registrations (Dynamic Registration): "auto" accepts their launches at once,
    "admin" waits for an administrator; empty: "auto" on a loopback base_url, else "admin"."""
    deployment_policy: str = "auto"
    """A launch with an unseen deployment id of a known client: "auto" records it,
    "approve" refuses it until an administrator approves it (default of new registrations)."""
    admin_session_minutes: int = 30
    """An administrator's session ends after this many minutes without a request."""
    organisation_name: str = ""
    """The organisation named on certificates and as the Open Badges issuer; empty: the LMS
    site's name from the launch, else the platform's registered name."""
    upload_max_kb: int = 8192
    """Largest file a learner may hand in with a project deliverable, in KiB."""
    upload_max_files: int = 5
    """Files a learner may attach to one project deliverable."""
    upload_types: str = "pdf,odt,ods,odp,docx,xlsx,pptx,png,jpg,jpeg,txt,md,csv"
    """File extensions accepted for project deliverables (each one's content is checked)."""

    @functools.cached_property
    def instance(self) -> Path:
        # Resolved once: the key and upload paths are asked for on many requests.
        return Path(self.instance_path).resolve()

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.instance / 'ambassadeurs.db'}"

    @property
    def auto_approve_registrations(self) -> bool:
        """Whether a new registration is approved as it arrives (embedded default) or not."""
        if self.registration_approval:
            return self.registration_approval == "auto"
        host = urlsplit(self.base_url).hostname or ""
        return host in ("127.0.0.1", "localhost", "::1")


_FIELDS = {f.name: f for f in fields(Settings)}


def _coerce(name: str, value: Any, origin: str) -> Any:
    expected = Settings.__dataclass_fields__[name].type
    if expected == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(
                f"{origin}: « {name} » doit être un entier / must be an integer"
            ) from None
    if expected == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE_WORDS | _FALSE_WORDS:
            return word in _TRUE_WORDS
        raise ConfigError(f"{origin}: « {name} » doit être true/false / must be true or false")
    if expected == "str":
        if not isinstance(value, str):
            raise ConfigError(f"{origin}: « {name} » doit être un texte / must be a string")
        return value
    if name == "platforms":
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as error:
                raise ConfigError(
                    f"{origin}: « platforms » n'est pas du JSON valide : {error}"
                ) from None
        if not isinstance(value, list):
            raise ConfigError(f"{origin}: « platforms » doit être une liste / must be a list")
    return value


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"{path}:{error.lineno}: JSON invalide / invalid JSON: {error.msg}"
        ) from None
    except OSError as error:
        raise ConfigError(f"{path}: illisible / unreadable: {error.strerror}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: un objet JSON est attendu / expected a JSON object")
    # Keys starting with "$" are documentation (see config.example.json).
    unknown = sorted(k for k in set(data) - set(_FIELDS) if not k.startswith("$"))
    if unknown:
        raise ConfigError(f"{path}: champ(s) inconnu(s) / unknown field(s): {', '.join(unknown)}")
    return {k: _coerce(k, v, str(path)) for k, v in data.items() if k in _FIELDS}


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build the settings: defaults, then config.json, then environment, then `overrides`."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    config_path = Path(environ.get(ENV_PREFIX + "CONFIG", "config.json"))
    if config_path.is_file():
        values.update(_from_file(config_path))
    elif ENV_PREFIX + "CONFIG" in environ:
        raise ConfigError(f"{config_path}: fichier introuvable / file not found")
    for name in _FIELDS:
        env_name = ENV_PREFIX + name.upper()
        if env_name in environ:
            values[name] = _coerce(name, environ[env_name], env_name)
    for name, value in (overrides or {}).items():
        if name not in _FIELDS:
            raise ConfigError(f"réglage inconnu / unknown setting: {name}")
        values[name] = value
    settings = replace(Settings(), **values)
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    url = urlsplit(settings.base_url)
    if url.scheme not in ("http", "https") or not url.netloc or url.path not in ("", "/"):
        raise ConfigError(
            f"base_url « {settings.base_url} » : une URL http(s) sans chemin est attendue "
            "/ expected an http(s) URL without a path"
        )
    if settings.base_url.endswith("/"):
        raise ConfigError("base_url ne doit pas finir par « / » / must not end with '/'")
    if settings.registration_approval not in ("", "auto", "admin"):
        raise ConfigError(
            "registration_approval : « auto » ou « admin » / must be 'auto' or 'admin'"
        )
    if settings.deployment_policy not in ("auto", "approve"):
        raise ConfigError(
            "deployment_policy : « auto » ou « approve » / must be 'auto' or 'approve'"
        )
    for name in (
        "key_grace_days",
        "session_minutes",
        "http_timeout_seconds",
        "admin_session_minutes",
        "grade_batch_size",
        "grade_poll_seconds",
        "grade_max_attempts",
        "grade_retry_base_seconds",
        "grade_retry_max_seconds",
        "roster_cache_minutes",
        "upload_max_kb",
        "upload_max_files",
    ):
        if getattr(settings, name) < 1:
            raise ConfigError(f"{name} doit être ≥ 1 / must be at least 1")
    if settings.upload_max_kb > 9 * 1024:
        raise ConfigError(
            "upload_max_kb : 9216 au plus (les requêtes sont limitées à 10 Mio) "
            "/ at most 9216 (requests are limited to 10 MiB)"
        )
    from lti_tool.uploads import KNOWN_TYPES, allowed_types

    unknown_types = [t for t in allowed_types(settings.upload_types) if t not in KNOWN_TYPES]
    if unknown_types or not allowed_types(settings.upload_types):
        raise ConfigError(
            f"upload_types : types inconnus / unknown types: {', '.join(unknown_types) or '∅'} "
            f"(connus / known: {', '.join(KNOWN_TYPES)})"
        )
    if settings.grade_lease_seconds < 5 * settings.http_timeout_seconds:
        raise ConfigError(
            "grade_lease_seconds doit valoir au moins 5 × http_timeout_seconds "
            "/ must be at least 5 × http_timeout_seconds"
        )
    if settings.proxy_fix < 0:
        raise ConfigError("proxy_fix doit être ≥ 0 / must be at least 0")
    if settings.default_language not in ("fr", "en"):
        raise ConfigError("default_language : « fr » ou « en » / must be 'fr' or 'en'")
