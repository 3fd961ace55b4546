"""The plan view's route: ``POST /api/plan`` plans a day or a week for the caller (see ``web.plans``)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from mechuri.knowledge import load_food_table
from mechuri.knowledge.lookup import default_lookup
from mechuri.web import plans
from mechuri.web.deps import CallerDep, WebState, load_user, now, state
from mechuri.web.schemas import PlanIn, PlanOut

router = APIRouter(prefix="/api", tags=["plan"])


def _plan(web: WebState, user_id: int, body: PlanIn) -> PlanOut:
    with web.db.session() as session:
        user = load_user(session, user_id)
        return plans.plan_for(session, user, body, load_food_table(), default_lookup(), now(), web.settings.timezone)


@router.post("/plan", response_model=PlanOut, responses={422: {"description": "a field the planner cannot use"}})
async def post_plan(body: PlanIn, request: Request, who: CallerDep) -> PlanOut:
    """Plan a day or a week to your targets under your allergies, dislikes and diets.

    A plan that cannot exist is still a 200: ``feasible`` is false and ``problems`` says what cannot fit
    with what. Solved on the turn threads (a week takes a second or two of CPU), like a chat turn.
    """
    web = state(request)
    return await asyncio.get_running_loop().run_in_executor(web.executor, _plan, web, who.user_id, body)
