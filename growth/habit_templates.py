"""Ready-made two-minute habits a newcomer can start with one click (the welcome's first
step for "build better habits"). Each names the identity it backs; starting one creates an
active goal of that identity and the habit (``growth.services.habits.habit_start_from_template``)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class HabitTemplate:
    key: str
    title: StrOrPromise
    identity: StrOrPromise
    goal_title: StrOrPromise
    category: str
    cue_time: StrOrPromise
    reward: StrOrPromise


HABIT_TEMPLATES: tuple[HabitTemplate, ...] = (
    HabitTemplate(
        key="read-one-page",
        title=_("Read one page"),
        identity=_("I want to become someone who reads every day."),
        goal_title=_("Read every day"),
        category="Learning",
        cue_time=_("after breakfast"),
        reward=_("a cup of tea"),
    ),
    HabitTemplate(
        key="stretch",
        title=_("Stretch for two minutes"),
        identity=_("I want to become someone who moves every day."),
        goal_title=_("Move every day"),
        category="Health",
        cue_time=_("when I get up"),
        reward=_("a glass of water"),
    ),
    HabitTemplate(
        key="five-breaths",
        title=_("Take five slow breaths"),
        identity=_("I want to become someone who stays calm under pressure."),
        goal_title=_("Feel calmer"),
        category="Mindset",
        cue_time=_("before I open my e-mail"),
        reward=_("a minute of quiet"),
    ),
    HabitTemplate(
        key="sketch",
        title=_("Sketch one thing"),
        identity=_("I want to become a creative who makes something every day."),
        goal_title=_("Create every day"),
        category="Creativity",
        cue_time=_("after lunch"),
        reward=_("pin it where I can see it"),
    ),
    HabitTemplate(
        key="one-line-journal",
        title=_("Write one sentence about my day"),
        identity=_("I want to become someone who learns from every day."),
        goal_title=_("Reflect every evening"),
        category="Mindset",
        cue_time=_("before bed"),
        reward=_("tick it off"),
    ),
)


def habit_template_get(key: str) -> HabitTemplate | None:
    return next((template for template in HABIT_TEMPLATES if template.key == key), None)
