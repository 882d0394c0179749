"""Grade delivery throughput: 1,000 scores to a local AGS endpoint, beside a naive baseline.

- The tool's way: the scores are queued in the grade outbox (SQLite, as in the embedded
  default) and a grade worker delivers them — one access token per lifetime, one kept-alive
  HTTP session per platform, the signing key parsed once, the outcome of every row
  committed.
- The naive baseline, in the same run and against the same LMS: for each score, a new
  token (client assertion signed from the PEM, as pylti1p3 does) and new connections,
  then the score.

The LMS (the test suite's Moodle-like AGS server) runs in its own process, so it does
not share the interpreter lock with what is measured. Not run in CI:

    .venv/bin/python benchmarks/grades.py [--scores 1000] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lti_tool import keys  # noqa: E402 - after the path is set
from lti_tool.ags import COMPLETED, FULLY_GRADED, ScoreBody, iso_timestamp, scores_url  # noqa: E402
from lti_tool.config import load_settings  # noqa: E402
from lti_tool.database import make_engine  # noqa: E402
from lti_tool.grade_outbox import LineItemTarget, enqueue_score  # noqa: E402
from lti_tool.grade_worker import GradeDelivery, RetryPolicy, new_client  # noqa: E402
from lti_tool.instance import prepare_instance  # noqa: E402
from lti_tool.lti_services import AGS_SCOPES, SCOPE_SCORE  # noqa: E402
from lti_tool.models import Platform, utcnow  # noqa: E402
from tests.lti_tool.ags_platform import CLIENT_ID, AgsPlatform, serve_platform  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "curriculum"


class _CountingPlatform(AgsPlatform):
    """The test LMS, plus GET /_stats: what it has received so far."""

    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/_stats":
            with self.lock:
                body = json.dumps(
                    {
                        "tokens": self.token_requests,
                        "scores": len(self.score_posts),
                        "connections": len(self.connections),
                    }
                ).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [body]
        return super().wsgi(environ, start_response)


def _serve_lms(jwks: dict[str, Any], ready: Any, stop: Any) -> None:
    platform = _CountingPlatform(lambda: jwks)
    for served in serve_platform(platform):
        served.add_line_item("Quiz 1", 10)
        ready.put(served.base_url)
        stop.wait()


def _stats(base_url: str) -> dict[str, int]:
    return dict(requests.get(f"{base_url}/_stats", timeout=10).json())


def _tool_way(settings: Any, base_url: str, count: int, workers: int) -> float:
    engine = make_engine(settings.sqlalchemy_url)
    with Session(engine) as session:
        platform_id = session.scalars(
            select(Platform.id).where(Platform.client_id == CLIENT_ID)
        ).one()
    line_item = f"{base_url}/mod/lti/services.php/2/lineitems/1/lineitem?type_id=1"
    target = LineItemTarget(
        platform_id,
        "1",
        "2",
        "7",
        tuple(sorted(AGS_SCOPES)),
        "m01.quiz",
        "quiz",
        "Quiz 1",
        line_item_url=line_item,
    )
    with Session(engine) as session, session.begin():
        for n in range(count):
            enqueue_score(
                session,
                target,
                ScoreBody(f"tool-{n}", n % 11, 10, COMPLETED, FULLY_GRADED, "", utcnow()),
            )
    deliveries = [
        GradeDelivery(
            make_engine(settings.sqlalchemy_url),
            new_client(settings),
            RetryPolicy(),
            settings.grade_lease_seconds,
            settings.grade_batch_size,
        )
        for _ in range(workers)
    ]
    started = time.perf_counter()
    threads = [threading.Thread(target=d.drain) for d in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def _naive_way(instance: Path, base_url: str, count: int) -> float:
    key = keys.ensure_signing_key(instance)
    token_url = f"{base_url}/mod/lti/token.php"
    line_item = f"{base_url}/mod/lti/services.php/2/lineitems/1/lineitem?type_id=1"
    started = time.perf_counter()
    for n in range(count):
        now = int(time.time())
        assertion = jwt.encode(  # the PEM string: parsed again on every call
            {
                "iss": CLIENT_ID,
                "sub": CLIENT_ID,
                "aud": token_url,
                "iat": now,
                "exp": now + 300,
                "jti": uuid.uuid4().hex,
            },
            key.private_pem,
            algorithm="RS256",
            headers={"kid": key.kid},
        )
        token = requests.post(  # a new connection each time (no session)
            token_url,
            data={
                "grant_type": "client_credentials",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": assertion,
                "scope": SCOPE_SCORE,
            },
            timeout=10,
        ).json()["access_token"]
        score = ScoreBody(f"naive-{n}", n % 11, 10, COMPLETED, FULLY_GRADED, "", utcnow())
        response = requests.post(
            scores_url(line_item),
            json=score.payload() | {"timestamp": iso_timestamp(utcnow())},
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/vnd.ims.lis.v1.score+json",
            },
            timeout=10,
        )
        response.raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scores", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1, help="grade workers (threads)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            {
                "instance_path": str(Path(tmp) / "instance"),
                "content_path": str(FIXTURE),
                "demo_platform": False,
            },
            environ={},
        )
        prepare_instance(settings)
        jwks = keys.jwks(settings.instance, timedelta(days=7))
        context = multiprocessing.get_context("fork")
        ready, stop = context.Queue(), context.Event()
        lms = context.Process(target=_serve_lms, args=(jwks, ready, stop), daemon=True)
        lms.start()
        base_url = ready.get(timeout=30)
        registration = {
            "name": "Benchmark LMS",
            "issuer": "https://moodle.test",
            "client_id": CLIENT_ID,
            "auth_login_url": f"{base_url}/mod/lti/auth.php",
            "auth_token_url": f"{base_url}/mod/lti/token.php",
            "key_set_url": f"{base_url}/mod/lti/certs.php",
            "deployment_ids": ["1"],
        }
        settings = replace(settings, platforms=[registration])
        prepare_instance(settings)
        try:
            before = _stats(base_url)
            tool_seconds = _tool_way(settings, base_url, args.scores, args.workers)
            middle = _stats(base_url)
            naive_seconds = _naive_way(settings.instance, base_url, args.scores)
            after = _stats(base_url)
        finally:
            stop.set()
            lms.join(5)
    rows = [
        ("outbox + worker", tool_seconds, before, middle),
        ("naive baseline", naive_seconds, middle, after),
    ]
    print(f"{args.scores} scores, {args.workers} worker(s), LMS in its own process")
    print(f"{'':18}{'seconds':>9}{'scores/s':>10}{'tokens':>8}{'connections':>13}{'scores':>8}")
    for name, seconds, start, end in rows:
        sent = end["scores"] - start["scores"]
        print(
            f"{name:18}{seconds:9.2f}{sent / seconds:10.1f}"
            f"{end['tokens'] - start['tokens']:8d}"
            f"{end['connections'] - start['connections']:13d}{sent:8d}"
        )
    print(f"speed-up: {naive_seconds / tool_seconds:.1f}×")


if __name__ == "__main__":
    main()
