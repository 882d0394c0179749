"""The trainer dashboard: a 500-learner roster from NRPS (paged), the learners × modules grid,
its CSV export, item analysis and its charts, and who may see it."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from course_content.model import Curriculum
from lti_tool.item_analysis import FLAG_EASY, FLAG_MISLEADING, analyse_quiz, distribution
from lti_tool.models import Platform, QuizAttempt, RosterMember
from tests.lti_tool.ags_platform import AgsPlatform, learners, serve_platform
from tests.lti_tool.grading import tool_jwks
from tests.lti_tool.signing_platform import (
    CLIENT_ID,
    INSTRUCTOR,
    ISSUER,
    LEARNER,
    SigningPlatform,
    page_address,
)
from tests.lti_tool.test_lti_launch import CLAIM, assert_refused, launch

NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
RIGHT = {  # the fixture's module 1 quiz, all right
    "m01.q01": "a",
    "m01.q02": ["a", "b"],
    "m01.q03": True,
    "m01.q04": 17.2,
    "m01.q05": {"p1": "p1", "p2": "p2", "p3": "p3"},
    "m01.q06": ["extraction", "fabrication", "usage", "fin"],
}


@pytest.fixture
def nrps(settings: Any) -> Iterator[AgsPlatform]:
    """The LMS's services, with a course of 500 learners and one teacher."""
    members = learners(500)
    members.append(
        {
            "user_id": "9",
            "name": "Dominique Formatrice",
            "roles": ["Instructor"],
            "status": "Active",
        }
    )
    members[41]["name"] = '=HYPERLINK("https://evil.test")'  # a name a spreadsheet would run
    yield from serve_platform(
        AgsPlatform(tool_jwks(settings), client_id=CLIENT_ID, members=members)
    )


@pytest.fixture
def app(settings: Any, lms: SigningPlatform, nrps: AgsPlatform) -> Flask:
    from lti_tool.app import create_app
    from lti_tool.instance import prepare_instance

    registration = {**lms.registration(), "auth_token_url": nrps.token_url}
    configured = dataclasses.replace(settings, platforms=[registration])
    prepare_instance(configured)
    return create_app(configured)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client(use_cookies=False)


def open_dashboard(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform | None, **claims: Any
) -> tuple[str, str]:
    """A trainer's launch in course 2, then the dashboard; its page and session token."""
    values: dict[str, Any] = {
        CLAIM + "roles": [INSTRUCTOR],
        CLAIM + "custom": {},
        "sub": "9",
    }
    if nrps is not None:
        values[NRPS_CLAIM] = {
            "context_memberships_url": nrps.memberships_url,
            "service_versions": ["2.0"],
        }
    values.update(claims)
    response = launch(client, lms, **values)
    assert response.status_code == 200
    token = parse_qs(urlsplit(page_address(response.get_data(as_text=True))).query)["ltik"][0]
    page = client.get("/teach/", query_string={"ltik": token})
    assert page.status_code == 200, page.get_data(as_text=True)[:600]
    return unescape(page.get_data(as_text=True)), token


def add_attempts(app: Flask, curriculum: Curriculum, results: dict[str, list[dict[str, Any]]]):
    """Store quiz attempts (module 1) for learners, as the learner pages would."""
    from course_content.scoring import score_quiz

    quiz = curriculum.modules[0].quiz
    with Session(app.extensions["ambassadeurs.engine"]) as session, session.begin():
        platform_id = session.scalars(select(Platform.id).where(Platform.issuer == ISSUER)).one()
        for user_id, attempts in results.items():
            for responses in attempts:
                score = score_quiz(quiz, responses)
                session.add(
                    QuizAttempt(
                        platform_id=platform_id,
                        user_id=user_id,
                        context_id="2",
                        quiz_id=quiz.id,
                        responses=responses,
                        score=score.score,
                        max_score=score.max_score,
                        scaled=score.scaled,
                        passed=score.passed,
                    )
                )


def add_submitted_workshop(app: Flask, user_id: str, workshop_id: str = "m01.ws.atelier") -> None:
    from lti_tool.models import WorkshopWork, utcnow

    with Session(app.extensions["ambassadeurs.engine"]) as session, session.begin():
        platform_id = session.scalars(select(Platform.id).where(Platform.issuer == ISSUER)).one()
        session.add(
            WorkshopWork(
                platform_id=platform_id,
                user_id=user_id,
                context_id="2",
                workshop_id=workshop_id,
                item_responses={},
                fields={"cible": "Acheteurs"},
                submitted_at=utcnow(),
            )
        )


def grid_rows(page: str) -> list[str]:
    body = page.split('<table class="grille">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row">(.*?)</th>', body, re.S)


