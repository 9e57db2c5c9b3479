"""Demo data of career pathways and success stories (``manage.py seed_demo``, order 60):
a pathway template for every subcategory of ``learning.demo.seed.CATEGORIES`` (four or five
ordered steps, the first naming the demo course where one fits), a dozen published success stories, and
the demo learner's two assessments (a first one that chose Illustration, a retake that chose
Producer and Audio Engineer: the career page shows the result, both pathways and the earlier
result). Idempotent: templates are matched by subcategory, stories by slug; the learner's
assessments are taken once. The people are invented.
"""

from typing import Any

from django.utils.text import slugify

from .seed import CATEGORIES

# Subcategory → (course slug or "", practice project, portfolio piece, first opportunity).
PRACTICE: dict[str, tuple[str, str, str, str]] = {
    "Producer": (
        "music-production-fundamentals",
        "Produce one 8-bar loop a day for two weeks, each in a different genre.",
        "Finish and release three full beats on a streaming platform.",
        "Pitch your beats to five local artists and place one song.",
    ),
    "Audio Engineer": (
        "mixing-and-mastering-essentials",
        "Mix the same multitrack session three times and compare with a reference track.",
        "Build a before/after reel of four mixes you engineered.",
        "Assist a session at a local studio or record a live show.",
    ),
    "Songwriter": (
        "songwriting-from-idea-to-demo",
        "Write one verse and chorus a day for a month, keeping a hook notebook.",
        "Record rough demos of your five strongest songs.",
        "Play a writers' night or co-write with another artist.",
    ),
    "DJ": (
        "",
        "Practise beatmatching by ear for 20 minutes a day without the sync button.",
        "Record a 60-minute mix with a clear story from warm-up to peak.",
        "Land an opening slot at a local venue or community radio show.",
    ),
    "Directing": (
        "directing-your-first-short-film",
        "Shoot a one-minute scene with two actors and no dialogue.",
        "Direct a three-to-five-minute short from script to final cut.",
        "Submit your short to two festivals with no entry fee.",
    ),
    "Screenwriting": (
        "",
        "Write a page a day and read one produced screenplay each week.",
        "Finish a polished 10-page short script and a one-page synopsis.",
        "Enter a screenwriting competition or a writers' lab.",
    ),
    "Cinematography": (
        "",
        "Recreate the lighting of three famous frames with household lamps.",
        "Cut a 90-second reel of your best shots.",
        "Shoot a music video or a student film as director of photography.",
    ),
    "Editing": (
        "",
        "Re-edit a public-domain film trailer in three different tones.",
        "Edit a short documentary of about five minutes.",
        "Offer to edit a local creator's series for a month.",
    ),
    "Personal Branding": (
        "personal-branding-for-creatives",
        "Write your one-sentence pitch and test it on five people.",
        "Build a one-page portfolio site with your three best projects.",
        "Publish one piece of work in public each week for a month.",
    ),
    "Negotiation": (
        "negotiating-your-rate",
        "Research three market rates for your work and write your walk-away number.",
        "Draft a rate card and a short project proposal template.",
        "Negotiate one real project using your rate card.",
    ),
    "Leadership": (
        "",
        "Lead one weekly meeting with a clear agenda and written follow-ups.",
        "Run a small project with two collaborators from start to finish.",
        "Mentor someone newer than you for a month.",
    ),
    "Mobility": (
        "mobility-in-ten-minutes-a-day",
        "Do the ten-minute routine every morning for three weeks.",
        "Track your range of motion with photos at week one and week four.",
        "Teach the routine to a friend or a small group.",
    ),
    "Strength": (
        "",
        "Follow a three-day full-body plan, logging every set.",
        "Reach a clean bodyweight squat, push-up and hinge standard.",
        "Join a community class or train with a partner weekly.",
    ),
    "Personal Training": (
        "",
        "Write programmes for two friends and coach them for four weeks.",
        "Collect before/after notes and testimonials from those clients.",
        "Prepare for and book a recognised trainer certification.",
    ),
    "Illustration": (
        "",
        "Fill a sketchbook page every day for a month from life.",
        "Create a series of six illustrations around one theme.",
        "Open a print shop or take one commission.",
    ),
    "Photography": (
        "",
        "Shoot with one fixed focal length for two weeks.",
        "Edit a 12-image photo essay with a clear story.",
        "Shoot a paid portrait session or a local event.",
    ),
    "Graphic Design": (
        "",
        "Redesign one everyday poster or menu a week.",
        "Build a brand identity for a real or invented small business.",
        "Take on a brief for a local non-profit.",
    ),
    "Game Design": (
        "",
        "Make a paper prototype of a game and playtest it with four people.",
        "Ship a small digital game in a game jam.",
        "Publish your game on an indie storefront and gather feedback.",
    ),
    "Game Programming": (
        "",
        "Rebuild a classic arcade game from scratch in a free engine.",
        "Put two finished small games and their code on a public repository.",
        "Contribute to an open-source game or join a jam team as programmer.",
    ),
    "Game Art": (
        "",
        "Model or paint one game-ready asset a day for two weeks.",
        "Assemble an art portfolio of a small, consistent game world.",
        "Join a jam team as the artist.",
    ),
    "Fiction": (
        "",
        "Write 500 words a day for a month.",
        "Revise one short story through three drafts with feedback.",
        "Submit your story to three literary magazines.",
    ),
    "Journalism": (
        "",
        "Interview one person a week and write it up in 400 words.",
        "Publish three reported stories on a local topic.",
        "Pitch a story to a local newspaper or newsletter.",
    ),
    "Copywriting": (
        "",
        "Rewrite ten real product pages to be clearer and shorter.",
        "Build a portfolio of three before/after campaigns.",
        "Land a first paid brief from a small business.",
    ),
}


