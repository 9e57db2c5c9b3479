"""The installable app (core/pwa.py): the manifest, the service worker served from the site
root, the offline page, Clear-Site-Data on sign-out, and a Content-Security-Policy that lets
the browser load the worker and the manifest."""

import json
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from accounts.tests.factories import UserFactory
from core import pwa

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_manifest_describes_an_installable_app(client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "no-cache" in response["Cache-Control"]
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Ascend"
    assert manifest["start_url"] == "/dashboard/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1f4e8c"  # --pico-primary in static/css/app.css
    assert manifest["background_color"] == "#ffffff"
    assert manifest["description"]
    by_purpose = {(icon["sizes"], icon["purpose"]): icon for icon in manifest["icons"]}
    assert set(by_purpose) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


def test_every_icon_is_a_png_of_its_declared_size() -> None:
    names = ["img/icon-192.png", "img/icon-512.png", "img/icon-maskable-512.png", "img/apple-touch-icon.png"]
    for icon in pwa.icons():
        assert icon["src"].startswith("/static/img/")
    declared = {icon["src"].removeprefix("/static/"): icon["sizes"] for icon in pwa.icons()}
    declared["img/apple-touch-icon.png"] = "180x180"
    for name in names:
        path = finders.find(name)
        assert path, f"{name} is missing"
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == declared[name]
    with Image.open(finders.find("img/icon-maskable-512.png")) as image:
        # Maskable: full bleed, no transparent corner for the launcher's mask to show.
        assert image.convert("RGBA").getpixel((0, 0))[3] == 255


def test_the_service_worker_is_served_from_the_root_with_its_configuration(client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    config = json.loads(re.search(r"self\.ASCEND_SW = (\{.*\});", script).group(1))
    assert config["offline"] == "/offline/"
    assert config["personalCache"] == pwa.PERSONAL_CACHE
    assert "/offline/" in config["shell"]
    assert "/manifest.webmanifest" not in config["shell"]  # in the language of whoever asked
    assert static("css/app.css") in config["shell"]
    assert response["ETag"] == f'"{config["version"]}"'
    with open(finders.find("js/sw.js"), encoding="utf-8") as source:
        assert script.endswith(source.read())  # the static file's code, unchanged


def test_the_installable_app_s_addresses_answer_only_get(client) -> None:
    for path in ("/manifest.webmanifest", "/sw.js", "/offline/"):
        assert client.post(path).status_code == 405


def test_the_service_worker_answers_304_while_unchanged(client) -> None:
    etag = client.get("/sw.js")["ETag"]
    response = client.get("/sw.js", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert client.get("/sw.js", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_precached_shell_exists() -> None:
    for name in pwa.SHELL_STATIC:
        assert finders.find(name), f"{name} is precached but is no static file"


def test_the_cache_version_follows_the_static_files(tmp_path) -> None:
    version, _script = pwa.service_worker_build()
    assert pwa.service_worker_build()[0] == version  # stable while nothing changes
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "extra.css").write_text("p { color: red; }")
    with override_settings(STATICFILES_DIRS=[*settings.STATICFILES_DIRS, tmp_path]):
        finders.get_finder.cache_clear()
        try:
            changed = pwa.service_worker_build()[0]
        finally:
            finders.get_finder.cache_clear()
    assert changed != version


def test_with_a_static_manifest_the_version_is_the_manifest_s(monkeypatch) -> None:
    """Production (CompressedManifestStaticFilesStorage): the manifest's hash, built once."""
    pwa._service_worker_build_cached.cache_clear()
    monkeypatch.setattr(pwa, "staticfiles_storage", SimpleNamespace(manifest_hash="deploy-1"))
    first = pwa.service_worker_build()[0]
    assert pwa.service_worker_build()[0] == first
    assert pwa._service_worker_build_cached.cache_info().hits == 1
    pwa._service_worker_build_cached.cache_clear()  # the next deploy: a new process
    monkeypatch.setattr(pwa, "staticfiles_storage", SimpleNamespace(manifest_hash="deploy-2"))
    second = pwa.service_worker_build()[0]
    pwa._service_worker_build_cached.cache_clear()
    assert first != second


def test_the_offline_page_is_the_same_for_everybody(client) -> None:
    user = UserFactory(first_name="Secretname")
    anonymous = client.get("/offline/")
    assert anonymous.status_code == 200
    assert "no-cache" in anonymous["Cache-Control"]
    html = anonymous.content.decode()
    assert "You are offline" in html
    assert f'data-personal-cache="{pwa.PERSONAL_CACHE}"' in html
    assert f'data-habits-key="{pwa.HABITS_SNAPSHOT_KEY}"' in html
    assert 'data-max-age="86400"' in html  # a day
    assert 'data-datetime-format="j M Y, H:i"' in html  # config/formats/en: 6 Dec 2026, 14:30
    assert static("js/offline.js") in html
    assert "<script>" not in html  # no inline script (CSP)
    client.force_login(user)
    signed_in = client.get("/offline/").content.decode()
    assert "Secretname" not in signed_in
    assert user.email not in signed_in
    assert "csrfmiddlewaretoken" not in signed_in
    assert signed_in == html


def test_every_page_links_the_manifest_and_registers_the_worker(client) -> None:
    html = client.get(reverse("home")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f'<meta name="theme-color" content="{pwa.THEME_COLOR}">' in html
    assert '<meta name="description" content="Learn, get mentored, grow, and look after yourself.">' in html
    assert f'<link rel="apple-touch-icon" href="{static("img/apple-touch-icon.png")}">' in html
    register = re.search(r'<script src="[^"]*sw-register\.js"[^>]*>', html).group(0)
    assert 'data-worker="/sw.js"' in register
    assert f'data-personal-cache="{pwa.PERSONAL_CACHE}"' in register
    assert f'data-habits-key="{pwa.HABITS_SNAPSHOT_KEY}"' in register
    assert 'data-signed-in="false"' in register
    assert 'data-snapshot-owner=""' in register
    client.force_login(UserFactory())
    assert 'data-signed-in="true"' in client.get(reverse("home")).content.decode()


def _snapshot_owner_shown(client) -> str:
    html = client.get(reverse("dashboard")).content.decode()
    register = re.search(r'<script src="[^"]*sw-register\.js"[^>]*>', html).group(0)
    return re.search(r'data-snapshot-owner="([^"]*)"', register).group(1)


def test_signed_in_pages_carry_an_opaque_key_of_the_person_for_the_saved_habits(client) -> None:
    """sw-register.js saves the habits with this key and deletes habits saved with another."""
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    key = _snapshot_owner_shown(client)
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert key == pwa.snapshot_owner(first)
    assert _snapshot_owner_shown(client) == key  # stable across pages and sessions
    client.logout()
    client.force_login(first)
    assert _snapshot_owner_shown(client) == key
    client.force_login(second)
    assert _snapshot_owner_shown(client) not in (key, "")
    assert key not in (str(first.pk), first.email)
    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only-0123456789"):
        assert pwa.snapshot_owner(first) != key  # an HMAC with the site's secret, not a plain hash


def test_the_head_lines_come_from_core_pwa(client) -> None:
    """templates/includes/pwa_head.html spells out none of core.pwa's constants."""
    with open(settings.BASE_DIR / "templates" / "includes" / "pwa_head.html", encoding="utf-8") as template:
        source = template.read()
    for constant in (pwa.THEME_COLOR, pwa.PERSONAL_CACHE, pwa.HABITS_SNAPSHOT_KEY):
        assert constant not in source
    html = client.get(reverse("home")).content.decode()
    assert f'content="{pwa.THEME_COLOR}"' in html
    assert f'data-personal-cache="{pwa.PERSONAL_CACHE}"' in html


def test_signing_out_clears_the_site_data(client) -> None:
    client.force_login(UserFactory())
    assert "Clear-Site-Data" not in client.get(reverse("dashboard"))
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_signing_out_through_the_headless_api_clears_the_site_data(client) -> None:
    client.force_login(UserFactory())
    response = client.delete("/_allauth/browser/v1/auth/session")
    assert response.status_code == 401  # allauth's answer once signed out
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_no_other_response_clears_the_site_data(client) -> None:
    assert "Clear-Site-Data" not in client.post(reverse("account_logout"))  # nobody was signed in
    assert "Clear-Site-Data" not in client.get(reverse("home"))


def test_the_content_security_policy_allows_the_worker_and_the_manifest(client) -> None:
    directives = _csp(client.get(reverse("home")))
    assert directives["worker-src"] == ["'self'"]
    assert directives["manifest-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # still no inline script
