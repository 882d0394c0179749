"""The one place that talks to pylti1p3, and where its weak spots are fixed.

pylti1p3 2.0.0 does the protocol work (OIDC login request, launch validation chain,
message validators, deep-linking response). Around it, this module:

- signs the OIDC `state`, which carries the `nonce` issued with it (oidc_state.py), so
  a launch in a cross-site iframe with third-party cookies blocked still works and a
  login writes nothing; the state is short-lived and consumed once, in the database, by
  the launch, and the id_token's nonce must be the one it was issued with (pylti1p3 keeps
  them in cookies and the session, and never consumes the nonce); a login that asks for
  LTI platform storage (`lti_storage_target`) is recorded, for platform_storage.py to
  bind it to the browser;
- accepts `aud` as an array when it contains our client id and `azp` names it, and
  rejects an `azp` naming another client (pylti1p3 takes `aud[0]` and ignores `azp`);
- allows 60 s of clock skew on `iat`/`exp` and rejects tokens issued too long ago
  (pylti1p3 has no leeway and no maximum age);
- checks signatures with the platform keys of platform_keys.py, which fetches a JWKS again
  once when a token's `kid` is unknown (pylti1p3 either fetches on every launch or never
  refreshes);
- accepts RS256 only, whatever the key or the token header say;
- requires `target_link_uri` to point at this tool and to equal the one sent at login;
- puts a timeout on every outbound HTTP call (pylti1p3 sets none).

Nothing else in the code base imports pylti1p3.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from pylti1p3.cookie import CookieService
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.deployment import Deployment as LtiDeployment
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.lineitem import LineItem
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.registration import Registration
from pylti1p3.request import Request
from pylti1p3.session import SessionService
from pylti1p3.tool_config import ToolConfAbstract
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.keys import ToolKey
from lti_tool.models import OidcState, Platform
from lti_tool.oidc_state import IssuedLogin, LoginStates, StateRefused
from lti_tool.platform_cache import PlatformCache, PlatformEntry
from lti_tool.platform_keys import KeySetUnavailable, PlatformKeys, UnknownKey
from lti_tool.platforms import (
    APPROVED,
    DISABLED,
    PENDING,
    admit_deployment,
    find_deployment,
)
from lti_tool.shared_cache import SharedCache

log = logging.getLogger(__name__)

# LTI 1.3 core claims (imsglobal.org/spec/lti/v1p3/#required-message-claims).
CLAIM_MESSAGE_TYPE = "https://purl.imsglobal.org/spec/lti/claim/message_type"
CLAIM_VERSION = "https://purl.imsglobal.org/spec/lti/claim/version"
CLAIM_DEPLOYMENT_ID = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
CLAIM_TARGET_LINK_URI = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"
CLAIM_RESOURCE_LINK = "https://purl.imsglobal.org/spec/lti/claim/resource_link"
CLAIM_ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
CLAIM_CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
CLAIM_CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
CLAIM_LAUNCH_PRESENTATION = "https://purl.imsglobal.org/spec/lti/claim/launch_presentation"
# Deep Linking 2.0 (imsglobal.org/spec/lti-dl/v2p0/#deep-linking-settings).
CLAIM_DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
CLAIM_DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
CLAIM_DL_MSG = "https://purl.imsglobal.org/spec/lti-dl/claim/msg"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
SUPPORTED_MESSAGES = (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST)

CLOCK_LEEWAY_SECONDS = 60
"""Clock skew tolerated on `iat` and `exp` (Moodle's id_token lives only 60 s)."""
ID_TOKEN_MAX_AGE_SECONDS = 300
"""An id_token issued longer ago than this (plus the leeway) is refused."""
MAX_DEPLOYMENT_ID_LENGTH = 255
"""The deployment_id column's size (the spec caps it at 255 ASCII characters)."""
STATE_LIFETIME_SECONDS = 600
"""Time between the OIDC login and the launch POST."""
MAX_URL_LENGTH = 2000
"""The size of the URL columns."""


class LtiError(Exception):
    """A login or launch refused; `code` names the message shown, `detail` goes to the log."""

    def __init__(
        self, code: str, detail: str, status: int = 400, values: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status
        self.values = dict(values or {})
        """What the page's message names (a deployment id, a platform's name)."""


class DeploymentNotApproved(LtiError):
    """A launch from a deployment id the administrator has not approved (yet)."""

    def __init__(self, platform: PlatformEntry, deployment_id: str, known: bool) -> None:
        super().__init__(
            "deployment_pending",
            f"deployment_id={deployment_id!r} of platform #{platform.id} is not approved",
            403,
            {"deployment": deployment_id, "platform": platform.name},
        )
        self.platform_id = platform.id
        self.deployment_id = deployment_id
        self.known = known
        """False: never seen before, so the caller records it for the administrator."""


def refuse_unapproved_platform(platform: PlatformEntry) -> None:
    """Launches and logins come only from an approved registration."""
    if platform.status == PENDING:
        raise LtiError(
            "platform_pending",
            f"platform #{platform.id} awaits approval",
            403,
            {"platform": platform.name},
        )
    if platform.status != APPROVED:
        raise LtiError(
            "platform_disabled",
            f"platform #{platform.id} is {platform.status}",
            403,
            {"platform": platform.name},
        )


class TimeoutSession(requests.Session):
    """A requests session that puts a timeout on every call that does not set one."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout
        self.headers["User-Agent"] = "ambassadeurs-nr-lti-tool"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


@dataclass(frozen=True)
class ValidatedLaunch:
    """The claims of an id_token that passed every check, with the platform it came from."""

    platform_id: int
    deployment_id: str
    claims: dict[str, Any]
    bound_login: OidcState | None = None
    """The login, when it is bound to the platform storage (platform_storage.py): the
    launch goes on only once the browser's platform storage gives its values back."""

    @property
    def message_type(self) -> str:
        return str(self.claims.get(CLAIM_MESSAGE_TYPE, ""))

    @property
    def user_id(self) -> str:
        return str(self.claims.get("sub", ""))

    @property
    def roles(self) -> list[str]:
        roles = self.claims.get(CLAIM_ROLES) or []
        return [str(r) for r in roles] if isinstance(roles, list) else []

    @property
    def context_id(self) -> str:
        context = self.claims.get(CLAIM_CONTEXT) or {}
        return str(context.get("id", "")) if isinstance(context, dict) else ""

    @property
    def resource_link_id(self) -> str:
        link = self.claims.get(CLAIM_RESOURCE_LINK) or {}
        return str(link.get("id", "")) if isinstance(link, dict) else ""

    @property
    def custom(self) -> dict[str, str]:
        custom = self.claims.get(CLAIM_CUSTOM) or {}
        return {str(k): str(v) for k, v in custom.items()} if isinstance(custom, dict) else {}

    @property
    def locale(self) -> str:
        presentation = self.claims.get(CLAIM_LAUNCH_PRESENTATION) or {}
        return str(presentation.get("locale", "")) if isinstance(presentation, dict) else ""


def unverified_locale(id_token: str) -> str:
    """The launch locale read from a token that may be invalid (only to word the error)."""
    try:
        claims = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return ""
    presentation = claims.get(CLAIM_LAUNCH_PRESENTATION) or {}
    return str(presentation.get("locale", "")) if isinstance(presentation, dict) else ""


# --- pylti1p3 plumbing: requests, cookies and sessions we do not use -------------------


class _ParamsRequest(Request):
    """The login or launch parameters, without Flask: the adapter is framework-free."""

    def __init__(self, params: Mapping[str, str], secure: bool) -> None:
        super().__init__()
        self._params = params
        self._secure = secure
        self._session: dict[str, Any] = {}

    @property
    def session(self) -> dict[str, Any]:
        return self._session

    def is_secure(self) -> bool:
        return self._secure

    def get_param(self, key: str) -> str:
        return self._params.get(key, "")


class _NoCookies(CookieService):
    """State lives on the server: pylti1p3's state cookie is never set nor read."""

    def get_cookie(self, name: str) -> str | None:
        return None

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        return None


class _RequestScopedStorage(LaunchDataStorage[Any]):
    """A throwaway store for what pylti1p3 would put in the session (we keep nothing)."""

    _session_cookie_name = ""

    def __init__(self) -> None:
        super().__init__()
        self._values: dict[str, Any] = {}

    def can_set_keys_expiration(self) -> bool:
        return False

    def get_value(self, key: str) -> Any:
        return self._values.get(key)

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        self._values[key] = value

    def check_value(self, key: str) -> bool:
        return key in self._values


def _session_service(request: _ParamsRequest) -> SessionService:
    service = SessionService(request)
    service.set_data_storage(_RequestScopedStorage())
    return service


# --- Our ToolConf: registrations come from the database ------------------------------------


class DatabaseToolConf(ToolConfAbstract[_ParamsRequest]):
    """pylti1p3's view of the platform registry: many issuers, client ids, deployments."""

    def __init__(self, session: Session, platforms: PlatformCache):
        super().__init__()
        self._session = session
        self._platforms = platforms
        self.found: PlatformEntry | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        # Every issuer may have several client ids (Canvas cloud has one issuer for all).
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def registration_for(self, platform: Platform | PlatformEntry) -> Registration:
        registration = Registration()
        registration.set_issuer(platform.issuer)
        registration.set_client_id(platform.client_id)
        registration.set_auth_login_url(platform.auth_login_url)
        registration.set_auth_token_url(platform.auth_token_url)
        registration.set_key_set_url(platform.key_set_url)
        if platform.auth_audience:
            registration.set_auth_audience(platform.auth_audience)
        return registration

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        return self.find_registration_by_params(iss, None)  # type: ignore[return-value]

    def find_registration_by_params(
        self, iss: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Registration | None:
        platform = self._platforms.find(self._session, iss, client_id or None)
        self.found = platform
        return self.registration_for(platform) if platform else None

    def find_deployment(self, iss: str, deployment_id: str) -> LtiDeployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> LtiDeployment | None:
        platform = self._platforms.find(self._session, iss, client_id)
        if platform is None or deployment_id not in platform.deployments:
            return None
        return LtiDeployment().set_deployment_id(deployment_id)


# --- The tool side of the protocol -----------------------------------------------------------


class _SignedStateLogin(
    OIDCLogin[_ParamsRequest, DatabaseToolConf, SessionService, _NoCookies, str]
):
    """pylti1p3's OIDC login, with a state signed by the tool (oidc_state.py): nothing is
    written, except for a login that asks for the platform storage, which
    platform_storage.py binds to the browser later."""

    def __init__(
        self,
        adapter: ToolAdapter,
        request: _ParamsRequest,
        conf: DatabaseToolConf,
        browser_id: str | None,
        storage_target: str | None,
    ):
        super().__init__(request, conf, _session_service(request), _NoCookies())
        self._adapter = adapter
        self._conf = conf
        self._browser_id = browser_id
        self._storage_target = storage_target
        self._nonce = secrets.token_urlsafe(24)

    def get_redirect(self, url: str) -> Any:
        raise NotImplementedError("the adapter returns the URL; the blueprint redirects")

    def _get_uuid(self) -> str:
        # pylti1p3 asks for the state's value once it has found the registration.
        platform = self._conf.found
        assert platform is not None
        return self._adapter.states.value(
            self._nonce,
            platform.id,
            self._get_request_param("target_link_uri"),
            self._browser_id,
            self._storage_target is not None,
            int(self._adapter.clock()),
        )

    def _generate_nonce(self) -> str:
        return self._nonce

    def _prepare_redirect_url(self, launch_url: str) -> str:
        url = super()._prepare_redirect_url(launch_url)
        if self._storage_target is not None:
            platform = self._conf.found
            assert platform is not None  # validate_oidc_login found it, or raised
            self._adapter.session.add(
                OidcState(
                    state=parse_qs(urlsplit(url).query)["state"][0],
                    nonce=self._nonce,
                    platform_id=platform.id,
                    target_link_uri=self._get_request_param("target_link_uri"),
                    browser_id=self._browser_id,
                    storage_target=self._storage_target,
                    created_at=self._adapter.now(),
                )
            )
            self._adapter.session.flush()
        return url


_CONSUME_STATE = insert(OidcState)
"""Built once: a launch is the hot path, and building a statement costs more than running it."""


class _CheckedLaunch(MessageLaunch[_ParamsRequest, DatabaseToolConf, SessionService, _NoCookies]):
    """pylti1p3's launch validation chain, each weak link replaced by a stricter one."""

    def __init__(self, adapter: ToolAdapter, request: _ParamsRequest, conf: DatabaseToolConf):
        super().__init__(
            request,
            conf,
            session_service=_session_service(request),
            cookie_service=_NoCookies(),
            requests_session=adapter.http,
        )
        self._adapter = adapter
        self._conf = conf
        self.login: IssuedLogin | None = None
        self.browser_id: str | None = None
        self.bound_login: OidcState | None = None

    def _get_request_param(self, key: str) -> str:
        return self._request.get_param(key)

    def validate_state(self) -> _CheckedLaunch:
        """The state must be one we issued, recent, and from this browser if known (it is
        consumed, once, by save_launch_data)."""
        state = self._get_request_param("state")
        if not state:
            raise LtiError("launch_expired", "missing state parameter")
        try:
            login = self._adapter.states.read(state, self._adapter.clock())
        except StateRefused as refused:
            raise LtiError("launch_expired", str(refused)) from None
        # Where the browser kept our cookie, it must be the browser that logged in.
        if login.from_other_browser(self.browser_id):
            raise LtiError("launch_invalid", "state issued to another browser")
        self.login = login
        return self

    def validate_nonce(self) -> _CheckedLaunch:
        """The token's nonce must be the one issued with this state (consumed at the end)."""
        nonce = self._get_jwt_body().get("nonce")
        assert self.login is not None
        if not nonce or not secrets.compare_digest(str(nonce), self.login.nonce):
            raise LtiError("launch_invalid", "nonce does not match the state")
        return self

    def get_client_id(self) -> str:
        """Our client id: `azp` when present, else the only audience."""
        body = self._get_jwt_body()
        aud = body.get("aud")
        azp = body.get("azp")
        audiences = aud if isinstance(aud, list) else [aud]
        if azp is not None:
            if azp not in audiences:
                raise LtiError("launch_invalid", "azp is not one of the audiences")
            return str(azp)
        if len(audiences) != 1 or not isinstance(audiences[0], str):
            raise LtiError("launch_invalid", "several audiences and no azp")
        return audiences[0]

    def validate_registration(self) -> _CheckedLaunch:
        try:
            super().validate_registration()
        except LtiException as error:
            raise LtiError("platform_unknown", f"{error}: iss={self.get_iss()!r}") from None
        platform = self._conf.found
        assert platform is not None and self.login is not None
        if platform.id != self.login.platform_id:
            raise LtiError("launch_invalid", "token from another platform than the login")
        refuse_unapproved_platform(platform)
        return self

    def get_public_key(self) -> tuple[Any, str]:
        header = self._jwt.get("header", {})
        if header.get("alg") != "RS256":
            raise LtiError("launch_invalid", f"alg {header.get('alg')!r} refused (RS256 only)")
        kid = header.get("kid")
        if not kid:
            raise LtiError("launch_invalid", "token header has no kid")
        platform = self._conf.found
        assert platform is not None
        try:
            return self._adapter.platform_keys.public_key(platform.key_set_url, str(kid)), "RS256"
        except KeySetUnavailable as error:
            raise LtiError("platform_keys", str(error), error.status) from None
        except UnknownKey as error:
            raise LtiError("launch_invalid", str(error)) from None

    def validate_jwt_signature(self) -> _CheckedLaunch:
        public_key, _ = self.get_public_key()
        try:
            jwt.decode(
                self._get_id_token(),
                public_key,
                algorithms=["RS256"],
                audience=self.get_client_id(),
                issuer=self.get_iss(),
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["exp", "iat"]},
            )
        except jwt.ExpiredSignatureError:
            raise LtiError("launch_expired", "id_token expired") from None
        except jwt.PyJWTError as error:
            raise LtiError("launch_invalid", f"id_token rejected: {error}") from None
        issued_at = self._get_jwt_body().get("iat")
        assert isinstance(issued_at, int | float)
        if self._adapter.clock() - issued_at > ID_TOKEN_MAX_AGE_SECONDS + CLOCK_LEEWAY_SECONDS:
            raise LtiError("launch_expired", f"id_token issued too long ago (iat={issued_at})")
        return self

    def validate_deployment(self) -> _CheckedLaunch:
        """Known and approved deployment ids pass; an unseen one follows the registration's
        policy (recorded and accepted, or refused until an administrator approves it)."""
        deployment_id = self._get_jwt_body().get(CLAIM_DEPLOYMENT_ID)
        if not isinstance(deployment_id, str) or not deployment_id.strip():
            raise LtiError("launch_invalid", "deployment_id claim missing or not a string")
        if len(deployment_id) > MAX_DEPLOYMENT_ID_LENGTH:
            raise LtiError("launch_invalid", "deployment_id claim too long")
        platform = self._conf.found
        assert platform is not None
        status = platform.deployments.get(deployment_id)
        known = status is not None
        if status != APPROVED:
            # Unknown or not approved in what this process kept: the database decides.
            record = self._adapter.session.get(Platform, platform.id)
            if record is None:
                raise LtiError("platform_unknown", f"platform #{platform.id} was just removed")
            known = find_deployment(record, deployment_id) is not None
            status = admit_deployment(self._adapter.session, record, deployment_id)
        if status == DISABLED:
            raise LtiError(
                "deployment_disabled",
                f"deployment_id={deployment_id!r} of platform #{platform.id} is disabled",
                403,
                {"deployment": deployment_id, "platform": platform.name},
            )
        if status != APPROVED:
            raise DeploymentNotApproved(platform, deployment_id, known)
        return self

    def validate_message(self) -> _CheckedLaunch:
        body = self._get_jwt_body()
        if body.get(CLAIM_MESSAGE_TYPE) not in SUPPORTED_MESSAGES:
            raise LtiError(
                "launch_invalid", f"message type {body.get(CLAIM_MESSAGE_TYPE)!r} not supported"
            )
        try:
            super().validate_message()
        except LtiException as error:
            raise LtiError("launch_invalid", str(error)) from None
        target = str(body.get(CLAIM_TARGET_LINK_URI, ""))
        assert self.login is not None
        if not self._adapter.is_our_url(target):
            raise LtiError("launch_invalid", f"target_link_uri {target!r} is not this tool")
        if not self.login.targets(target):
            raise LtiError("launch_invalid", "target_link_uri differs from the login's")
        return self

    def save_launch_data(self) -> _CheckedLaunch:
        """Consume the state (and its nonce): a second use finds it already consumed."""
        login = self.login
        assert login is not None
        if login.with_storage:
            self.bound_login = self._consume_storage_login(login)
            return self
        issued_at = datetime.fromtimestamp(login.issued_at, UTC).replace(tzinfo=None)
        target = str(self._get_jwt_body().get(CLAIM_TARGET_LINK_URI))
        consumed = {
            "state": login.state,
            "nonce": login.nonce,
            "platform_id": login.platform_id,
            "target_link_uri": target[:MAX_URL_LENGTH],
            "created_at": issued_at,
            "used_at": self._adapter.now(),
        }
        try:
            # The state is the primary key: a concurrent or later second use fails here (and
            # the launch's transaction is rolled back).
            self._adapter.session.connection().execute(_CONSUME_STATE, consumed)
        except IntegrityError:
            raise LtiError("launch_replayed", "state already used") from None
        return self

    def _consume_storage_login(self, login: IssuedLogin) -> OidcState | None:
        """Consume a login recorded for the platform storage; the same statement says
        whether it is bound to the storage now (the login page's script may just have
        bound it). Returns the record when it is bound."""
        consumed = self._adapter.session.execute(
            update(OidcState)
            .where(OidcState.state == login.state, OidcState.used_at.is_(None))
            .values(used_at=self._adapter.now())
            .returning(OidcState.stored_in_platform_at, OidcState.storage_target)
            .execution_options(synchronize_session=False)
        ).all()
        if len(consumed) != 1:
            raise LtiError("launch_replayed", "state already used, or its record is gone")
        stored_at, storage_target = consumed[0]
        if stored_at is None:
            return None
        return OidcState(state=login.state, nonce=login.nonce, storage_target=storage_target)


class ToolAdapter:
    """Login, launch and deep-linking response for one request, on one DB session."""

    def __init__(
        self,
        session: Session,
        signing_key: Callable[[], ToolKey],
        base_url: str,
        http: requests.Session,
        states: LoginStates,
        platforms: PlatformCache,
        clock: Callable[[], float] = time.time,
        cache: SharedCache | None = None,
    ) -> None:
        self.session = session
        # Read when something is signed (deep linking), not on every login and launch.
        self._signing_key = signing_key
        self.base_url = base_url
        self.http = http
        self.states = states
        self.clock = clock
        self.conf = DatabaseToolConf(session, platforms)
        self.platform_keys = PlatformKeys(session, http, self.now, cache)

    @property
    def signing_key(self) -> ToolKey:
        """The tool's current signing key."""
        return self._signing_key()

    def now(self) -> datetime:
        """The adapter's clock as naive UTC (tests move it)."""
        return datetime.fromtimestamp(self.clock(), UTC).replace(tzinfo=None)

    def is_our_url(self, url: str) -> bool:
        return url == self.base_url or url.startswith(self.base_url + "/")

    def login_redirect(
        self,
        params: Mapping[str, str],
        launch_url: str,
        browser_id: str | None,
        secure: bool,
        storage_target: str | None = None,
    ) -> str:
        """Validate an OIDC login initiation and return the platform URL to redirect to;
        `storage_target`: the login asked for LTI platform storage (platform_storage.py)."""
        target = params.get("target_link_uri", "")
        if not self.is_our_url(target):
            raise LtiError("launch_invalid", f"target_link_uri {target!r} is not this tool")
        request = _ParamsRequest(params, secure)
        conf = self.conf
        login = _SignedStateLogin(self, request, conf, browser_id, storage_target)
        try:
            url = login._prepare_redirect_url(launch_url)
        except (LtiException, OIDCException) as error:
            code = "platform_unknown" if "registration" in str(error) else "launch_invalid"
            raise LtiError(code, f"OIDC login refused: {error}") from None
        assert conf.found is not None
        refuse_unapproved_platform(conf.found)
        return url

    def validate_launch(
        self, form: Mapping[str, str], browser_id: str | None, secure: bool
    ) -> ValidatedLaunch:
        """Run every check on a launch POST; the state and nonce are consumed on success."""
        request = _ParamsRequest(form, secure)
        launch = _CheckedLaunch(self, request, self.conf)
        launch.browser_id = browser_id
        try:
            launch.validate()
        except LtiException as error:
            raise LtiError("launch_invalid", str(error)) from None
        platform = self.conf.found
        assert platform is not None
        claims = dict(launch.get_launch_data())
        bound = launch.bound_login
        return ValidatedLaunch(platform.id, str(claims[CLAIM_DEPLOYMENT_ID]), claims, bound)

    # --- Deep linking -----------------------------------------------------------------------

    def deep_linking_response(
        self, launch_claims: Mapping[str, Any], platform: Platform, items: Sequence[ContentItem]
    ) -> tuple[str, str]:
        """The signed LtiDeepLinkingResponse JWT and the URL to post it to."""
        settings = launch_claims.get(CLAIM_DEEP_LINKING_SETTINGS) or {}
        return_url = str(settings.get("deep_link_return_url", ""))
        if not return_url:
            raise LtiError("launch_invalid", "deep linking settings without a return URL")
        signing_key = self.signing_key
        registration = self.conf.registration_for(platform)
        registration.set_tool_private_key(signing_key.private_pem)
        deep_link = _DeepLinkResponse(
            registration, str(launch_claims[CLAIM_DEPLOYMENT_ID]), settings, signing_key.kid
        )
        return return_url, deep_link.get_response_jwt([_resource(item) for item in items])


@dataclass(frozen=True)
class ContentItem:
    """One activity returned to the platform by deep linking."""

    url: str
    title: str
    text: str
    custom: Mapping[str, str]
    score_maximum: float | None = None
    label: str = ""
    resource_id: str = ""
    tag: str = ""


class _TextResource(DeepLinkResource):
    """pylti1p3's resource link, plus the `text` it leaves out."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def to_dict(self) -> dict[str, object]:
        item = super().to_dict()
        if self._text:
            item["text"] = self._text
        return item


def _resource(item: ContentItem) -> DeepLinkResource:
    resource = _TextResource(item.text)
    resource.set_url(item.url).set_title(item.title).set_custom_params(dict(item.custom))
    if item.score_maximum is not None:
        line_item = LineItem()
        line_item.set_score_maximum(item.score_maximum)
        line_item.set_label(item.label or item.title)
        line_item.set_resource_id(item.resource_id)
        line_item.set_tag(item.tag)
        resource.set_lineitem(line_item)
    return resource


class _DeepLinkResponse(DeepLink):
    """pylti1p3's response, with our key id and without `data: null` when none was sent."""

    def __init__(
        self, registration: Registration, deployment_id: str, settings: Any, kid: str
    ) -> None:
        super().__init__(registration, deployment_id, settings)
        self._kid = kid

    def get_message_jwt(self, resources: Sequence[DeepLinkResource]) -> dict[str, object]:
        message = super().get_message_jwt(resources)
        if message.get(CLAIM_DL_DATA) is None:
            message.pop(CLAIM_DL_DATA, None)
        return message

    def encode_jwt(self, message: Mapping[str, object]) -> str:
        return jwt.encode(
            dict(message),
            self._registration.get_tool_private_key(),
            algorithm="RS256",
            headers={"kid": self._kid},
        )
