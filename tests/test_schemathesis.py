"""Property-based run of schemathesis over the whole API, signed in as a real user.

Every operation in ``/api/schema/`` is exercised (new endpoints are picked up without
touching this file) against a live server: no response may be a server error, and every
response must conform to the schema — documented status code, content type, headers and
body. The run is bounded by ``--max-examples`` and seeded, so it is reproducible and
takes seconds; an outer timeout guards against a hang.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

# Positive and negative test cases per operation and phase; the coverage phase adds its
# boundary cases on top. Enough to find undocumented answers, small enough for CI.
MAX_EXAMPLES = 30
SEED = 20261121
TIMEOUT_SECONDS = 110
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
OUTPUT_TAIL_CHARS = 8000


def _schemathesis_cli() -> str:
    sibling = Path(sys.executable).with_name("schemathesis")
    return str(sibling) if sibling.exists() else (shutil.which("schemathesis") or "schemathesis")


def _session_token(base_url: str, email: str) -> str:
    """Sign in through allauth headless (app client), as the mobile apps do."""
    request = urllib.request.Request(  # noqa: S310 — the live server's own http:// URL
        f"{base_url}/_allauth/app/v1/auth/login",
        data=json.dumps({"email": email, "password": DEFAULT_PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body = json.load(response)
    return body["meta"]["session_token"]


def _tail(text: str) -> str:
    return text if len(text) <= OUTPUT_TAIL_CHARS else "…" + text[-OUTPUT_TAIL_CHARS:]


@pytest.mark.schemathesis
@pytest.mark.django_db(transaction=True)
def test_whole_api_conforms_to_its_schema(live_server, tmp_path):
    user = UserFactory()
    token = _session_token(live_server.url, user.email)
    junit = tmp_path / "junit.xml"
    command = [
        _schemathesis_cli(),
        "run",
        f"{live_server.url}/api/schema/",
        "--header",
        f"X-Session-Token: {token}",
        "--checks",
        os.environ.get("ST_CHECKS", CHECKS),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--generation-deterministic",
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
    ]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""}
    try:
        # cwd: schemathesis and hypothesis leave their state folders in a throwaway place.
        result = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        pytest.fail(f"schemathesis did not finish in {TIMEOUT_SECONDS} s:\n{_tail(output)}")
    output = result.stdout + result.stderr
    Path("/tmp/st_out.txt").write_text(output)  # DEBUG
    assert result.returncode == 0, f"schemathesis found problems (exit {result.returncode}):\n{_tail(output)}"

    # Not vacuous: the schema had operations, every one was tested and none was skipped.
    match = re.search(r"API Operations:\s+(\d+) selected / (\d+) total", output)
    assert match, f"no operation count in the output:\n{_tail(output)}"
    selected, total = int(match[1]), int(match[2])
    assert selected == total > 0, f"{selected} of {total} operations selected:\n{_tail(output)}"
    tested = re.search(r"(\d+) passed", output)
    assert tested, f"no passed operations in the output:\n{_tail(output)}"
    assert int(tested[1]) == total, f"only {tested[1]} of {total} operations passed:\n{_tail(output)}"
    cases = ElementTree.parse(junit).getroot().iter("testcase")  # noqa: S314 — our own report
    assert sum(1 for _ in cases) == total, _tail(output)
