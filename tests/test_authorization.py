"""A generated authorization test over the whole API (DESIGN.md §3).

It discovers every list and detail route of ``/api/v1/`` from the URL configuration — an
endpoint added later is covered without touching this file — fills the database with the
demo data (every app's objects, owned by the demo learner, instructor, mentor, therapist,
client …) and then proves, as each demo user and as a brand-new member:

* **lists** show a brand-new member — who has no relation to anybody yet — only their own
  rows and rows everybody sees (public lists, directories for members): nothing that only
  some other people see;
* **details**: an object one user sees in a private list and another does not is a 404 for
  the other, on the detail route and on every GET action of the detail (``…/{id}/x/``).

Who legitimately shares an object (a mentor and their mentee, a therapist and a client who
shared an entry) shows up in both users' lists and is thereby allowed; the rules of §3 are
the services' — this test only proves that lists and details agree and leak nothing.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.demo.seed import DEMO_USERS
from accounts.models import User
from accounts.tests.factories import UserFactory

API_PREFIX = "api/v1/"
PAGE_SIZE = 100
MAX_PAGES = 20


@dataclass(frozen=True)
class Route:
    basename: str
    list_path: str | None = None
    detail_path: str | None = None  # with "{pk}"
    detail_get_actions: tuple[str, ...] = ()  # paths with "{pk}"


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, route, inner)
        else:
            yield route, namespace, pattern


def _clean(route: str) -> str:
    """A router regex like ``^api/v1/x/(?P<pk>[^/.]+)/$`` as a path with ``{pk}``."""
    path = route.replace("^", "").replace("$", "").replace("\\Z", "")
    path = re.sub(r"\(\?P<pk>[^)]*\)", "{pk}", path)
    path = re.sub(r"<(?:\w+:)?pk>", "{pk}", path)
    return "/" + path.replace("\\.", ".")


def discover_routes() -> list[Route]:
    """Every viewset route under /api/v1/ without URL parameters other than ``pk``."""
    found: dict[str, dict[str, Any]] = {}
    for route, namespace, pattern in _walk(get_resolver()):
        if not route.lstrip("^").startswith(API_PREFIX):
            continue
        callback = pattern.callback
        actions = getattr(callback, "actions", None)
        name = pattern.name or ""
        if not actions or "get" not in actions or "format" in route:
            continue
        path = _clean(route)
        if re.search(r"\(\?P<|<", path):  # nested under another object: needs a parent id
            continue
        basename = namespace + name.rpartition("-")[0]
        entry = found.setdefault(basename, {"actions": []})
        if actions["get"] == "list" and "{pk}" not in path:
            entry["list"] = path
        elif actions["get"] == "retrieve":
            entry["detail"] = path
        elif "{pk}" in path:
            entry["actions"].append(path)
    return [
        Route(basename, entry.get("list"), entry.get("detail"), tuple(sorted(entry["actions"])))
        for basename, entry in sorted(found.items())
        if entry.get("list")
    ]


def _ids(client: APIClient, path: str) -> set[str] | None:
    """Every id the list shows this client (all pages); None when the list refuses them
    (401/403/404: not theirs to list)."""
    ids: set[str] = set()
    url: str | None = f"{path}?page_size={PAGE_SIZE}"
    for _ in range(MAX_PAGES):
        if url is None:
            break
        response = client.get(url)
        if response.status_code in (401, 403, 404):
            return None
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        body = response.json()
        rows = body["results"] if isinstance(body, dict) and "results" in body else body
        ids.update(str(row["id"]) for row in rows if isinstance(row, dict) and "id" in row)
        url = body.get("next") if isinstance(body, dict) else None
    return ids


@pytest.fixture
def demo_world(db, seeded_demo) -> dict[str, User]:
    people = {demo.role: User.objects.get(email=demo.email) for demo in DEMO_USERS}
    people["newcomer"] = UserFactory()
    return people


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    return client


def test_routes_are_discovered() -> None:
    names = {route.basename for route in discover_routes()}
    assert {"accounts-api:notification", "learning-api:course", "learning-api:enrollment"} <= names


def _list_problems(route: Route, public: set[str] | None, lists: dict[str, set[str] | None]) -> list[str]:
    """A brand-new member has no relation to anybody: every row they see is their own or
    one that every member sees (a public list, a directory for members)."""
    newcomer = lists["newcomer"] or set()
    others = [ids or set() for key, ids in lists.items() if key != "newcomer"]
    seen_by_everyone = set.intersection(*others) if others else set()
    leaked = (newcomer & set().union(*others)) - seen_by_everyone - (public or set())
    return [f"{route.list_path}: a new member sees {len(leaked)} rows only some others see"] if leaked else []


def _detail_problems(route: Route, lists: dict[str, set[str] | None], people: dict[str, User]) -> tuple[list[str], int]:
    """Problems found and how many requests were made."""
    problems: list[str] = []
    probes = 0
    if route.detail_path is None:
        return problems, probes
    for owner, owned in lists.items():
        for viewer, visible in lists.items():
            if viewer == owner or not owned:
                continue
            client = _client(people[viewer])
            for pk in sorted(owned - (visible or set()))[:3]:
                for template in (route.detail_path, *route.detail_get_actions):
                    path = template.replace("{pk}", pk)
                    status = client.get(path).status_code
                    probes += 1
                    if status != 404:
                        problems.append(f"{viewer} got {status} for {owner}'s {path}")
    return problems, probes


@pytest.mark.django_db
def test_nobody_sees_through_lists_or_details_what_is_not_theirs(demo_world: dict[str, User]) -> None:
    anonymous = _client(None)
    problems: list[str] = []
    probes = 0
    for route in discover_routes():
        assert route.list_path is not None
        public = _ids(anonymous, route.list_path)
        lists = {key: _ids(_client(user), route.list_path) for key, user in demo_world.items()}
        problems += _list_problems(route, public, lists)
        found, made = _detail_problems(route, lists, demo_world)
        problems += found
        probes += made
    assert not problems, "\n".join(problems)
    # The demo data gives every private list rows of several people: the test has teeth.
    assert probes > 100
