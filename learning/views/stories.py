"""Success stories: the public page with filters and search, and one story with its video."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from learning.selectors.catalog import category_list
from learning.selectors.like_me import like_me_requested, viewer_ethnicity
from learning.selectors.pathways import career_profile_category, stories_like_me_query
from learning.selectors.stories import SuccessStoryFilter, story_get_published, story_queryset_published

STORIES_PER_PAGE = 12
FILTER_NAMES = ("category", "subcategory", "location", "tag", "search", "like_me")


@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    """Published stories, filterable by category, subcategory, location and tag, with
    search, and "like me" (the viewer's own ethnicity: a checkbox only for signed-in users
    who gave one; anyone else sending it gets a message and the unfiltered list). Public."""
    filterset = SuccessStoryFilter(request.GET or None, queryset=story_queryset_published(), request=request)
    stories = filterset.qs if filterset.is_valid() else filterset.queryset
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    like_me_url = ""
    user = request.user
    can_like_me = bool(viewer_ethnicity(request))
    if user.is_authenticated:
        profile = career_profile_category(user=user)
        like_me = can_like_me and like_me_requested(request)
        like_me_url = "?" + stories_like_me_query(user=user, category=profile, like_me=like_me)
    context = {
        "filterset": filterset,
        "categories": list(category_list()),
        "page_obj": page,
        "stories": page.object_list,
        "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
        "filter_query": kept.urlencode(),
        "like_me_url": like_me_url,
        "can_like_me": can_like_me,
    }
    return render(request, "learning/stories/list.html", context)


@require_GET
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One published story (by slug or id) with its video; an unpublished one is a 404."""
    story = story_get_published(id_or_slug=slug)
    if story is None:
        raise Http404(_("There is no such story."))
    return render(request, "learning/stories/detail.html", {"story": story})
