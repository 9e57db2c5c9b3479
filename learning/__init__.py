"""Categories, courses, lessons, enrollments and progress, certificates, reviews, assignments,
payments, career assessment and pathways, success stories."""
