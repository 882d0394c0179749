"""A small LMS of the test suite, over real HTTP on 127.0.0.1: OAuth2 token endpoint, AGS
line items and scores, NRPS memberships — behaving like Moodle 5.0 where Moodle is
particular (see lti_tool/ags.py), and breaking on demand (5xx, 429, slowness, the HTML
404 of a Moodle that cannot read the tool's keys).

It verifies the tool's client assertions with the tool's public keys, checks bearer
tokens and scopes, and counts what it receives (token requests, score posts, TCP
connections) so tests and the benchmark can see caching and connection reuse.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from jwcrypto.jwk import JWK
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_RESULT = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ALL_AGS_SCOPES = [SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT, SCOPE_SCORE]
ISSUER = "https://moodle.test"
CLIENT_ID = "client-ags"
DEPLOYMENT_ID = "1"
CONTEXT = "2"
SERVICES = "/mod/lti/services.php"
MOODLE_JWKS_ERROR = (
    "<!DOCTYPE html><html><body><p>Exception - mod_lti\\local\\ltiopenid\\jwks_helper::"
    "fix_jwks_alg(): Argument #1 ($jwks) must be of type array, null given</p></body></html>"
)


def _keep_alive_handler(app: Any) -> type[BaseHTTPRequestHandler]:
    """An HTTP/1.1 handler that keeps connections open (werkzeug's server always closes
    them), so the tests can see whether the tool reuses its connections."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            environ = EnvironBuilder(
                path=parts.path,
                query_string=parts.query,
                method=self.command,
                headers=list(self.headers.items()),
                data=data,
            ).get_environ()
            environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = self.client_address[:2]
            response = Response.from_app(app, environ, buffered=True)
            body = response.get_data()
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() != "content-length":
                    # Raw UTF-8 bytes on the wire, as PHP sends Moodle's curly quotes.
                    self.send_header(name, value.encode().decode("latin-1"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            return None

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a timeout test) leaves a broken pipe: nothing to report.
        return None


@dataclass
class Fault:
    """What the next matching request gets instead of the normal answer."""

    path_part: str
    status: int = 500
    body: str = "erreur"
    content_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Score:
    user_id: str
    score_given: float | None
    score_maximum: float
    grading_progress: str
    activity_progress: str
    timestamp: float
    comment: str


@dataclass
class LineItem:
    id: int
    label: str
    score_maximum: float
    resource_id: str = ""
    tag: str = ""
    resource_link_id: str = ""
    grades: dict[str, Score] = field(default_factory=dict)
    """The gradebook: what Moodle would store per user (rescaled to score_maximum)."""


@dataclass
class AgsPlatform:
    """The LMS. `tool_jwks` gives the tool's public keys (as the LMS would fetch them)."""

    tool_jwks: Callable[[], dict[str, Any]]
    client_id: str = CLIENT_ID
    expires_in: int = 3600
    page_size: int = 100
    curly_quotes: bool = True
    score_delay: float = 0.0
    not_gradable: set[str] = field(default_factory=set)
    members: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""
    token_requests: int = 0
    score_posts: list[dict[str, Any]] = field(default_factory=list)
    score_statuses: list[int] = field(default_factory=list)
    line_item_posts: int = 0
    membership_requests: int = 0
    connections: set[tuple[str, int]] = field(default_factory=set)
    faults: deque[Fault] = field(default_factory=deque)
    line_items: dict[int, LineItem] = field(default_factory=dict)
    tokens: dict[str, tuple[float, set[str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- Set-up ------------------------------------------------------------------------

    def add_line_item(self, label: str, score_maximum: float, **values: str) -> str:
        """A line item the LMS already has (e.g. an activity's coupled one); its URL."""
        with self.lock:
            item_id = len(self.line_items) + 1
            self.line_items[item_id] = LineItem(item_id, label, score_maximum, **values)
        return self.line_item_url(item_id)

    def line_item_url(self, item_id: int) -> str:
        return f"{self.base_url}{SERVICES}/{CONTEXT}/lineitems/{item_id}/lineitem?type_id=1"

    @property
    def line_items_url(self) -> str:
        return f"{self.base_url}{SERVICES}/{CONTEXT}/lineitems?type_id=1"

    @property
    def memberships_url(self) -> str:
        return f"{self.base_url}{SERVICES}/CourseSection/{CONTEXT}/bindings/1/memberships"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/mod/lti/token.php"

    def registration(self) -> dict[str, Any]:
        """This LMS as a config.json `platforms` entry."""
        return {
            "name": "Moodle de test (AGS)",
            "issuer": ISSUER,
            "client_id": self.client_id,
            "auth_login_url": f"{self.base_url}/mod/lti/auth.php",
            "auth_token_url": self.token_url,
            "key_set_url": f"{self.base_url}/mod/lti/certs.php",
            "deployment_ids": [DEPLOYMENT_ID],
        }

    def ags_claim(self, line_item: str | None = None, scopes: list[str] | None = None) -> Any:
        claim: dict[str, Any] = {
            "scope": scopes or ALL_AGS_SCOPES,
            "lineitems": self.line_items_url,
        }
        if line_item:
            claim["lineitem"] = line_item
        return claim

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        for _ in range(times):
            self.faults.append(fault)

    def grade_of(self, user_id: str, item_id: int = 1) -> Score | None:
        return self.line_items[item_id].grades.get(user_id)

    # --- The server ---------------------------------------------------------------------

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self.lock:
            self.connections.add((environ.get("REMOTE_ADDR", ""), int(environ["REMOTE_PORT"])))
            fault = next((f for f in self.faults if f.path_part in request.full_path), None)
            if fault is not None:
                self.faults.remove(fault)
        if fault is not None:
            time.sleep(fault.delay)
            response = Response(
                fault.body, fault.status, headers=fault.headers, content_type=fault.content_type
            )
        else:
            response = self._route(request)
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        path = request.path
        if path == "/mod/lti/token.php" and request.method == "POST":
            return self._token(request)
        match = re.fullmatch(rf"{SERVICES}/{CONTEXT}/lineitems/(\d+)/lineitem/scores", path)
        if match and request.method == "POST":
            return self._score(request, int(match.group(1)))
        if path == f"{SERVICES}/{CONTEXT}/lineitems":
            if request.method == "GET":
                return self._line_items(request)
            if request.method == "POST":
                return self._create_line_item(request)
        if path.endswith("/memberships") and request.method == "GET":
            return self._memberships(request)
        return Response("not found", 404)

    def _json(self, body: Any, status: int = 200, **headers: str) -> Response:
        return Response(json.dumps(body), status, headers=headers, content_type="application/json")

    def _token(self, request: Request) -> Response:
        with self.lock:
            self.token_requests += 1
        form = request.form
        if form.get("grant_type") != "client_credentials":
            return self._json({"error": "unsupported_grant_type"}, 400)
        assertion = form.get("client_assertion", "")
        try:
            kid = jwt.get_unverified_header(assertion)["kid"]
            key = next(k for k in self.tool_jwks()["keys"] if k["kid"] == kid)
            public = JWK.from_json(json.dumps(key)).export_to_pem()
            claims = jwt.decode(assertion, public, algorithms=["RS256"], audience=self.token_url)
        except (jwt.PyJWTError, KeyError, StopIteration) as error:
            return self._json({"error": "invalid_client", "error_description": str(error)}, 401)
        if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
            return self._json({"error": "invalid_client"}, 401)
        scopes = set(form.get("scope", "").split())
        token = secrets.token_urlsafe(16)
        with self.lock:
            self.tokens[token] = (time.monotonic() + self.expires_in, scopes)
        return self._json(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.expires_in,
                "scope": " ".join(sorted(scopes)),
            }
        )

    def _authorised(self, request: Request, *accepted: str) -> bool:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        with self.lock:
            found = self.tokens.get(token)
        return bool(found and found[0] > time.monotonic() and found[1] & set(accepted))

    def _score(self, request: Request, item_id: int) -> Response:
        if not self._authorised(request, SCOPE_SCORE):
            return Response("unauthorized", 401)
        if request.mimetype != "application/vnd.ims.lis.v1.score+json":
            return Response("wrong content type", 415)
        time.sleep(self.score_delay)
        body = request.get_json(force=True)
        with self.lock:
            self.score_posts.append(body)
            status = self._store_score(item_id, body)
            self.score_statuses.append(status)
        if status == 400:
            return Response("Incorrect score received", 400)
        if status == 409:
            return Response("Refusing score with an earlier timestamp for item", 409)
        return Response("", status)

    def _store_score(self, item_id: int, body: dict[str, Any]) -> int:
        """Moodle's rules (mod/lti/service/gradebookservices/classes/local/resources/scores.php)."""
        item = self.line_items.get(item_id)
        if item is None:
            return 404
        required = ("userId", "timestamp", "activityProgress", "gradingProgress")
        if any(not body.get(name) for name in required):
            return 400
        if "scoreGiven" in body and "scoreMaximum" not in body:
            return 400
        user = str(body["userId"])
        if user in self.not_gradable:
            return 400
        moment = datetime.fromisoformat(body["timestamp"]).timestamp()
        stored = item.grades.get(user)
        if stored is not None and int(stored.timestamp) >= int(moment):
            return 409
        given = None
        if body["gradingProgress"] == "FullyGraded" and body.get("scoreGiven") is not None:
            given = float(body["scoreGiven"]) * item.score_maximum / float(body["scoreMaximum"])
        item.grades[user] = Score(
            user,
            given,
            item.score_maximum,
            body["gradingProgress"],
            body["activityProgress"],
            moment,
            body.get("comment", ""),
        )
        return 200

    def _line_items(self, request: Request) -> Response:
        if not self._authorised(request, SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY):
            return Response("unauthorized", 401)
        args = request.args
        with self.lock:
            items = [
                i
                for i in self.line_items.values()
                if args.get("resource_id", i.resource_id) == i.resource_id
                and args.get("resource_link_id", i.resource_link_id) == i.resource_link_id
                and args.get("tag", i.tag) == i.tag
            ]
        start = int(args.get("from", 0))
        page = items[start : start + self.page_size]
        body = [self._item_json(i) for i in page]
        headers = {}
        if start + self.page_size < len(items):
            headers["Link"] = self._link(request, start + self.page_size)
        return self._json(body, **headers)

    def _item_json(self, item: LineItem) -> dict[str, Any]:
        return {
            "id": self.line_item_url(item.id),
            "label": item.label,
            "scoreMaximum": item.score_maximum,
            "resourceId": item.resource_id,
            "tag": item.tag,
            "resourceLinkId": item.resource_link_id,
        }

    def _link(self, request: Request, start: int) -> str:
        query = {k: v for k, v in request.args.items() if k != "from"}
        query["from"] = str(start)
        url = f"{self.base_url}{request.path}?{urlencode(query)}"
        quote_open, quote_close = ("“", "”") if self.curly_quotes else ('"', '"')
        return f"<{url}>; rel={quote_open}next{quote_close}"

    def _create_line_item(self, request: Request) -> Response:
        if not self._authorised(request, SCOPE_LINEITEM):
            return Response("unauthorized", 401)
        body = request.get_json(force=True)
        if not body.get("label") or not body.get("scoreMaximum"):
            return Response("label and scoreMaximum are required", 400)
        with self.lock:
            self.line_item_posts += 1
        url = self.add_line_item(
            body["label"],
            float(body["scoreMaximum"]),
            resource_id=body.get("resourceId", ""),
            tag=body.get("tag", ""),
            resource_link_id=body.get("resourceLinkId", ""),
        )
        item_id = int(re.search(r"lineitems/(\d+)/", url).group(1))  # type: ignore[union-attr]
        return self._json(self._item_json(self.line_items[item_id]), 201)

    def _memberships(self, request: Request) -> Response:
        if not self._authorised(request, SCOPE_NRPS):
            return Response("unauthorized", 401)
        with self.lock:
            self.membership_requests += 1
        start = int(request.args.get("from", 0))
        page = self.members[start : start + self.page_size]
        headers = {}
        if start + self.page_size < len(self.members):
            headers["Link"] = self._link(request, start + self.page_size)
        return self._json(
            {
                "id": f"{self.base_url}{request.path}",
                "context": {"id": CONTEXT, "label": "ANR", "title": "Ambassadeurs NR"},
                "members": page,
            },
            **headers,
        )


def serve_platform(platform: AgsPlatform) -> Iterator[AgsPlatform]:
    """Run `platform` on a free loopback port while the caller's block runs."""
    server = _Server(("127.0.0.1", 0), _keep_alive_handler(platform.wsgi))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    platform.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield platform
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


running = contextlib.contextmanager(serve_platform)
"""`with running(AgsPlatform(…)) as lms:` — the same, as a context manager."""


def learners(count: int, start: int = 1) -> list[dict[str, Any]]:
    """NRPS members as Moodle lists them (short role names)."""
    return [
        {
            "user_id": str(1000 + n),
            "name": f"Apprenant {n:03d}",
            "given_name": "Apprenant",
            "family_name": f"{n:03d}",
            "email": f"apprenant{n:03d}@example.org",
            "roles": ["Learner"],
            "status": "Active",
        }
        for n in range(start, start + count)
    ]


def parse_query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)
