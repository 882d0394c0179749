"""The `teach` blueprint: the trainer dashboard of the course the trainer launched from.

Only the instructors and administrators of that course (the launch's roles say so) see
it, and only that course. Like the learner pages, every link and form carries the
session token, so it works in the LMS's iframe without cookies.

Pages: the dashboard (roster, cohort progress chart, learners × modules grid, sortable
and filterable), its CSV export, and one item analysis page per quiz.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup

from course_content.model import Module
from course_content.rendering import render_inline
from lti_tool import item_analysis, svg_charts
from lti_tool.cohort import LearnerRow, cohort_grid, course_attempts
from lti_tool.errors import ToolError
from lti_tool.grade_worker import new_client
from lti_tool.launched_pages import current_curriculum, requires_launch
from lti_tool.lti_services import ServiceClient
from lti_tool.messages import translate
from lti_tool.models import Launch
from lti_tool.roster import Roster, course_roster

blueprint = Blueprint("teach", __name__, url_prefix="/teach")

# Context roles that open the dashboard (full LIS URIs, and the short names LTI allows).
DASHBOARD_ROLES = frozenset(
    {
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
        "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",
        "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
        "Instructor",
        "Administrator",
    }
)
SORT_KEYS = ("name", "overall")
PAGE_SIZE = 50
PRESENCE = ("all", "launched", "never")
COLOURS = {
    "validated": svg_charts.Series("validated", "", "#1e6b3a"),
    "started": svg_charts.Series("started", "", "#9a4a00"),
    "not_started": svg_charts.Series("not_started", "", "#6b6b6b"),
}
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@blueprint.app_template_global()
def can_see_dashboard(roles: Iterable[str]) -> bool:
    """Whether these launch roles open the dashboard (instructors and administrators)."""
    return any(role in DASHBOARD_ROLES for role in roles)


def _client() -> ServiceClient:
    client: ServiceClient | None = current_app.extensions.get("ambassadeurs.services")
    if client is None:
        client = new_client(current_app.config["SETTINGS"])
        current_app.extensions["ambassadeurs.services"] = client
    return client


def _t(key: str, **values: Any) -> str:
    return translate(key, g.lang).format(**values)


def _instructor_launch() -> Launch:
    """The launch, if it is an instructor's or an administrator's in a course."""
    launch: Launch = g.launch
    if not can_see_dashboard(launch.roles) or not launch.context_id:
        raise ToolError("forbidden", "the dashboard is for the course's instructors", 403)
    return launch


def _roster(launch: Launch, force: bool = False) -> Roster:
    minutes = current_app.config["SETTINGS"].roster_cache_minutes
    return course_roster(g.db, _client(), launch, timedelta(minutes=minutes), force=force)


def _grid(launch: Launch, roster: Roster) -> list[LearnerRow]:
    return cohort_grid(
        g.db, current_curriculum(), launch.platform_id, launch.context_id, roster.members
    )


# --- Sorting and filtering -----------------------------------------------------------------


def _sort_key(column: str) -> Callable[[LearnerRow], Any]:
    if column == "overall":
        return lambda row: (row.progress, row.validated_count, row.name.casefold())
    if column in {m.id for m in current_curriculum().modules}:
        return lambda row: (
            row.modules[column].validated,
            row.modules[column].progress,
            row.modules[column].quiz_best or -1.0,
            row.name.casefold(),
        )
    return lambda row: (row.name.casefold(), row.user_id)


def _query() -> tuple[str, str, str, str]:
    """The grid's parameters, each reduced to a known value."""
    text = request.args.get("q", "").strip()[:100]
    presence = request.args.get("presence", "all")
    presence = presence if presence in PRESENCE else "all"
    sort = request.args.get("sort", "name")
    modules = {m.id for m in current_curriculum().modules}
    sort = sort if sort in SORT_KEYS or sort in modules else "name"
    order = "desc" if request.args.get("order") == "desc" else "asc"
    return text, presence, sort, order


def filtered(rows: Iterable[LearnerRow], text: str, presence: str) -> list[LearnerRow]:
    """Rows whose name, e-mail or id contains `text`, and that match `presence`."""
    needle = text.casefold()
    kept = []
    for row in rows:
        if presence == "launched" and not row.launched:
            continue
        if presence == "never" and row.launched:
            continue
        if needle and not any(needle in v.casefold() for v in (row.name, row.email, row.user_id)):
            continue
        kept.append(row)
    return kept


def _progress_chart(rows: list[LearnerRow]) -> tuple[Markup, list[tuple[str, list[int]]]]:
    data = []
    for module in current_curriculum().modules:
        validated = sum(1 for r in rows if r.modules[module.id].validated)
        started = sum(
            1 for r in rows if r.modules[module.id].started and not r.modules[module.id].validated
        )
        data.append(
            (
                f"{_t('module')} {module.number}",
                [validated, started, len(rows) - validated - started],
            )
        )
    series = [
        svg_charts.Series("validated", _t("status_validated"), COLOURS["validated"].colour),
        svg_charts.Series("started", _t("status_in_progress"), COLOURS["started"].colour),
        svg_charts.Series("not_started", _t("not_started"), COLOURS["not_started"].colour),
    ]
    desc = " ; ".join(
        _t("chart_progress_row", module=label, validated=c[0], started=c[1], not_started=c[2])
        for label, c in data
    )
    chart = svg_charts.stacked_bars(
        "progression", _t("chart_progress_title"), desc + ".", data, series
    )
    return chart, data


