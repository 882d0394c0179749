"""Static assets served with a content hash in their name and a one-year cache."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app

from course_content import STATIC_FOLDER
from lti_tool.compression import COMPRESSIBLE, accepts_gzip, gzip_bytes

TOOL_STATIC_FOLDER = Path(__file__).parent / "static"

ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Asset:
    name: str
    content: bytes
    mimetype: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()[:12]

    @property
    def hashed_name(self) -> str:
        stem, _, suffix = self.name.rpartition(".")
        return f"{stem}.{self.digest}.{suffix}"

    @property
    def gzipped(self) -> bytes | None:
        """The content compressed once, at start (None for what does not compress)."""
        return _GZIPPED.get(self.digest)


# Compressed copies, by content digest: assets are read once and never change.
_GZIPPED: dict[str, bytes] = {}


def _serve(found: Asset) -> Response:
    body = found.content
    compressed = found.gzipped if accepts_gzip() else None
    response = Response(compressed or body, mimetype=found.mimetype)
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response


def _read(folder: Path, name: str, mimetype: str) -> Asset:
    return Asset(name, (folder / name).read_bytes(), mimetype)


blueprint = Blueprint("assets", __name__)


@blueprint.get("/assets/<name>")
def asset(name: str) -> Response:
    assets: dict[str, Asset] = current_app.extensions["ambassadeurs.assets"]
    found = assets.get(name)
    if found is None:
        abort(404)
    return _serve(found)


@blueprint.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico where a page names no icon (a JSON file, a PDF…)."""
    assets: dict[str, Asset] = current_app.extensions["ambassadeurs.assets"]
    found = next(a for a in assets.values() if a.name == "favicon.svg")
    response = _serve(found)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def init_assets(app: Flask) -> None:
    """Load the assets once at start and expose `asset_url(name)` to templates."""
    loaded = [
        _read(STATIC_FOLDER, "style.css", "text/css"),
        _read(STATIC_FOLDER, "favicon.svg", "image/svg+xml"),
        _read(TOOL_STATIC_FOLDER, "autosubmit.js", "text/javascript"),
        _read(TOOL_STATIC_FOLDER, "registration-close.js", "text/javascript"),
        _read(TOOL_STATIC_FOLDER, "platform-storage.js", "text/javascript"),
        _read(TOOL_STATIC_FOLDER, "scene.js", "text/javascript"),
        _read(TOOL_STATIC_FOLDER, "page-address.js", "text/javascript"),
    ]
    for each in loaded:
        if each.mimetype in COMPRESSIBLE:
            _GZIPPED[each.digest] = gzip_bytes(each.content)
    app.extensions["ambassadeurs.assets"] = {a.hashed_name: a for a in loaded}
    urls = {a.name: f"/assets/{a.hashed_name}" for a in loaded}
    app.jinja_env.globals["asset_url"] = urls.__getitem__
    app.register_blueprint(blueprint)
