"""Models of learning, one module per area."""

from .catalog import Category, Course, CourseReview, Lesson, Module
from .certificates import Certificate, CertificateSequence
from .chat import ChatMessage
from .progress import Enrollment, LessonProgress

__all__ = [
    "Category",
    "Certificate",
    "CertificateSequence",
    "ChatMessage",
    "Course",
    "CourseReview",
    "Enrollment",
    "Lesson",
    "LessonProgress",
    "Module",
]
