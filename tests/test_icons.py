"""No emoji carries meaning anywhere (issue 16): icons come from the SVG sprite
(``core.icons``), and a device without an emoji font never shows an empty box.

The scan reads what people can see: every template (pages, e-mails, notification
fragments; template comments aside), the string literals of the apps' Python outside tests
and migrations (notification titles, e-mail subjects, messages; docstrings and the
admin-only ``__str__`` aside) and the site's own scripts. Templates also may not use
arrows or other symbols as icons: ``{% icon "arrow-left" %}`` draws them.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from core.icons import ICON_NAMES, status_icon_name
from growth.models import Goal
from mentorship.models import EventAttendance, MentorshipSession
from mentorship.templatetags.mentorship_sessions import SESSION_TYPE_ICONS
from therapy.models import TherapyRelationship, TherapySession

ROOT = Path(settings.BASE_DIR)
APPS = ("core", "accounts", "learning", "mentorship", "growth", "therapy", "config")

# Emoji and pictographs, dingbats (✓ ✅ ★), geometric shapes (● ○ ▶), technical symbols
# (⌛ ⏰), enclosed alphanumerics, other symbols (⬆ ⭐), the emoji variation selector and the
# zero-width joiner of emoji sequences.
EMOJI = re.compile(
    "[\u2300-\u23ff\u2460-\u24ff\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]"
)
# Shown on a page, arrows are icons too.
ARROWS = re.compile("[\u2190-\u21ff\u27f0-\u27ff\u2900-\u297f]")
TEMPLATE_COMMENT = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", re.DOTALL)


def _template_offences(text: str) -> list[str]:
    shown = TEMPLATE_COMMENT.sub("", text)
    return [line.strip()[:120] for line in shown.splitlines() if EMOJI.search(line) or ARROWS.search(line)]


def _python_strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """The string literals of a module but its docstrings and ``__str__`` methods."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "__str__":
            skipped.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            yield node.lineno, node.value


def test_templates_hold_no_emoji_or_symbol_used_as_an_icon() -> None:
    offences = {}
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg", ".json", ".js"}:
            found = _template_offences(path.read_text(encoding="utf-8"))
            if found:
                offences[str(path.relative_to(ROOT))] = found
    assert not offences, f"use {{% icon %}} (core/templatetags/icons.py) instead: {offences}"


def test_python_texts_hold_no_emoji() -> None:
    offences = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            for line, value in _python_strings(ast.parse(path.read_text(encoding="utf-8"))):
                if EMOJI.search(value):
                    offences.append(f"{path.relative_to(ROOT)}:{line}: {value[:80]!r}")
    assert not offences, "words or an icon key instead of emoji:\n" + "\n".join(offences)


def test_the_sites_scripts_hold_no_emoji() -> None:
    offences = [
        f"{path.relative_to(ROOT)}: {line.strip()[:80]}"
        for path in sorted((ROOT / "static" / "js").rglob("*.js"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if EMOJI.search(line)
    ]
    assert not offences, offences


@pytest.mark.parametrize(
    "text",
    [
        "<span>\U0001f525</span>",
        "{% translate '\u2605 Top' %}",
        "<p>\u2713 done</p>",
        "<b>\u25cb</b>",
        "\u2705",
        "\u2764\ufe0f",
        "<a>\u2190 Back</a>",
    ],
)
def test_the_scan_finds_emoji_and_symbols_in_a_template(text: str) -> None:
    assert _template_offences(text)


def test_the_scan_skips_template_comments_docstrings_and_admin_str() -> None:
    assert not _template_offences("{# \u2192 #}{% comment %}a \u2192 b \u2713{% endcomment %}<p>Done</p>")
    module = ast.parse(
        '"""draft \u2192 active \u25b6"""\n'
        "class A:\n"
        '    """\u2713"""\n'
        "    def __str__(self):\n"
        '        return f"{self} \u2713"\n'
        "def title():\n"
        '    return "New badge \U0001f389"\n'
    )
    values = [value for _line, value in _python_strings(module)]
    assert [value for value in values if EMOJI.search(value)] == ["New badge \U0001f389"]


@pytest.mark.parametrize(
    "statuses",
    [MentorshipSession.Status, TherapySession.Status, Goal.Status, EventAttendance.Status, TherapyRelationship.Status],
    ids=["mentorship session", "therapy session", "goal", "event place", "therapy relationship"],
)
def test_every_status_shown_with_an_icon_has_one(statuses) -> None:
    for status in statuses.values:
        assert status_icon_name(status) in ICON_NAMES, status


def test_every_kind_of_session_has_its_icon() -> None:
    assert set(SESSION_TYPE_ICONS) == set(MentorshipSession.Type.values)
    assert set(SESSION_TYPE_ICONS.values()) <= ICON_NAMES
    template = Template("{% load mentorship_sessions %}{% session_type_icon kind %}")
    assert "#video" in template.render(Context({"kind": MentorshipSession.Type.VIRTUAL}))
    assert "#map-pin" in template.render(Context({"kind": MentorshipSession.Type.IN_PERSON}))
    assert 'aria-hidden="true"' in template.render(Context({"kind": MentorshipSession.Type.IN_PERSON}))
    assert template.render(Context({"kind": "phone"})) == ""
