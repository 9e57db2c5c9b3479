from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Categories, courses, lessons, enrollments and progress, certificates, reviews, assignments,
    payments, career assessment and pathways, success stories."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from accounts.demo import DemoSeeder, demo_seeders

        from . import dashboard, personal_data, receivers  # noqa: F401 — receivers connect on import
        from .demo import seed_career_assessment, seed_learning, seed_payments, seed_teaching
        from .demo_careers import seed_careers

        dashboard.register()
        personal_data.register()
        demo_seeders.register(DemoSeeder("learning", seed_learning, order=20))
        demo_seeders.register(DemoSeeder("learning-teaching", seed_teaching, order=30))
        demo_seeders.register(DemoSeeder("learning-payments", seed_payments, order=40))
        demo_seeders.register(DemoSeeder("learning-career-assessment", seed_career_assessment, order=50))
        demo_seeders.register(DemoSeeder("learning-careers", seed_careers, order=60))
        from accounts.scale import ScaleSeeder, scale_seeders

        from .scale import seed_learning_scale

        scale_seeders.register(ScaleSeeder("learning", seed_learning_scale, order=20))
        from accounts.api.caching import list_cache_invalidate_on

        from .models import Category, Course, CourseReview, Enrollment, Lesson

        list_cache_invalidate_on("catalog", [Category, Course, CourseReview, Enrollment, Lesson])
