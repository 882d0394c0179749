"""200 simulated learners taking quizzes for 60 s: errors, latencies, and nothing lost.

Each learner launches from the LMS once (login + launch + first page: the module-1 quiz),
then loops: submit answers, open the quiz again. Once the content's `max_attempts` is
used, submissions are refused (and counted apart). At the end the database is read:
every submission that was scored must be a stored attempt. Not run in CI:

    .venv/bin/python benchmarks/load.py [--learners 200] [--seconds 60] [--workers 2]
    bash scripts/test-postgres.sh start
    .venv/bin/python benchmarks/load.py --database-url "$(bash scripts/test-postgres.sh url)"

With --database-url the benchmark creates its own database on that server, and leaves it
there to be looked at (`scripts/test-postgres.sh stop` removes the whole server).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import jwt
import requests
from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.launch import fresh_database, tool_server  # noqa: E402 - after the path is set
from course_content.loader import load_curriculum  # noqa: E402
from lti_tool.models import Launch, QuizAttempt  # noqa: E402
from lti_tool.quiz_forms import field_name  # noqa: E402
from tests.lti_tool.signing_platform import (  # noqa: E402
    CLIENT_ID,
    DEPLOYMENT_ID,
    ISSUER,
    SigningPlatform,
    page_address,
    serve,
    state_and_nonce,
)

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
TARGET_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"


def answers(quiz: object, rng: random.Random) -> dict[str, list[str]]:
    """Random but well-formed answers to every question, as the quiz form sends them."""
    form: dict[str, list[str]] = {}
    for q in quiz.questions:  # type: ignore[attr-defined]
        name = field_name(q.id)
        if q.type in ("single_choice", "multiple_choice"):
            ids = [o.id for o in q.options]
            form[name] = rng.sample(ids, 1 if q.type == "single_choice" else rng.randint(1, 2))
        elif q.type == "true_false":
            form[name] = [rng.choice(["true", "false"])]
        elif q.type == "numeric":
            form[name] = [str(round(q.answer + rng.choice([0, 1, -3]), 2))]
        elif q.type == "matching":
            rights = [p.id for p in q.pairs]
            for pair in q.pairs:
                form[field_name(q.id, pair.id)] = [rng.choice(rights)]
        elif q.type == "ordering":
            positions = list(range(1, len(q.items) + 1))
            rng.shuffle(positions)
            for item, position in zip(q.items, positions, strict=True):
                form[field_name(q.id, item.id)] = [str(position)]
    return form


class Learner(threading.Thread):
    def __init__(
        self, number: int, base: str, platform: SigningPlatform, quiz: object, until: float
    ) -> None:
        super().__init__(daemon=True)
        self.number, self.base, self.platform, self.until = number, base, platform, until
        self.quiz = quiz
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.submitted = 0
        self.refused = 0
        self.http = requests.Session()

    def timed(self, method: str, url: str, **kwargs: object) -> requests.Response:
        started = time.perf_counter()
        response = self.http.request(method, url, timeout=30, **kwargs)  # type: ignore[arg-type]
        self.latencies.append(time.perf_counter() - started)
        return response

    def launch(self) -> requests.Response:
        """Login and launch: the launch's answer is the first page (the module-1 quiz)."""
        target = f"{self.base}/lti/launch"
        login = {
            "iss": ISSUER,
            "login_hint": str(self.number),
            "target_link_uri": target,
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT_ID,
        }
        response = self.timed(
            "GET", f"{self.base}/lti/login?{urlencode(login)}", allow_redirects=False
        )
        state, nonce = state_and_nonce(response.headers["Location"])
        claims = self.platform.claims(nonce, sub=f"learner-{self.number}", **{TARGET_CLAIM: target})
        token = jwt.encode(
            claims, self.platform.key, algorithm="RS256", headers={"kid": self.platform.kid}
        )
        page = self.timed("POST", target, data={"state": state, "id_token": token})
        if page.status_code != 200:
            raise RuntimeError(f"launch: {page.status_code}")
        return page

    def run(self) -> None:
        quiz = self.quiz
        rng = random.Random(self.number)
        try:
            page = self.launch()
            quiz_url = self.base + page_address(page.text)
            while time.monotonic() < self.until:
                hidden = dict(HIDDEN.findall(page.text))
                form = {**{k: [v] for k, v in hidden.items()}, **answers(quiz, rng)}
                result = self.timed("POST", quiz_url.split("?")[0], data=form)
                if result.status_code != 200:
                    self.errors.append(f"submit {result.status_code}")
                elif 'class="score"' in result.text:
                    self.submitted += 1
                else:
                    # The content's retake rule: after max_attempts the form is refused.
                    self.refused += 1
                page = self.timed("GET", quiz_url.split("?")[0], params=hidden)
                if page.status_code != 200:
                    self.errors.append(f"page {page.status_code}")
        except (requests.RequestException, RuntimeError, KeyError) as error:
            self.errors.append(repr(error))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server (default SQLite)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="ambassadeurs-load-")
    database_url = (
        fresh_database(args.database_url)
        if args.database_url
        else f"sqlite:///{Path(scratch) / 'load.db'}"
    )
    os.environ["AMBASSADEURS_DATABASE_URL"] = database_url
    if len(os.sched_getaffinity(0)) >= 2:
        os.sched_setaffinity(0, {1})  # the learners on core 1, the server on core 0
    for platform in serve(SigningPlatform()):
        with tool_server(platform, args.workers) as base:
            quiz = load_curriculum().module("m01").quiz
            until = time.monotonic() + args.seconds
            learners = [Learner(n, base, platform, quiz, until) for n in range(args.learners)]
            started = time.monotonic()
            for learner in learners:
                learner.start()
            for learner in learners:
                learner.join()
            elapsed = time.monotonic() - started
            engine = create_engine(database_url)
            with engine.connect() as connection:
                attempts = connection.scalar(select(func.count()).select_from(QuizAttempt))
                launches = connection.scalar(select(func.count()).select_from(Launch))
            engine.dispose()
    latencies = sorted(x for learner in learners for x in learner.latencies)
    errors = [e for learner in learners for e in learner.errors]
    submitted = sum(learner.submitted for learner in learners)
    refused = sum(learner.refused for learner in learners)
    kind = "PostgreSQL" if args.database_url else "SQLite"
    print(f"database: {kind}; {args.workers} gunicorn workers")
    print(f"{args.learners} learners for {elapsed:.0f} s: {len(latencies)} requests")
    print(f"  {len(latencies) / elapsed:.1f} requests/s, {submitted / elapsed:.1f} submissions/s")
    if latencies:
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"  p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"  errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"  stored: {launches} launches, {attempts} attempts; {submitted} submissions scored")
    print(f"  refused by the retake rule (max_attempts): {refused}")
    print("  nothing lost" if attempts == submitted else "  MISMATCH: attempts != submissions")


if __name__ == "__main__":
    main()
