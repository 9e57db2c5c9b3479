"""The built-in keyword engine: normalisation and stemming, whole-word matches, negation
counting against a field (with a property test), deterministic recommendations on the shipped
keyword bank (a table of answers → expected category), always three subcategories, reasons a
person would write, the "tell us a bit more" follow-up, and the engine chosen by the setting."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.assessment_bank import CAREER_KEYWORDS, CATEGORY_TREE
from learning.assessment_engine import (
    KeywordEngine,
    KeywordEntry,
    SubcategoryEntry,
    assessment_engine,
    clauses,
    normalise,
    stem,
)
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
    assert len(recommendation.subcategories) == 3  # every shipped category has three or more
    assert all(len(item.reasons) == 1 for item in recommendation.subcategories)
    assert engine.recommend(answers, list(reversed(keywords))) == recommendation


def test_a_reason_is_one_sentence_a_person_would_write(keywords):
    recommendation = KeywordEngine().recommend(
        ["nothing here", "I love producing beats in FL Studio", "Mixing my tracks"], keywords
    )

    producer, engineer, third = recommendation.subcategories
    assert (producer.name, producer.score) == ("Producer", 7)  # produce 3 + beat 3 + track 1
    assert producer.reasons == ["You enjoy making beats, producing music and building tracks."]
    assert engineer.name == "Audio Engineer"
    assert engineer.reasons == ["You enjoy mixing tracks and working in a studio."]  # "FL Studio" is a studio
    assert third.score == 0
    assert third.reasons[0].startswith("Also in Music, if you would like to try ")
    assert not any("Answer" in item.reasons[0] or "“" in item.reasons[0] for item in (producer, engineer, third))


@pytest.mark.parametrize(
    ("answer", "absent"),
    [
        ("I want to start something new", {"Illustration", "Journalism"}),  # no "art" in start, no "news" in new
        ("I went directly home", {"Directing"}),
        ("a restart of the studios", {"Illustration"}),
    ],
)
def test_keywords_match_whole_words_only(keywords, answer, absent):
    found = {match.entry.subcategory_name for match in KeywordEngine().matches(answer, keywords)}
    assert not found & absent


def test_i_hate_music_and_beats_does_not_recommend_music(keywords):
    engine = KeywordEngine()

    assert engine.recommend(["I hate music and beats"], keywords) is None
    recommendation = engine.recommend(["I hate music and beats", "I like drawing comics"], keywords)
    assert recommendation.category_name == "Visual Arts"


@pytest.mark.parametrize(
    "answer",
    [
        "I don't like making beats",
        "I do not like beats",
        "I hate beats",
        "I have no interest in beats",
        "I never make beats",
        "Beats are not for me",
        "Beats don't interest me",
        "Producing beats bores me",
        "I'm sick of beats",
        "Not beats",
        "I dont like beats",
        "I hate music, beats and DJs",
    ],
)
def test_a_negated_keyword_counts_against_its_field(keywords, answer):
    producer = next(entry.subcategory_id for entry in keywords if entry.subcategory_name == "Producer")
    assert KeywordEngine().scores([answer], keywords)[producer] < 0
    assert KeywordEngine().follow_up(answer, keywords).startswith("Thanks, that helps to know.")


@pytest.mark.parametrize(
    ("answer", "liked", "disliked"),
    [
        ("I don't like DJing but I love making beats", "Producer", "DJ"),
        ("I hate DJing, I love making beats", "Producer", "DJ"),
        ("I love making beats and not DJing", "Producer", "DJ"),
        ("Not only beats: I love mixing too", "Audio Engineer", None),
        ("I don't just make beats, I mix them too", "Producer", None),
        ("It's not DJing, it's making beats", "Producer", "DJ"),
        ("DJing is boring; beats are my life", "Producer", "DJ"),
        # Run on without a stop (or a follow-up's answer joined to the first): "I" starts anew.
        ("I hate DJing I love making beats", "Producer", "DJ"),
        ("I hate DJing\nI love making beats", "Producer", "DJ"),
    ],
)
def test_negation_ends_with_its_clause(keywords, answer, liked, disliked):
    scores = KeywordEngine().scores([answer], keywords)
    by_name = {entry.subcategory_name: entry.subcategory_id for entry in keywords}
    assert scores[by_name[liked]] > 0
    if disliked:
        assert scores[by_name[disliked]] < 0


def test_clauses_split_at_sentences_contrasts_and_a_new_subject_after_a_comma():
    assert clauses("I hate music, beats and DJs, I love film. But sometimes yoga") == [
        ["i", "hate", "music", "beats", "and", "djs"],
        ["i", "love", "film"],
        ["but", "sometimes", "yoga"],
    ]


def test_a_disliked_field_comes_after_the_others(keywords):
    recommendation = KeywordEngine().recommend(
        ["I love making beats in Ableton", "I hate DJing and parties", "Mixing in the studio"], keywords
    )

    names = [item.name for item in recommendation.subcategories]
    assert names[:2] == ["Producer", "Audio Engineer"]
    assert "DJ" not in names  # Songwriter (0) fills the third place before DJ (−4)
    assert names[2] == "Songwriter"


def test_three_subcategories_even_when_only_one_has_a_signal_filled_in_staff_order():
    music = uuid.uuid4()
    subs = {name: uuid.uuid4() for name in ("Producer", "Audio Engineer", "Songwriter", "DJ")}
    keywords = [KeywordEntry("beat", 3, subs["Producer"], "Producer", music, "Music", 0)]
    subcategories = [
        SubcategoryEntry(subs[name], name, order, music, "Music")
        for order, name in enumerate(["Producer", "DJ", "Songwriter", "Audio Engineer"])  # staff's order
    ]

    recommendation = KeywordEngine().recommend(["beats all day"], keywords, subcategories)

    assert [item.name for item in recommendation.subcategories] == ["Producer", "DJ", "Songwriter"]
    assert recommendation.subcategories[1].reasons == ["Also in Music, worth a look."]  # no keywords of its own


def test_a_category_with_two_subcategories_offers_two():
    small = uuid.uuid4()
    keywords = [
        KeywordEntry("kiln", 2, uuid.uuid4(), "Pottery", small, "Ceramics"),
        KeywordEntry("glaze", 2, uuid.uuid4(), "Glazing", small, "Ceramics"),
    ]
    recommendation = KeywordEngine().recommend(["firing the kiln"], keywords)
    assert [item.name for item in recommendation.subcategories] == ["Pottery", "Glazing"]


# --- Property: negating a field's keyword never raises that field's score ----------------------

SHIPPED: list[KeywordEntry] = []
for _category_index, (_category, _icon, _colour, _children) in enumerate(CATEGORY_TREE):
    _category_id = uuid.uuid5(uuid.NAMESPACE_URL, _category)
    for _order, _child in enumerate(_children):
        SHIPPED.extend(
            KeywordEntry(_keyword, _weight, uuid.uuid5(_category_id, _child), _child, _category_id, _category, _order)
            for _keyword, _weight in CAREER_KEYWORDS[(_category, _child)]
        )
FILLERS = ["i", "love", "and", "the", "making", "in", "my", "is", "for", "me", "with", "really", "a", "friends"]
CUES = ["not", "don't", "hate", "never", "no", "but", ",", ".", "is", "bores", "only", "sick of", "isn't"]
words = st.lists(st.sampled_from([entry.keyword for entry in SHIPPED] + FILLERS + CUES), max_size=12).map(" ".join)
NEGATIONS = ["not", "don't like", "do not like", "never", "hate", "no interest in", "can't stand"]


def _field_scores(answer: str, entry: KeywordEntry) -> tuple[int, int]:
    engine = KeywordEngine()
    scores = engine.scores([answer], SHIPPED)
    category = sum(
        score
        for sub, score in scores.items()
        if any(e.subcategory_id == sub and e.category_id == entry.category_id for e in SHIPPED)
    )
    return scores.get(entry.subcategory_id, 0), category


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=words,
    after=words,
    entry=st.sampled_from(SHIPPED),
    negation=st.sampled_from(NEGATIONS),
)
def test_negating_a_keyword_never_raises_its_fields_score(before, after, entry, negation):
    plain = f"{before} {entry.keyword} {after}"
    negated = f"{before} {negation} {entry.keyword} {after}"

    plain_sub, plain_category = _field_scores(plain, entry)
    negated_sub, negated_category = _field_scores(negated, entry)

    assert negated_sub <= plain_sub
    assert negated_category <= plain_category


@settings(max_examples=200, deadline=None)
@given(answer=words, entry=st.sampled_from(SHIPPED), negation=st.sampled_from(NEGATIONS))
def test_saying_you_dislike_a_field_never_adds_to_it(answer, entry, negation):
    before_sub, before_category = _field_scores(answer, entry)
    after_sub, after_category = _field_scores(f"{answer}. I {negation} {entry.keyword}", entry)

    assert after_sub <= before_sub
    assert after_category <= before_category


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