def _template_steps(category: str, subcategory: str, sub_slug: str, category_slug: str) -> list[dict[str, Any]]:
    course, practice, portfolio, opportunity = PRACTICE.get(
        subcategory,
        (
            "",
            f"Practise the core skills of {subcategory} a little every day for three weeks.",
            f"Finish one small {subcategory} project you are proud of.",
            f"Find a first real {subcategory} opportunity.",
        ),
    )
    # A step naming a course reads "Take <course title>" with the course's hours on a new
    # pathway; without one here, pathway_create starts with the catalog's course (if any).
    learn = (
        [
            {
                "title": "Learn the foundations",
                "description": "Note the three skills you most want to grow as you go.",
                "resources": [{"title": "The course", "course": course}],
                "estimated_time": "",
            }
        ]
        if course
        else []
    )
    return [
        *learn,
        {"title": "Practise every day", "description": practice, "resources": [], "estimated_time": "3 weeks"},
        {
            "title": "Build a portfolio piece",
            "description": portfolio,
            "resources": [{"title": "Success stories in this field", "url": f"/learn/stories/?subcategory={sub_slug}"}],
            "estimated_time": "1–2 months",
        },
        {
            "title": "Find a mentor",
            "description": f"Ask a mentor in {category} to review your work and your plan.",
            "resources": [{"title": "Mentor directory", "url": f"/mentors/?category={category_slug}"}],
            "estimated_time": "1 week",
        },
        {
            "title": "Take your first real opportunity",
            "description": opportunity,
            "resources": [],
            "estimated_time": "",
        },
    ]


