"""Every main page for every demo role, on a phone (390×844) and a desktop (1280×900): the
page's <h1> starts within the first 200 px on the phone, nothing scrolls sideways, every
control is a target of at least 44×44 px (WCAG 2.5.8's inline links in running text
excepted), axe finds nothing serious or critical on the phone (tests/test_accessibility_browser.py
covers the desktop); the menus open and close by keyboard and by touch.

One page load per (page, size) and the geometry in one ``page.evaluate``; the failures of
all pages are reported together."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.demo.seed import DEMO_PASSWORD, DEMO_USERS
from accounts.tests.browser import BLOCKING_IMPACTS, TIMEOUT_MS, format_violations, sign_in
from tests.demo_pages import demo_email, demo_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HEADING_TOP_MAX = 200
TARGET_MIN = 44
ROLES = [None, *(demo.role for demo in DEMO_USERS)]

# Measured in the page: where the <h1> starts, how wide the document is, and the controls
# smaller than 44×44. A control is a button, an input (a checkbox or radio button by its
# label, which takes the tap too), a select, a textarea, a <summary>, a link styled as a
# button, a link in a navigation landmark, or a link standing alone (the only text of its
# list item, cell or paragraph); a link inside running text is exempt (WCAG 2.5.8).
GEOMETRY = """(min) => {
  const shown = (el) => {
    if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0;
  };
  const text = (el) => (el.textContent || "").replace(/\\s+/g, " ").trim();
  const standalone = (a) => {
    const parent = a.parentElement;
    return parent && ["LI", "TD", "P", "DD", "DIV"].includes(parent.tagName) && text(parent) === text(a);
  };
  const targets = new Set();
  for (const el of document.querySelectorAll("button, select, textarea, summary, input:not([type=hidden]), a[href]")) {
    if (el.tagName === "A" && !(el.getAttribute("role") === "button" || el.closest("nav") || standalone(el))) continue;
    if (el.tagName === "INPUT" && ["checkbox", "radio"].includes(el.type) && el.labels && el.labels.length) {
      targets.add(el.labels[0]);
    } else {
      targets.add(el);
    }
  }
  const small = [];
  for (const el of targets) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      const name = text(el) || el.getAttribute("aria-label") || el.getAttribute("name") || el.type || "";
      small.push(`<${el.tagName.toLowerCase()}> "${name.slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  // What sticks out to the right, for the failure message (an absolutely positioned element
  // escapes a scrolling ancestor that is not its containing block).
  const viewport = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right <= viewport + 1 || wide.length >= 5) continue;
    const absolute = getComputedStyle(el).position === "absolute";
    let clipped = false;
    for (let up = el.parentElement; up && !absolute; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") { clipped = true; break; }
    }
    const name = `<${el.tagName.toLowerCase()} class="${el.className}"> "${text(el).slice(0, 30)}"`;
    if (!clipped) wide.push(`${name} to ${Math.round(r.right)}`);
  }
  const h1 = document.querySelector("main h1") || document.querySelector("h1");
  return {
    h1: h1 ? h1.getBoundingClientRect().top + window.scrollY : null,
    scrollWidth: document.documentElement.scrollWidth,
    viewport,
    small,
    wide,
  };
}"""


def _context(browser: Browser, base_url: str, viewport: dict[str, int], *, touch: bool = False) -> BrowserContext:
    context = browser.new_context(base_url=base_url, viewport=viewport, has_touch=touch, is_mobile=False)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def demo(db) -> dict[str | None, list[str]]:
    call_command("seed_demo", verbosity=0)
    return demo_pages()


def _check(page: Page, path: str, *, phone: bool) -> list[str]:
    """What is wrong with ``path`` at this size (nothing: an empty list)."""
    response = page.goto(path)
    if response is None or response.status != 200:
        return [f"{path}: answered {response.status if response else 'nothing'}"]
    found = page.evaluate(GEOMETRY, TARGET_MIN)
    size = "390" if phone else "1280"
    problems = []
    if found["h1"] is None:
        problems.append(f"{path} at {size}: no <h1>")
    elif phone and found["h1"] >= HEADING_TOP_MAX:
        problems.append(f"{path} at {size}: the <h1> starts at {found['h1']:.0f} px (limit {HEADING_TOP_MAX})")
    if found["scrollWidth"] > found["viewport"]:
        problems.append(
            f"{path} at {size}: scrolls sideways ({found['scrollWidth']} px wide in {found['viewport']}): "
            + "; ".join(found["wide"])
        )
    if found["small"]:
        problems.append(f"{path} at {size}: targets under 44×44: " + "; ".join(found["small"]))
    if phone:
        blocking = [v for v in Axe().run(page).response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            problems.append(format_violations(page.url, blocking))
    return problems


@pytest.mark.parametrize("role", ROLES, ids=[role or "visitor" for role in ROLES])
def test_every_main_page_fits_a_phone_and_a_desktop(
    role: str | None, demo: dict[str | None, list[str]], browser: Browser, base_url: str
) -> None:
    problems: list[str] = []
    for viewport in (PHONE, DESKTOP):
        context = _context(browser, base_url, viewport)
        page = context.new_page()
        if role is not None:
            sign_in(page, demo_email(role), DEMO_PASSWORD)
        for path in ["/dashboard/"] * (role is not None) + demo.get(role, []):
            problems += _check(page, path, phone=viewport is PHONE)
        context.close()
    assert not problems, f"{role or 'visitor'}:\n" + "\n".join(problems)


def _menu(page: Page):
    return page.locator("header details.site-menu")


def test_the_phone_menu_opens_and_closes_by_keyboard(demo, browser: Browser, base_url: str) -> None:
    context = _context(browser, base_url, PHONE)
    page = context.new_page()
    sign_in(page, demo_email("learner"), DEMO_PASSWORD)
    menu, button = _menu(page), page.locator("header .site-menu-button")
    learn = page.get_by_role("navigation", name="Main").get_by_role("link", name="Learn", exact=True)
    expect(learn).to_be_hidden()
    # The top bar on a phone: the logo, the unread count and the menu button.
    expect(page.locator("header .nav-alert")).to_be_visible()

    button.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    expect(learn).to_be_visible()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()  # the person's menu is in it
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(learn).to_be_hidden()
    expect(button).to_be_focused()

    page.keyboard.press("Space")
    expect(learn).to_be_visible()
    page.keyboard.press("Tab")  # into the menu: Escape still closes it and focus goes back
    page.keyboard.press("Escape")
    expect(learn).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    expect(learn).to_be_hidden()
    context.close()


def test_the_phone_menu_opens_and_closes_by_touch(demo, browser: Browser, base_url: str) -> None:
    context = _context(browser, base_url, PHONE, touch=True)
    page = context.new_page()
    page.goto("/learn/courses/")
    menu, button = _menu(page), page.locator("header .site-menu-button")
    join = page.get_by_role("navigation", name="Main").get_by_role("button", name="Join Ascend")
    expect(join).to_be_hidden()

    button.tap()
    expect(join).to_be_visible()
    button.tap()
    expect(join).to_be_hidden()

    button.tap()
    expect(menu).to_have_attribute("open", "")
    # A tap outside closes it: on the bar's empty middle, between the logo and the button.
    brand, menu_box = page.locator("header .brand").bounding_box(), button.bounding_box()
    assert brand is not None
    assert menu_box is not None
    page.touchscreen.tap((brand["x"] + brand["width"] + menu_box["x"]) / 2, menu_box["y"] + menu_box["height"] / 2)
    expect(menu).not_to_have_attribute("open", "")
    expect(join).to_be_hidden()

    button.tap()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentoring", exact=True).tap()
    expect(page).to_have_url(f"{base_url}/mentors/")
    expect(
        page.get_by_role("navigation", name="Mentoring pages").get_by_role("link", name="Mentors")
    ).to_have_attribute("aria-current", "page")
    context.close()


def test_the_desktop_bar_is_one_line_and_the_persons_menu_opens_by_keyboard(
    demo, browser: Browser, base_url: str
) -> None:
    context = _context(browser, base_url, DESKTOP)
    page = context.new_page()
    sign_in(page, demo_email("manager"), DEMO_PASSWORD)
    main_nav = page.get_by_role("navigation", name="Main")
    tops = page.evaluate(
        """() => [...document.querySelectorAll("header .site-nav .brand, header .nav-sections > li")]
                 .map((el) => Math.round(el.getBoundingClientRect().top))"""
    )
    assert len(set(tops)) == 1, f"the logo and the entries are on more than one line: {tops}"
    expect(page.locator("header .site-menu-button")).to_be_hidden()
    for name in ("Home", "Learn", "Mentoring", "Grow", "Care"):
        expect(main_nav.get_by_role("link", name=name, exact=True)).to_be_visible()

    audit = main_nav.get_by_role("link", name="Audit log")
    expect(audit).to_be_hidden()
    page.locator("header .account-menu > summary").focus()
    page.keyboard.press("Enter")
    expect(audit).to_be_visible()
    page.keyboard.press("Escape")
    expect(audit).to_be_hidden()
    page.locator("header .account-menu > summary").click()
    expect(audit).to_be_visible()
    page.locator("main h1").click()
    expect(audit).to_be_hidden()
    context.close()
