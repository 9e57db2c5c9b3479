"""The embedded default under a small team: ``scripts/run.sh`` — what ``make run`` starts —
serving a SQLite file in a temporary folder with the local file broker, gunicorn, a Celery
worker and beat as real processes, while 16 members sign in and write through the API at
once for 20 seconds (todos, reflections, habit ticks, a booking each; sign-ins again along
the way). No request may fail, and every write that answered 2xx must be in the file
afterwards. Links that leave the site follow the port it is served at. Ctrl-C stops it all.

Needs neither PostgreSQL nor Redis: everything comes from ``config.settings.local``.
"""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from tests.embedded_team import HABITS_PER_MEMBER, PASSWORD

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 16
SECONDS = 20
START_TIMEOUT = 90  # migrating a new SQLite file takes ~10 s on an idle machine
SIGN_IN_EVERY = 12  # actions between a member's sign-ins
STEP_TIMEOUT = 90  # how long a member waits for the others to be ready (a request may take 60 s)
NEWCOMER = "newcomer@embedded.example"
# What the test's own environment may carry that would take the run off the embedded default.
NOT_PASSED_ON = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "SITE_URL",
    "EMAIL_URL",
    "EMAIL_SUMMARY_FILE",
    "AWS_STORAGE_BUCKET_NAME",
    "MEDIA_ROOT",
    "STATIC_ROOT",
    "VAR_DIR",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# What each entry point of `make run` makes of the database and the site's address: the web
# server loads config.wsgi, `celery -A config worker` and `beat` load config.celery.
ENTRY_POINTS = {
    "web": "from config.wsgi import application",
    "worker and beat": "from config.celery import app; app.loader.import_default_modules()",
}
REPORT = (
    "import json; from django.conf import settings; from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    pragmas = {name: cursor.execute(f'PRAGMA {name}').fetchone()[0]"
    " for name in ('journal_mode', 'synchronous', 'busy_timeout')}\n"
    "print(json.dumps({**pragmas, 'transaction_mode': connection.transaction_mode, 'site_url': settings.SITE_URL}))"
)


def _local_settings_report(entry_point: str, folder: Path, **env: str) -> dict:
    """What ``entry_point`` sees under ``config.settings.local`` on a new SQLite file."""
    base = {key: value for key, value in os.environ.items() if key not in NOT_PASSED_ON and key != "PORT"}
    result = subprocess.run(
        [sys.executable, "-c", f"{ENTRY_POINTS[entry_point]}\n{REPORT}"],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "VAR_DIR": str(folder / "var"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_every_process_of_make_run_opens_sqlite_for_concurrent_writers(entry_point: str, tmp_path: Path) -> None:
    report = _local_settings_report(entry_point, tmp_path)
    assert report["journal_mode"] == "wal"
    assert report["synchronous"] == 1  # NORMAL
    assert report["busy_timeout"] == 20_000
    assert report["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8765"}, "http://127.0.0.1:8765"),
        ({"PORT": "8765", "SITE_URL": "https://ascend.example.org/"}, "https://ascend.example.org"),
    ],
)
def test_links_leaving_the_site_follow_the_served_port_unless_site_url_is_set(
    env: dict[str, str], site_url: str, tmp_path: Path
) -> None:
    assert {_local_settings_report(entry_point, tmp_path, **env)["site_url"] for entry_point in ENTRY_POINTS} == {
        site_url
    }


