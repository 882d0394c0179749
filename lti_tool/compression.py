"""gzip for text responses, so a page costs the learner a third of its bytes.

Run last (registered first): the page's ETag is computed on the uncompressed body, and a
304 has no body to compress. A response that already has a Content-Encoding, streams, or
is small is left alone. Weak ETags stay valid for both encodings.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "text/plain",
        "text/csv",
        "application/json",
        "application/javascript",
        "application/xml",
        "image/svg+xml",
    }
)
MIN_SIZE = 512  # below one packet, gzip's header costs more than it saves
LEVEL = 6


def accepts_gzip() -> bool:
    return "gzip" in request.accept_encodings


def gzip_bytes(data: bytes) -> bytes:
    """Reproducible gzip (no timestamp), so equal bodies give equal bytes."""
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def compress_response(response: Response) -> Response:
    """`response` gzipped if the browser takes it and it is worth it."""
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.status_code < 200
        or response.status_code in (204, 206, 304)
        or "Content-Encoding" in response.headers
        or response.mimetype not in COMPRESSIBLE
        or not accepts_gzip()
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip_bytes(body))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response


def init_compression(app: Flask) -> None:
    """Register the compression; call it before any other after_request (it runs last)."""
    app.after_request(compress_response)
