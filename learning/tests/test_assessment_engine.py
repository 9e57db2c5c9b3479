"""The built-in keyword engine: normalisation and stemming, deterministic recommendations on
the demo keyword bank (a table of answers → expected category), ties broken by name, the
"tell us a bit more" follow-up, and the engine chosen by the setting."""

import uuid

import pytest

from learning.assessment_engine import KeywordEngine, KeywordEntry, assessment_engine, normalise, stem
from learning.demo.seed import seed_career_assessment
from learning.selectors.assessments import career_keyword_entries

ANSWER_SETS = [
    (
        ["I spend hours producing beats in Ableton", "Sampling old soul records", "Release a hip-hop tape"],
        "Music",
        "Producer",
    ),
    (
        ["Shooting short movies with friends", "Writing a screenplay and directing actors", "A feature film"],
        "Film & Television",
        "Directing",
    ),
    (
        ["Organising events and leading the team", "Negotiating deals", "Start my own business and manage people"],
        "Career",
        "Leadership",
    ),
    (
        ["Lifting at the gym every morning", "Building muscle and getting strong", "Coaching athletes"],
        "Fitness",
        "Strength",
    ),
    (
        ["Sketching and drawing comics", "Painting portraits", "Illustrating a children's book cover"],
        "Visual Arts",
        "Illustration",
    ),
    (
        ["Playing and designing board games", "Coding in Unity", "Release my own game on Steam"],
        "Games",
        "Game Design",
    ),
    (
        ["Writing fantasy stories", "I'm writing a novel", "Publish a book of poetry"],
        "Writing & Publishing",
        "Fiction",
    ),
]


@pytest.fixture
def keywords(db) -> list[KeywordEntry]:
    seed_career_assessment()
    return career_keyword_entries()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("producing", "produc"),
        ("producer", "produc"),
        ("produced", "produc"),
        ("Beats", "beat"),
        ("fitness", "fitness"),
    ],
)
def test_stem_reduces_word_forms_to_one_stem(word, expected):
    assert stem(normalise(word)[0]) == expected


def test_normalise_strips_accents_punctuation_and_case():
    assert normalise("Créer, c'est ÇA!  Hip-Hop") == ["creer", "c", "est", "ca", "hip", "hop"]


@pytest.mark.parametrize(("answers", "category", "top"), ANSWER_SETS, ids=[row[1] for row in ANSWER_SETS])
def test_recommends_the_expected_category_and_is_deterministic(keywords, answers, category, top):
    engine = KeywordEngine()
    recommendation = engine.recommend(answers, keywords)

    assert recommendation is not None
    assert recommendation.category_name == category
    assert recommendation.subcategories[0].name == top
    assert 1 <= len(recommendation.subcategories) <= 3
    assert all(item.reasons for item in recommendation.subcategories)
    assert engine.recommend(answers, list(reversed(keywords))) == recommendation


def test_reasons_name_the_matching_answer_and_keyword(keywords):
    recommendation = KeywordEngine().recommend(["nothing here", "I love producing beats"], keywords)

    producer = recommendation.subcategories[0]
    assert producer.name == "Producer"
    assert "Answer 2 mentions “produce”" in producer.reasons
    assert "Answer 2 mentions “beat”" in producer.reasons
    assert producer.score == 6


def _entry(keyword: str, subcategory: str, category: str, category_id: uuid.UUID) -> KeywordEntry:
    return KeywordEntry(keyword, 1, uuid.uuid5(uuid.NAMESPACE_DNS, subcategory), subcategory, category_id, category)


def test_ties_are_broken_by_name():
    a, b = uuid.uuid4(), uuid.uuid4()
    keywords = [
        _entry("zebra", "Zoo", "Beta", b),
        _entry("apple", "Orchard", "Alpha", a),
        _entry("pear", "Farm", "Alpha", a),
    ]

    recommendation = KeywordEngine().recommend(["apple zebra pear"], keywords)

    assert recommendation.category_name == "Alpha"
    assert [item.name for item in recommendation.subcategories] == ["Farm", "Orchard"]


@pytest.mark.parametrize("answer", ["", "   ", "asdf qwerty", "!!!", "idk"])
def test_empty_or_nonsense_answers_get_a_follow_up_and_no_recommendation(keywords, answer):
    engine = KeywordEngine()

    assert engine.follow_up(answer, keywords).startswith("Tell us a bit more")
    assert engine.recommend([answer], keywords) is None


def test_an_answer_with_signal_needs_no_follow_up(keywords):
    assert KeywordEngine().follow_up("I like taking photos", keywords) is None


def test_the_engine_is_chosen_by_the_setting(settings):
    settings.ASSESSMENT_ENGINE = "learning.assessment_engine.KeywordEngine"
    assert isinstance(assessment_engine(), KeywordEngine)
