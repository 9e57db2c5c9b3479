"""Models of growth, one module per area."""

from .badges import Badge
from .goals import Goal
from .habits import Habit, HabitCompletion, HabitPause
from .reflections import Reflection
from .reminders import ReminderSent
from .todos import Todo

__all__ = [
    "Badge",
    "Goal",
    "Habit",
    "HabitCompletion",
    "HabitPause",
    "Reflection",
    "ReminderSent",
    "Todo",
]