def test_roster_of_500_learners_is_read_across_curly_quoted_pages_and_cached(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform, app: Flask
) -> None:
    page, token = open_dashboard(client, lms, nrps)
    assert nrps.membership_requests == 6  # 501 members, 100 per page
    with Session(app.extensions["ambassadeurs.engine"]) as session:
        assert len(session.scalars(select(RosterMember)).all()) == 501
    assert "500 apprenants, dont 500 qui n'ont pas encore ouvert l'outil." in page
    client.get("/teach/", query_string={"ltik": token})
    assert nrps.membership_requests == 6  # cached
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    refreshed = client.post("/teach/roster", data={"ltik": token, "csrf": csrf})
    assert refreshed.status_code == 303 and "ltik=" in refreshed.location
    assert nrps.membership_requests == 12
    assert nrps.token_requests == 1  # one NRPS token serves both fetches


def test_grid_shows_every_learner_page_by_page_with_never_launched_ones(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform, app: Flask, curriculum: Curriculum
) -> None:
    add_attempts(app, curriculum, {"1003": [RIGHT], "1007": [{}]})
    page, token = open_dashboard(client, lms, nrps)
    assert "500 apprenants, dont 498 qui n'ont pas encore ouvert l'outil." in page
    rows = grid_rows(page)
    assert len(rows) == 50 and "Page 1 sur 10" in page
    assert rows[0].startswith("=HYPERLINK")  # "=" sorts before letters
    assert "Apprenant 001" in rows[1] and "N'a jamais ouvert l'outil" in rows[1]
    assert "Dominique Formatrice" not in page  # the teacher is not a learner
    last = client.get("/teach/", query_string={"ltik": token, "page": 10}).get_data(as_text=True)
    last = unescape(last)
    assert "Apprenant 500" in grid_rows(last)[-1]


def test_grid_sorts_by_a_module_and_filters_by_name_or_presence(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform, app: Flask, curriculum: Curriculum
) -> None:
    add_attempts(app, curriculum, {"1250": [RIGHT], "1100": [{"m01.q01": "a"}]})
    _page, token = open_dashboard(client, lms, nrps)

    def view(**args: Any) -> str:
        response = client.get("/teach/", query_string={"ltik": token, **args})
        return unescape(response.get_data(as_text=True))

    best_first = view(sort="m01", order="desc")
    rows = grid_rows(best_first)
    assert "Apprenant 250" in rows[0] and "Apprenant 100" in rows[1]
    assert 'aria-sort="descending"' in best_first
    found = view(q="apprenant 123")
    assert [r for r in grid_rows(found)] and len(grid_rows(found)) == 1
    assert "1 apprenant(s) affiché(s) sur 500." in found
    never = view(presence="never")
    assert "498 apprenant(s) affiché(s) sur 500." in never
    launched = view(presence="launched")
    assert {"Apprenant 100", "Apprenant 250"} == {
        re.sub(r"<.*", "", r, flags=re.S).strip() for r in grid_rows(launched)
    }


def test_csv_export_is_utf8_with_a_bom_and_semicolons_and_neutralises_formulas(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform, app: Flask, curriculum: Curriculum
) -> None:
    add_attempts(app, curriculum, {"1003": [RIGHT]})
    _page, token = open_dashboard(client, lms, nrps)
    response = client.get("/teach/export.csv", query_string={"ltik": token})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(lines) == 501
    assert lines[0][:4] == ["Apprenant", "Identifiant LMS", "Courriel", "A ouvert l'outil"]
    assert "Module 1 quiz meilleur score (%)" in lines[0]
    by_id = {line[1]: dict(zip(lines[0], line, strict=True)) for line in lines[1:]}
    assert by_id["1003"]["Module 1 quiz meilleur score (%)"] == "100"
    assert by_id["1003"]["Module 1 quiz réussi"] == "oui"
    assert by_id["1042"]["Apprenant"].startswith("'=HYPERLINK")


def test_only_the_courses_instructors_see_the_dashboard(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform
) -> None:
    response = launch(client, lms, **{CLAIM + "roles": [LEARNER], CLAIM + "custom": {}})
    token = parse_qs(urlsplit(page_address(response.get_data(as_text=True))).query)["ltik"][0]
    assert_refused(client.get("/teach/", query_string={"ltik": token}), 403, "formateurs")
    assert_refused(client.get("/teach/export.csv", query_string={"ltik": token}), 403)
    assert_refused(client.get("/teach/quizzes/m01.quiz", query_string={"ltik": token}), 403)
    assert_refused(client.get("/teach/"), 401)
    assert nrps.membership_requests == 0


