from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Categories, courses, lessons, enrollments and progress, certificates, reviews, assignments,
    payments, career assessment and pathways, success stories."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "learning"
    verbose_name = "Learning"
    # The audit log (accounts.audit) records which fields of these changed, never their values.
    audit_content_models = {
        "Assessment": "a learner's answers about themselves and what was recommended to them",
        "CareerPathway": "an advisor's notes on one learner",
        "PathwayStep": "the steps of one learner's own pathway, edited by them and their advisor",
        "PathwayRevision": "an advisor's notes and the steps of one learner's pathway, before and after",
        "Submission": "a learner's work and the instructor's feedback on it",
    }
    # Free text the audit log records with values: published, or written by no person here.
    audit_public_models = {
        "AssessmentQuestion": "catalog text written by staff for every learner",
        "CareerKeyword": "catalog keywords",
        "PathwayTemplate": "catalog text written by staff",
        "PathwayTemplateStep": "catalog text written by staff",
        "SuccessStory": "stories published on the public pages",
        "Category": "catalog",
        "Course": "catalog, published by its instructor",
        "Module": "catalog, published by its instructor",
        "Lesson": "catalog, published by its instructor",
        "Assignment": "catalog, published by its instructor",
        "CourseReview": "a review published on the course page",
        "Certificate": "a document issued for public verification; the revocation reason is staff's",
        "Payment": "amounts and Stripe's references; the failure reason is Stripe's",
        "Refund": "amounts and Stripe's references; the reason is a rule's or staff's",
        "InstructorProfile": "the instructor's public headline and bio",
    }

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from core.registry import DemoSeeder, FirstStep, demo_seeders, first_steps

        from . import dashboard, notifications, personal_data, receivers  # noqa: F401 — receivers connect on import
        from .demo.careers import seed_careers
        from .demo.receipts import seed_receipts
        from .demo.seed import seed_career_assessment, seed_learning, seed_payments, seed_teaching

        notifications.register()
        dashboard.register()
        from .chat import chat_responders
        from .services.assessments import assessment_reply

        chat_responders["assessment"] = assessment_reply
        personal_data.register()
        # The welcome's first step for "learn" (accounts.User.Intent).
        first_steps.register(
            FirstStep(
                "learn",
                _("Take the career assessment"),
                _("A short chat about what you enjoy points you to the fields that fit you, each with a pathway."),
                "learning:assessment",
                order=10,
            )
        )
        from core.registry import ReportSection, report_sections

        from .selectors.reports import report_learning, report_payments

        report_sections.register(ReportSection("learning", _("Learning"), report_learning, order=20))
        report_sections.register(
            ReportSection(
                "payments",
                _("Revenue and refunds"),
                report_payments,
                order=30,
                note=_("Revenue is counted when a payment succeeds, refunds when they succeed; by currency."),
            )
        )
        demo_seeders.register(DemoSeeder("learning", seed_learning, order=20))
        demo_seeders.register(DemoSeeder("learning-teaching", seed_teaching, order=30))
        demo_seeders.register(DemoSeeder("learning-payments", seed_payments, order=40))
        demo_seeders.register(DemoSeeder("learning-career-assessment", seed_career_assessment, order=50))
        demo_seeders.register(DemoSeeder("learning-careers", seed_careers, order=60))
        # After every seeder that writes payments (mentorship's sessions and events).
        demo_seeders.register(DemoSeeder("learning-receipts", seed_receipts, order=79))
        from core.registry import ScaleSeeder, scale_seeders

        from .demo.scale import seed_learning_scale

        scale_seeders.register(ScaleSeeder("learning", seed_learning_scale, order=20))
        from .receivers import catalog_cache_connect

        catalog_cache_connect()
        from core.registry import AssistantSource, assistant_sources

        from .selectors.assistant import course_assistant_items

        # What "Ask the assistant" may point to: published courses.
        assistant_sources.register(
            AssistantSource(
                "courses", lambda query, user, limit: course_assistant_items(query=query, limit=limit), order=10
            )
        )
        # "Ask the assistant" answers the general chats (learning.assistant).
        from .assistant import assistant_reply
        from .chat import chat_responders

        chat_responders["general"] = assistant_reply
        from .demo.assistant import seed_assistant

        demo_seeders.register(DemoSeeder("learning-assistant", seed_assistant, order=90))
