"""Lesson content made safe to show: markdown → sanitised HTML, video URLs → embeds.

Lesson content is written by instructors and staff, but it still ends up in every
learner's browser, so it is treated as untrusted: markdown-it-py renders it (raw HTML
allowed, for tables and the like) and nh3 then keeps only an allowlist of tags and
attributes. Scripts, styles, event handlers, iframes and forms never survive; links and
images only point to http(s) (links also to mailto:) and every link gets
``rel="noopener nofollow"``.

Video URLs of YouTube and Vimeo become privacy-friendly embeds (youtube-nocookie.com,
Vimeo's "do not track" player); any other http(s) URL is shown as a plain link.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal
from urllib.parse import parse_qs, urlencode, urlsplit

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

from core.money import money_display

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "details",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow"
# Removed together with everything inside them (other disallowed tags keep their text).
REMOVED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript"})


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _shift_headings(tokens: list[Token]) -> None:
    """The page around the content owns the only ``h1``: ``#`` becomes ``h2`` and so on."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def markdown_to_safe_html(text: str) -> str:
    """Render markdown to HTML that is safe to insert into a page as is.

    ``#`` headings start at ``h2``; raw HTML in the markdown passes through the same
    sanitiser, so nothing in ``text`` can run script, load a frame or post a form.
    """
    if not text or not text.strip():
        return ""
    markdown = _markdown()
    tokens = markdown.parse(text)
    _shift_headings(tokens)
    html = markdown.renderer.render(tokens, markdown.options, {})
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        set_tag_attribute_values={"img": {"loading": "lazy"}},
        strip_comments=True,
    )


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
_START_TIME = re.compile(r"^(?:(?P<h>\d{1,2})h)?(?:(?P<m>\d{1,3})m)?(?:(?P<s>\d{1,5})s?)?$")
_YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
)
_VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})


@dataclass(frozen=True)
class LessonVideo:
    """How to show a lesson's video URL: ``kind`` "youtube" or "vimeo" with ``embed_url``
    for an iframe, or "link" (any other http(s) address) shown as a plain link to ``url``."""

    kind: Literal["youtube", "vimeo", "link"]
    url: str
    embed_url: str = ""

    @property
    def is_embed(self) -> bool:
        return self.kind != "link"

    @property
    def provider(self) -> str:
        return {"youtube": "YouTube", "vimeo": "Vimeo"}.get(self.kind, "")


def _start_seconds(value: str) -> int:
    """Seconds of a YouTube start time (``90``, ``90s``, ``1m30s``, ``1h2m3s``); 0 when unreadable."""
    match = _START_TIME.match(value.strip()) if value else None
    if not match:
        return 0
    hours, minutes, seconds = (int(match.group(name) or 0) for name in ("h", "m", "s"))
    return hours * 3600 + minutes * 60 + seconds


def _youtube_embed(host: str, path: str, query: dict[str, list[str]]) -> str | None:
    segments = [segment for segment in path.split("/") if segment]
    if host == "youtu.be":
        video_id = segments[0] if len(segments) == 1 else ""
    elif segments == ["watch"]:
        video_id = query.get("v", [""])[0]
    elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live"):
        video_id = segments[1]
    else:
        return None
    if not _YOUTUBE_ID.match(video_id):
        return None
    start = _start_seconds(query.get("t", query.get("start", [""]))[0])
    suffix = f"?{urlencode({'start': start})}" if start else ""
    return f"https://www.youtube-nocookie.com/embed/{video_id}{suffix}"


def _vimeo_embed(host: str, path: str, query: dict[str, list[str]]) -> str | None:
    segments = [segment for segment in path.split("/") if segment]
    if host == "player.vimeo.com":
        if len(segments) != 2 or segments[0] != "video":
            return None
        video_id, unlisted_hash = segments[1], query.get("h", [""])[0]
    elif len(segments) in (1, 2):
        video_id, unlisted_hash = segments[0], segments[1] if len(segments) == 2 else ""
    else:
        return None
    if not _VIMEO_ID.match(video_id) or (unlisted_hash and not _VIMEO_HASH.match(unlisted_hash)):
        return None
    parameters = {"h": unlisted_hash} if unlisted_hash else {}
    return f"https://player.vimeo.com/video/{video_id}?{urlencode({**parameters, 'dnt': 1})}"


def lesson_video(url: str) -> LessonVideo | None:
    """How to show ``url``: a YouTube or Vimeo embed, a plain link for any other http(s)
    address, or ``None`` when there is nothing safe to show (empty, another scheme)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    query = parse_qs(parts.query)
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        embed_url = _youtube_embed(host, parts.path, query)
        if embed_url:
            return LessonVideo(kind="youtube", url=url, embed_url=embed_url)
    elif host in _VIMEO_HOSTS:
        embed_url = _vimeo_embed(host, parts.path, query)
        if embed_url:
            return LessonVideo(kind="vimeo", url=url, embed_url=embed_url)
    return LessonVideo(kind="link", url=url)


def price_display(*, price_cents: int, currency: str) -> str:
    """A course price in words: "Free", or the amount formatted for the reader's language
    ("$49.00", "€19.50", "CHF1,200.00" in English; :func:`core.money.money_display`)."""
    if not price_cents:
        return str(_("Free"))
    return money_display(price_cents, currency)


def time_spent_display(seconds: int | None) -> str:
    """Time spent in words, to the minute: "none yet", "under a minute", "12 min",
    "2 h 05 min"."""
    if not seconds:
        return str(_("none yet"))
    minutes = seconds // 60
    if minutes < 1:
        return str(_("under a minute"))
    if minutes < 60:
        return str(_("%(minutes)d min") % {"minutes": minutes})
    return str(_("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60})
