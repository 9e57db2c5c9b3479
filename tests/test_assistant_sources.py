"""The general assistant's sources (core.registry.assistant_sources): published courses,
listed mentors and ready-made habits matching a person's words, each in a constant number
of queries, linking to the item's own page; all three offered to the language model
together, and nothing of the person's therapy ever in what it receives."""

import pytest
from django.urls import reverse

from accounts.services.assistant import assistant_consent_give
from accounts.tests.factories import UserFactory
from core.registry import assistant_sources
from core.search import query_words
from learning.models import ChatMessage
from learning.services.assistant import assistant_message_post
from learning.tests.factories import CategoryFactory, CourseFactory, SubcategoryFactory
from mentorship.tests.factories import MentorProfileFactory
from therapy.tests.factories import JournalEntryFactory, MessageFactory, TherapyRelationshipFactory

pytestmark = pytest.mark.django_db


def _search(key: str, query: str, limit: int = 5):
    source = assistant_sources.get(key)
    assert source is not None
    return source.search(query, UserFactory(), limit)


def test_the_three_apps_register_their_sources_in_order():
    assert [source.key for source in assistant_sources.all()] == ["courses", "mentors", "habits"]


def test_query_words_keep_what_is_worth_searching_for():
    assert query_words("I want to learn GUITAR, and guitars! Find me a mentor for mixing beats") == [
        "guitar",
        "mixing",
        "beat",
    ]
    assert query_words("can you help me?") == []
    assert query_words("class glass") == ["glass"]


def test_courses_match_title_subcategory_and_description_best_first_published_only(django_assert_num_queries):
    music = CategoryFactory(name="Music")
    guitar = SubcategoryFactory(name="Guitar", parent=music)
    titled = CourseFactory(title="Guitar for beginners", description="Chords and strumming.", category=music)
    described = CourseFactory(
        title="Your first band", description="Play the guitar with others.", category=music, subcategory=guitar
    )
    mentioned = CourseFactory(title="Music theory", description="Scales, also on a guitar.", category=music)
    CourseFactory(title="Guitar secrets", description="Draft.", published=False)
    CourseFactory(title="Cooking", description="Knives and pans.")
    with django_assert_num_queries(1):
        items = assistant_sources.get("courses").search("guitar chords", UserFactory.build(), 5)
    assert [item.title for item in items] == [titled.title, described.title, mentioned.title]
    assert items[0].url == reverse("learning:course-detail", kwargs={"slug": titled.slug})
    assert items[0].kind == "Course"
    assert "Beginner" in items[0].summary
    assert "Guitar" in items[1].summary


def test_courses_respect_the_limit_and_need_a_word():
    CourseFactory.create_batch(4, title="Photography basics", description="Light.")
    assert len(_search("courses", "photography", limit=2)) == 2
    assert _search("courses", "please help me") == []


def test_mentors_are_the_listed_ones_matching_headline_expertise_or_bio(django_assert_num_queries):
    producer = MentorProfileFactory(headline="Music producer", bio="Twenty records.", expertise=["Mixing"])
    by_bio = MentorProfileFactory(headline="Coach", bio="I teach mixing at home.", expertise=["Audio"])
    MentorProfileFactory(headline="Music producer too", bio="", status="pending")
    inactive = MentorProfileFactory(headline="Music producer", bio="")
    inactive.user.is_active = False
    inactive.user.save()
    MentorProfileFactory(headline="Painter", bio="Oil and canvas.", expertise=["Art"])
    with django_assert_num_queries(1):
        items = assistant_sources.get("mentors").search("mixing", UserFactory.build(), 5)
    assert [item.url for item in items] == [
        reverse("mentorship:mentor-detail", kwargs={"mentor_id": producer.user_id}),
        reverse("mentorship:mentor-detail", kwargs={"mentor_id": by_bio.user_id}),
    ]
    assert items[0].kind == "Mentor"
    assert items[0].title == producer.user.display_name
    assert items[0].summary == "Music producer"


def test_habits_come_from_the_ready_made_templates_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        items = assistant_sources.get("habits").search("I want to read more books", UserFactory.build(), 5)
    assert [item.title for item in items] == ["Read one page"]
    assert items[0].url == reverse("growth:habit-start") + "#habit-read-one-page"
    assert items[0].kind == "Habit"
    assert _search("habits", "calm breathing")[0].title == "Take five slow breaths"
    assert _search("habits", "quantum chemistry") == []


def test_the_habit_link_lands_on_its_card(client):
    client.force_login(UserFactory())
    assert 'id="habit-read-one-page"' in client.get(reverse("growth:habit-start")).content.decode()


def test_the_model_gets_courses_mentors_and_habits_and_never_therapy_content(
    llm_fake, django_capture_on_commit_callbacks
):
    course = CourseFactory(title="Music production", description="Beats and mixing.")
    mentor = MentorProfileFactory(headline="Music producer", bio="Twenty records.", expertise=["Mixing"])
    relationship = TherapyRelationshipFactory()
    person = relationship.client
    JournalEntryFactory(client=person, note="Music makes my panic attacks worse", is_shared=True)
    MessageFactory(relationship=relationship, content="I cried about music all week")
    assistant_consent_give(user=person)
    llm_fake.reply_json(
        {
            "answer": "Here are two ways in.",
            "picks": [{"id": "mentors-1", "reason": "A producer."}, {"id": "courses-1", "reason": "The basics."}],
        }
    )

    with django_capture_on_commit_callbacks(execute=True):
        message = assistant_message_post(user=person, text="I love music, beats and mixing; a daily habit too")
    reply = ChatMessage.objects.get(metadata__reply_to=str(message.pk))

    sent = llm_fake.sent_text()
    assert course.title in sent
    assert "Music producer" in sent
    assert "panic" not in sent
    assert "cried" not in sent
    ids = llm_fake.requests[0]["response_format"]["json_schema"]["schema"]["properties"]["picks"]["items"]
    assert {"courses-1", "mentors-1"} <= set(ids["properties"]["id"]["enum"])
    assert [item["url"] for item in reply.metadata["items"]] == [
        reverse("mentorship:mentor-detail", kwargs={"mentor_id": mentor.user_id}),
        reverse("learning:course-detail", kwargs={"slug": course.slug}),
    ]


def test_the_plain_search_lists_the_best_of_each_kind(django_capture_on_commit_callbacks):
    for number in range(5):
        CourseFactory(title=f"Read faster {number}", description="Speed.")
        MentorProfileFactory(headline=f"Read with me {number}", bio="", expertise=["Books"])
    person = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        message = assistant_message_post(user=person, text="read")
    reply = ChatMessage.objects.get(metadata__reply_to=str(message.pk))

    assert [item["kind"] for item in reply.metadata["items"]] == [
        "Course",
        "Course",
        "Course",
        "Mentor",
        "Mentor",
        "Habit",
    ]
    assert reply.metadata["items"][-1]["title"] == "Read one page"
