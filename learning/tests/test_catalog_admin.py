"""Admin of the catalog: categories with subcategories, courses with modules, modules with
lessons (ordering fields), lesson preview of the sanitised content, publishing through
the service, review moderation."""

import pytest
from django.utils import timezone

from accounts.tests.factories import AdminFactory
from learning.models import Category, Course, CourseReview, Lesson, Module
from learning.tests.factories import (
    CategoryFactory,
    CourseFactory,
    LessonFactory,
    ModuleFactory,
    ReviewFactory,
    SubcategoryFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


@pytest.mark.parametrize("model", ["category", "course", "module", "lesson", "coursereview"])
def test_changelists_render_and_queries_do_not_grow(admin_client, count_queries, model):
    def fill() -> None:
        course, _ = course_with_lessons(2, 2, subcategory=SubcategoryFactory())
        ReviewFactory(course=course)

    fill()
    url = f"/admin/learning/{model}/"
    few = count_queries(lambda: admin_client.get(url))
    for _ in range(6):
        fill()
    assert count_queries(lambda: admin_client.get(url)) == few


def test_change_pages_render(admin_client):
    course, lessons = course_with_lessons(1)
    review = ReviewFactory(course=course)
    for url in (
        f"/admin/learning/category/{course.category_id}/change/",
        f"/admin/learning/course/{course.pk}/change/",
        f"/admin/learning/module/{lessons[0].module_id}/change/",
        f"/admin/learning/lesson/{lessons[0].pk}/change/",
        f"/admin/learning/coursereview/{review.pk}/change/",
        "/admin/learning/course/add/",
        "/admin/learning/category/add/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_category_with_subcategories_inline(admin_client):
    response = admin_client.post(
        "/admin/learning/category/add/",
        {
            "name": "Music",
            "slug": "music",
            "order": "1",
            "description": "",
            "subcategories-TOTAL_FORMS": "2",
            "subcategories-INITIAL_FORMS": "0",
            "subcategories-0-name": "Producer",
            "subcategories-0-slug": "producer",
            "subcategories-0-order": "2",
            "subcategories-1-name": "Singer",
            "subcategories-1-slug": "singer",
            "subcategories-1-order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    music = Category.objects.get(slug="music")
    assert [sub.name for sub in music.subcategories.order_by("order")] == ["Singer", "Producer"]


def test_a_new_course_is_a_draft_with_module_ordering_fields(admin_client):
    category = CategoryFactory()
    response = admin_client.post(
        "/admin/learning/course/add/",
        {
            "title": "Songwriting",
            "slug": "songwriting",
            "description": "Write songs.",
            "category": str(category.pk),
            "level": "beginner",
            "estimated_hours": "4",
            "price_cents": "0",
            "currency": "USD",
            "published": "on",  # read-only: ignored
            "modules-TOTAL_FORMS": "2",
            "modules-INITIAL_FORMS": "0",
            "modules-0-title": "Second",
            "modules-0-order": "2",
            "modules-1-title": "First",
            "modules-1-order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get(slug="songwriting")
    assert course.published is False
    assert [module.title for module in course.modules.order_by("order")] == ["First", "Second"]


def test_module_admin_edits_lesson_order(admin_client):
    module = ModuleFactory()
    lesson = LessonFactory(module=module, order=1)
    response = admin_client.post(
        f"/admin/learning/module/{module.pk}/change/",
        {
            "course": str(module.course_id),
            "title": module.title,
            "order": "1",
            "lessons-TOTAL_FORMS": "2",
            "lessons-INITIAL_FORMS": "1",
            "lessons-0-id": str(lesson.pk),
            "lessons-0-module": str(module.pk),
            "lessons-0-title": lesson.title,
            "lessons-0-order": "5",
            "lessons-0-duration_minutes": "10",
            "lessons-0-video_url": "",
            "lessons-1-module": str(module.pk),
            "lessons-1-title": "Warm-up",
            "lessons-1-order": "1",
            "lessons-1-duration_minutes": "3",
            "lessons-1-video_url": "https://youtu.be/dQw4w9WgXcQ",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(Lesson.objects.filter(module=module).order_by("order").values_list("title", "order")) == [
        ("Warm-up", 1),
        (lesson.title, 5),
    ]
    assert Lesson.objects.get(title="Warm-up").course_id == module.course_id


def test_lesson_admin_previews_sanitised_content(admin_client):
    lesson = LessonFactory(
        content="# Hello\n\n<script>alert('x')</script>[bad](javascript:alert(1))",
        video_url="https://vimeo.com/76979871",
    )
    html = admin_client.get(f"/admin/learning/lesson/{lesson.pk}/change/").content.decode()
    preview = html.split('class="lesson-content-preview"', 1)[1].split("</div>", 1)[0]
    assert "<h2>Hello</h2>" in preview
    assert "<script" not in preview
    assert "alert('x')" not in preview
    assert 'href="javascript' not in preview
    assert "https://player.vimeo.com/video/76979871?dnt=1" in html


def test_publish_and_unpublish_actions_go_through_the_service(admin_client):
    draft = CourseFactory(published=False)
    live = CourseFactory(published_at=timezone.now() - timezone.timedelta(days=3))
    previous = live.published_at
    admin_client.post(
        "/admin/learning/course/", {"action": "publish", "_selected_action": [str(draft.pk), str(live.pk)]}
    )
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.published is True
    assert draft.published_at is not None
    assert live.published_at == previous  # already published: unchanged
    admin_client.post("/admin/learning/course/", {"action": "unpublish", "_selected_action": [str(draft.pk)]})
    draft.refresh_from_db()
    assert (draft.published, draft.published_at) == (False, None)


def test_staff_delete_reviews_but_never_add_or_edit(admin_client):
    review = ReviewFactory()
    assert admin_client.get("/admin/learning/coursereview/add/").status_code == 403
    admin_client.post(
        "/admin/learning/coursereview/",
        {"action": "delete_selected", "_selected_action": [str(review.pk)], "post": "yes"},
    )
    assert not CourseReview.objects.exists()


def test_module_inline_counts_lessons(admin_client):
    course, _ = course_with_lessons(3)
    html = admin_client.get(f"/admin/learning/course/{course.pk}/change/").content.decode()
    assert Module.objects.filter(course=course).count() == 1
    cell = html.split('<td class="field-lesson_count">', 1)[1].split("</td>", 1)[0]
    assert cell.strip() == "<p>3</p>"
