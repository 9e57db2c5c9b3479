"""The benchmark driver of ``make bench`` (see README, "Benchmarks").

Run by ``scripts/bench.sh`` against a gunicorn that serves the ``seed_scale`` data set with
production settings on PostgreSQL and Redis. Every figure is a ratio of two measurements
taken in the same run on the same machine, because absolute times on shared machines are
noise. Load comes from ``wrk`` in a second process on loopback; in-process timings (the
badge sweep) use the same database. Prints a Markdown table and writes it to ``--out``.
"""

import argparse
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
from dataclasses import dataclass
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.demo.scale import HEAVY_EMAIL, LIGHT_EMAIL, NEWCOMER_EMAIL  # noqa: E402
from accounts.models import User  # noqa: E402

DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "ASCEND requests=%d duration_us=%d p50_us=%d p95_us=%d mean_us=%.1f non2xx=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency.mean,
    e.status, e.connect + e.read + e.write + e.timeout))
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


@dataclass
class Load:
    rps: float
    p50_ms: float
    p95_ms: float
    mean_ms: float
    requests: int


def session_for(user: User) -> str:
    """A signed-in session (its key serves as cookie and as X-Session-Token)."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


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
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 — wrk with our own arguments
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
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
        mean_ms=float(values["mean_us"]) / 1000,
        requests=requests,
    )


def timed(function, repeat: int = 3) -> float:
    """The best of ``repeat`` wall-clock runs of ``function``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def throughput_rows(base: str, token: str, seconds: int) -> list[tuple[str, str, str, str]]:
    rows = []
    headers = {"X-Session-Token": token, "Accept": "application/json"}
    for label, path in (
        ("Course catalog list", "/api/v1/learning/courses/"),
        ("Habit list (heavy user)", "/api/v1/growth/habits/"),
        ("Mentor directory list", "/api/v1/mentorship/mentors/"),
    ):
        size = len(fetch(base + path, headers))
        floor_path = f"/api/v1/bench/floor/?bytes={size}"
        fetch(base + floor_path, headers)
        endpoint = wrk(base + path, headers, seconds=seconds, connections=8, threads=2)
        floor = wrk(base + floor_path, headers, seconds=seconds, connections=8, threads=2)
        ratio = endpoint.rps / floor.rps
        rows.append(
            (
                f"{label} ÷ floor ({size:,} B) — throughput",
                f"{endpoint.rps:,.0f} / {floor.rps:,.0f} req/s",
                f"{ratio:.2f}",
                f"≥ 0.5 {'✅' if ratio >= 0.5 else '❌'}",
            )
        )
    return rows


def dashboard_rows(base: str, heavy: str, newcomer: str, seconds: int) -> list[tuple[str, str, str, str]]:
    results = {}
    for label, key in (("heavy", heavy), ("new", newcomer)):
        headers = {"Cookie": f"sessionid={key}"}
        fetch(base + "/dashboard/", headers)
        results[label] = wrk(base + "/dashboard/", headers, seconds=seconds, connections=4, threads=2)
    rows = []
    for percentile in ("p50", "p95"):
        heavy_ms = getattr(results["heavy"], f"{percentile}_ms")
        new_ms = getattr(results["new"], f"{percentile}_ms")
        ratio = heavy_ms / new_ms
        rows.append(
            (
                f"Dashboard page {percentile} latency, heavy user ÷ new user",
                f"{heavy_ms:.1f} / {new_ms:.1f} ms",
                f"{ratio:.2f}",
                f"≤ 1.5 {'✅' if ratio <= 1.5 else '❌'}",
            )
        )
    return rows


