"""Career discovery (seed 000): the assessment question bank and keywords, assessments, the
learner's career profile, pathway templates and pathways, success stories."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from core.storage import public_storage
from core.validators import validate_tag_list


class AssessmentQuestion(BaseModel):
    """One question of the staff-editable question bank, asked in ``order``."""

    text = models.TextField(_("question"), max_length=1000)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class CareerKeyword(BaseModel):
    """A staff-editable keyword that points answers to a subcategory (normalised and
    stemmed by the engine), with a weight."""

    subcategory = models.ForeignKey(
        "learning.Category",
        on_delete=models.CASCADE,
        related_name="career_keywords",
        limit_choices_to=~Q(parent=None),
    )
    keyword = models.CharField(_("keyword or phrase"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        ordering = ["subcategory", "keyword"]
        constraints = [
            models.UniqueConstraint(fields=["subcategory", "keyword"], name="learning_keyword_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.keyword} → {self.subcategory}"


class Assessment(BaseModel):
    """One run of the career assessment chat; its turns are ChatMessages of ``session_id``."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments")
    session_id = models.UUIDField(_("chat session"), default=uuid.uuid4, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    answers = models.JSONField(_("answers"), default=list, blank=True, help_text=_("[{question_id, question, answer}]"))
    recommended_category = models.ForeignKey(
        "learning.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recommendations = models.JSONField(
        _("recommendations"),
        default=list,
        blank=True,
        help_text=_("Top subcategories: [{subcategory_id, name, score, reasons}]"),
    )
    selected_subcategories = models.ManyToManyField(
        "learning.Category",
        related_name="+",
        blank=True,
        verbose_name=_("selected subcategories"),
        help_text=_("What the learner chose after this assessment (seed 000 selectedSubcategories); kept on a retake."),
    )
    engine = models.CharField(_("engine"), max_length=100, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="learning_assessment_user")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class CareerProfile(BaseModel):
    """The learner's chosen career: a category and its subcategories (ends onboarding)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_profile")
    category = models.ForeignKey("learning.Category", on_delete=models.PROTECT, related_name="+")
    subcategories = models.ManyToManyField("learning.Category", related_name="+", blank=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.user}: {self.category}"


class PathwayTemplate(BaseModel):
    """A staff-authored pathway for a subcategory."""

    # Annotated by the admin's list: not a field.
    steps_total: int

    subcategory = models.OneToOneField(
        "learning.Category",
        on_delete=models.CASCADE,
        related_name="pathway_template",
        limit_choices_to=~Q(parent=None),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    def __str__(self) -> str:
        return self.title


class PathwayTemplateStep(BaseModel):
    template = models.ForeignKey(PathwayTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    resources = models.JSONField(
        _("resources"), default=list, blank=True, help_text=_("[{title, url}] or {course: slug}")
    )
    estimated_time = models.CharField(_("estimated time"), max_length=60, blank=True)

    class Meta:
        ordering = ["order", "created_at"]

    def __str__(self) -> str:
        return self.title


class CareerPathway(BaseModel):
    """A learner's pathway for one subcategory, created from its template."""

    # Annotated by learning.selectors.pathways.pathway_queryset_annotated, and progress_percent
    # set from them for the page: not fields.
    step_count: int
    done_count: int
    progress_percent: int

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_pathways")
    subcategory = models.ForeignKey("learning.Category", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(PathwayTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=255)
    overridden_by_advisor = models.BooleanField(_("changed by an advisor"), default=False)
    advisor_notes = models.TextField(_("advisor notes"), blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "subcategory"], name="learning_pathway_one_per_subcategory"),
        ]

    def __str__(self) -> str:
        return self.title


class PathwayStep(BaseModel):
    pathway = models.ForeignKey(CareerPathway, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    resources = models.JSONField(_("resources"), default=list, blank=True)
    estimated_time = models.CharField(_("estimated time"), max_length=60, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["order", "created_at"]

    def __str__(self) -> str:
        return self.title


class PathwayRevision(BaseModel):
    """One change of a pathway's steps, kept so the learner sees who changed what and when
    and can go back: an advisor's rewrite (with their notes) or the learner's restore of
    an earlier version. ``steps_before`` and ``steps_after`` are the steps as
    ``{title, description, resources, estimated_time}``, in order."""

    class Kind(models.TextChoices):
        ADVICE = "advice", _("Advice")
        RESTORE = "restore", _("Restore")

    pathway = models.ForeignKey(CareerPathway, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ADVICE)
    notes = models.TextField(_("notes"), blank=True)
    steps_before = models.JSONField(_("steps before"), default=list)
    steps_after = models.JSONField(_("steps after"), default=list)
    restored = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a restore: the change it undid."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pathway revision")
        indexes = [models.Index(fields=["pathway", "-created_at"], name="learning_pathway_revision")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.pathway_id}"


class SuccessStory(BaseModel):
    """A staff-authored story of someone who made it (seed 000's SuccessStories)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    category = models.ForeignKey("learning.Category", on_delete=models.PROTECT, related_name="success_stories")
    subcategory = models.ForeignKey(
        "learning.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="subcategory_stories"
    )
    image = models.ImageField(_("image"), upload_to="stories/", storage=public_storage, blank=True)
    race = models.CharField(_("race"), max_length=80, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=80, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    story = models.TextField(_("story"))
    current_role = models.CharField(_("current role"), max_length=200, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    achievements = models.JSONField(_("achievements"), default=list, blank=True, validators=[validate_tag_list])
    video_url = models.URLField(_("video URL"), max_length=500, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_tag_list])
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "name"]
        verbose_name_plural = _("success stories")
        indexes = [
            models.Index(fields=["published", "category"], name="learning_story_category"),
            models.Index(fields=["published", "ethnicity"], name="learning_story_ethnicity"),
            models.Index(fields=["published", "location"], name="learning_story_location"),
        ]

    def __str__(self) -> str:
        return self.name
