"""Full LTI launches per second against gunicorn, beside a bare endpoint in the same run.

A launch is what a learner's browser does when they click the activity in the LMS:
the OIDC login (GET /lti/login → redirect to the LMS with state and nonce), then the launch
(POST /lti/launch with the id_token the LMS signed), whose answer is the first page (the
module-1 quiz of the shipped curriculum; asked without Accept-Encoding, so not gzipped):
two requests to the tool, so the ratio's ceiling is 0.5. The baseline is /healthz on the
same server: Flask's smallest route (a tiny JSON body), through the same middleware.

The server runs on core 0 and the load generator on core 1 (sched_setaffinity), so the
generator is not what is measured. The two are measured in turns, `--rounds` times, and
each round's ratio compares a launch run with the bare run just before it: a machine
shared with other work slows both alike. The figure is the median round. Not run in CI:

    .venv/bin/python benchmarks/launch.py [--workers 2] [--clients 8] [--seconds 5] [--rounds 3]

On PostgreSQL (the benchmark creates its own database on that server, and leaves it):

    bash scripts/test-postgres.sh start
    .venv/bin/python benchmarks/launch.py --database-url "$(bash scripts/test-postgres.sh url)"
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import jwt
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lti_tool.signing_platform import (  # noqa: E402 - after the path is set
    CLIENT_ID,
    DEPLOYMENT_ID,
    ISSUER,
    SigningPlatform,
    serve,
    state_and_nonce,
)
from tests.lti_tool.tool_process import running_tool  # noqa: E402


@contextlib.contextmanager
def tool_server(platform: SigningPlatform, workers: int) -> Iterator[str]:
    """The tool under gunicorn on core 0, `platform` registered; yields its base URL."""
    env = {
        "AMBASSADEURS_DEMO_PLATFORM": "false",
        "AMBASSADEURS_PLATFORMS": json.dumps([platform.registration()]),
    }
    # The request log goes nowhere unless asked for (AMBASSADEURS_BENCH_LOG=file).
    log = Path(os.environ.get("AMBASSADEURS_BENCH_LOG", os.devnull))
    serve_args = ["--production", "--workers", str(workers)]
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_tool(Path(tmp), serve_args, env, prefix=("taskset", "-c", "0"), log=log) as tool,
    ):
        yield tool.base


def fresh_database(server_url: str) -> str:
    """A new database on the PostgreSQL server `server_url` names; its URL."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


def _get(connection: http.client.HTTPConnection, path: str) -> http.client.HTTPResponse:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response


def one_launch(
    connection: http.client.HTTPConnection, platform: SigningPlatform, base: str
) -> None:
    target = f"{base}/lti/launch"
    login = {
        "iss": ISSUER,
        "login_hint": "42",
        "target_link_uri": target,
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT_ID,
    }
    response = _get(connection, "/lti/login?" + urlencode(login))
    if response.status != 302:
        raise RuntimeError(f"login answered {response.status}")
    state, nonce = state_and_nonce(response.getheader("Location", ""))
    claims = platform.claims(
        nonce,
        **{"https://purl.imsglobal.org/spec/lti/claim/target_link_uri": target},
    )
    # Signed with the key object: re-parsing a PEM per launch would load the generator's core.
    id_token = jwt.encode(claims, platform.key, algorithm="RS256", headers={"kid": platform.kid})
    body = urlencode({"state": state, "id_token": id_token})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/lti/launch", body, headers)
    response = connection.getresponse()
    page = response.read()
    if response.status != 200 or len(page) < 1000:
        raise RuntimeError(f"launch answered {response.status} ({len(page)} bytes)")


def client(
    kind: str, base: str, key_pem: bytes, kid: str, seconds: float, out: multiprocessing.Queue
) -> None:
    os.sched_setaffinity(0, {1})
    from cryptography.hazmat.primitives import serialization

    platform = SigningPlatform(
        key=serialization.load_pem_private_key(key_pem, password=None),  # type: ignore[arg-type]
        kid=kid,
    )
    port = urlsplit(base).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        started = time.perf_counter()
        try:
            if kind == "launch":
                one_launch(connection, platform, base)
            else:
                _get(connection, "/healthz")
            latencies.append(time.perf_counter() - started)
        except (OSError, RuntimeError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    out.put((latencies, errors))


def measure(kind: str, base: str, platform: SigningPlatform, clients: int, seconds: float) -> dict:
    from tests.lti_tool.signing_platform import pem

    queue: multiprocessing.Queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(
            target=client,
            args=(kind, base, pem(platform.key).encode(), platform.kid, seconds, queue),
        )
        for _ in range(clients)
    ]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    return {
        "per_second": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0.0,
        "errors": errors,
        "count": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (core 0)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (core 1)")
    parser.add_argument("--seconds", type=float, default=5.0, help="of each run")
    parser.add_argument("--rounds", type=int, default=3, help="bare run, then launch run")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server (default SQLite)")
    args = parser.parse_args()
    if args.database_url:
        os.environ["AMBASSADEURS_DATABASE_URL"] = fresh_database(args.database_url)
    if len(os.sched_getaffinity(0)) < 2:
        raise SystemExit("needs 2 cores: the server on one, the load generator on the other")
    kind = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"server: gunicorn, {args.workers} workers on core 0; {args.clients} clients on core 1;"
        f" database: {kind}"
    )
    ratios = []
    for platform in serve(SigningPlatform()):
        with tool_server(platform, args.workers) as base:
            measure("launch", base, platform, 2, 2.0)  # warm-up: JWKS fetched, caches filled
            for round_number in range(1, args.rounds + 1):
                bare = measure("bare", base, platform, args.clients, args.seconds)
                launch = measure("launch", base, platform, args.clients, args.seconds)
                print(f"round {round_number}")
                for name, result in (("bare /healthz", bare), ("full LTI launch", launch)):
                    print(
                        f"  {name:16} {result['per_second']:8.1f}/s"
                        f"  p50 {result['p50_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms"
                        f"  errors {result['errors']}  (n={result['count']})"
                    )
                ratio = launch["per_second"] / bare["per_second"] if bare["per_second"] else 0.0
                ratios.append(ratio)
                print(f"  ratio {ratio:.3f}")
    print(
        f"ratio launches / bare requests: {statistics.median(ratios):.3f} (median of"
        f" {len(ratios)}: {', '.join(f'{r:.3f}' for r in ratios)}; ceiling 0.5 for two requests)"
    )


if __name__ == "__main__":
    main()