def completion_row(base: str, people: dict[str, tuple[User, str]], seconds: int) -> tuple[str, str, str, str]:
    """``people``: "heavy" and "light", each (user, session key)."""
    from growth.models import Habit

    results = {}
    for label, (user, token) in people.items():
        habit = Habit.objects.filter(user=user, frequency=Habit.Frequency.DAILY).order_by("created_at").first()
        script = TOGGLE_LUA.replace("HABIT", str(habit.pk))
        headers = {"X-Session-Token": token, "Accept": "application/json", "Content-Type": "application/json"}
        for action in ("complete", "uncomplete"):
            fetch(f"{base}/api/v1/growth/habits/{habit.pk}/{action}/", headers, data=b"{}")
        results[label] = wrk(base + "/", headers, seconds=seconds, connections=1, threads=1, script=script)
    ratio = results["heavy"].mean_ms / results["light"].mean_ms
    return (
        "Saving a habit completion, 3 years of history ÷ one day — mean latency",
        f"{results['heavy'].mean_ms:.1f} / {results['light'].mean_ms:.1f} ms",
        f"{ratio:.2f}",
        f"≤ 1.2 {'✅' if ratio <= 1.2 else '❌'}",
    )


def sweep_rows() -> list[tuple[str, str, str, str]]:
    from growth.services.badges import badges_sweep

    first = timed(badges_sweep, repeat=1)  # awards what the data set earned (notifications included)
    nightly = timed(badges_sweep)

    def scan() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT habit_id, COUNT(*), MAX(run_length), MAX(period) FROM growth_habitcompletion GROUP BY habit_id"
            )
            cursor.fetchall()

    floor = timed(scan)
    ratio = nightly / floor
    return [
        (
            "Nightly badge sweep over all users ÷ one aggregate scan of the completions",
            f"{nightly * 1000:,.0f} / {floor * 1000:,.0f} ms",
            f"{ratio:.2f}",
            f"≤ 5 {'✅' if ratio <= 5 else '❌'}",
        ),
        ("(first sweep of the data set, awarding and notifying)", f"{first:,.1f} s", "", "reported"),
    ]


def certificate_row(count: int) -> tuple[str, str, str, str]:
    """Certificates issued for ``count`` completed enrolments (their PDFs queued), then one
    worker process with one pool process renders them: PDFs per minute between the first
    and the last rendering (the worker's start-up is left out)."""
    from django.db.models import Max, Min

    from config.celery import app
    from learning.models import Certificate, Enrollment
    from learning.services.certificates import certificate_issue

    app.control.purge()  # the first sweep's badge e-mails are not this measurement's work
    enrolments = list(Enrollment.objects.filter(status=Enrollment.Status.COMPLETED, certificate__isnull=True)[:count])
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
    )
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if Certificate.objects.filter(pk__in=issued, pdf__isnull=False).count() == len(issued):
                break
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    span = Certificate.objects.filter(pk__in=issued, pdf__isnull=False).aggregate(
        first=Min("pdf_rendered_at"), last=Max("pdf_rendered_at")
    )
    rendered = Certificate.objects.filter(pk__in=issued, pdf__isnull=False).count()
    if rendered < 2:
        return ("Certificate PDFs per minute, one worker", f"{rendered} of {len(issued)} rendered", "", "❌")
    seconds = (span["last"] - span["first"]).total_seconds()
    return (
        "Certificate PDFs per minute, one worker",
        f"{rendered - 1} more in {seconds:.1f} s after the first",
        f"{(rendered - 1) / seconds * 60:.0f}/min",
        "reported",
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--certificates", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    base = options.base_url.rstrip("/")

    heavy = User.objects.get(email=HEAVY_EMAIL)
    newcomer = User.objects.get(email=NEWCOMER_EMAIL)
    light = User.objects.get(email=LIGHT_EMAIL)
    heavy_key, new_key, light_key = session_for(heavy), session_for(newcomer), session_for(light)

    rows = [
        *throughput_rows(base, heavy_key, options.seconds),
        *dashboard_rows(base, heavy_key, new_key, options.seconds),
        completion_row(base, {"heavy": (heavy, heavy_key), "light": (light, light_key)}, options.seconds),
        *sweep_rows(),
        certificate_row(options.certificates),
    ]
    table = ["| Measure | Measured | Ratio | Target |", "|---|---|---|---|"]
    table += [f"| {' | '.join(row)} |" for row in rows]
    text = "\n".join(table) + "\n"
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text)
    sys.stdout.write(text)
    return 0 if not any("❌" in row[3] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
