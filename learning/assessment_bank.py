"""The career assessment's shipped data (issues 18, 19): the two-level category taxonomy it
recommends from (with each category's icon and colour), the question bank, the keywords that
point answers to subcategories and how a person would say what each keyword points to.

The migration ``learning/0013_assessment_bank_data`` installs it with :func:`bank_install`,
so a fresh ``migrate`` — without the demo — has a working assessment; the demo calls the same
functions. Staff edit all of it in admin afterwards, and what they changed is kept. The
install functions take the model classes as arguments (the migration passes its historical
models), so this module imports none of the app's models.
"""

import uuid
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

#: Top-level categories in order: (name, icon key of ``core.icons``, palette colour of
#: ``learning.models.CategoryColour``, subcategories in order).
CATEGORY_TREE: list[tuple[str, str, str, list[str]]] = [
    ("Music", "music", "purple", ["Producer", "Audio Engineer", "Songwriter", "DJ"]),
    ("Film & Television", "video", "red", ["Directing", "Screenwriting", "Cinematography", "Editing"]),
    ("Career", "compass", "blue", ["Personal Branding", "Negotiation", "Leadership"]),
    ("Fitness", "trending-up", "green", ["Mobility", "Strength", "Personal Training"]),
    ("Visual Arts", "palette", "pink", ["Illustration", "Photography", "Graphic Design"]),
    ("Games", "gamepad", "indigo", ["Game Design", "Game Programming", "Game Art"]),
    ("Writing & Publishing", "pencil", "amber", ["Fiction", "Journalism", "Copywriting"]),
]

#: The subcategories of each category, by name.
CATEGORIES: dict[str, list[str]] = {name: children for name, _icon, _colour, children in CATEGORY_TREE}

ASSESSMENT_QUESTIONS: list[tuple[str, str]] = [
    (
        "What could you spend hours doing without noticing the time?",
        "For example making beats, sketching, writing stories, training, playing or building games.",
    ),
    ("Which skills do you already have, or most want to learn?", "Tools, crafts, sports, languages — anything counts."),
    ("What would you love to make or achieve in the next few years?", "A record, a film, a book, a game, a business…"),
    ("Which creators, athletes or professionals inspire you, and why?", ""),
    (
        "How do you like to work: alone or with a team, in a studio, outdoors, on stage, at a desk?",
        "Tell us about the place and the rhythm that suit you.",
    ),
    ("What do friends ask you for help with?", ""),
    ("Which school subjects, hobbies or online videos do you enjoy most?", ""),
]

# Keywords per (category, subcategory): word or phrase, weight (3 = a strong signal).
CAREER_KEYWORDS: dict[tuple[str, str], list[tuple[str, int]]] = {
    ("Music", "Producer"): [("produce", 3), ("beat", 3), ("hip hop", 2), ("sample", 2), ("ableton", 3), ("track", 1)],
    ("Music", "Audio Engineer"): [("mixing", 3), ("mastering", 3), ("studio", 2), ("sound", 2), ("recording", 2)],
    ("Music", "Songwriter"): [("song", 3), ("lyrics", 3), ("melody", 2), ("guitar", 1), ("piano", 1), ("sing", 2)],
    ("Music", "DJ"): [("dj", 3), ("club", 2), ("turntable", 3), ("playlist", 2), ("party", 1), ("music", 1)],
    ("Film & Television", "Directing"): [("direct", 3), ("film", 2), ("movie", 2), ("actor", 2), ("shoot", 1)],
    ("Film & Television", "Screenwriting"): [("screenplay", 3), ("script", 3), ("dialogue", 2), ("scene", 2)],
    ("Film & Television", "Cinematography"): [("camera", 3), ("lighting", 2), ("lens", 2), ("shot", 2)],
    ("Film & Television", "Editing"): [("video editing", 3), ("premiere", 2), ("cut", 1), ("vlog", 2), ("youtube", 2)],
    ("Career", "Personal Branding"): [("brand", 3), ("social media", 2), ("instagram", 2), ("audience", 2)],
    ("Career", "Negotiation"): [("negotiate", 3), ("deal", 2), ("salary", 2), ("contract", 2), ("sell", 1)],
    ("Career", "Leadership"): [("lead", 3), ("team", 1), ("organise", 2), ("manage", 2), ("business", 2)],
    ("Fitness", "Mobility"): [("yoga", 3), ("stretch", 3), ("flexible", 2), ("mobility", 3), ("posture", 2)],
    ("Fitness", "Strength"): [("gym", 3), ("lift", 3), ("weight", 2), ("muscle", 2), ("strong", 2)],
    ("Fitness", "Personal Training"): [("coach", 3), ("train", 2), ("sport", 2), ("athlete", 2), ("run", 1)],
    ("Visual Arts", "Illustration"): [("draw", 3), ("sketch", 3), ("paint", 2), ("comic", 2), ("illustrate", 3)],
    ("Visual Arts", "Photography"): [("photo", 3), ("photograph", 3), ("portrait", 2), ("picture", 2)],
    ("Visual Arts", "Graphic Design"): [("design", 2), ("logo", 3), ("poster", 2), ("typography", 3), ("layout", 2)],
    ("Games", "Game Design"): [("game", 2), ("level design", 3), ("board game", 3), ("gameplay", 3), ("play", 1)],
    ("Games", "Game Programming"): [("code", 3), ("programming", 3), ("unity", 3), ("unreal", 3), ("software", 2)],
    ("Games", "Game Art"): [("3d", 3), ("character design", 3), ("blender", 3), ("pixel art", 3), ("animation", 2)],
    ("Writing & Publishing", "Fiction"): [("story", 2), ("novel", 3), ("fantasy", 2), ("poetry", 2), ("book", 2)],
    ("Writing & Publishing", "Journalism"): [("news", 3), ("interview", 2), ("report", 3), ("podcast", 2)],
    ("Writing & Publishing", "Copywriting"): [("copywriting", 3), ("slogan", 3), ("blog", 2), ("marketing", 2)],
}