# --- Pages ------------------------------------------------------------------------------


@blueprint.get("/")
@requires_launch
def dashboard() -> str:
    """Roster, cohort progress and the learners × modules grid."""
    launch = _instructor_launch()
    roster = _roster(launch)
    rows = _grid(launch, roster)
    text, presence, sort, order = _query()
    shown = sorted(filtered(rows, text, presence), key=_sort_key(sort), reverse=order == "desc")
    # Pages of PAGE_SIZE rows keep the page light with a cohort of hundreds.
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    chart, chart_data = _progress_chart(rows)
    return render_template(
        "teach/dashboard.html",
        curriculum=current_curriculum(),
        context_title=_context_title(launch),
        roster=roster,
        rows=shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        shown_count=len(shown),
        page=page,
        pages=pages,
        total=len(rows),
        never=sum(1 for r in rows if not r.launched),
        chart=chart,
        chart_data=chart_data,
        text=text,
        presence=presence,
        sort=sort,
        order=order,
        percent=_percent,
    )


@blueprint.post("/roster")
@requires_launch
def refresh_roster() -> Response:
    """Fetch the roster from the LMS now (the trainer's button)."""
    launch = _instructor_launch()
    _roster(launch, force=True)
    return redirect(url_for("teach.dashboard"), 303)  # type: ignore[return-value]


@blueprint.get("/export.csv")
@requires_launch
def export_csv() -> Response:
    """The whole grid as CSV: UTF-8 with a BOM and semicolons, as spreadsheets in France
    open it directly."""
    launch = _instructor_launch()
    rows = _grid(launch, _roster(launch))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    modules = current_curriculum().modules
    header = [_t("learner"), _t("csv_user_id"), _t("csv_email"), _t("csv_launched")]
    for module in modules:
        name = f"{_t('module')} {module.number}"
        header += [
            _t(key, module=name)
            for key in (
                "csv_progress",
                "csv_quiz",
                "csv_quiz_passed",
                "csv_workshops",
                "csv_workshops_total",
                "csv_validated",
            )
        ]
    writer.writerow(header)
    yes, no = _t("yes"), _t("no")
    for row in sorted(rows, key=_sort_key("name")):
        line = [row.name, row.user_id, row.email, yes if row.launched else no]
        for module in modules:
            progress = row.modules[module.id]
            line += [
                str(_percent(progress.progress)),
                "" if progress.quiz_best is None else str(_percent(progress.quiz_best)),
                yes if progress.quiz_passed else no,
                str(progress.workshops_done),
                str(progress.workshops_total),
                yes if progress.validated else no,
            ]
        writer.writerow([_cell(value) for value in line])
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="ambassadeurs-nr-suivi.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/quizzes/<quiz_id>")
@requires_launch
def quiz_analysis(quiz_id: str) -> str:
    """Per question: success rate and discrimination; the quiz's score distribution."""
    launch = _instructor_launch()
    module = _module_of_quiz(quiz_id)
    quiz = module.quiz
    attempts = [a for a in course_attempts(g.db, launch.platform_id, launch.context_id)]
    first: dict[str, Any] = {}
    best: dict[str, float] = {}
    for attempt in attempts:
        if attempt.quiz_id != quiz.id:
            continue
        first.setdefault(attempt.user_id, attempt.responses)
        best[attempt.user_id] = max(best.get(attempt.user_id, 0.0), attempt.scaled)
    stats = item_analysis.analyse_quiz(quiz, list(first.values()))
    counts = item_analysis.distribution(list(best.values()))
    labels = [f"{i * 10}–{i * 10 + 9}" if i < 9 else "90–100" for i in range(10)]
    bins = list(zip(labels, counts, strict=True))
    figures = ", ".join(f"{label} % : {count}" for label, count in bins)
    chart = svg_charts.histogram(
        "repartition",
        _t("chart_distribution_title"),
        _t("chart_distribution_desc", figures=figures),
        bins,
        COLOURS["validated"].colour,
    )
    questions = {q.id: q for q in quiz.questions}
    return render_template(
        "teach/quiz.html",
        module=module,
        quiz=quiz,
        stats=stats,
        questions=questions,
        prompt=lambda text: Markup(render_inline(text.get(g.lang), current_curriculum(), g.lang)),  # noqa: S704
        learners=len(first),
        chart=chart,
        bins=bins,
        percent=_percent,
    )


def _module_of_quiz(quiz_id: str) -> Module:
    for module in current_curriculum().modules:
        if module.quiz.id == quiz_id:
            return module
    raise ToolError("not_found", f"unknown quiz {quiz_id!r}", 404)


def _context_title(launch: Launch) -> str:
    context = (launch.claims or {}).get("https://purl.imsglobal.org/spec/lti/claim/context")
    if isinstance(context, dict):
        return str(context.get("title") or context.get("label") or "")
    return ""


def _percent(value: float | None) -> int:
    return round((value or 0.0) * 100)


def _cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (names come from the LMS)."""
    return "'" + value if value.startswith(CSV_FORMULA_START) else value
