"""Property-based schemathesis runs over the whole API, signed in as a new member and as
each role of the demo (learner, instructor, mentor, therapist, client, manager).

Every operation in ``/api/schema/`` is exercised — endpoints added later are picked up
without touching this file — against a live server, through the schemathesis CLI:

* no response is a server error (5xx);
* every response conforms to the schema: a documented status code, the documented
  content type and headers, a body that validates against the documented schema;
* the schema's security is honoured (no answer without the token: ``ignored_auth``),
  undocumented methods answer 405 with an ``Allow`` header.

The API answers from a live server of its own (``api_server``): Django's live server
thread, but answering its requests one at a time in that thread, as the CLI sends them (one
worker), so the database connection and the Redis pool of that thread serve every request as
a worker process's do in production. Django's threaded live server gives each request a new
thread, hence a new PostgreSQL connection (a new server process) and a new Redis connection:
that set-up was about a fifth of the server's time over some 14,000 requests.

Invalid input is expected (random PATCH bodies): it must get the documented 400. The
run is derandomized (``--generation-deterministic``: the same cases every time, no
example database) and bounded by ``--max-examples`` per operation and phase, with an
outer timeout against a hang. ``ASCEND_SCHEMATHESIS_MAX_EXAMPLES`` raises the bound for
a deeper local run.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

from accounts.demo.seed import DEMO_PASSWORD, DEMO_USERS
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

MAX_EXAMPLES = int(os.environ.get("ASCEND_SCHEMATHESIS_MAX_EXAMPLES", "12"))
# Per role of the demo, a lighter run each: the new member's run goes deep and alone runs
# the coverage phase (some ten thousand boundary cases, the same for every caller).
ROLE_MAX_EXAMPLES = int(os.environ.get("ASCEND_SCHEMATHESIS_ROLE_EXAMPLES", "5"))
ALL_PHASES = ("examples", "coverage", "fuzzing", "stateful")
ROLE_PHASES = ("examples", "fuzzing", "stateful")
ROLES = ("learner", "instructor", "mentor", "therapist", "client", "manager")
# Only a guard against a hang: the new member's deep run (some 12,800 cases) took 465 s on a
# slow 2-core machine, too close to the 600 s this once was.
TIMEOUT_SECONDS = 900
# "No server error" and "conforms to the schema". Left out on purpose: positive_data_acceptance
# (the schema cannot say "a known IANA time zone" or "your current password", so
# schema-valid input rightly gets the documented 400), negative_data_rejection (DRF takes
# a blank form field as "not sent") and the checks that need a second user or links.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "unsupported_method",
    "allow_header_conformance",
    "missing_required_header",
)
# One operation every run must find, so a schema that lost its paths cannot pass.
KNOWN_OPERATION = "GET /api/v1/accounts/me/"
MESSAGE_CHARS = 12_000


class _OneAtATimeServerThread(LiveServerThread):
    """Django's live server thread with the plain (not threaded) WSGI server: requests are
    answered in this thread in turn, and its connections (database, Redis) are kept between
    them (the database's for ``CONN_MAX_AGE``, as in production) and closed when it stops."""

    def _create_server(self, connections_override=None):
        return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)


@pytest.fixture(scope="module")
def api_server() -> Iterator[str]:
    """The base URL of a live server for this module's runs (see the module's docstring)."""
    thread = _OneAtATimeServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://{thread.host}:{thread.port}"
    finally:
        thread.terminate()


def _schemathesis_cli() -> str:
    sibling = Path(sys.executable).with_name("schemathesis")
    return str(sibling) if sibling.exists() else (shutil.which("schemathesis") or "schemathesis")


def _session_token(base_url: str, email: str, password: str = DEFAULT_PASSWORD) -> str:
    """Sign in through allauth headless (app client), as the mobile apps do."""
    request = urllib.request.Request(  # noqa: S310 — the live server's own http:// URL
        f"{base_url}/_allauth/app/v1/auth/login",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)["meta"]["session_token"]


def _text(value: str | bytes | None) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else (value or "")


def _report(output: str) -> str:
    """The failures (head first: the first one is the most telling) and the summary."""
    failures = output.find("= FAILURES =")
    summary = output.find("= SUMMARY =")
    if failures == -1 or summary == -1:
        return output if len(output) <= MESSAGE_CHARS else "…" + output[-MESSAGE_CHARS:]
    summary = output.rfind("\n", 0, summary) + 1
    head, tail = output[output.rfind("\n", 0, failures) + 1 : summary], output[summary:]
    room = max(MESSAGE_CHARS - len(tail), 2000)
    if len(head) > room:
        head = head[:room] + "\n… (more failures cut)\n"
    return head + tail


