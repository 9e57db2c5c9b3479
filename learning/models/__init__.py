"""Models of learning, one module per area."""

from .careers import (
    Assessment,
    AssessmentQuestion,
    CareerKeyword,
    CareerPathway,
    CareerProfile,
    PathwayStep,
    PathwayTemplate,
    PathwayTemplateStep,
    SuccessStory,
)
from .catalog import Category, Course, CourseReview, Lesson, Module
from .certificates import Certificate, CertificateSequence
from .chat import ChatMessage
from .payments import Payment, Receipt, Refund, StripeEvent
from .progress import Enrollment, LessonProgress
from .teaching import Assignment, InstructorProfile, Submission

__all__ = [
    "Assessment",
    "AssessmentQuestion",
    "Assignment",
    "CareerKeyword",
    "CareerPathway",
    "CareerProfile",
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
