"""The mentor's mentees in the mentoring workspace: the people they had a confirmed or
completed session with, and one mentee's page with their career pathways to advise on
(learning's advisor page rewrites the steps with notes)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from learning.selectors.pathways import pathway_list_for_advisor
from mentorship.selectors.mentees import mentee_get_for_mentor, mentee_list_for_mentor


@login_required
@require_GET
def mentee_list_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentor's mentees, latest session first. Constant queries."""
    return render(
        request,
        "mentorship/mentees/list.html",
        {"mentees": mentee_list_for_mentor(mentor=request.user), "view": "mentees"},
    )


@login_required
@require_GET
def mentee_detail_page(request: AuthenticatedHttpRequest, mentee_id: Any) -> HttpResponse:
    """One mentee with their career pathways and their progress, each linking to the
    advisor's page. Anyone who is not the mentor's mentee is a 404."""
    mentee = mentee_get_for_mentor(mentor=request.user, mentee_id=mentee_id)
    if mentee is None:
        raise Http404(_("There is no such mentee."))
    pathways = pathway_list_for_advisor(advisor=request.user, learner=mentee.user) or []
    return render(
        request,
        "mentorship/mentees/detail.html",
        {"mentee": mentee, "pathways": pathways, "view": "mentees"},
    )
