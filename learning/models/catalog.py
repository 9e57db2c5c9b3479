"""The catalog: one category taxonomy (DESIGN.md §2), courses › modules › lessons, reviews."""

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.icons import ICON_NAMES, validate_icon_name
from core.models import BaseModel
from core.storage import public_storage


class CategoryColour(models.TextChoices):
    """The palette of category colours (seed 002's ``color``): a fixed set, so every colour is
    a CSS class of ``static/css/categories.css`` (``cat-colour-<value>``, no inline style) with
    enough contrast; :data:`CATEGORY_COLOUR_HEX` gives each one's hex code for the API."""

    TEAL = "teal", _("Teal")
    BLUE = "blue", _("Blue")
    INDIGO = "indigo", _("Indigo")
    PURPLE = "purple", _("Purple")
    PINK = "pink", _("Pink")
    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")
    SLATE = "slate", _("Slate")


#: The hex code of each palette colour, the same as ``static/css/categories.css``.
CATEGORY_COLOUR_HEX: dict[str, str] = {
    CategoryColour.TEAL: "#0f766e",
    CategoryColour.BLUE: "#1d4ed8",
    CategoryColour.INDIGO: "#4338ca",
    CategoryColour.PURPLE: "#7e22ce",
    CategoryColour.PINK: "#be185d",
    CategoryColour.RED: "#b91c1c",
    CategoryColour.ORANGE: "#c2410c",
    CategoryColour.AMBER: "#b45309",
    CategoryColour.GREEN: "#15803d",
    CategoryColour.SLATE: "#475569",
}


class Category(BaseModel):
    """A category (MUSIC, FILM & TELEVISION …) or, with a parent, one of its
    subcategories (Producer, Directing …). Two levels only. Shared by courses, career
    choices, mentors, stories and pathways."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcategories",
        verbose_name=_("parent category"),
    )
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(
        _("icon"),
        max_length=40,
        blank=True,
        validators=[validate_icon_name],
        help_text=_("Key of the category's icon in the sprite static/img/icons.svg, e.g. compass. Empty: none."),
    )
    colour = models.CharField(
        _("colour"),
        max_length=16,
        choices=CategoryColour.choices,
        blank=True,
        help_text=_("The colour of the category's chips and cards, from the site's palette. Empty: neutral."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="learning_category_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    @property
    def icon_name(self) -> str:
        """The sprite key pages draw: the stored one, or ``""`` (no icon) when it is empty or
        the sprite no longer has it, so one bad row cannot break a page."""
        return self.icon if self.icon in ICON_NAMES else ""

    @property
    def colour_hex(self) -> str:
        """The hex code of the category's colour (``""`` when it has none)."""
        return CATEGORY_COLOUR_HEX.get(self.colour, "")

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.parent_id:
            raise ValidationError({"parent": _("A subcategory's parent must be a top-level category.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A category cannot be its own parent.")})


class Course(BaseModel):
    # Annotated by the selectors that need them (learning.selectors.catalog, .teaching), and
    # completion_rate set by the teaching page: not fields.
    average_rating: float | None
    enrollment_count: int
    completed_count: int
    completion_rate: int | None
    time_spent_seconds: int

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="courses", limit_choices_to={"parent": None}
    )
    subcategory = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcategory_courses",
        limit_choices_to=~Q(parent=None),
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="courses_taught"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.BEGINNER)
    price_cents = models.PositiveIntegerField(_("price (cents)"), default=0, help_text=_("0 means free."))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="courses/thumbnails/", storage=public_storage, blank=True)
    estimated_hours = models.PositiveIntegerField(_("estimated hours"), default=1)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # A new value on every change of the course, its modules or its lessons
    # (learning.receivers): what the lesson player keeps of the outline is kept under it
    # (learning.selectors.progress.course_outline), read with the course at no cost.
    outline_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [
            models.Index(fields=["published", "category"], name="learning_course_pub_cat"),
            models.Index(fields=["published", "subcategory"], name="learning_course_pub_subcat"),
            models.Index(fields=["instructor"], name="learning_course_instructor"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price_cents == 0

    def clean(self) -> None:
        if self.subcategory_id and self.subcategory and self.subcategory.parent_id != self.category_id:
            raise ValidationError({"subcategory": _("Choose a subcategory of the course's category.")})


class Module(BaseModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "created_at"]
        indexes = [models.Index(fields=["course", "order"], name="learning_module_order")]

    def __str__(self) -> str:
        return self.title


class Lesson(BaseModel):
    """One lesson; ``course`` repeats the module's course so progress counts need no join."""

    # Annotated by learning.selectors.progress for one learner: not fields.
    completed_at: datetime | None
    time_spent_seconds: int

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons", editable=False)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(
        _("description"),
        max_length=1000,
        blank=True,
        help_text=_("One or two sentences on what the lesson covers, shown in the course outline."),
    )
    content = models.TextField(_("content (markdown)"), blank=True)
    video_url = models.URLField(_("video URL"), max_length=500, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=0)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "created_at"]
        indexes = [models.Index(fields=["course", "order"], name="learning_lesson_order")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.course_id = Module.objects.values_list("course_id", flat=True).get(pk=self.module_id)
        super().save(*args, **kwargs)


class CourseReview(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_reviews")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), max_length=4000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="learning_review_one_per_user_course"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="learning_review_rating_1_5",
                violation_error_message=_("A rating is from 1 to 5."),
            ),
        ]
        indexes = [models.Index(fields=["course", "-created_at"], name="learning_review_course_time")]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.course}"
