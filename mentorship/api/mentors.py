"""Mentors API: /api/v1/mentorship/mentors/ (public directory of verified mentors, by the
mentor's user id — the id bookings use), mentors/me/ (your own mentor profile: read, apply
with POST, edit with PATCH) and interests/ (your mentorship categories).
Venues API: /api/v1/mentorship/venues/ (public). Reviews API: /api/v1/mentorship/reviews/."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors.users import user_list_active
from core.api.caching import CachedListMixin
from core.api.fast import FastRepresentationMixin
from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest, signed_in_user
from learning.selectors.catalog import category_list_sub, category_list_top_level
from learning.selectors.like_me import like_me_requested
from mentorship.models import MentorProfile, MentorshipSession, Review, Venue
from mentorship.selectors.mentees import MenteeSummary, mentee_list_for_mentor
from mentorship.selectors.profiles import (
    MentorFilter,
    mentor_profile_for_user,
    mentor_queryset_verified,
    user_category_choices,
    user_category_list,
)
from mentorship.selectors.reviews import ReviewFilter, review_queryset_visible
from mentorship.selectors.suggestions import mentor_suggestions_for_user
from mentorship.selectors.venues import VenueFilter, venue_queryset
from mentorship.services.profiles import mentor_apply, mentor_profile_update, user_categories_set
from mentorship.services.ratings import MENTORS_LIST_NAMESPACE
from mentorship.services.reviews import review_create, review_delete, review_update

if TYPE_CHECKING:
    from accounts.models import User

UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


# Declared field by field rather than from learning's Category: learning's models are private
# to learning (the import contracts); mentorship reads categories through learning's selectors.
class MentorCategorySerializer(serializers.Serializer):
    """A category or subcategory of the catalogue a mentor works in."""

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)


class MentorSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    id = serializers.UUIDField(source="user_id", read_only=True, help_text="The mentor's user id (used to book).")
    name = serializers.CharField(source="user.display_name", read_only=True)
    categories = MentorCategorySerializer(many=True, read_only=True)
    subcategories = MentorCategorySerializer(many=True, read_only=True)
    expertise = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The languages the mentor mentors in."
    )
    image = serializers.ImageField(read_only=True, allow_null=True, use_url=True)
    rating = serializers.DecimalField(max_digits=2, decimal_places=1, read_only=True)
    availability_url = serializers.CharField(read_only=True, help_text="A booking calendar's address; may be empty.")

    class Meta:
        model = MentorProfile
        fields = [
            "id",
            "name",
            "headline",
            "bio",
            "image",
            "categories",
            "subcategories",
            "location",
            "expertise",
            "languages",
            "years_experience",
            "availability_url",
            "base_price_cents",
            "currency",
            "rating",
            "review_count",
            "rated_sessions",
            "total_sessions",
            "in_person_sessions",
        ]
        read_only_fields = fields


class OwnMentorProfileSerializer(MentorSerializer):
    """Your own profile, with what only you and staff see (race and ethnicity among it:
    they filter the directory but are never shown to anyone else)."""

    meeting_link = serializers.CharField(read_only=True, help_text="Your default video-call address; may be empty.")

    class Meta(MentorSerializer.Meta):
        fields = [
            *MentorSerializer.Meta.fields,
            "race",
            "ethnicity",
            "meeting_link",
            "status",
            "review_note",
            "verified_at",
        ]
        read_only_fields = fields


class MentorProfileInputSerializer(serializers.Serializer):
    headline = serializers.CharField(max_length=160)
    bio = serializers.CharField(max_length=4000)
    categories = serializers.PrimaryKeyRelatedField(
        many=True, queryset=category_list_top_level(), help_text="Top-level category ids."
    )
    subcategories = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=category_list_sub(),
        required=False,
        help_text="Subcategory ids, of the chosen categories.",
    )
    location = serializers.CharField(max_length=120, required=False, allow_blank=True)
    race = serializers.CharField(max_length=80, required=False, allow_blank=True, write_only=True)
    ethnicity = serializers.CharField(max_length=80, required=False, allow_blank=True, write_only=True)
    expertise = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=30, required=False, help_text="Short texts."
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=30, required=False, help_text="Language names."
    )
    years_experience = serializers.IntegerField(min_value=0, max_value=80, required=False)
    availability_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    meeting_link = serializers.URLField(max_length=500, required=False, allow_blank=True)
    base_price_cents = serializers.IntegerField(
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text="The price of a 60-minute virtual session in the site's currency (cents); other lengths in "
        "proportion, in person 30 % less, a partner venue's discount off that. 0: free sessions.",
    )


NO_PROFILE = OpenApiResponse(ErrorSerializer, description="You have no mentor profile (apply with POST).")


class MentorSuggestionSerializer(serializers.Serializer):
    mentor = MentorSerializer(source="profile", read_only=True)
    score = serializers.IntegerField(read_only=True, help_text="How much the mentor shares with you; higher first.")
    reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="What you share, in words."
    )
    why = serializers.CharField(read_only=True, help_text="The reasons in one line.")


class MentorViewSet(CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Verified mentors (public), best rated first; filter by category and subcategory
    (slugs), location, expertise and words, and ``like_me`` (your own ethnicity: signed-in
    users who gave one, else 400); order by rating, sessions, experience or price."""

    serializer_class = MentorSerializer
    permission_classes = [AllowAny]
    filterset_class = MentorFilter
    filter_backends = [DjangoFilterBackend]
    list_cache_namespace = MENTORS_LIST_NAMESPACE
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[MentorProfile]:
        return mentor_queryset_verified()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The cached public page — except a ``like_me`` one: it depends on the viewer, so it
        # is neither cached nor served from the cache (nor is the viewer's value in any key).
        if like_me_requested(request):
            return mixins.ListModelMixin.list(self, request, *args, **kwargs)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={200: MentorSuggestionSerializer(many=True)},
        description="Mentors suggested to you, best first: ranked by the interests, categories, city and "
        "languages you share (your profile, mentorship interests and career), each with the reasons.",
    )
    @action(
        detail=False, methods=["get"], permission_classes=[IsAuthenticated], url_path="suggested", pagination_class=None
    )
    def suggested(self, request: AuthenticatedRequest) -> Response:
        suggestions = mentor_suggestions_for_user(user=request.user)
        return Response(MentorSuggestionSerializer(suggestions, many=True).data)

    def _own(self, request: AuthenticatedRequest) -> MentorProfile:
        profile = mentor_profile_for_user(user=request.user)
        if profile is None:
            raise Http404("You have no mentor profile; apply with POST.")
        return profile

    def _own_response(self, profile: MentorProfile, code: int = status.HTTP_200_OK) -> Response:
        fresh = mentor_profile_for_user(user=profile.user)
        return Response(OwnMentorProfileSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(
        methods=["GET"],
        responses={200: OwnMentorProfileSerializer, 404: NO_PROFILE},
        description="Your mentor profile in any status (404 when you have none).",
    )
    @extend_schema(
        methods=["POST"],
        request=MentorProfileInputSerializer,
        responses={201: OwnMentorProfileSerializer},
        description="Apply to become a mentor: a pending profile staff review (one per user: 409 after).",
    )
    @extend_schema(
        methods=["PATCH"],
        request=MentorProfileInputSerializer(partial=True),
        responses={200: OwnMentorProfileSerializer, 404: NO_PROFILE},
        description="Edit your profile; an edited rejected application goes back to staff (pending).",
    )
    @action(
        detail=False,
        methods=["get", "post", "patch"],
        url_path="me",
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def me(self, request: AuthenticatedRequest) -> Response:
        if request.method == "GET":
            return self._own_response(self._own(request))
        if request.method == "POST":
            data = MentorProfileInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            profile = mentor_apply(user=request.user, **data.validated_data)
            return self._own_response(profile, status.HTTP_201_CREATED)
        profile = self._own(request)
        data = MentorProfileInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        profile = mentor_profile_update(profile=profile, user=request.user, **data.validated_data)
        return self._own_response(profile)


class InterestsSerializer(serializers.Serializer):
    categories = serializers.PrimaryKeyRelatedField(
        many=True, queryset=user_category_choices(), help_text="Top-level category ids you want mentoring in."
    )


class InterestsApi(APIView):
    """Your mentorship interests (categories)."""

    permission_classes = [IsAuthenticated]

    def _response(self, user: User) -> Response:
        categories = user_category_list(user=user)
        return Response({"categories": [category.pk for category in categories]})

    @extend_schema(responses={200: InterestsSerializer}, description="The categories you chose.")
    def get(self, request: AuthenticatedRequest) -> Response:
        return self._response(request.user)

    @extend_schema(
        request=InterestsSerializer,
        responses={200: InterestsSerializer},
        description="Replace your mentorship interests with these categories.",
    )
    def put(self, request: AuthenticatedRequest) -> Response:
        data = InterestsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_categories_set(user=request.user, categories=data.validated_data["categories"])
        return self._response(request.user)


class MenteeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="user.pk", read_only=True, help_text="The mentee's user id.")
    name = serializers.CharField(source="user.display_name", read_only=True)
    sessions = serializers.IntegerField(read_only=True, help_text="Confirmed or completed sessions with you.")
    last_session_at = serializers.DateTimeField(read_only=True)
    pathways_url = serializers.SerializerMethodField(help_text="Their career pathways, for you to advise on.")

    def get_pathways_url(self, mentee: MenteeSummary) -> str:
        return f"{reverse('learning-api:pathway-advised')}?learner={mentee.user.pk}"


class MenteeListApi(APIView):
    """Your mentees: the people with a confirmed or completed session with you (a verified
    mentor), latest session first, each with where to find their career pathways."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MenteeSerializer(many=True)}, description="Your mentees, latest session first.")
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(MenteeSerializer(mentee_list_for_mentor(mentor=request.user), many=True).data)


class VenueSerializer(serializers.ModelSerializer):
    amenities = serializers.ListField(child=serializers.CharField(), read_only=True)
    image = serializers.ImageField(read_only=True, allow_null=True, use_url=True)

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "type",
            "address",
            "city",
            "state",
            "zip_code",
            "country",
            "capacity",
            "amenities",
            "image",
            "is_partner",
            "partnership_tier",
            "discount_percentage",
        ]
        read_only_fields = fields


class VenueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Venues for in-person sessions and events (public); filter by city, type, partner and
    tier; order by name, city, discount or capacity."""

    serializer_class = VenueSerializer
    permission_classes = [AllowAny]
    filterset_class = VenueFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[Venue]:
        return venue_queryset()


class ReviewSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    target_name = serializers.CharField(source="target.display_name", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "author",
            "author_name",
            "target",
            "target_name",
            "type",
            "session",
            "rating",
            "comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReviewInputSerializer(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(
        queryset=user_list_active(), help_text="The reviewed user's id (a mentor's id)."
    )
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    session = serializers.PrimaryKeyRelatedField(
        queryset=MentorshipSession.objects.filter(status=MentorshipSession.Status.COMPLETED),
        required=False,
        allow_null=True,
        default=None,
        help_text="A completed session you had with them, for a review of that session (type SESSION_FEEDBACK); "
        "omit for a general review.",
    )


class ReviewUpdateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """General reviews, newest first: those of verified mentors are public, others are seen
    by their author and target only. Write one per person (not yourself); edit or delete
    your own."""

    serializer_class = ReviewSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class = ReviewFilter
    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = UUID_PATTERN
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Review]:
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        return review_queryset_visible(user=self.request.user)

    def _own(self, author: User, pk: Any) -> Review:
        review = self.get_queryset().filter(author=author, pk=pk).first()
        if review is None:
            raise Http404("You have no such review.")
        return review

    @extend_schema(
        request=ReviewInputSerializer,
        responses={201: ReviewSerializer},
        description="Review someone you completed a session with, in general or about one of those sessions "
        "(400 for yourself or anyone without a completed session together); one review per person (409 when "
        "you already wrote one: edit it).",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_create(author=request.user, **data.validated_data)
        review = self.get_queryset().get(pk=review.pk)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReviewUpdateSerializer,
        responses={200: ReviewSerializer},
        description="Edit your review (another person's is a 404).",
    )
    def update(self, request: AuthenticatedRequest, pk: Any) -> Response:
        review = self._own(request.user, pk)
        data = ReviewUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review_update(review=review, author=request.user, **data.validated_data)
        return Response(ReviewSerializer(self.get_queryset().get(pk=review.pk)).data)

    @extend_schema(
        responses={204: OpenApiResponse(description="Deleted.")},
        description="Delete your review (another person's is a 404).",
    )
    def destroy(self, request: Request, pk: Any) -> Response:
        user = signed_in_user(request)
        review_delete(review=self._own(user, pk), user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
