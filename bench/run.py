"""The benchmark driver of ``make bench`` (see README, "Benchmarks").

Two commands, run by ``scripts/bench.sh``:

- ``measure --factor F --json PATH``: against the ``seed_scale`` data set of factor F (the
  database of ``DATABASE_URL``), start a local Stripe fake and gunicorn (production
  settings, 3 workers), drive it with ``wrk`` from this second process on loopback, time
  the in-process work (badge sweeps, the anonymous-feedback release, certificates), count
  the queries of the new paths with Django's test client, and write every measure to PATH.
- ``table PATH…``: the Markdown table of the runs (the last one is the full size): each
  measure with its ratio and target, and its cost at the full size ÷ at the smallest one.

Every figure is a ratio of two measurements taken in the same run on the same machine,
because absolute times on shared machines are noise.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "ASCEND requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d mean_us=%.1f non2xx=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, e.status, e.connect + e.read + e.write + e.timeout))
end
"""
TOGGLE_LUA = """
local n = 0
request = function()
  n = n + 1
  local action = (n % 2 == 1) and "complete" or "uncomplete"
  return wrk.format("POST", "/api/v1/growth/habits/HABIT/" .. action .. "/", wrk.headers, "{}")
end
"""
POST_LUA = """
wrk.method = "POST"
wrk.body = BODY
"""


@dataclass
class Load:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    requests: int


@dataclass
class Measure:
    """One line of the table. ``raw`` is the figure compared across data sizes (requests per
    second, milliseconds or seconds, as ``kind`` says); ``ok`` is None for reported lines."""

    key: str
    label: str
    measured: str
    ratio: str
    target: str
    ok: bool | None
    raw: float
    kind: str  # "throughput" | "latency" | "sweep" | "reported"
    queries: int | None = None
    floor: float | None = None  # the floor's requests per second measured right beside ``raw``
    work: int | None = None  # what ``raw`` did (badges awarded): compared per unit across sizes


def _mark(ok: bool) -> str:
    return "✅" if ok else "❌"


# --- load ----------------------------------------------------------------------------------
def fetch(url: str, headers: dict[str, str], data: bytes | None = None) -> bytes:
    """GET (or POST ``data``) and the body; any answer but 2xx stops the run with its body."""
    request = urllib.request.Request(url, headers=headers, data=data)  # noqa: S310 — our own loopback server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"{url} answered {error.code}: {error.read()[:500]!r}") from error


