"""Models of learning, one module per area."""

from .catalog import Category, Course, CourseReview, Lesson, Module
from .certificates import Certificate, CertificateSequence
from .chat import ChatMessage
from .payments import Payment, StripeEvent
from .progress import Enrollment, LessonProgress
from .teaching import Assignment, InstructorProfile, Submission

__all__ = [
    "Assignment",
    "Category",
    "Certificate",
    "CertificateSequence",
    "ChatMessage",
    "Course",
    "CourseReview",
    "Enrollment",
    "InstructorProfile",
    "Lesson",
    "LessonProgress",
    "Module",
    "Payment",
    "StripeEvent",
    "Submission",
]
