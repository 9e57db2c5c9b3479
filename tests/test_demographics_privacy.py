"""Race and ethnicity are never shown to anyone but their owner and staff (DESIGN.md, User).

They are never output to another person — no list, detail, page, calendar or export — and
no list filters by a race or an ethnicity one names (looping over a short list of values
would read off each row's): "mentors/stories like me" is ``like_me``, which matches the
signed-in viewer's own stored ethnicity on the server (section 3). Two generated checks:

1. **Serializers.** Every serializer reachable from the API (drf-spectacular's endpoint
   enumeration: each view's serializer class, its request and response serializers and the
   serializers declared on it, nested ones recursively) and every other serializer class of
   the project is inspected: a readable field named or sourced ``race`` or ``ethnicity`` is
   allowed only in the owner's own serializers listed in ``OWNER_ONLY``.
2. **Responses.** The demo data is seeded and every user, mentor profile and story gets
   distinctive values (``Zqxethnic-<hex>``). Anonymously, as a brand-new member and as each
   non-staff demo user, a crawler GETs every page and API route without arguments, follows
   every link of every page, every row of every API list (its detail) and every address in
   the JSON, and fails when a response — or the viewer's own data export — shows somebody
   else's value.
"""

import contextlib
import inspect
import io
import json
import re
import uuid
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers

from accounts.demo.seed import DEMO_USERS
from accounts.models import User
from accounts.services.data import data_export_zip
from accounts.tests.factories import UserFactory
from learning.models import SuccessStory
from mentorship.models import MentorProfile

DEMOGRAPHIC_FIELDS = frozenset({"race", "ethnicity"})
PROJECT_PACKAGES = ("accounts", "learning", "mentorship", "growth", "therapy", "config")

# The owner's own data (they see what they wrote): the only serializers that may show it.
OWNER_ONLY = frozenset(
    {
        "accounts.api.serializers.MeSerializer",  # /api/v1/accounts/me/
        "mentorship.api.mentors.OwnMentorProfileSerializer",  # /api/v1/mentorship/mentors/me/
    }
)

MARKER = re.compile(r"Zqx(?:race|ethnic)-[0-9a-f]{32}")
SKIPPED_PREFIXES = ("/admin/", "/accounts/", "/_allauth/", "/api/schema/", "/static/", "/media/", "/health/")
PER_SHAPE = 3  # requests per URL shape (the same path with other ids)
MAX_REQUESTS = 1500  # per viewer; a guard, the demo data needs far fewer


# 1. Serializers -------------------------------------------------------------------------


def _qualname(serializer: Any) -> str:
    cls = serializer if inspect.isclass(serializer) else type(serializer)
    return f"{cls.__module__}.{cls.__qualname__}"


def _instances(found: Any) -> Iterator[serializers.BaseSerializer]:
    """Serializer instances in what a schema or a view names (a class, an instance, a
    dict by status, a list, an OpenApiResponse, a polymorphic proxy)."""
    if found is None:
        return
    if isinstance(found, dict):
        for value in found.values():
            yield from _instances(value)
    elif isinstance(found, list | tuple):
        for value in found:
            yield from _instances(value)
    elif isinstance(found, OpenApiResponse):
        yield from _instances(found.response)
    elif isinstance(found, PolymorphicProxySerializer):
        yield from _instances(found.serializers)
    elif inspect.isclass(found) and issubclass(found, serializers.BaseSerializer):
        try:
            yield found()
        except TypeError:  # a serializer that needs arguments: its fields are still declared
            yield from ()
    elif isinstance(found, serializers.ListSerializer):
        yield found.child
    elif isinstance(found, serializers.BaseSerializer):
        yield found


def _exposed(serializer: serializers.BaseSerializer, seen: set[str]) -> Iterator[tuple[str, str]]:
    """(serializer, field) of every readable demographic field of ``serializer`` and the
    serializers nested in it, each serializer class once."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    name = _qualname(serializer)
    if name in seen:
        return
    seen.add(name)
    try:
        fields = serializer.fields
    except (AssertionError, AttributeError):  # an abstract base without Meta: its subclasses count
        return
    for field_name, field in fields.items():
        if field.write_only:
            continue
        source = (field.source or field_name).split(".")[-1]
        if {field_name, source} & DEMOGRAPHIC_FIELDS:
            yield name, field_name
        nested = field.child if isinstance(field, serializers.ListField | serializers.ListSerializer) else field
        if isinstance(nested, serializers.BaseSerializer):
            yield from _exposed(nested, seen)


def _api_serializers() -> list[serializers.BaseSerializer]:
    """Every serializer the API's views name: drf-spectacular's own enumeration."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    found: list[serializers.BaseSerializer] = []
    for path, regex, method, view in generator._get_paths_and_endpoints():
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        schema = view.schema
        schema.registry = ComponentRegistry()
        schema.path, schema.path_regex, schema.path_prefix, schema.method = path, regex, "", method.upper()
        found += _instances(schema.get_response_serializers())
        found += _instances(schema.get_request_serializer())
        with contextlib.suppress(AttributeError, AssertionError):  # an APIView without a serializer class
            found += _instances(view.get_serializer_class())
        for attribute in vars(type(view)).values():
            found += _instances(attribute)
    return found


