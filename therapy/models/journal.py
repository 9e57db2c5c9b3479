"""The client's feelings journal: private unless the client shares an entry."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

FEELING_MAX_LENGTH = 64
NOTE_MAX_LENGTH = 10000


class Feeling(models.TextChoices):
    """Suggested feelings; an entry may also name its feeling in free text."""

    HAPPY = "happy", _("Happy")
    CALM = "calm", _("Calm")
    GRATEFUL = "grateful", _("Grateful")
    HOPEFUL = "hopeful", _("Hopeful")
    PROUD = "proud", _("Proud")
    SAD = "sad", _("Sad")
    ANXIOUS = "anxious", _("Anxious")
    ANGRY = "angry", _("Angry")
    AFRAID = "afraid", _("Afraid")
    LONELY = "lonely", _("Lonely")
    ASHAMED = "ashamed", _("Ashamed")
    OVERWHELMED = "overwhelmed", _("Overwhelmed")
    HOPELESS = "hopeless", _("Hopeless")


class JournalEntry(BaseModel):
    """One feeling at one time, with its intensity (1–10) and a note. Therapists in an active
    relationship read it only once ``is_shared``."""

    Feeling = Feeling

    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries")
    time_of_emotion = models.DateTimeField(_("time of the emotion"))
    feeling = models.CharField(_("feeling"), max_length=FEELING_MAX_LENGTH)
    intensity = models.PositiveSmallIntegerField(
        _("intensity"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    is_shared = models.BooleanField(_("shared with my therapists"), default=False)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)

    class Meta:
        ordering = ["-time_of_emotion"]
        verbose_name_plural = _("journal entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__gte=1) & Q(intensity__lte=10), name="therapy_journal_intensity_1_10"
            ),
            models.CheckConstraint(condition=~Q(feeling=""), name="therapy_journal_feeling_not_empty"),
        ]
        indexes = [
            models.Index(fields=["client", "time_of_emotion"], name="therapy_journal_client_time"),
            models.Index(fields=["client", "feeling"], name="therapy_journal_client_feeling"),
            models.Index(fields=["client", "is_shared"], name="therapy_journal_client_shared"),
        ]

    def __str__(self) -> str:
        # Never the feeling or the note: str() reaches logs and admin headings.
        return f"journal entry {self.pk}"
