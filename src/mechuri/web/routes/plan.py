"""The plan view's route: ``POST /api/plan`` plans a day or a week for the caller (see ``web.plans``)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from mechuri.knowledge import load_food_table
from mechuri.knowledge.lookup import default_lookup
from mechuri.web import ics, plans
from mechuri.web.deps import CallerDep, DbSession, load_user, now, state
from mechuri.web.schemas import IcsIn, PlanIn, PlanOut

router = APIRouter(prefix="/api", tags=["plan"])


def _plan(session: Session, user_id: int, body: PlanIn, timezone: str) -> PlanOut:
    user = load_user(session, user_id)  # the session's first query: no connection is held while the plan waits
    return plans.plan_for(session, user, body, load_food_table(), default_lookup(), now(), timezone)


@router.post("/plan", response_model=PlanOut, responses={422: {"description": "a field the planner cannot use"}})
async def post_plan(body: PlanIn, request: Request, session: DbSession, who: CallerDep) -> PlanOut:
    """Plan a day or a week to your targets under your allergies, dislikes and diets.

    A plan that cannot exist is still a 200: ``feasible`` is false and ``problems`` says what cannot fit
    with what. Solved on the work threads (a week takes a second or two of CPU), never behind chat turns
    that wait on a slow model.
    """
    web = state(request)
    return await asyncio.get_running_loop().run_in_executor(web.work, _plan, session, who.user_id, body,
                                                            web.settings.timezone)


@router.post("/plan/ics", response_class=Response,
             responses={200: {"content": {"text/calendar": {}}, "description": "An iCalendar file, one event a meal"},
                        422: {"description": "a day, meal or dish that cannot be written"}})
def post_plan_ics(body: IcsIn, request: Request, who: CallerDep) -> Response:
    """A plan's meals as an .ics file for a calendar app: each meal at its usual time (아침 8:00, 점심 12:30,
    저녁 19:00 …), its dishes and the food table's numbers in the event."""
    text = ics.plan_calendar(body, default_lookup(), who.user_id, now(), state(request).settings.timezone)
    return Response(text, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="mechuri-plan.ics"'})