def _run_schemathesis(
    base_url: str, token: str, folder: Path, max_examples: int, phases: tuple[str, ...] = ALL_PHASES
) -> None:
    """One schemathesis run over every operation with ``token``; fails the test on any
    problem and proves the run was not vacuous."""
    junit = folder / "junit.xml"
    command = [
        _schemathesis_cli(),
        "run",
        f"{base_url}/api/schema/",
        "--header",
        f"X-Session-Token: {token}",
        # A new connection for each request. Django's test server does not read chunked
        # request bodies (requests sends an empty body that way), so a kept-alive
        # connection would carry the leftover chunk into the next request: a flaky
        # "Connection aborted" that is not the API's doing.
        "--header",
        "Connection: close",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(max_examples),
        "--phases",
        ",".join(phases),
        "--generation-deterministic",
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
    ]
    env = {**os.environ, "NO_COLOR": "1", "NO_PROXY": "localhost,127.0.0.1", "no_proxy": "localhost,127.0.0.1"}
    try:
        # cwd: any state folder schemathesis or hypothesis leaves goes to the test's temp dir.
        result = subprocess.run(
            command, cwd=folder, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        output = _text(exc.stdout) + _text(exc.stderr)
        pytest.fail(f"schemathesis did not finish in {TIMEOUT_SECONDS} s:\n{_report(output)}")
    output = result.stdout + result.stderr
    (folder / "schemathesis.txt").write_text(output)  # the full report, next to junit.xml
    assert result.returncode == 0, f"schemathesis found problems (exit {result.returncode}):\n{_report(output)}"

    # Not vacuous: the schema had operations, all were selected and tested, cases were sent.
    selected = re.search(r"Operations:\s+(\d+) selected / (\d+) total", output)
    assert selected, f"no operation count in the output:\n{_report(output)}"
    total = int(selected[2])
    assert int(selected[1]) == total > 0, f"not every operation was selected:\n{_report(output)}"
    tested = re.search(r"^\s*Tested:\s+(\d+)\s*$", output, re.MULTILINE)
    assert tested, f"no tested count in the output:\n{_report(output)}"
    assert int(tested[1]) == total, f"{tested[1]} of {total} operations tested:\n{_report(output)}"
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases, f"no test case count in the output:\n{_report(output)}"
    # A deep run sends ten cases an operation at least; a light one, one (some operations
    # take no input, so fewer distinct cases exist for them).
    least = total * (10 if max_examples >= 10 else 1)
    assert int(cases[1]) == int(cases[2]) >= least, f"too few test cases:\n{_report(output)}"

    suite = ElementTree.parse(junit).getroot()  # noqa: S314 — the report this run just wrote
    # One test case per operation ("GET /path"), plus one for the stateful phase if it ran.
    operations = {name for case in suite.iter("testcase") if re.match(r"[A-Z]+ /", name := case.get("name", ""))}
    assert len(operations) == total, f"JUnit report names {sorted(operations)}, expected {total}"
    assert KNOWN_OPERATION in operations, sorted(operations)
    assert all(suite.get(key) == "0" for key in ("errors", "failures", "skipped")), _report(output)


@pytest.mark.schemathesis
@pytest.mark.django_db(transaction=True)
def test_whole_api_conforms_to_its_schema(api_server, tmp_path):
    """A new member, the deepest run."""
    user = UserFactory()
    _run_schemathesis(api_server, _session_token(api_server, user.email), tmp_path, MAX_EXAMPLES)


@pytest.mark.schemathesis
@pytest.mark.django_db(transaction=True)
def test_whole_api_conforms_to_its_schema_for_every_role(api_server, tmp_path):
    """The demo's learner, instructor, mentor, therapist, client and manager — each with the
    rows of their role (mentor and therapist profiles, sessions, relationships, staff
    rights) — fuzz every operation too: the answers of every role's code paths match the
    schema and none is a server error."""
    call_command("seed_demo", verbosity=0)
    for role in ROLES:
        email = next(demo.email for demo in DEMO_USERS if demo.role == role)
        folder = tmp_path / role
        folder.mkdir()
        _run_schemathesis(
            api_server,
            _session_token(api_server, email, DEMO_PASSWORD),
            folder,
            ROLE_MAX_EXAMPLES,
            ROLE_PHASES,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/accounts/profiles/0.5/", "/api/v1/no-such-thing/"])
def test_unmatched_api_url_is_the_documented_json_404(user_client, path):
    """What schemathesis found: an id that does not fit the route gave Django's HTML 404."""
    response = user_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.django_db
def test_unmatched_page_url_is_still_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_what_schemathesis_found_in_the_new_endpoints(user_client):
    """A missing learner is a field's list of messages; earnings document their 404; the
    suggestions are a plain list (not paginated, as documented); an unanswered method on a
    staff-only endpoint is the documented 405, not a 404."""
    advised = user_client.get("/api/v1/learning/pathways/advised/")
    assert advised.status_code == 400
    assert advised.json()["errors"] == {"learner": ["Say whose pathways: ?learner=<user id>."]}
    assert user_client.get("/api/v1/mentorship/earnings/").status_code == 404
    suggested = user_client.get("/api/v1/mentorship/mentors/suggested/", {"page_size": 0, "page": 0})
    assert suggested.status_code == 200
    assert suggested.json() == []
    assert user_client.generic("TRACE", "/api/v1/accounts/reports/").status_code == 405


def test_the_schema_documents_what_those_endpoints_answer():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "404" in schema["paths"]["/api/v1/mentorship/earnings/"]["get"]["responses"]
    suggested = schema["paths"]["/api/v1/mentorship/mentors/suggested/"]["get"]["responses"]["200"]
    assert suggested["content"]["application/json"]["schema"]["type"] == "array"