@dataclass
class Embedded:
    """A running ``scripts/run.sh`` and where it keeps things."""

    process: subprocess.Popen
    env: dict[str, str]
    folder: Path
    base_url: str

    def manage_shell(self, code: str) -> object:
        """Run ``code`` in ``manage.py shell`` against the run's file; its last line of output as JSON."""
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-4000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    def log(self, name: str) -> str:
        path = self.folder / name
        return path.read_text(errors="replace") if path.exists() else ""

    def interrupt(self, timeout: float) -> bool:
        """Ctrl-C as a terminal sends it (SIGINT to the whole process group); whether every
        process of the group was gone within ``timeout`` seconds."""
        try:
            os.killpg(self.process.pid, signal.SIGINT)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.process.poll()
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.2)
        return False


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Embedded]:
    """``scripts/run.sh`` without demo data on a free port; always stopped afterwards."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in NOT_PASSED_ON}
    env |= {
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ASCEND_DEMO": "0",
        # The limits on writes and sign-ins are proven by their own tests; here one address
        # stands for sixteen people, who write faster than people do. (allauth counts a
        # sign-in against the failed ones until its password checks out: more than ten at
        # the same moment from one address would be refused.)
        "API_WRITE_RATE": "100000/min",
        "RATE_LIMIT_LOGIN": "100000/m/ip",
        "RATE_LIMIT_LOGIN_FAILED": "100000/m/ip,100000/5m/key",
    }
    with (tmp_path / "run.log").open("w") as log:
        process = subprocess.Popen(
            ["scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    running = Embedded(process=process, env=env, folder=tmp_path, base_url=f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, f"run.sh ended early:\n{running.log('run.log')[-4000:]}"
            assert time.monotonic() < deadline, f"run.sh did not serve in time:\n{running.log('run.log')[-4000:]}"
            try:
                if requests.get(f"{running.base_url}/health/", timeout=30).status_code == 200:
                    break
            except requests.ConnectionError:  # not listening yet
                pass
            time.sleep(0.5)
        yield running
    finally:
        if not running.interrupt(timeout=20):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class Member:
    """One member's session with the API and what their writes answered."""

    number: int
    email: str
    habits: list[str]
    base_url: str
    token: str = ""
    answers: list[tuple[str, int | str, float]] = field(default_factory=list)  # (what, status or error, seconds)
    todos: dict[str, tuple[str, bool]] = field(default_factory=dict)
    reflections: dict[str, str] = field(default_factory=dict)  # day -> text
    ticks: set[tuple[str, str]] = field(default_factory=set)
    bookings: list[str] = field(default_factory=list)
    sign_ins: list[str] = field(default_factory=list)
    feed_url: str = ""
    refusals: list[str] = field(default_factory=list)  # what went wrong, for the failure message

    def __post_init__(self) -> None:
        self.http = requests.Session()

    def call(self, what: str, method: str, path: str, body: dict | None = None) -> dict | None:
        """The answer's JSON when it is 2xx; any other answer or error is recorded and gives None."""
        headers = {"Accept": "application/json"}
        if self.token and not path.startswith("/_allauth/"):
            headers["X-Session-Token"] = self.token
        started = time.monotonic()
        try:
            response = self.http.request(method, self.base_url + path, json=body, headers=headers, timeout=60)
        except requests.RequestException as exc:
            self.answers.append((what, type(exc).__name__, time.monotonic() - started))
            self.refusals.append(f"{what}: {exc!r}")
            return None
        self.answers.append((what, response.status_code, time.monotonic() - started))
        if 200 <= response.status_code < 300:
            return response.json()
        self.refusals.append(f"{what}: {response.status_code} {response.text[:300]}")
        return None

    def sign_in(self) -> None:
        answer = self.call(
            "sign-in", "POST", "/_allauth/app/v1/auth/login", {"email": self.email, "password": PASSWORD}
        )
        if answer is not None:
            self.token = answer["meta"]["session_token"]
            self.sign_ins.append(self.token)

    def act(self, step: int, today: datetime, mentor: str) -> None:
        """One write of the member's round: a todo, ticking it off, a habit tick, today's (or a
        recent day's) reflection, and once each the booking and the calendar feed."""
        day = (today - timedelta(days=step % 5)).date().isoformat()
        kind = step % 4
        if step == 1:
            start = (today + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
            answer = self.call(
                "booking",
                "POST",
                "/api/v1/mentorship/sessions/",
                {
                    "mentor": mentor,
                    "type": "virtual",
                    "start_at": (start + timedelta(hours=self.number)).isoformat(),
                    "duration_minutes": 30,
                    "topic": f"Member {self.number}'s first session",
                },
            )
            if answer is not None:
                self.bookings.append(answer["id"])
        elif step == 2:
            answer = self.call("calendar", "GET", "/api/v1/accounts/me/calendar/")
            if answer is not None:
                self.feed_url = answer["feed_url"]
        elif kind == 0:
            text = f"Todo {step} of member {self.number}"
            answer = self.call("todo", "POST", "/api/v1/growth/todos/", {"text": text})
            if answer is not None:
                self.todos[answer["id"]] = (text, False)
        elif kind == 1 and self.todos:
            pk = next(reversed(self.todos))
            if self.call("todo done", "PATCH", f"/api/v1/growth/todos/{pk}/", {"done": True}) is not None:
                self.todos[pk] = (self.todos[pk][0], True)
        elif kind == 2:
            habit = self.habits[step % HABITS_PER_MEMBER]
            if self.call("habit tick", "POST", f"/api/v1/growth/habits/{habit}/complete/", {"date": day}) is not None:
                self.ticks.add((habit, day))
        else:
            text = f"Reflection {step} of member {self.number}: a steady day."
            body = {"date": day, "kind": "daily", "mood": "GOOD", "mood_score": 7, "text": text}
            if self.call("reflection", "POST", "/api/v1/growth/reflections/", body) is not None:
                self.reflections[day] = text


def _drive(members: list[Member], mentor: str) -> None:
    """Every member in a thread: all sign in at the same moment; once everyone is in, all
    write together for ``SECONDS``, signing in again every ``SIGN_IN_EVERY`` actions. (The
    window starts after the sign-ins: on a busy machine sixteen password hashes at once can
    take longer than the window itself.)"""
    until: list[float] = []
    sign_in_together = threading.Barrier(len(members))
    write_together = threading.Barrier(len(members), action=lambda: until.append(time.monotonic() + SECONDS))
    today = datetime.now(UTC)

    def work(member: Member) -> None:
        sign_in_together.wait(timeout=STEP_TIMEOUT)
        member.sign_in()
        write_together.wait(timeout=STEP_TIMEOUT)
        step = 0
        while time.monotonic() < until[0]:
            step += 1
            if step % SIGN_IN_EVERY == 0:
                member.sign_in()
            elif member.token:
                member.act(step, today, mentor)

    # Daemon threads: a member stuck past the timeouts cannot keep the test run from ending.
    threads = [threading.Thread(target=work, args=(member,), daemon=True) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * STEP_TIMEOUT + SECONDS)
    assert not any(thread.is_alive() for thread in threads), "members still at work long after the window"


def _claims(members: list[Member]) -> dict[str, object]:
    """Every write that answered 2xx, as ``tests.embedded_team.missing`` looks them up."""
    return {
        "todos": {pk: value for member in members for pk, value in member.todos.items()},
        "reflections": [(member.email, day, text) for member in members for day, text in member.reflections.items()],
        "ticks": sorted(tick for member in members for tick in member.ticks),
        "bookings": [pk for member in members for pk in member.bookings],
        "sign_ins": [token for member in members for token in member.sign_ins],
    }


def _mail_when_sent(embedded: Embedded, *expected: str) -> str:
    """mail.log (one line per e-mail; the worker log has them in full) once it holds every
    ``expected`` text or after 30 s: the worker sends them as it gets to them."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(text in embedded.log("var/log/mail.log") for text in expected):
        time.sleep(0.5)
    return embedded.log("var/log/mail.log")


@pytest.mark.race
def test_sixteen_members_writing_at_once_for_twenty_seconds_lose_nothing(embedded: Embedded) -> None:
    team = embedded.manage_shell(f"from tests.embedded_team import seed; seed({MEMBERS})")
    assert isinstance(team, dict)
    members = [
        Member(number=number, email=person["email"], habits=person["habits"], base_url=embedded.base_url)
        for number, person in enumerate(team["members"])
    ]
    # A newcomer signs up meanwhile: allauth's e-mail with the code goes out through the worker.
    signup = requests.post(
        f"{embedded.base_url}/_allauth/app/v1/auth/signup",
        json={"email": NEWCOMER, "password": "a-newcomer-writes-2026"},
        timeout=60,
    )
    assert signup.status_code == 401, signup.text  # signed up; the address awaits its code

    _drive(members, team["mentor"])

    answers = [answer for member in members for answer in member.answers]
    failed = [answer for answer in answers if not isinstance(answer[1], int) or not 200 <= answer[1] < 300]
    refusals = [refusal for member in members for refusal in member.refusals]
    assert not failed, f"{len(failed)} of {len(answers)} requests failed, e.g. {failed[:10]} {refusals[:5]}"
    # Not vacuous: everyone signed in and wrote, and each kind of write happened (how far each
    # member gets in 20 s depends on how busy the machine is).
    assert all(member.sign_ins and len(member.answers) > 1 for member in members)
    assert all(
        any(getattr(member, kind) for member in members) for kind in ("bookings", "todos", "ticks", "reflections")
    )
    writes = sorted(seconds * 1000 for what, _, seconds in answers if what != "sign-in")
    sign_ins = sorted(seconds * 1000 for what, _, seconds in answers if what == "sign-in")
    print(  # noqa: T201 — the measurement the README quotes (pytest -s shows it)
        f"{MEMBERS} members in {SECONDS} s: {len(writes)} writes ({len(writes) / SECONDS:.1f}/s), median "
        f"{writes[len(writes) // 2]:.0f} ms, 95th percentile {writes[int(len(writes) * 0.95)]:.0f} ms; "
        f"{len(sign_ins)} sign-ins, median {sign_ins[len(sign_ins) // 2]:.0f} ms, slowest {sign_ins[-1]:.0f} ms"
    )
    (embedded.folder / "claims.json").write_text(json.dumps(_claims(members)))
    absent = embedded.manage_shell(
        f"from tests.embedded_team import missing; missing({str(embedded.folder / 'claims.json')!r})"
    )
    assert absent == [], absent

    # Two members asking for one time at the same moment: one gets it, the other is told it
    # is taken (SQLite has no exclusion constraint: the booking's transaction takes the write
    # lock before its overlap check).
    slot = (datetime.now(UTC) + timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
    both_ready = threading.Barrier(2)

    def book_the_same_time(member: Member) -> requests.Response:
        both_ready.wait(timeout=STEP_TIMEOUT)
        return requests.post(
            f"{embedded.base_url}/api/v1/mentorship/sessions/",
            json={"mentor": team["mentor"], "type": "virtual", "start_at": slot.isoformat(), "duration_minutes": 60},
            headers={"X-Session-Token": member.token, "Accept": "application/json"},
            timeout=60,
        )

    racers = [threading.Thread(target=lambda m=m: same_time.append(book_the_same_time(m))) for m in members[:2]]
    same_time: list[requests.Response] = []
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(answer.status_code for answer in same_time) == [201, 409], [a.text[:300] for a in same_time]

    # Links that leave the site follow the served address: the calendar feed, the
    # certificate's verification link and every link of every e-mail the worker sent.
    feeds = [member.feed_url for member in members if member.feed_url]
    assert feeds
    assert all(feed.startswith(f"{embedded.base_url}/calendar/") for feed in feeds), feeds
    certificates = requests.get(  # a new connection, not one of the members' kept-alive ones
        f"{embedded.base_url}/api/v1/learning/certificates/", headers={"X-Session-Token": members[0].token}, timeout=60
    )
    assert certificates.status_code == 200, certificates.text
    verification_url = certificates.json()["results"][0]["verification_url"]
    assert verification_url.startswith(f"{embedded.base_url}/certificates/verify/")
    mail = _mail_when_sent(embedded, f"to {NEWCOMER}", f"link {embedded.base_url}/certificates/verify/")
    assert f"to {NEWCOMER}" in mail
    assert f"link {embedded.base_url}/certificates/verify/" in mail
    local_links = re.findall(r"https?://(?:127\.0\.0\.1|localhost)(?::\d+)?", mail + embedded.log("var/log/worker.log"))
    assert set(local_links) == {embedded.base_url}, set(local_links)

    # Nobody waited in vain for the write lock: not the web processes, the worker or beat.
    for name in ("run.log", "var/log/worker.log", "var/log/beat.log"):
        assert "database is locked" not in embedded.log(name), name
        assert "OperationalError" not in embedded.log(name), name

    assert embedded.interrupt(timeout=20), "Ctrl-C left processes of make run behind"