#: How a person would say what a shipped keyword points to, for the engine's one-sentence
#: reasons ("You enjoy making beats and working in a studio"). A keyword staff add without a
#: phrase here is said as written.
KEYWORD_PHRASES: dict[str, Promise] = {
    "produce": _("producing music"),
    "beat": _("making beats"),
    "hip hop": _("hip-hop"),
    "sample": _("sampling records"),
    "ableton": _("working in Ableton"),
    "track": _("building tracks"),
    "mixing": _("mixing tracks"),
    "mastering": _("mastering records"),
    "studio": _("working in a studio"),
    "sound": _("shaping sound"),
    "recording": _("recording"),
    "song": _("writing songs"),
    "lyrics": _("writing lyrics"),
    "melody": _("finding melodies"),
    "guitar": _("playing the guitar"),
    "piano": _("playing the piano"),
    "sing": _("singing"),
    "dj": _("DJing"),
    "club": _("club nights"),
    "turntable": _("working the turntables"),
    "playlist": _("putting playlists together"),
    "party": _("getting a party going"),
    "music": _("music"),
    "direct": _("directing"),
    "film": _("films"),
    "movie": _("movies"),
    "actor": _("working with actors"),
    "shoot": _("shooting scenes"),
    "screenplay": _("writing screenplays"),
    "script": _("writing scripts"),
    "dialogue": _("writing dialogue"),
    "scene": _("building scenes"),
    "camera": _("working a camera"),
    "lighting": _("lighting a scene"),
    "lens": _("choosing lenses"),
    "shot": _("framing shots"),
    "video editing": _("editing videos"),
    "premiere": _("cutting in Premiere"),
    "cut": _("cutting footage"),
    "vlog": _("making vlogs"),
    "youtube": _("making YouTube videos"),
    "brand": _("building a brand"),
    "social media": _("social media"),
    "instagram": _("Instagram"),
    "audience": _("growing an audience"),
    "negotiate": _("negotiating"),
    "deal": _("making deals"),
    "salary": _("talking about pay"),
    "contract": _("working out contracts"),
    "sell": _("selling"),
    "lead": _("leading people"),
    "team": _("working in a team"),
    "organise": _("organising things"),
    "manage": _("managing people and projects"),
    "business": _("running a business"),
    "yoga": _("yoga"),
    "stretch": _("stretching"),
    "flexible": _("staying flexible"),
    "mobility": _("mobility work"),
    "posture": _("good posture"),
    "gym": _("the gym"),
    "lift": _("lifting weights"),
    "weight": _("weight training"),
    "muscle": _("building muscle"),
    "strong": _("getting strong"),
    "coach": _("coaching others"),
    "train": _("training"),
    "sport": _("sport"),
    "athlete": _("working with athletes"),
    "run": _("running"),
    "draw": _("drawing"),
    "sketch": _("sketching"),
    "paint": _("painting"),
    "comic": _("comics"),
    "illustrate": _("illustrating"),
    "photo": _("taking photos"),
    "photograph": _("photography"),
    "portrait": _("portraits"),
    "picture": _("taking pictures"),
    "design": _("designing"),
    "logo": _("designing logos"),
    "poster": _("making posters"),
    "typography": _("typography"),
    "layout": _("laying out pages"),
    "game": _("games"),
    "level design": _("designing levels"),
    "board game": _("board games"),
    "gameplay": _("thinking about gameplay"),
    "play": _("playing"),
    "code": _("writing code"),
    "programming": _("programming"),
    "unity": _("building in Unity"),
    "unreal": _("building in Unreal"),
    "software": _("making software"),
    "3d": _("3D modelling"),
    "character design": _("designing characters"),
    "blender": _("modelling in Blender"),
    "pixel art": _("pixel art"),
    "animation": _("animation"),
    "story": _("telling stories"),
    "novel": _("writing a novel"),
    "fantasy": _("fantasy"),
    "poetry": _("poetry"),
    "book": _("books"),
    "news": _("following the news"),
    "interview": _("interviewing people"),
    "report": _("reporting"),
    "podcast": _("podcasts"),
    "copywriting": _("copywriting"),
    "slogan": _("writing slogans"),
    "blog": _("blogging"),
    "marketing": _("marketing"),
}


