"""The ecosystem map in a real browser, with no tile server reachable (as on this machine)."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_directory_journey import sign_in_with_totp
from tocsin.core.demo import DEMO_DOMAIN, load_demo
from tocsin.directory.models import Organisation
from tocsin.resources.selectors import map_features

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_shows_the_demo_territory_its_organisations_and_resources(page):
    cpts = load_demo()["cpts"]
    resources = map_features(cpts)
    assert any(f["properties"]["kind"] == "premises" for f in resources)
    placed = Organisation.objects.filter(cpts=cpts, latitude__isnull=False).count() + len(resources)
    sign_in_with_totp(page, f"referent@{DEMO_DOMAIN}")
    page.get_by_role("link", name="Carte").click()

    page.locator("#map[data-ready=true]").wait_for()
    assert page.locator("#map path.leaflet-interactive").count() >= 29 + placed
    assert page.locator("#map").get_attribute("data-points") == str(placed)
    screenshot(page, "map-demo")

    page.get_by_label("Organisations").uncheck()
    # Markers can overlap (a capacity sits on its hospital): aim at one premises precisely.
    page.locator("#map path.leaflet-interactive[fill='#1f6f3a']").first.dispatch_event("click")
    assert "(démo)" in page.locator(".leaflet-popup-content").last.inner_text()
    assert (
        "Local" in page.locator(".leaflet-popup-content").last.inner_text()
        or "Gymnase" in (page.locator(".leaflet-popup-content").last.inner_text())
        or "Salle" in page.locator(".leaflet-popup-content").last.inner_text()
    )
    page.get_by_label("Organisations").check()

    page.get_by_label("Type").select_option("pharmacie")
    assert "4 points affichés" in page.locator("[data-map-status]").inner_text()
    page.locator("#map path.leaflet-interactive[fill='#0b4f9c']").first.click(force=True)
    assert "Pharmacie" in page.locator(".leaflet-popup-content").last.inner_text()
