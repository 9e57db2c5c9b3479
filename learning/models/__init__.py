"""Models of learning, one module per area."""

from .careers import (
    Assessment,
    AssessmentQuestion,
    CareerKeyword,
    CareerPathway,
    CareerProfile,
    PathwayRevision,
    PathwayStep,
    PathwayTemplate,
    PathwayTemplateStep,
    SuccessStory,
)
from .catalog import CATEGORY_COLOUR_HEX, Category, CategoryColour, Course, CourseReview, Lesson, Module
from .certificates import Certificate, CertificateSequence
from .chat import ChatMessage
from .payments import Payment, Receipt, Refund, StripeEvent
from .progress import Enrollment, LessonProgress
from .teaching import Assignment, InstructorProfile, Submission

__all__ = [
    "CATEGORY_COLOUR_HEX",
    "Assessment",
    "AssessmentQuestion",
    "Assignment",
    "CareerKeyword",
    "CareerPathway",
    "CareerProfile",
    "Category",
    "CategoryColour",
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
    "PathwayRevision",
    "PathwayStep",
    "PathwayTemplate",
    "PathwayTemplateStep",
    "Payment",
    "Receipt",
    "Refund",
    "StripeEvent",
    "Submission",
    "SuccessStory",
]
