"""A platform of the test suite that offers LTI platform storage, as Canvas and Blackboard do.

Served over real HTTP on `localhost` (another site than the tool on 127.0.0.1), it has:
- a course page embedding the tool, whose iframe starts at the tool's OIDC login (with or
  without `lti_storage_target`); the page answers `lti.capabilities`;
- a storage frame (`lti_storage_frame`, same origin as the course page) answering
  `lti.put_data` and `lti.get_data` from its localStorage, each tool's values apart;
- an OIDC authorization endpoint that signs the id_token and form-posts it to the tool;
- its JWKS.

Modes of the course page (`?storage=`):
- `frame`: the capabilities name the storage frame and `lti_storage_target` is `_parent`
  (Blackboard puts the frame in the capabilities);
- `target`: the capabilities name no frame and `lti_storage_target` names the storage
  frame (Canvas's `post_message_forwarding`);
- `none`: no `lti_storage_target` at all (Moodle 5.0).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from tests.lti_tool.signing_platform import SigningPlatform
from tests.wsgi_thread import served_in_thread

STORAGE_FRAME = "lti_storage_frame"
CLIENT_ID = "storage-platform-client"
DEPLOYMENT_ID = "storage-deployment"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"

# The platform's own scripts (test code on the LMS side, not the tool's).
PLATFORM_JS = """
window.addEventListener("message", function (event) {
  var message = event.data;
  if (!message || message.subject !== "lti.capabilities") { return; }
  var put = {subject: "lti.put_data"}, get = {subject: "lti.get_data"};
  if (document.body.dataset.storage === "frame") { put.frame = get.frame = "lti_storage_frame"; }
  event.source.postMessage({subject: "lti.capabilities.response", message_id: message.message_id,
    supported_messages: [{subject: "lti.capabilities"}, put, get]}, event.origin);
});
(function () {
  var tool = document.getElementById("outil");
  var storage = document.querySelector("iframe[name=lti_storage_frame]");
  function start() { tool.src = tool.dataset.src; }
  if (storage.contentDocument && storage.contentDocument.readyState === "complete"
      && storage.contentWindow.location.pathname === "/storage-frame") { start(); }
  else { storage.addEventListener("load", start); }
})();
"""

STORAGE_JS = """
window.ltiMessages = [];
window.addEventListener("message", function (event) {
  var message = event.data;
  if (!message || (message.subject !== "lti.put_data" && message.subject !== "lti.get_data")) {
    return;
  }
  window.ltiMessages.push(message.subject + " " + message.key);
  var key = event.origin + "|" + message.key;  // each tool's values apart
  if (message.subject === "lti.put_data") {
    if (message.value === null) { localStorage.removeItem(key); }
    else { localStorage.setItem(key, String(message.value)); }
  }
  event.source.postMessage({subject: message.subject + ".response", message_id: message.message_id,
    key: message.key, value: localStorage.getItem(key)}, event.origin);
});
"""

AUTOPOST_JS = "document.forms[0].submit();"


@dataclass
class StoragePlatform:
    """The LMS side; `origin` and `tool_base` are set when served."""

    tool_base: str
    signer: SigningPlatform = field(default_factory=SigningPlatform)
    origin: str = ""
    forged_login: tuple[str, str] | None = None
    """(state, nonce) of a login made in another browser: the authorization endpoint posts
    them instead of the ones it received (a launch carried into the wrong browser)."""
    authorizations: list[dict[str, str]] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return self.origin

    def login_url(self, storage: str) -> str:
        params = {
            "iss": self.issuer,
            "login_hint": "42",
            "lti_message_hint": "7",
            "target_link_uri": f"{self.tool_base}/lti/launch",
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT_ID,
        }
        if storage == "frame":
            params["lti_storage_target"] = "_parent"
        elif storage == "target":
            params["lti_storage_target"] = STORAGE_FRAME
        return f"{self.tool_base}/lti/login?{urlencode(params)}"

    def course_page(self, storage: str) -> str:
        return (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Cours</title>'
            '<script src="/platform.js" defer></script></head>'
            f'<body data-storage="{html.escape(storage)}"><h1>Cours</h1>'
            f'<iframe name="{STORAGE_FRAME}" title="Stockage" src="/storage-frame" '
            'width="1" height="1"></iframe>'
            f'<iframe id="outil" title="Outil" data-src="{html.escape(self.login_url(storage))}" '
            'width="900" height="700"></iframe></body></html>'
        )

    def authorization_page(self, params: dict[str, str]) -> str:
        """The OIDC authentication response: a signed id_token form-posted to the tool."""
        self.authorizations.append(params)
        state, nonce = self.forged_login or (params["state"], params["nonce"])
        claims = self.signer.claims(
            nonce,
            iss=self.issuer,
            aud=CLIENT_ID,
            **{
                f"{CLAIM}deployment_id": DEPLOYMENT_ID,
                f"{CLAIM}target_link_uri": f"{self.tool_base}/lti/launch",
            },
        )
        token = self.signer.sign(claims)
        return (
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>LMS</title>'
            '<script src="/autopost.js" defer></script></head><body>'
            f'<form method="post" action="{html.escape(params["redirect_uri"])}">'
            f'<input type="hidden" name="id_token" value="{token}">'
            f'<input type="hidden" name="state" value="{html.escape(state)}">'
            "</form></body></html>"
        )

    def wsgi(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        pages = {
            "/platform.js": (PLATFORM_JS, "text/javascript"),
            "/storage.js": (STORAGE_JS, "text/javascript"),
            "/autopost.js": (AUTOPOST_JS, "text/javascript"),
            "/storage-frame": (
                '<!doctype html><html lang="fr"><head><title>Stockage</title>'
                '<script src="/storage.js"></script></head><body></body></html>',
                "text/html",
            ),
        }
        if request.path in pages:
            body, mimetype = pages[request.path]
            response = Response(body, mimetype=mimetype)
        elif request.path == "/course":
            response = Response(
                self.course_page(request.args.get("storage", "none")), mimetype="text/html"
            )
        elif request.path == "/auth":
            response = Response(
                self.authorization_page(request.values.to_dict()), mimetype="text/html"
            )
        elif request.path == "/jwks":
            response = Response(json.dumps(self.signer.jwks()), mimetype="application/json")
        else:
            response = Response("not found", 404)
        return response(environ, start_response)


def serve_storage_platform(platform: StoragePlatform, port: int) -> Iterator[StoragePlatform]:
    """Run the platform on localhost:`port` while the caller's block runs."""
    with served_in_thread(platform.wsgi, "localhost", port):
        platform.origin = f"http://localhost:{port}"
        yield platform
