"""The career assessment's shipped data (issue 18): the two-level category taxonomy it
recommends from (with each category's icon and colour), the question bank and the keywords
that point answers to subcategories. :func:`learning.services.assessments.assessment_bank_install`
installs it into an empty bank, so the assessment works on a fresh database without demo data;
staff edit all of it in admin afterwards. Plain data, no imports of the app's models.
"""

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
