"""Lesson content rendering: markdown → sanitised HTML, video URLs → embeds or links."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from learning.rendering import ALLOWED_TAGS, LessonVideo, lesson_video, markdown_to_safe_html, price_display


def _elements(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every start tag in ``html`` with its attributes, as a browser's tokenizer sees them."""

    class Collector(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.elements: list[tuple[str, list[tuple[str, str]]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.elements.append((tag, [(name, value or "") for name, value in attrs]))

    collector = Collector()
    collector.feed(html)
    return collector.elements


def test_markdown_renders_headings_lists_tables_and_emphasis():
    html = markdown_to_safe_html(
        "# Title\n\n## Part\n\n- **bold** and *soft*\n- `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~"
    )
    # The page owns the only h1: markdown headings start at h2.
    assert "<h2>Title</h2>" in html
    assert "<h3>Part</h3>" in html
    assert "<h1" not in html
    assert "<strong>bold</strong>" in html
    assert "<em>soft</em>" in html
    assert "<code>code</code>" in html
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert "<s>gone</s>" in html


def test_blank_content_renders_nothing():
    assert markdown_to_safe_html("") == ""
    assert markdown_to_safe_html("   \n ") == ""


@pytest.mark.parametrize(
    "nasty",
    [
        "<script>alert('xss')</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><circle/></svg>",
        "<iframe src='https://evil.example'></iframe>",
        "<a href='javascript:alert(1)'>click</a>",
        "<a href='JaVaScRiPt:alert(1)'>click</a>",
        "<a href='java&#x09;script:alert(1)'>click</a>",
        "<a href='  javascript:alert(1)'>click</a>",
        "[click](javascript:alert(1))",
        "[click](<javascript:alert(1)>)",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![pic](javascript:alert(1))",
        "<div style='background:url(javascript:alert(1))'>styled</div>",
        "<p onclick='alert(1)' onmouseover='alert(1)'>hover</p>",
        "<form action='https://evil.example'><input name=x><button>go</button></form>",
        "<object data='https://evil.example/x.swf'></object><embed src='https://evil.example/x.swf'>",
        "<style>body{display:none}</style>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<!--<img src=x onerror=alert(1)>-->",
        "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
        "<base href='https://evil.example/'>",
        "<a href='https://ok.example' target='_top' onclick='alert(1)'>ok</a>",
    ],
)
def test_nasty_content_is_inert(nasty):
    html = markdown_to_safe_html(f"Intro\n\n{nasty}\n\nOutro")
    elements = _elements(html)
    assert {tag for tag, _ in elements} <= ALLOWED_TAGS, html
    for _tag, attributes in elements:
        for name, value in attributes:
            assert not name.startswith("on"), html
            assert name not in ("style", "target", "srcdoc", "formaction"), html
            if name in ("href", "src"):
                assert value.lower().startswith(("http://", "https://", "mailto:")), html
    assert "<!--" not in html
    # What survives is text at most; the paragraph before the nasty part is intact.
    assert html.startswith("<p>Intro</p>")


def test_script_content_is_removed_not_shown_as_text():
    assert "alert" not in markdown_to_safe_html("<script>alert('xss')</script>Hello")


def test_links_keep_http_https_mailto_and_get_noopener_nofollow():
    html = markdown_to_safe_html(
        "[site](https://example.com/a?b=1) [plain](http://example.com) [mail](mailto:team@example.com)"
    )
    assert '<a href="https://example.com/a?b=1" rel="noopener nofollow">site</a>' in html
    assert '<a href="http://example.com" rel="noopener nofollow">plain</a>' in html
    assert '<a href="mailto:team@example.com" rel="noopener nofollow">mail</a>' in html


@pytest.mark.parametrize(
    "link", ["ftp://example.com/x", "//evil.example/x", "/relative/path", "tel:+123", "file:///etc/passwd"]
)
def test_other_link_targets_lose_their_href(link):
    html = markdown_to_safe_html(f"[text]({link})")
    assert "href" not in html
    assert "text" in html


def test_a_link_given_a_rel_of_its_own_still_gets_noopener_nofollow():
    html = markdown_to_safe_html('<a href="https://example.com" rel="opener">x</a>')
    assert 'rel="noopener nofollow"' in html
    assert 'rel="opener"' not in html


def test_images_need_http_and_load_lazily():
    html = markdown_to_safe_html("![A chart](https://cdn.example.com/chart.png)")
    assert 'src="https://cdn.example.com/chart.png"' in html
    assert 'alt="A chart"' in html
    assert 'loading="lazy"' in html


def test_html_in_text_is_escaped_in_code():
    html = markdown_to_safe_html("`<script>alert(1)</script>`\n\n```\n<b onclick=x>\n```")
    assert "&lt;script&gt;" in html
    assert "&lt;b onclick=x&gt;" in html


@pytest.mark.parametrize(
    ("url", "embed_url"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&list=PL1", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=90", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90",
        ),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://www.vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://vimeo.com/76979871/8a2f3c1b9d", "https://player.vimeo.com/video/76979871?h=8a2f3c1b9d&dnt=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_youtube_and_vimeo_become_privacy_friendly_embeds(url, embed_url):
    video = lesson_video(url)
    assert video is not None
    assert video.is_embed
    assert video.embed_url == embed_url
    assert video.url == url


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/video.mp4",
        "https://www.youtube.com/watch?v=short",  # not an 11-character id
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",  # id with extra characters
        "https://www.youtube.com/channel/UC123",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "https://vimeo.com/12345/<script>",
        "https://player.vimeo.com/video/abc",
    ],
)
def test_other_http_urls_are_plain_links(url):
    assert lesson_video(url) == LessonVideo(kind="link", url=url)


@pytest.mark.parametrize(
    "url", ["", "   ", "javascript:alert(1)", "ftp://example.com/x.mp4", "data:video/mp4;base64,AAAA", "https://"]
)
def test_nothing_shown_for_empty_or_unsafe_urls(url):
    assert lesson_video(url) is None


def _render(template: str, **context) -> str:
    return Template("{% load learning %}" + template).render(Context(context))


def test_video_tag_renders_an_accessible_iframe():
    html = _render("{% lesson_video url title=title %}", url="https://youtu.be/dQw4w9WgXcQ", title="Scales & <modes>")
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'title="YouTube video: Scales &amp; &lt;modes&gt;"' in html
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in html


def test_video_tag_links_other_urls_and_escapes_them():
    html = _render("{% lesson_video url %}", url='https://example.com/v.mp4?a="><script>')
    assert "<iframe" not in html
    assert "<script>" not in html
    assert 'href="https://example.com/v.mp4?a=&quot;&gt;&lt;script&gt;"' in html
    assert _render("{% lesson_video url %}", url="javascript:alert(1)").strip() == ""


def test_markdown_filter_outputs_sanitised_html():
    html = _render("{{ text|lesson_markdown }}", text="**hi** <script>alert(1)</script>")
    assert "<strong>hi</strong>" in html
    assert "<script" not in html


@pytest.mark.parametrize(
    ("cents", "currency", "shown"),
    [
        (0, "USD", "Free"),
        (4900, "USD", "$49.00"),
        (1950, "eur", "€19.50"),
        (5, "GBP", "£0.05"),
        (120000, "CHF", "CHF1,200.00"),
        (500, "JPY", "¥500"),
    ],
)
def test_price_display(cents, currency, shown):
    assert price_display(price_cents=cents, currency=currency) == shown
