"""A WSGI application behind a real HTTP server in a thread, for as long as a block runs:
the tool, a test LMS or a page that embeds the tool, as a browser or client reaches them."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from werkzeug.serving import make_server


@contextlib.contextmanager
def served_in_thread(app: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[int]:
    """Serve `app` on `host`:`port` (0: a free port) while the block runs; yields the port."""
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=5)