def _project_serializers() -> Iterable[type[serializers.BaseSerializer]]:
    """Every serializer class the project defines (exports, nested ones, helpers)."""
    pending = [serializers.BaseSerializer]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.split(".")[0] in PROJECT_PACKAGES:
            yield cls


def test_no_serializer_but_the_owners_exposes_demographics() -> None:
    reachable = _api_serializers()
    assert len({_qualname(s) for s in reachable}) > 80, "endpoint enumeration found too little"
    seen: set[str] = set()
    exposed = [hit for serializer in reachable for hit in _exposed(serializer, seen)]
    exposed += [
        hit for cls in _project_serializers() for serializer in _instances(cls) for hit in _exposed(serializer, seen)
    ]
    leaks = sorted({f"{name}.{field}" for name, field in exposed if name not in OWNER_ONLY})
    assert not leaks, "race/ethnicity shown to others by: " + ", ".join(leaks)
    # The allow-list names real serializers that do show them to their owner (no stale entry).
    assert {name for name, _field in exposed} >= OWNER_ONLY


# 2. Responses ---------------------------------------------------------------------------


def _marker(kind: str) -> str:
    return f"Zqx{kind}-{uuid.uuid4().hex}"


def _mark_everyone() -> dict[str, uuid.UUID | None]:
    """Distinctive race/ethnicity for every user, mentor profile and story: marker -> owner."""
    owners: dict[str, uuid.UUID | None] = {}
    users = list(User.objects.all())
    for user in users:
        user.race, user.ethnicity = _marker("race"), _marker("ethnic")
        owners[user.race] = owners[user.ethnicity] = user.pk
    User.objects.bulk_update(users, ["race", "ethnicity"])
    profiles = list(MentorProfile.objects.all())
    for profile in profiles:
        profile.race, profile.ethnicity = _marker("race"), _marker("ethnic")
        owners[profile.race] = owners[profile.ethnicity] = profile.user_id
    MentorProfile.objects.bulk_update(profiles, ["race", "ethnicity"])
    stories = list(SuccessStory.objects.all())
    for story in stories:
        story.race, story.ethnicity = _marker("race"), _marker("ethnic")
        owners[story.race] = owners[story.ethnicity] = None  # staff-authored: staff only
    SuccessStory.objects.bulk_update(stories, ["race", "ethnicity"])
    assert profiles, "the demo data has mentors"
    assert stories, "the demo data has stories"
    return owners


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, route)
        else:
            yield route, pattern


def _start_paths() -> list[str]:
    """Every page and API route without arguments."""
    paths = []
    for route, pattern in _walk(get_resolver()):
        if pattern.pattern.regex.groupindex or "(" in route or "<" in route:
            continue
        path = "/" + route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
        if not path.startswith(SKIPPED_PREFIXES):
            paths.append(path)
    return sorted(set(paths))


ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")
LOCAL_ADDRESS = re.compile(r'"(?:https?://testserver)?(/[a-z][\w\-./]*)"')
HREF = re.compile(r"""(?:href|src|action)=["'](/[^"'#?\s]*)""")


def _shape(path: str) -> str:
    return ID.sub("{id}", path)


def _json_paths(path: str, body: Any) -> Iterator[str]:
    """Details of an API list's rows, its next page and every local address in the JSON."""
    rows = body.get("results") if isinstance(body, dict) else body
    if isinstance(rows, list) and path.endswith("/"):
        for row in rows:
            if isinstance(row, dict):
                for key in ("id", "slug"):
                    if row.get(key):
                        yield f"{path}{row[key]}/"
    yield from LOCAL_ADDRESS.findall(json.dumps(body))