STORIES: list[dict[str, Any]] = [
    {
        "name": "Amara Okafor",
        "category": "Music",
        "subcategory": "Producer",
        "location": "Lagos, Nigeria",
        "ethnicity": "Igbo",
        "race": "Black",
        "current_role": "Music producer",
        "company": "Night Market Records",
        "tags": ["afrobeats", "first-generation", "self-taught"],
        "achievements": ["Three charting singles"],
        "story": "Amara started making beats on a borrowed laptop in her cousin's bedroom. Two years of daily loops "
        "later, a song she produced for a local artist went national.",
    },
    {
        "name": "Diego Ramírez",
        "category": "Music",
        "subcategory": "Audio Engineer",
        "location": "Los Angeles, USA",
        "ethnicity": "Mexican American",
        "race": "Latino",
        "current_role": "Mix engineer",
        "company": "Eastside Sound",
        "tags": ["studio", "career-change"],
        "achievements": ["Engineered a gold record"],
        "story": "Diego swept floors at a recording studio before assisting his first session at 24. He now mixes "
        "records for independent artists across the West Coast.",
    },
    {
        "name": "Mei Lin Zhou",
        "category": "Film & Television",
        "subcategory": "Directing",
        "location": "Vancouver, Canada",
        "ethnicity": "Chinese Canadian",
        "race": "Asian",
        "current_role": "Film director",
        "company": "",
        "tags": ["short-film", "festival"],
        "achievements": ["Festival jury prize for her second short"],
        "story": "Mei Lin shot her first short on a phone with friends from her building. Her third film screened at "
        "twelve festivals and funded her first feature.",
        "video_url": "https://vimeo.com/76979871",
    },
    {
        "name": "Tomás Herrera",
        "category": "Film & Television",
        "subcategory": "Editing",
        "location": "Bogotá, Colombia",
        "ethnicity": "Colombian",
        "race": "Latino",
        "current_role": "Documentary editor",
        "company": "Río Films",
        "tags": ["documentary", "remote-work"],
        "achievements": ["Edited an award-winning documentary series"],
        "story": "Tomás taught himself editing by re-cutting trailers. A YouTube creator hired him remotely and he "
        "now edits documentaries for broadcasters.",
    },
    {
        "name": "Keisha Morgan",
        "category": "Career",
        "subcategory": "Personal Branding",
        "location": "Atlanta, USA",
        "ethnicity": "African American",
        "race": "Black",
        "current_role": "Brand strategist",
        "company": "Morgan & Co.",
        "tags": ["entrepreneur", "first-generation"],
        "achievements": ["Founded her own studio"],
        "story": "Keisha turned the portfolio site she built for herself into a business helping creatives tell "
        "their story. Her clients include musicians, chefs and coaches.",
    },
    {
        "name": "Arjun Mehta",
        "category": "Career",
        "subcategory": "Negotiation",
        "location": "London, UK",
        "ethnicity": "Gujarati",
        "race": "South Asian",
        "current_role": "Freelance designer",
        "company": "",
        "tags": ["freelance", "rates"],
        "achievements": ["Doubled his day rate in a year"],
        "story": "Arjun used to say yes to every price. Writing down his walk-away number changed everything: he "
        "doubled his rate and works fewer, better projects.",
    },
    {
        "name": "Leilani Kahale",
        "category": "Fitness",
        "subcategory": "Personal Training",
        "location": "Honolulu, USA",
        "ethnicity": "Native Hawaiian",
        "race": "Pacific Islander",
        "current_role": "Personal trainer",
        "company": "Aloha Strength",
        "tags": ["community", "career-change"],
        "achievements": ["Coached 200 clients"],
        "story": "Leilani left an office job to coach friends on the beach at sunrise. Her free sessions became a "
        "gym with a waiting list.",
    },
    {
        "name": "Samuel Mensah",
        "category": "Fitness",
        "subcategory": "Mobility",
        "location": "Accra, Ghana",
        "ethnicity": "Akan",
        "race": "Black",
        "current_role": "Mobility coach",
        "company": "",
        "tags": ["injury-recovery", "online"],
        "achievements": ["Online programme used in 30 countries"],
        "story": "After a knee injury ended his football career, Samuel rebuilt his movement ten minutes a day. He "
        "now teaches the routine online.",
    },
    {
        "name": "Sofia Haddad",
        "category": "Visual Arts",
        "subcategory": "Illustration",
        "location": "Beirut, Lebanon",
        "ethnicity": "Lebanese",
        "race": "Middle Eastern",
        "current_role": "Children's book illustrator",
        "company": "",
        "tags": ["publishing", "self-taught"],
        "achievements": ["Illustrated eight picture books"],
        "story": "Sofia filled a sketchbook page every day for a year and shared it online. A publisher found her "
        "work and commissioned her first picture book.",
    },
    {
        "name": "Hana Sato",
        "category": "Visual Arts",
        "subcategory": "Photography",
        "location": "Osaka, Japan",
        "ethnicity": "Japanese",
        "race": "Asian",
        "current_role": "Portrait photographer",
        "company": "Studio Hikari",
        "tags": ["portrait", "small-business"],
        "achievements": ["Solo exhibition in Osaka"],
        "story": "Hana shot only with a 50 mm lens for a year. Her street portraits led to a solo show and a studio "
        "of her own.",
    },
    {
        "name": "Malik Johnson",
        "category": "Games",
        "subcategory": "Game Design",
        "location": "Detroit, USA",
        "ethnicity": "African American",
        "race": "Black",
        "current_role": "Indie game designer",
        "company": "Motor City Games",
        "tags": ["game-jam", "indie"],
        "achievements": ["Game jam winner, 2023"],
        "story": "Malik's first game was made in 48 hours at a jam in a library. He shipped three small games since "
        "and now runs a two-person studio.",
    },
    {
        "name": "Aroha Ngata",
        "category": "Writing & Publishing",
        "subcategory": "Fiction",
        "location": "Auckland, New Zealand",
        "ethnicity": "Māori",
        "race": "Pacific Islander",
        "current_role": "Novelist",
        "company": "",
        "tags": ["publishing", "first-generation"],
        "achievements": ["Debut novel shortlisted for a national prize"],
        "story": "Aroha wrote 500 words every morning before work. Three years and many rejections later, her debut "
        "novel was published and shortlisted for a national prize.",
    },
]


