"""The weekly report's route: ``GET /api/report/week`` (see ``web.report``)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from mechuri.knowledge import load_food_table
from mechuri.web import report
from mechuri.web.deps import CurrentUser, DbSession, now, state
from mechuri.web.schemas import WeekReportOut

router = APIRouter(prefix="/api/report", tags=["report"])


@router.get("/week", response_model=WeekReportOut)
def get_week(request: Request, session: DbSession, user: CurrentUser) -> WeekReportOut:
    """The last seven days (today included, in the app's timezone) against your targets: totals per day, the
    best and worst day, and one suggestion with a dish from the food table."""
    return report.week_report(session, user, now(), state(request).settings.timezone, load_food_table())