class Crawler:
    """GET every reachable page and API route once per shape (with a few real ids)."""

    def __init__(self, client: Client, owners: dict[str, uuid.UUID | None], viewer: User | None) -> None:
        self.client = client
        self.owners = owners
        self.viewer_id = viewer.pk if viewer else None
        self.shapes: dict[str, int] = {}
        self.visited: set[str] = set()
        self.leaks: list[str] = []
        self.names: set[str] = set()

    def _accept(self, path: str) -> bool:
        if path in self.visited or path.startswith(SKIPPED_PREFIXES) or "logout" in path:
            return False
        shape = _shape(path)
        if self.shapes.get(shape, 0) >= PER_SHAPE:
            return False
        self.shapes[shape] = self.shapes.get(shape, 0) + 1
        self.visited.add(path)
        return True

    def run(self, start: list[str]) -> None:
        queue = deque(path for path in start if self._accept(path))
        requests = 0
        while queue and requests < MAX_REQUESTS:
            path = queue.popleft()
            response = self.client.get(path)
            requests += 1
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            if response.resolver_match is not None:
                self.names.add(response.resolver_match.view_name)
            body = response.content.decode(errors="replace")
            for marker in set(MARKER.findall(body)):
                if marker not in self.owners or self.owners[marker] != self.viewer_id:
                    self.leaks.append(f"{path} shows {marker[:12]}… of {self.owners.get(marker) or 'a story'}")
            if response.get("Content-Type", "").startswith("application/json"):
                found = _json_paths(path, response.json())
            else:
                found = HREF.findall(body)
            queue.extend(link for link in found if self._accept(link))
        assert requests < MAX_REQUESTS, "the crawl did not finish"


def _viewers() -> dict[str, User | None]:
    viewers: dict[str, User | None] = {"anonymous": None, "newcomer": UserFactory()}
    for demo in DEMO_USERS:
        user = User.objects.get(email=demo.email)
        if not user.is_staff:
            viewers[demo.role] = user
    return viewers


@pytest.mark.django_db
def test_nobody_sees_another_persons_race_or_ethnicity_anywhere(seeded_demo) -> None:
    viewers = _viewers()
    owners = _mark_everyone()
    for user in viewers.values():
        if user is not None:
            user.refresh_from_db()
    start = _start_paths()
    leaks: list[str] = []
    names: set[str] = set()
    for role, viewer in viewers.items():
        client = Client()
        if viewer is not None:
            client.force_login(viewer)
        crawler = Crawler(client, owners, viewer)
        crawler.run(start)
        leaks += [f"{role}: {leak}" for leak in crawler.leaks]
        names |= crawler.names
        if viewer is not None:  # their own data export: their values, nobody else's
            with zipfile.ZipFile(io.BytesIO(data_export_zip(user=viewer))) as archive:
                exported = {
                    (name, marker)
                    for name in archive.namelist()
                    for marker in MARKER.findall(archive.read(name).decode(errors="replace"))
                }
            leaks += [
                f"{role}: their export's {name} shows {m[:12]}…" for name, m in exported if owners[m] != viewer.pk
            ]
            assert any(owners[m] == viewer.pk for _name, m in exported), "the export shows their own values"
    assert not leaks, "\n".join(sorted(set(leaks))[:60])
    # The crawl reached the pages and routes that show mentors, stories, events and sessions.
    assert {
        "mentorship:mentor-list",
        "mentorship:mentor-detail",
        "mentorship:event-detail",
        "mentorship:session-detail",
        "learning:story-list",
        "learning:story-detail",
        "mentorship-api:mentor-list",
        "mentorship-api:mentor-detail",
        "learning-api:success-story-list",
        "learning-api:success-story-detail",
        "accounts-api:me",
    } <= names, sorted(names)


# 3. Filters: no oracle ------------------------------------------------------------------

MENTORS_API = "/api/v1/mentorship/mentors/"
STORIES_API = "/api/v1/learning/success-stories/"
# Each list's API and page: (address, whether it answers JSON).
SURFACES = {
    "mentors API": (MENTORS_API, True),
    "mentors page": ("/mentors/", False),
    "stories API": (STORIES_API, True),
    "stories page": ("/learn/stories/", False),
}


def _two_of_each() -> None:
    """Two mentors and two stories, of ethnicity (and race) Quellish and Varnic."""
    from learning.tests.factories import SuccessStoryFactory
    from mentorship.tests.factories import MentorProfileFactory

    for value in ("Quellish", "Varnic"):
        MentorProfileFactory(headline=f"Mentor{value}", ethnicity=value, race=f"R{value}")
        SuccessStoryFactory(name=f"Story{value}", ethnicity=value, race=f"R{value}")


def _shown(surface: str, client: Client, query: dict[str, str]) -> set[str]:
    """Which of the two rows ``surface`` lists for ``query`` (asserting a 200)."""
    path, is_api = SURFACES[surface]
    response = client.get(path, query)
    assert response.status_code == 200, (surface, query, response.content[:300])
    if is_api:
        rows = response.json()["results"]
        text = " ".join(str(row.get("headline") or row.get("name")) for row in rows)
    else:
        text = response.content.decode()
    return {value for value in ("Quellish", "Varnic") if f"Mentor{value}" in text or f"Story{value}" in text}


