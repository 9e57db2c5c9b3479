"""Routes of the growth API, mounted at /api/v1/growth/."""

from rest_framework.routers import SimpleRouter

from .badges import BadgeViewSet
from .goals import GoalViewSet
from .habits import HabitViewSet
from .reflections import ReflectionViewSet, SharedReflectionViewSet
from .todos import TodoViewSet

app_name = "growth-api"

router = SimpleRouter()
router.register("reflections/shared", SharedReflectionViewSet, basename="reflection-shared")
router.register("reflections", ReflectionViewSet, basename="reflection")
router.register("todos", TodoViewSet, basename="todo")
router.register("badges", BadgeViewSet, basename="badge")
router.register("goals", GoalViewSet, basename="goal")
router.register("habits", HabitViewSet, basename="habit")

urlpatterns = [*router.urls]