# The demo learner's answers, one per question of the shipped bank, and what they chose.
DEMO_ASSESSMENTS: list[tuple[list[str], list[str]]] = [
    (
        [
            "Sketching characters and drawing comics",
            "Drawing, and I want to learn to paint",
            "Illustrate a comic book",
            "Comic artists who draw every day",
            "Alone at a desk with a sketch book",
            "Drawing portraits of their pets",
            "Art class and comic videos",
        ],
        ["Illustration"],
    ),
    (
        [
            "Producing beats in Ableton",
            "Mixing and mastering my tracks",
            "Release a hip-hop album",
            "Producers like Metro Boomin",
            "Alone in my home studio",
            "Recording their songs",
            "Music videos about sampling",
        ],
        ["Producer", "Audio Engineer"],
    ),
]


def seed_learner_assessments() -> None:
    """The demo learner takes the assessment twice through the services (once: skipped when
    they have taken it already or the bank has been changed so the answers no longer reach
    a result)."""
    from accounts.selectors.users import user_get_by_email

    from ..models import Assessment, Category
    from ..services.assessments import assessment_answer, assessment_choose, assessment_start
    from ..services.chat import chat_reply

    learner = user_get_by_email(email="learner@ascend.example")
    if learner is None or Assessment.objects.filter(user=learner).exists():
        return
    for answers, chosen in DEMO_ASSESSMENTS:
        # The keyword engine: the demo never sends anything to a language model.
        assessment = assessment_start(user=learner, keyword_only=True)
        for answer in answers:
            # Each reply now, not after the seeder's transaction (the task then finds it).
            chat_reply(message_id=assessment_answer(assessment=assessment, text=answer).pk)
        assessment.refresh_from_db()
        if assessment.status != Assessment.Status.COMPLETED or assessment.recommended_category_id is None:
            return
        fields = Category.objects.filter(parent_id=assessment.recommended_category_id, name__in=chosen)
        assessment_choose(assessment=assessment, subcategory_ids=list(fields.values_list("pk", flat=True)))


def _template_refresh(template: Any) -> None:
    """A template seeded before pathways named real courses (issue 19) loses its generic
    "Learn the foundations of …" step (a pathway now starts with a real course) and the
    "ongoing" time that read "About ongoing"."""
    for step in template.steps.all():
        if step.title.startswith("Learn the foundations of "):
            if any(isinstance(resource, dict) and resource.get("course") for resource in step.resources or []):
                step.title, step.estimated_time = "Learn the foundations", ""
                step.description = "Note the three skills you most want to grow as you go."
                step.save(update_fields=["title", "description", "estimated_time", "updated_at"])
            else:
                step.delete()
        elif step.estimated_time == "ongoing":
            step.estimated_time = ""
            step.save(update_fields=["estimated_time", "updated_at"])


def seed_careers() -> None:
    """Pathway templates for every demo subcategory, the published success stories and the
    demo learner's assessments."""
    from ..models import Category, PathwayTemplate, PathwayTemplateStep, SuccessStory
    from ..services.stories import story_publish

    for category, subcategories in CATEGORIES.items():
        category_slug = slugify(category)
        for name in subcategories:
            subcategory = Category.objects.filter(slug=slugify(f"{category}-{name}")).first()
            if subcategory is None:
                continue
            existing = PathwayTemplate.objects.filter(subcategory=subcategory).first()
            if existing is not None:
                _template_refresh(existing)
                continue
            template = PathwayTemplate.objects.create(
                subcategory=subcategory,
                title=f"Your path to {name}",
                description=f"From a first course to a first real opportunity in {name}.",
            )
            for order, step in enumerate(_template_steps(category, name, subcategory.slug, category_slug), start=1):
                PathwayTemplateStep.objects.create(template=template, order=order, **step)
    for spec in STORIES:
        slug = slugify(spec["name"])
        if SuccessStory.objects.filter(slug=slug).exists():
            continue
        field_category = Category.objects.filter(slug=slugify(spec["category"]), parent=None).first()
        if field_category is None:
            continue
        subcategory = Category.objects.filter(slug=slugify(f"{spec['category']}-{spec['subcategory']}")).first()
        fields = {key: value for key, value in spec.items() if key not in ("category", "subcategory")}
        story = SuccessStory.objects.create(slug=slug, category=field_category, subcategory=subcategory, **fields)
        story_publish(story=story)
    seed_learner_assessments()
