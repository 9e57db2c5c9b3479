"""The driver of ``make audit`` (see README, "Audit"): Lighthouse scores and installability.

Run by ``scripts/audit.sh`` against a gunicorn serving the demo data with production
settings. For each page it runs Lighthouse (the version ``scripts/audit.sh`` pins, Debian's
Chromium, Lighthouse's default mobile form factor and throttling) ``--runs`` times and keeps
each category's median; signed-in pages get the demo learner's session cookie through
``--extra-headers``. Lighthouse 12 no longer has the PWA category nor its
``installable-manifest`` audit, so installability is asked of Chromium itself: Playwright
opens the dashboard in a persistent (not incognito) profile, waits for the service worker
and reads the DevTools protocol's ``Page.getInstallabilityErrors``. Prints a Markdown table
and writes it to ``--out``; exits 1 when a score is below ``--target`` or the site is not
installable.
"""

import argparse
import faulthandler
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.selectors.users import user_get_by_email  # noqa: E402
from learning.models import Enrollment  # noqa: E402
from learning.selectors.progress import lesson_first_incomplete  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LEARNER = "learner@ascend.example"
LIGHTHOUSE_ATTEMPTS = 3


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    signed_in: bool


def learner_session() -> str:
    """A session of the demo learner, made as Django's sign-in makes one."""
    user = user_get_by_email(email=LEARNER)
    if user is None:
        sys.exit(f"The demo learner {LEARNER} is missing: run manage.py seed_demo first.")
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def lesson_path() -> str:
    """The next lesson of the demo learner's first course in progress."""
    user = user_get_by_email(email=LEARNER)
    enrollment = (
        Enrollment.objects.filter(user=user, status=Enrollment.Status.IN_PROGRESS)
        .select_related("course")
        .order_by("started_at", "pk")
        .first()
    )
    if enrollment is None:
        sys.exit("The demo learner has no course in progress: the lesson page cannot be audited.")
    lesson = lesson_first_incomplete(user_id=user.pk, course_id=enrollment.course_id)
    if lesson is None:
        sys.exit(f"Every lesson of {enrollment.course.title} is complete: no lesson page to audit.")
    return reverse("learning:lesson", kwargs={"slug": enrollment.course.slug, "pk": lesson.pk})


def pages() -> list[Page]:
    return [
        Page("Home", reverse("home"), signed_in=False),
        Page("Catalog", reverse("learning:course-list"), signed_in=False),
        Page("Dashboard", reverse("dashboard"), signed_in=True),
        Page("Habit list", reverse("growth:habit-list"), signed_in=True),
        Page("Lesson", lesson_path(), signed_in=True),
    ]


def lighthouse(lighthouse_cli: Path, url: str, headers: Path | None, out: Path) -> dict[str, int]:
    """One Lighthouse run: each category's score out of 100."""
    chrome_flags = "--headless=new --disable-gpu --disable-dev-shm-usage"
    if os.geteuid() == 0:
        chrome_flags += " --no-sandbox"
    command = [
        "node",
        str(lighthouse_cli),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={chrome_flags}",
    ]
    if headers is not None:
        command.append(f"--extra-headers={headers}")
    # Lighthouse now and then fails to record a trace (NO_NAVSTART, NO_FCP) on a busy
    # machine: such a run is tried again, up to LIGHTHOUSE_ATTEMPTS times in all.
    for attempt in range(1, LIGHTHOUSE_ATTEMPTS + 1):
        completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        report = json.loads(out.read_text()) if completed.returncode == 0 else {}
        if completed.returncode == 0 and not report.get("runtimeError"):
            break
        error = report["runtimeError"]["message"] if report else completed.stderr[-2000:]
        if attempt == LIGHTHOUSE_ATTEMPTS:
            sys.exit(f"Lighthouse failed on {url} {attempt} times; the last time:\n{error}")
        sys.stderr.write(f"  (Lighthouse failed on {url}, trying again: {(error.strip().splitlines() or ['?'])[-1]})\n")
    if report.get("finalDisplayedUrl") != url:
        sys.exit(f"Lighthouse asked for {url} but was sent on to {report.get('finalDisplayedUrl')} (signed out?).")
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


WORKER_READY = """async (ms) => {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), ms));
  const registration = await Promise.race([navigator.serviceWorker.ready, timeout]);
  return registration ? registration.scope : null;
}"""
WORKER_STATE = """async () => (await navigator.serviceWorker.getRegistrations()).map(
  (r) => [r.scope, ...["installing", "waiting", "active"].map((k) => (r[k] ? `${k} ${r[k].state}` : ""))]
)"""


