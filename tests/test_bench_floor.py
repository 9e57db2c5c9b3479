"""The benchmark's HTML floor (core/bench.py) and the table of bench/run.py (issue 20): the
floor is the size asked for, behind the sign-in; the table compares two data sizes."""

import importlib.util
import json
from argparse import Namespace
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from accounts.tests.factories import UserFactory
from core.bench import bench_floor_page

ROOT = Path(__file__).resolve().parents[1]


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2_000, 20_000])
def test_the_html_floor_is_the_size_asked_for(size) -> None:
    request = RequestFactory().get("/bench/floor/page/", {"bytes": size})
    request.user = UserFactory()
    response = bench_floor_page(request)
    assert response.status_code == 200
    assert abs(len(response.content) - size) <= 5
    assert response.content.startswith(b"<!doctype html>")


def test_the_html_floor_wants_a_signed_in_person() -> None:
    request = RequestFactory().get("/bench/floor/page/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    assert bench_floor_page(request).status_code == 302


def _measure(key, kind, raw, queries=None, *, ok=True, floor=None, work=None):
    return {
        "work": work,
        "floor": floor,
        "key": key,
        "label": key,
        "measured": "m",
        "ratio": "r",
        "target": "t",
        "ok": ok,
        "raw": raw,
        "kind": kind,
        "queries": queries,
    }


def _table(tmp_path, small, large, *, reverse=False):
    """bench/run.py's table of two sizes' figures (given in either order): its exit code and
    its rows by measure."""
    paths = [tmp_path / "small.json", tmp_path / "large.json"]
    for path, data in zip(paths, (small, large), strict=True):
        path.write_text(json.dumps(data))
    out = tmp_path / "latest.md"
    code = _run_module().table(Namespace(runs=paths[::-1] if reverse else paths, out=out))
    return code, {line.split(" | ")[0].lstrip("| "): line for line in out.read_text().splitlines()[2:]}


def test_the_table_compares_the_cost_at_each_size(tmp_path) -> None:
    small = {
        "factor": 0.1,
        "speed": 300.0,
        "measures": [
            _measure("api", "throughput", 500),
            _measure("save", "latency", 30),
            _measure("sweep", "sweep", 1.0),
            _measure("ics", "throughput", 400, 7),
        ],
    }
    large = {
        "factor": 1.0,
        "speed": 300.0,
        "measures": [
            _measure("api", "throughput", 480),
            _measure("save", "latency", 36),
            _measure("sweep", "sweep", 9.0),
            _measure("ics", "throughput", 400, 8),
        ],
    }
    code, rows = _table(tmp_path, small, large, reverse=True)
    assert code == 1  # a measure misses its target
    assert rows["api"].endswith("1.04 ✅ |")  # 500 / 480 req/s: 4 % more time per request
    assert rows["save"].endswith("1.20 ❌ |")  # 36 / 30 ms
    assert rows["sweep"].endswith("9.00 (≤ 10) ✅ |")  # within its linear share of ten times the data
    assert rows["ics"].endswith("queries 7 → 8 ❌ |")  # a query more with more data


def test_the_cost_across_sizes_is_read_at_the_machines_speed_of_each_run(tmp_path) -> None:
    """The full size ran while the machine was half as fast (its API floor answered 150
    req/s instead of 300): figures that halved with it are the machine, not the data; a
    throughput with its own floor is read against that floor."""
    small = {
        "factor": 0.1,
        "speed": 300.0,
        "measures": [
            _measure("page", "throughput", 100, floor=200),
            _measure("preview", "throughput", 120),
            _measure("dashboard", "latency", 80),
            _measure("sweep", "sweep", 1.0),
        ],
    }
    large = {
        "factor": 1.0,
        "speed": 150.0,
        "measures": [
            _measure("page", "throughput", 40, floor=100),  # 0.5 → 0.4 of its floor: dearer
            _measure("preview", "throughput", 60),
            _measure("dashboard", "latency", 160),
            _measure("sweep", "sweep", 18.0),
        ],
    }
    code, rows = _table(tmp_path, small, large)
    assert code == 1
    assert rows["page"].endswith("1.25 ❌ |")
    assert rows["preview"].endswith("1.00 ✅ |")
    assert rows["dashboard"].endswith("1.00 ✅ |")
    assert rows["sweep"].endswith("9.00 (≤ 10) ✅ |")


def test_a_first_sweep_is_compared_per_badge_it_awards(tmp_path) -> None:
    """A linear first sweep costs its data's ratio of badges (9.9 for ten times the factor):
    compared per badge, within 10 %, whatever that ratio; one dearer per badge at full size
    fails even when its time alone stays under ten times."""
    small = {
        "factor": 0.1,
        "speed": 300.0,
        "measures": [
            _measure("linear", "sweep", 1.0, work=2_800),
            _measure("worse", "sweep", 1.0, work=2_000),
        ],
    }
    large = {
        "factor": 1.0,
        "speed": 300.0,
        "measures": [
            _measure("linear", "sweep", 10.3, work=28_000),  # 10.3 s for ten times the badges
            _measure("worse", "sweep", 9.0, work=15_000),  # 9 s, but 20 % more per badge
        ],
    }
    code, rows = _table(tmp_path, small, large)
    assert code == 1
    assert rows["linear"].endswith("1.03 per badge (2,800 → 28,000) ✅ |")
    assert rows["worse"].endswith("1.20 per badge (2,000 → 15,000) ❌ |")