def wrk(url: str, headers: dict[str, str], *, seconds: int, connections: int, threads: int, script: str = "") -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + DONE_LUA)
    command = [shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", lua.name]
    command += ["--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 — wrk with our own arguments
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 90
    ).stdout
    Path(lua.name).unlink()
    match = re.search(r"ASCEND (.*)", output)
    if not match:
        raise RuntimeError(f"wrk gave no summary:\n{output}")
    values = dict(pair.split("=") for pair in match[1].split())
    if int(values["non2xx"]) or int(values["errors"]):
        raise RuntimeError(f"{url}: {values['non2xx']} non-2xx answers, {values['errors']} errors\n{output}")
    requests = int(values["requests"])
    return Load(
        rps=requests / (int(values["duration_us"]) / 1e6),
        p50_ms=int(values["p50_us"]) / 1000,
        p95_ms=int(values["p95_us"]) / 1000,
        p99_ms=int(values["p99_us"]) / 1000,
        mean_ms=float(values["mean_us"]) / 1000,
        requests=requests,
    )


def _combined(loads: list[Load]) -> Load:
    """Several runs of one measure as one: the requests over the time they took, and the
    runs' mean latencies."""
    requests = sum(load.requests for load in loads)
    seconds = sum(load.requests / load.rps for load in loads)
    count = len(loads)
    return Load(
        rps=requests / seconds,
        p50_ms=sum(load.p50_ms for load in loads) / count,
        p95_ms=sum(load.p95_ms for load in loads) / count,
        p99_ms=sum(load.p99_ms for load in loads) / count,
        mean_ms=sum(load.mean_ms for load in loads) / count,
        requests=requests,
    )


def post_script(body: dict[str, Any]) -> str:
    return POST_LUA.replace("BODY", json.dumps(json.dumps(body)))


def timed(function: Callable[[], Any], repeat: int = 3) -> float:
    """The best of ``repeat`` wall-clock runs of ``function``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


# --- the server ----------------------------------------------------------------------------
class Server:
    """A local Stripe fake (learning/tests/stripe_fake.py, a thread of this process) and
    gunicorn serving this database with production settings, its Stripe settings pointing at
    the fake."""

    def __init__(self, workers: int = 3) -> None:
        from learning.tests.stripe_fake import StripeFake

        self.stripe = StripeFake().start()
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "STRIPE_SECRET_KEY": self.stripe.secret_key,
            "STRIPE_WEBHOOK_SECRET": self.stripe.webhook_secret,
            "STRIPE_API_BASE": self.stripe.url,
        }
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115 — kept for the run
        self.process = subprocess.Popen(  # noqa: S603 — our own server
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/health/", timeout=2)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"gunicorn did not start:\n{Path(self.log.name).read_text()[-2000:]}") from None
                time.sleep(0.2)

    def settings_override(self) -> Any:
        from django.test import override_settings

        return override_settings(
            STRIPE_SECRET_KEY=self.stripe.secret_key,
            STRIPE_WEBHOOK_SECRET=self.stripe.webhook_secret,
            STRIPE_API_BASE=self.stripe.url,
        )

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.stripe.stop()
        Path(self.log.name).unlink(missing_ok=True)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def session_for(user: Any) -> str:
    """A signed-in session (its key serves as cookie and as X-Session-Token)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def api_headers(key: str) -> dict[str, str]:
    return {"X-Session-Token": key, "Accept": "application/json", "Content-Type": "application/json"}


def page_headers(key: str) -> dict[str, str]:
    return {"Cookie": f"sessionid={key}", "Accept": "text/html"}


def queries_of(user: Any, method: str, path: str, body: dict[str, Any] | None = None) -> int:
    """The queries one request makes, counted in this process with Django's test client
    (signed in as ``user``, in a session that made a request before); it must answer 2xx."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.get("/health/")  # a session's first request records the device (core.middleware): not this path's work
    with CaptureQueriesContext(connection) as captured:
        if method == "POST":
            response = client.post(path, data=json.dumps(body or {}), content_type="application/json")
        else:
            response = client.get(path)
    if response.status_code >= 300:
        raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.content[:500]!r}")
    return len(captured.captured_queries)


# --- the measures --------------------------------------------------------------------------
class Run:
    def __init__(self, server: Server, seconds: int) -> None:
        from accounts.demo.scale import HEAVY_EMAIL, LIGHT_EMAIL, NEWCOMER_EMAIL
        from accounts.models import User

        self.server = server
        self.base = server.base
        self.seconds = seconds
        self.heavy = User.objects.get(email=HEAVY_EMAIL)
        self.newcomer = User.objects.get(email=NEWCOMER_EMAIL)
        self.light = User.objects.get(email=LIGHT_EMAIL)
        self.heavy_key, self.new_key, self.light_key = (session_for(u) for u in (self.heavy, self.newcomer, self.light))
        self.floors: list[float] = []  # the API floor's requests per second: the machine's speed in this run

    def load(self, path: str, headers: dict[str, str], *, connections: int = 8, script: str = "") -> Load:
        return wrk(self.base + path, headers, seconds=self.seconds, connections=connections, threads=2, script=script)

    def beside(self, path: str, floor_path: str, headers: dict[str, str]) -> tuple[Load, Load]:
        """``path`` and its floor measured in turn — path, floor, floor, path, half the time
        each — so that a machine whose load drifts during the measure weighs on both alike
        instead of on whichever ran second (as the dashboard's two users are)."""
        halves: dict[str, list[Load]] = {path: [], floor_path: []}
        for measured in (path, floor_path, floor_path, path):
            halves[measured].append(
                wrk(self.base + measured, headers, seconds=max(1, self.seconds // 2), connections=8, threads=2)
            )
        return _combined(halves[path]), _combined(halves[floor_path])

    def throughput(self) -> list[Measure]:
        """API lists ÷ the API floor (the same middleware, authentication and renderer)."""
        rows = []
        headers = api_headers(self.heavy_key)
        for key, label, path in (
            ("api_catalog", "Course catalog list (API)", "/api/v1/learning/courses/"),
            ("api_habits", "Habit list (API, heavy user)", "/api/v1/growth/habits/"),
            ("api_mentors", "Mentor directory list (API)", "/api/v1/mentorship/mentors/"),
        ):
            size = len(fetch(self.base + path, headers))
            floor_path = f"/api/v1/bench/floor/?bytes={size}"
            fetch(self.base + floor_path, headers)
            endpoint, floor = self.beside(path, floor_path, headers)
            self.floors.append(floor.rps)
            ratio = endpoint.rps / floor.rps
            rows.append(
                Measure(
                    key,
                    f"{label} ÷ floor ({size:,} B) — throughput",
                    f"{endpoint.rps:,.0f} / {floor.rps:,.0f} req/s",
                    f"{ratio:.2f}",
                    f"≥ 0.8 {_mark(ratio >= 0.8)}",
                    ratio >= 0.8,
                    endpoint.rps,
                    "throughput",
                    floor=floor.rps,
                )
            )
        return rows

    def pages(self) -> list[Measure]:
        """Pages ÷ the HTML floor (a static template of the same size through the same
        middleware, session, sign-in and CSP)."""
        from learning.models import Enrollment, Lesson

        enrolment = (
            Enrollment.objects.filter(status=Enrollment.Status.IN_PROGRESS, access_revoked_at__isnull=True)
            .select_related("course", "user")
            .order_by("pk")
            .first()
        )
        lesson = Lesson.objects.filter(course_id=enrolment.course_id).order_by("module__order", "order").first()
        learner_key = session_for(enrolment.user)
        rows = []
        for key, label, path, headers in (
            ("page_catalog", "Catalog page", "/learn/courses/", page_headers(self.heavy_key)),
            (
                "page_lesson",
                "Lesson page (a learner)",
                f"/learn/courses/{enrolment.course.slug}/lessons/{lesson.pk}/",
                page_headers(learner_key),
            ),
            ("page_habits", "Habit list page (heavy user)", "/grow/habits/", page_headers(self.heavy_key)),
        ):
            size = len(fetch(self.base + path, headers))
            floor_path = f"/bench/floor/page/?bytes={size}"
            fetch(self.base + floor_path, headers)
            page, floor = self.beside(path, floor_path, headers)
            ratio = page.rps / floor.rps
            rows.append(
                Measure(
                    key,
                    f"{label} ÷ HTML floor ({size:,} B) — throughput",
                    f"{page.rps:,.0f} / {floor.rps:,.0f} req/s",
                    f"{ratio:.2f}",
                    f"≥ 0.6 {_mark(ratio >= 0.6)}",
                    ratio >= 0.6,
                    page.rps,
                    "throughput",
                    floor=floor.rps,
                )
            )
        return rows

    def dashboard(self) -> list[Measure]:
        # Heavy, new, new, heavy — each for half the time: a machine whose load drifts during the
        # measure weighs on both users alike instead of on whichever ran first.
        keys = {"heavy": self.heavy_key, "new": self.new_key}
        for key in keys.values():
            fetch(self.base + "/dashboard/", page_headers(key))
        loads: dict[str, list[Load]] = {"heavy": [], "new": []}
        for label in ("heavy", "new", "new", "heavy"):
            loads[label].append(
                wrk(
                    self.base + "/dashboard/",
                    page_headers(keys[label]),
                    seconds=max(1, self.seconds // 2),
                    connections=4,
                    threads=2,
                )
            )
        rows = []
        for percentile in ("p50", "p95"):
            heavy_ms = sum(getattr(load, f"{percentile}_ms") for load in loads["heavy"]) / 2
            new_ms = sum(getattr(load, f"{percentile}_ms") for load in loads["new"]) / 2
            ratio = heavy_ms / new_ms
            rows.append(
                Measure(
                    f"dashboard_{percentile}",
                    f"Dashboard page {percentile} latency, heavy user ÷ new user",
                    f"{heavy_ms:.1f} / {new_ms:.1f} ms",
                    f"{ratio:.2f}",
                    f"≤ 1.25 {_mark(ratio <= 1.25)}",
                    ratio <= 1.25,
                    heavy_ms,
                    "latency",
                )
            )
        return rows

    def completion(self) -> Measure:
        from growth.models import Habit

        results = {}
        for label, (user, token) in {
            "heavy": (self.heavy, self.heavy_key),
            "light": (self.light, self.light_key),
        }.items():
            habit = Habit.objects.filter(user=user, frequency=Habit.Frequency.DAILY).order_by("created_at").first()
            headers = api_headers(token)
            for action in ("complete", "uncomplete"):
                fetch(f"{self.base}/api/v1/growth/habits/{habit.pk}/{action}/", headers, data=b"{}")
            script = TOGGLE_LUA.replace("HABIT", str(habit.pk))
            results[label] = wrk(
                self.base + "/", headers, seconds=self.seconds, connections=1, threads=1, script=script
            )
        ratio = results["heavy"].mean_ms / results["light"].mean_ms
        return Measure(
            "completion",
            "Saving a habit completion, 3 years of history ÷ one day — mean latency",
            f"{results['heavy'].mean_ms:.1f} / {results['light'].mean_ms:.1f} ms",
            f"{ratio:.2f}",
            f"≤ 1.1 {_mark(ratio <= 1.1)}",
            ratio <= 1.1,
            results["heavy"].mean_ms,
            "latency",
        )

    def new_paths(self) -> list[Measure]:
        """Booking preview, checkout creation (the Stripe fake) and a session's calendar
        file: throughput, and the queries of one request (the same at every data size)."""
        from learning.models import Course, Enrollment
        from mentorship.models import MentorProfile, MentorshipSession

        rows = []
        mentor = MentorProfile.objects.filter(status="verified").order_by("created_at").first()
        start = None
        with self.server.settings_override():
            for days in range(14, 60):
                moment = (self.server_now() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
                body = {"mentor": str(mentor.user_id), "type": "virtual", "start_at": moment.isoformat()}
                try:
                    preview_queries = queries_of(self.heavy, "POST", "/api/v1/mentorship/sessions/preview/", body)
                except RuntimeError:
                    continue
                start = moment
                break
            if start is None:
                raise RuntimeError("No time found for a booking preview.")
            enrolled = Enrollment.objects.filter(user=self.heavy).values("course_id")
            # The data set's courses are free: the benchmark prices one (its own data only).
            Course.objects.filter(
                pk=Course.objects.filter(published=True)
                .exclude(pk__in=enrolled)
                .order_by("created_at")
                .values("pk")[:1]
            ).update(price_cents=4900)
            course = (
                Course.objects.filter(published=True, price_cents__gt=0)
                .exclude(pk__in=enrolled)
                .order_by("created_at")
                .first()
            )
            checkout_body = {"course": str(course.pk)}
            checkout_queries = queries_of(self.heavy, "POST", "/api/v1/learning/payments/checkout/", checkout_body)
            session = (
                MentorshipSession.objects.filter(status="CONFIRMED")
                .select_related("mentee")
                .order_by("start_at")
                .first()
            )
            ics_path = f"/sessions/{session.pk}/calendar.ics"
            ics_queries = queries_of(session.mentee, "GET", ics_path)
        mentee_key = session_for(session.mentee)
        for key, label, path, headers, script, queries in (
            (
                "booking_preview",
                "Booking preview (POST)",
                "/api/v1/mentorship/sessions/preview/",
                api_headers(self.heavy_key),
                post_script(body),
                preview_queries,
            ),
            (
                "checkout",
                "Checkout creation, local Stripe fake (POST)",
                "/api/v1/learning/payments/checkout/",
                api_headers(self.heavy_key),
                post_script(checkout_body),
                checkout_queries,
            ),
            ("session_ics", "A session's calendar file", ics_path, page_headers(mentee_key), "", ics_queries),
        ):
            result = self.load(path, headers, script=script)
            rows.append(
                Measure(
                    key,
                    f"{label} — throughput; queries per request",
                    f"{result.rps:,.0f} req/s; p50 {result.p50_ms:.1f} ms",
                    f"{queries} queries",
                    "constant queries (see ÷)",
                    None,
                    result.rps,
                    "throughput",
                    queries,
                )
            )
        return rows

    def server_now(self) -> Any:
        from django.utils import timezone

        return timezone.now()

    def concurrency(self) -> list[Measure]:
        """64 connections at once against the catalog (API) and the dashboard page."""
        rows = []
        for key, label, path, headers in (
            ("c64_catalog", "Course catalog (API)", "/api/v1/learning/courses/", api_headers(self.heavy_key)),
            ("c64_dashboard", "Dashboard page (heavy user)", "/dashboard/", page_headers(self.heavy_key)),
        ):
            result = self.load(path, headers, connections=64)
            ratio = result.p99_ms / result.p50_ms
            rows.append(
                Measure(
                    key,
                    f"{label} at 64 connections — p99 ÷ p50 latency, no errors",
                    f"{result.p99_ms:.0f} / {result.p50_ms:.0f} ms, {result.rps:,.0f} req/s",
                    f"{ratio:.2f}",
                    f"≤ 3 {_mark(ratio <= 3)}",
                    ratio <= 3,
                    result.p50_ms,
                    "latency",
                )
            )
        return rows

    def feedback_release(self) -> Measure:
        """The weekly anonymous-feedback release over mentors each with a full batch waiting
        (written here: completed sessions of distinct mentees, anonymous feedback): seconds per
        mentor, and the queries of one mentor's release."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from mentorship.demo.bench import anonymous_batches_seed
        from mentorship.services.feedback import feedback_anonymous_release

        mentor_ids = anonymous_batches_seed(mentors=20)
        with CaptureQueriesContext(connection) as one:
            released_one = feedback_anonymous_release(mentor_ids=mentor_ids[:1])
        started = time.perf_counter()
        released = feedback_anonymous_release(mentor_ids=mentor_ids[1:])
        seconds = time.perf_counter() - started
        per_mentor_ms = seconds / (len(mentor_ids) - 1) * 1000
        if not released_one or not released:
            raise RuntimeError("The anonymous-feedback release released nothing.")
        return Measure(
            "feedback_release",
            "Anonymous-feedback release — per mentor; queries of one mentor",
            f"{per_mentor_ms:.1f} ms ({released} feedbacks of {len(mentor_ids) - 1} mentors)",
            f"{len(one.captured_queries)} queries",
            "constant queries (see ÷)",
            None,
            per_mentor_ms,
            "latency",
            len(one.captured_queries),
        )

    def sweeps(self) -> list[Measure]:
        from django.db import connection

        from growth.services.badges import badges_sweep

        awarded: list[int] = []
        # Awards what the data set earned (notifications included).
        first = timed(lambda: awarded.append(len(badges_sweep())), repeat=1)
        nightly = timed(badges_sweep)

        def scan() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT habit_id, COUNT(*), MAX(run_length), MAX(period)"
                    " FROM growth_habitcompletion GROUP BY habit_id"
                )
                cursor.fetchall()

        floor = timed(scan)
        ratio = nightly / floor
        return [
            Measure(
                "sweep_nightly",
                "Nightly badge sweep over all users ÷ one aggregate scan of the completions",
                f"{nightly * 1000:,.0f} / {floor * 1000:,.0f} ms",
                f"{ratio:.2f}",
                f"≤ 2.5 {_mark(ratio <= 2.5)}",
                ratio <= 2.5,
                nightly,
                "sweep",
            ),
            Measure(
                "sweep_first",
                "First sweep of the data set (awarding and notifying)",
                f"{first:,.1f} s",
                "",
                f"≤ 30 s {_mark(first <= 30)}",
                first <= 30,
                first,
                "sweep",
                work=awarded[0],
            ),
        ]

    def certificates(self, count: int) -> Measure:
        """Certificates issued for ``count`` completed enrolments (their PDFs queued), then one
        worker process with one pool process renders them: PDFs per minute between the first
        and the last rendering (the worker's start-up is left out)."""
        from django.db.models import Max, Min

        from config.celery import app
        from learning.models import Certificate, Enrollment
        from learning.services.certificates import certificate_issue

        app.control.purge()  # the first sweep's badge e-mails are not this measurement's work
        enrolments = list(
            Enrollment.objects.filter(status=Enrollment.Status.COMPLETED, certificate__isnull=True)[:count]
        )
        issued = [certificate_issue(enrollment=enrolment).pk for enrolment in enrolments]
        worker = subprocess.Popen(  # noqa: S603 — our own worker
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=bench@{os.getpid()}",
            ],
            env=os.environ.copy(),
            cwd=ROOT,
        )
        rendered_pdfs = Certificate.objects.filter(pk__in=issued, pdf__isnull=False)
        try:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline and rendered_pdfs.count() < len(issued):
                time.sleep(0.5)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        span = rendered_pdfs.aggregate(first=Min("pdf_rendered_at"), last=Max("pdf_rendered_at"))
        rendered = rendered_pdfs.count()
        if rendered < 2:
            return Measure(
                "certificates",
                "Certificate PDFs per minute, one worker",
                f"{rendered} of {len(issued)}",
                "",
                "❌",
                False,
                0,
                "reported",
            )
        seconds = (span["last"] - span["first"]).total_seconds()
        return Measure(
            "certificates",
            "Certificate PDFs per minute, one worker",
            f"{rendered - 1} more in {seconds:.1f} s after the first",
            f"{(rendered - 1) / seconds * 60:.0f}/min",
            "reported",
            None,
            (rendered - 1) / seconds * 60,
            "reported",
        )


def measure(options: argparse.Namespace) -> int:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    django.setup()

    rows: list[Measure] = []

    def add(*measures: Measure) -> None:
        for row in measures:
            sys.stdout.write(f"{row.label}: {row.measured} → {row.ratio} {row.target}\n")
            sys.stdout.flush()
        rows.extend(measures)

    server = Server()
    try:
        run = Run(server, options.seconds)
        add(*run.throughput())
        add(*run.pages())
        add(*run.dashboard())
        add(run.completion())
        add(*run.new_paths())
        add(*run.concurrency())
    finally:
        server.stop()
    add(run.feedback_release())
    add(*run.sweeps())
    add(run.certificates(options.certificates))
    result = {
        "factor": options.factor,
        "seconds": options.seconds,
        "speed": sum(run.floors) / len(run.floors),
        "measures": [asdict(row) for row in rows],
    }
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(result, indent=1))
    return 0


# --- the table -----------------------------------------------------------------------------
def _across(
    small: dict[str, Any], large: dict[str, Any], growth: float, speeds: tuple[float, float]
) -> tuple[str, bool | None]:
    """The full size's cost ÷ the small size's, and whether it meets its target: throughput
    and latency within 10 % (and the same queries), a sweep within its linear share: the
    nightly one (a scan of the data) at most ``growth`` times, the first one (whose work is
    the badges it awards) the same time per badge within 10 %. A perfectly linear first sweep
    reads exactly its data's ratio of badges — 9.9 for ten times the factor — so a bound on
    its time alone could not tell linear from worse through a few per cent of noise.

    The two sizes run minutes apart, and a shared machine's speed moves in between: each
    figure is first divided by the speed of the machine when it was taken — a throughput by
    its own floor measured right beside it, the others by the run's API floor (``speeds``:
    its mean requests per second at the small and at the full size) — so a slower machine
    does not read as a cost that grows with the data. The raw figures stay in the JSON."""
    if large["queries"] is not None and large["queries"] != small["queries"]:
        return f"queries {small['queries']} → {large['queries']} ❌", False
    if not small["raw"] or large["kind"] == "reported":
        return "", None
    if large["kind"] == "sweep" and large.get("work") and small.get("work"):
        # Linear in its work: the same time per unit (per badge awarded) at both sizes.
        cost = (large["raw"] / large["work"] * speeds[1]) / (small["raw"] / small["work"] * speeds[0])
        ok = cost <= 1.1
        return f"{cost:.2f} per badge ({small['work']:,} → {large['work']:,}) {_mark(ok)}", ok
    if large["kind"] == "sweep":
        cost = (large["raw"] * speeds[1]) / (small["raw"] * speeds[0])
        ok = cost <= growth
        return f"{cost:.2f} (≤ {growth:g}) {_mark(ok)}", ok
    small_speed = small.get("floor") or speeds[0]
    large_speed = large.get("floor") or speeds[1]
    if large["kind"] == "throughput":  # the time per request: the inverse of the throughput
        cost = (small["raw"] / small_speed) / (large["raw"] / large_speed)
    else:
        cost = (large["raw"] * large_speed) / (small["raw"] * small_speed)
    ok = cost <= 1.1
    return f"{cost:.2f} {_mark(ok)}", ok


def table(options: argparse.Namespace) -> int:
    runs = [json.loads(Path(path).read_text()) for path in options.runs]
    runs.sort(key=lambda run: run["factor"])
    small, large = runs[0], runs[-1]
    growth = large["factor"] / small["factor"]
    speeds = (small["speed"], large["speed"])
    by_key = {row["key"]: row for row in small["measures"]}
    header = f"| Measure | Measured (factor {large['factor']:g}) | Ratio | Target | Ratio at {small['factor']:g} |"
    if len(runs) > 1:
        header += f" Cost at {large['factor']:g} ÷ at {small['factor']:g} |"
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    failed = False
    for row in large["measures"]:
        other = by_key.get(row["key"])
        cells = [row["label"], row["measured"], row["ratio"], row["target"], other["ratio"] if other else ""]
        failed |= row["ok"] is False
        if len(runs) > 1:
            across, ok = _across(other, row, growth, speeds) if other else ("", None)
            failed |= ok is False
            cells.append(across)
        lines.append("| " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text)
    sys.stdout.write(text)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("measure")
    one.add_argument("--factor", type=float, required=True)
    one.add_argument("--seconds", type=int, default=10)
    one.add_argument("--certificates", type=int, default=20)
    one.add_argument("--json", type=Path, required=True)
    both = commands.add_parser("table")
    both.add_argument("runs", nargs="+", type=Path)
    both.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    return measure(options) if options.command == "measure" else table(options)


if __name__ == "__main__":
    sys.exit(main())