def installability(base_url: str, session: str, work: Path) -> tuple[list[str], str]:
    """Chromium's own installability check on the dashboard (the manifest's start page):
    the errors it reports (none: installable) and the worker's scope. A worker that is not
    active within 30 s is reported with what the browser said about it."""
    from playwright.sync_api import sync_playwright

    args = ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    profile = work / "profile"
    shutil.rmtree(profile, ignore_errors=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=os.environ["CHROME_PATH"], headless=True, args=args, timeout=60_000
        )
        try:
            context.set_default_timeout(30_000)
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
            page = context.new_page()
            said: list[str] = []
            page.on("console", lambda message: said.append(f"console {message.type}: {message.text}"))
            page.on("requestfailed", lambda request: said.append(f"failed {request.url}: {request.failure}"))
            cdp = context.new_cdp_session(page)
            cdp.on("ServiceWorker.workerErrorReported", lambda event: said.append(f"worker error {event}"))
            cdp.send("ServiceWorker.enable")
            page.goto(f"{base_url}{reverse('dashboard')}")
            scope = page.evaluate(WORKER_READY, 30_000)
            if scope is None:
                state = page.evaluate(WORKER_STATE)
                return [f"no active service worker after 30 s (registrations {state}; {'; '.join(said)})"], "none"
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            manifest = cdp.send("Page.getAppManifest")
            problems = [error["errorId"] for error in errors]
            problems += [f"manifest: {error['message']}" for error in manifest.get("errors", [])]
            return problems, scope
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--lighthouse", required=True, type=Path, help="lighthouse/cli/index.js")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; each category's median counts")
    parser.add_argument("--target", type=int, default=95)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "audit" / "latest.md")
    parser.add_argument("--reports", type=Path, default=ROOT / "var" / "audit" / "reports", help="emptied first")
    options = parser.parse_args()

    # A hung browser must not hang `make audit`: after 45 minutes, the stacks and exit.
    faulthandler.dump_traceback_later(45 * 60, exit=True)
    session = learner_session()
    work = options.reports
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    headers = work / "headers.json"
    headers.write_text(json.dumps({"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}))
    version = json.loads((options.lighthouse.parent.parent / "package.json").read_text())["version"]

    rows = []
    failing = []
    for page in pages():
        runs = []
        for run in range(options.runs):
            out = work / f"{page.name.replace(' ', '-').lower()}-{run}.json"
            runs.append(
                lighthouse(options.lighthouse, options.base_url + page.path, headers if page.signed_in else None, out)
            )
        medians = {name: round(statistics.median(run[name] for run in runs)) for name in CATEGORIES}
        failing += [f"{page.name} {name} {score}" for name, score in medians.items() if score < options.target]
        spread = {name: (min(run[name] for run in runs), max(run[name] for run in runs)) for name in CATEGORIES}
        rows.append((page, medians, spread))
        sys.stdout.write(f"  {page.name}: " + ", ".join(f"{name} {medians[name]}" for name in CATEGORIES) + "\n")
        sys.stdout.flush()

    problems, scope = installability(options.base_url, session, work)
    chromium = subprocess.run(  # noqa: S603
        [os.environ["CHROME_PATH"], "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()

    lines = [
        "| Page | Signed in | Performance | Accessibility | Best practices | SEO |",
        "|---|---|---|---|---|---|",
    ]
    for page, medians, spread in rows:
        cells = []
        for name in CATEGORIES:
            low, high = spread[name]
            mark = "" if medians[name] >= options.target else f" (below {options.target})"
            cells.append(f"{medians[name]}{mark}" + (f" ({low}–{high})" if low != high else ""))
        shown = re.sub(r"/lessons/[0-9a-f-]{36}/", "/lessons/…/", page.path)
        lines.append(f"| {page.name} (`{shown}`) | {'yes' if page.signed_in else 'no'} | " + " | ".join(cells) + " |")
    installable = "yes" if not problems else "no: " + ", ".join(problems)
    lines += [
        "",
        f"Installability (Chromium's `Page.getInstallabilityErrors` on the dashboard, the worker's scope {scope}), "
        f"installable: {installable}.",
        "",
        f"({datetime.now(UTC):%Y-%m-%d}, Lighthouse {version}, {chromium}, mobile form factor with "
        f"Lighthouse's simulated throttling; median of {options.runs} run{'s' if options.runs != 1 else ''} "
        "per page, the range in brackets when the runs differed.)",
    ]
    table = "\n".join(lines)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(table + "\n")
    sys.stdout.write(f"\n{table}\n\nLighthouse reports: {work}\nTable written to {options.out}\n")
    if failing or problems:
        sys.stderr.write("Below target: " + "; ".join(failing + problems) + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
