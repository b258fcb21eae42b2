"""The keyboard in a real headless Chromium (issue 21, item 6): the arrow keys go to the
previous and next day on a day page, never while typing; the header search overlay closes
when focus leaves it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_arrow_keys_go_to_the_previous_and_next_day_and_say_so(page, sample_url: str):
    p = page.page
    p.goto(sample_url + "archive/2025/12/23/")
    previous, following = p.locator('a[rel="prev"]'), p.locator('a[rel="next"]')
    assert previous.get_attribute("aria-keyshortcuts") == "ArrowLeft"
    assert following.get_attribute("aria-keyshortcuts") == "ArrowRight"
    hint = p.locator(".pa-keys")
    assert hint.is_visible() and hint.inner_text() == "Keys ← →: previous and next day"

    p.keyboard.press("ArrowRight")
    p.wait_for_url("**/archive/2025/12/24/")
    p.keyboard.press("ArrowLeft")
    p.wait_for_url("**/archive/2025/12/23/")
    p.keyboard.press("ArrowLeft")
    p.wait_for_url("**/archive/2025/12/22/")

    # Typing in the search box moves its caret, not the page; nor does a modified key.
    box = p.locator("input.md-search__input")
    box.click()
    box.type("agents")
    p.keyboard.press("ArrowLeft")
    p.keyboard.press("Escape")
    p.keyboard.press("Alt+ArrowRight")
    p.wait_for_timeout(300)
    assert p.url.endswith("/archive/2025/12/22/")
    assert page.errors == [], page.failed


def test_the_first_day_has_no_previous_key(page, sample_url: str):
    p = page.page
    p.goto(sample_url + "archive/2025/06/30/")
    assert p.locator('a[rel="prev"]').count() == 0
    assert p.locator(".pa-keys").inner_text() == "Keys ← →: next day"
    p.keyboard.press("ArrowLeft")
    p.wait_for_timeout(300)
    assert p.url.endswith("/archive/2025/06/30/")


def test_the_search_overlay_closes_when_focus_tabs_out_of_it(page, sample_url: str):
    p = page.page
    p.goto(sample_url + "archive/")
    toggle = p.locator("#__search")
    box = p.locator("input.md-search__input")
    box.focus()
    assert toggle.is_checked(), "focus in the box opens the overlay"
    overlay = p.locator(".md-search__overlay")
    for _ in range(6):  # out of the box, on to the header's next controls
        p.keyboard.press("Tab")
        if not p.evaluate(
            "() => document.querySelector('[data-pa-search]').contains(document.activeElement)"
        ):
            break
    assert not toggle.is_checked()
    overlay.wait_for(state="hidden")
    focused = p.evaluate("() => document.activeElement.closest('[data-pa-search]') === null")
    assert focused
    # Clicking the box's blank part keeps it open.
    box.focus()
    assert toggle.is_checked()
    p.locator(".md-search-result__meta").click()
    assert toggle.is_checked()
    assert page.errors == [], page.failed
