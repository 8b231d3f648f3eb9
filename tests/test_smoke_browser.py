"""The browser tooling itself works: Chromium loads a page from the live server."""

import pytest

pytestmark = pytest.mark.browser


def test_home_loads_in_chromium(live_server, phone):
    response = phone.goto(live_server.url + "/")
    assert response.status == 200
    assert phone.locator("h1").count() == 1