# Shipped questions get ids derived from their text, so an install that runs twice (or at the
# same time as another) inserts the same rows and the second one's inserts are ignored.
BANK_NAMESPACE = uuid.UUID("5d0c2b8e-4f31-4c55-9d0e-7f3a0e1c8a18")


def taxonomy_install(*, category_model: Any) -> dict[str, Any]:
    """Create the shipped categories and subcategories that are missing (matched by slug)
    and give a shipped category without an icon or a colour the shipped one; what staff
    changed is kept. Returns the top-level categories by name. Idempotent."""
    parents: dict[str, Any] = {}
    for order, (name, icon, colour, children) in enumerate(CATEGORY_TREE):
        parent, _created = category_model.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "order": order, "icon": icon, "colour": colour}
        )
        if not parent.icon or not parent.colour:
            parent.icon, parent.colour = parent.icon or icon, parent.colour or colour
            parent.save(update_fields=["icon", "colour", "updated_at"])
        parents[name] = parent
        for child_order, child in enumerate(children):
            category_model.objects.get_or_create(
                slug=slugify(f"{name}-{child}"), defaults={"name": child, "parent": parent, "order": child_order}
            )
    return parents


def questions_install(*, question_model: Any) -> bool:
    """Add the shipped questions, in order, when the bank has no question at all — active or
    not —; a bank staff started is left alone. Returns whether they were added."""
    if question_model.objects.exists():
        return False
    question_model.objects.bulk_create(
        [
            question_model(id=uuid.uuid5(BANK_NAMESPACE, text), text=text, help_text=help_text, order=order)
            for order, (text, help_text) in enumerate(ASSESSMENT_QUESTIONS, start=1)
        ],
        ignore_conflicts=True,
    )
    return True


def keywords_install(*, category_model: Any, keyword_model: Any) -> int:
    """Add the shipped keywords each shipped subcategory lacks (staff's weights and their own
    keywords are kept; a subcategory staff deleted gets none). Returns how many were added."""
    slugs = {slugify(f"{category}-{sub}"): (category, sub) for category, sub in CAREER_KEYWORDS}
    subcategories = {
        slugs[category.slug]: category
        for category in category_model.objects.filter(slug__in=slugs, parent__isnull=False)
    }
    before = keyword_model.objects.count()
    keyword_model.objects.bulk_create(
        [
            keyword_model(subcategory=subcategories[key], keyword=keyword, weight=weight)
            for key, keywords in CAREER_KEYWORDS.items()
            if key in subcategories
            for keyword, weight in keywords
        ],
        ignore_conflicts=True,
    )
    return int(keyword_model.objects.count() - before)


def bank_install(*, category_model: Any, question_model: Any, keyword_model: Any) -> bool:
    """Install the whole shipped bank when it has no question yet (a fresh database, or one
    that never had an assessment): the taxonomy, the questions and the keywords, in one
    transaction. A bank staff started is left alone. Returns whether it was installed.
    Idempotent."""
    with transaction.atomic():
        if question_model.objects.exists():
            return False
        taxonomy_install(category_model=category_model)
        questions_install(question_model=question_model)
        keywords_install(category_model=category_model, keyword_model=keyword_model)
        return True