def test_dashboard_pages_carry_the_session_token_and_follow_the_layout(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform
) -> None:
    page, token = open_dashboard(client, lms, nrps)
    links = re.findall(r'href="(/(?:teach|learn)/[^"]*)"', page)
    assert links and all("ltik=" in link for link in links)
    assert '<html lang="fr">' in page and 'class="lien-evitement"' in page
    assert "<main" in page and "<script" not in page and " style=" not in page
    headings = [int(h) for h in re.findall(r"<h([1-6])", page)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(headings))
    for label in re.findall(r'<label for="([^"]+)"', page):
        assert f'id="{label}"' in page
    # The learner pages link trainers to it.
    programme = client.get("/learn/", query_string={"ltik": token}).get_data(as_text=True)
    assert re.search(r'href="/teach/\?ltik=[^"]+">Ouvrir le tableau de bord formateur', programme)


def test_progress_chart_is_accessible_svg_with_a_data_table(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform, app: Flask, curriculum: Curriculum
) -> None:
    add_attempts(app, curriculum, {"1001": [RIGHT], "1002": [{}], "1003": [RIGHT]})
    add_submitted_workshop(app, "1003")  # module 1's rule: quiz passed and workshop handed in
    page, _ = open_dashboard(client, lms, nrps)
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)  # type: ignore[union-attr]
    assert 'role="img"' in svg
    ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()  # type: ignore[union-attr]
    assert all(f'id="{i}"' in svg for i in ids)
    assert "<title " in svg and "<desc " in svg
    # The description states the figures; so does the table beside it.
    assert "Module 1 : 1 validé(s), 2 en cours, 497 pas commencé(s)" in svg
    assert re.search(r"<th scope=\"row\">Module 1</th><td>1</td><td>2</td><td>497</td>", page)
    validated = [r for r in grid_rows(page) if "Apprenant 003" in r]
    assert validated  # and its module 1 cell says so
    row = page.split("Apprenant 003", 1)[1].split("</tr>", 1)[0]
    assert "Progression 100\u00a0%" in row and "<strong>Validé</strong>" in row


def test_quiz_analysis_finds_misleading_and_too_easy_questions(curriculum: Curriculum) -> None:
    quiz = curriculum.modules[0].quiz
    responses = []
    for n in range(10):
        strong = n < 5
        answer = dict(RIGHT) if strong else {"m01.q01": "a"}
        # q03: the strong learners all get it wrong, the weak ones right: misleading.
        answer["m01.q03"] = not strong
        responses.append(answer)
    stats = {s.question_id: s for s in analyse_quiz(quiz, responses)}
    assert FLAG_MISLEADING in stats["m01.q03"].flags
    assert stats["m01.q03"].discrimination is not None and stats["m01.q03"].discrimination < 0
    assert FLAG_EASY in stats["m01.q01"].flags and stats["m01.q01"].success_rate == 1.0
    assert stats["m01.q02"].discrimination is not None and stats["m01.q02"].discrimination > 0.5
    assert distribution([0.0, 0.05, 0.5, 0.99, 1.0]) == [2, 0, 0, 0, 0, 1, 0, 0, 0, 2]


def test_quiz_analysis_page_uses_first_attempts_and_charts_the_best_scores(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform, app: Flask, curriculum: Curriculum
) -> None:
    results = {str(1000 + n): [{"m01.q01": "a"}, RIGHT] for n in range(1, 7)}
    add_attempts(app, curriculum, results)
    _page, token = open_dashboard(client, lms, nrps)
    page = client.get("/teach/quizzes/m01.quiz", query_string={"ltik": token}).get_data(
        as_text=True
    )
    assert "(6)" in page  # six learners' first attempts
    assert "Trop facile" in page  # q01: everyone right on the first attempt
    assert "Trop difficile" in page  # the others: everyone wrong on the first attempt
    assert "90–100 % : 6" in page  # best scores: all six at 100 %
    assert re.search(r"<th scope=\"row\">90–100&nbsp;%</th><td>6</td>", page)
    assert client.get("/teach/quizzes/m09.quiz", query_string={"ltik": token}).status_code == 404


def test_without_a_roster_service_the_learners_who_worked_are_still_listed(
    client: FlaskClient, lms: SigningPlatform, app: Flask, curriculum: Curriculum
) -> None:
    add_attempts(app, curriculum, {"77": [RIGHT]})
    page, _ = open_dashboard(client, lms, None)
    assert "ne fournit pas la liste des participants" in page
    assert len(grid_rows(page)) == 1 and "Absent de la liste du LMS" in grid_rows(page)[0]


def test_a_roster_the_lms_cannot_give_keeps_the_last_one_and_says_why(
    client: FlaskClient, lms: SigningPlatform, nrps: AgsPlatform
) -> None:
    from tests.lti_tool.ags_platform import Fault

    page, token = open_dashboard(client, lms, nrps)
    nrps.fail_next(Fault("memberships", 503, "maintenance"))
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/teach/roster", data={"ltik": token, "csrf": csrf})
    again = unescape(client.get("/teach/", query_string={"ltik": token}).get_data(as_text=True))
    assert "La liste n'a pas pu être mise à jour" in again and "503" in again
    assert "500 apprenants" in again  # the last roster stays in use