@pytest.mark.django_db
@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_no_list_filters_by_a_given_race_or_ethnicity(surface: str, signed_in: bool) -> None:
    """Looping a public list over a short list of values would read off each row's race or
    ethnicity: no list takes one (the parameters are ignored)."""
    _two_of_each()
    client = Client()
    if signed_in:
        client.force_login(UserFactory(ethnicity="Quellish", race="RQuellish"))
    for query in (
        {"ethnicity": "Quellish"},
        {"ethnicity": "quellish"},
        {"race": "RQuellish"},
        {"ethnicity__iexact": "Quellish"},
        {"race__iexact": "RQuellish"},
    ):
        assert _shown(surface, client, query) == {"Quellish", "Varnic"}, (surface, query)


@pytest.mark.django_db
@pytest.mark.parametrize("surface", SURFACES)
def test_like_me_filters_on_the_signed_in_viewers_own_ethnicity(surface: str) -> None:
    _two_of_each()
    client = Client()
    client.force_login(UserFactory(ethnicity="varnic", race="RQuellish"))
    assert _shown(surface, client, {"like_me": "true"}) == {"Varnic"}
    assert _shown(surface, client, {"like_me": "false"}) == {"Quellish", "Varnic"}
    # What the viewer asks for is beside the point: only their stored value counts.
    assert _shown(surface, client, {"like_me": "true", "ethnicity": "Quellish"}) == {"Varnic"}


@pytest.mark.django_db
@pytest.mark.parametrize("surface", ["mentors API", "stories API"])
@pytest.mark.parametrize("viewer", ["anonymous", "no value"])
def test_like_me_is_refused_by_the_api_without_an_own_ethnicity(surface: str, viewer: str) -> None:
    _two_of_each()
    client = Client()
    if viewer == "no value":
        client.force_login(UserFactory(ethnicity="", race="RVarnic"))
    response = client.get(SURFACES[surface][0], {"like_me": "true"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "ethnicity" in body["errors"]["like_me"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("surface", ["mentors page", "stories page"])
@pytest.mark.parametrize("viewer", ["anonymous", "no value", "with a value"])
def test_the_like_me_checkbox_is_only_for_viewers_with_an_own_ethnicity(surface: str, viewer: str) -> None:
    """Shown to a viewer who gave their ethnicity (their value never on the page); anyone else
    gets no checkbox, and a hand-made ``like_me`` is refused with a message (the list unfiltered)."""
    _two_of_each()
    client = Client()
    if viewer != "anonymous":
        client.force_login(UserFactory(ethnicity="Varnic" if viewer == "with a value" else ""))
    path = SURFACES[surface][0]
    html = client.get(path).content.decode()
    assert ('name="like_me"' in html) is (viewer == "with a value")
    assert 'name="ethnicity"' not in html
    assert 'name="race"' not in html
    if viewer != "with a value":
        response = client.get(path, {"like_me": "true"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "add your ethnicity" in html
        assert _shown(surface, client, {"like_me": "true"}) == {"Quellish", "Varnic"}


@pytest.mark.django_db
def test_a_like_me_list_is_never_served_from_the_shared_cache() -> None:
    """The mentor directory API caches its pages for everyone: a ``like_me`` page depends on
    the viewer, so it is never cached or served from the cache."""
    _two_of_each()
    first, second, anonymous = Client(), Client(), Client()
    first.force_login(UserFactory(ethnicity="Quellish"))
    second.force_login(UserFactory(ethnicity="Varnic"))
    assert _shown("mentors API", first, {"like_me": "true"}) == {"Quellish"}
    assert _shown("mentors API", second, {"like_me": "true"}) == {"Varnic"}
    assert anonymous.get(MENTORS_API, {"like_me": "true"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("surface", SURFACES)
def test_like_me_lists_keep_their_query_count(surface: str, count_queries) -> None:
    from learning.tests.factories import SuccessStoryFactory
    from mentorship.tests.factories import MentorProfileFactory

    _two_of_each()
    client = Client()
    client.force_login(UserFactory(ethnicity="Varnic"))
    path = SURFACES[surface][0]
    few = count_queries(lambda: client.get(path, {"like_me": "true"}))
    MentorProfileFactory.create_batch(4, ethnicity="Varnic")
    SuccessStoryFactory.create_batch(4, ethnicity="Varnic")
    assert count_queries(lambda: client.get(path, {"like_me": "true"})) == few
