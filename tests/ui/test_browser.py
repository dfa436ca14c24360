"""A real browser (Debian's chromium driven by Playwright) using the chat and the viewer."""

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "test-output"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def ask(page, question):
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()


def test_ask_click_citation_and_land_on_the_highlighted_paragraph(server, browser):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "/")
    ask(page, "How much of the UN peacekeeping budget does Japan pay?")
    link = page.locator("#chat a.mr-cite").first
    link.wait_for(timeout=60_000)
    assert "10.8" in page.locator("#sources").inner_text()
    page.screenshot(path=str(SHOTS / "chat.png"), full_page=True)
    href = link.get_attribute("href")
    assert href.startswith("/minutes/") and "#p" in href
    with context.expect_page() as opened:
        link.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    anchor = href.split("#")[1]
    target = viewer.locator(f"#{anchor}")
    target.wait_for()
    assert "target" in target.get_attribute("class")
    assert viewer.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top") < 900
    viewer.screenshot(path=str(SHOTS / "viewer.png"))
    context.close()


def test_speaker_filter_and_export(server, browser):
    page = browser.new_page(viewport={"width": 420, "height": 900})  # a phone's width
    page.goto(server + "/")
    page.get_by_text("Filters and settings").click()
    page.locator("#speakers input").fill("Werner Klaffus")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    ask(page, "What happened in Afghanistan?")
    page.locator("#chat a.mr-cite").first.wait_for(timeout=60_000)
    sources = page.locator("#sources").inner_text()
    assert "Werner Klaffus" in sources
    cited = page.locator("#sources .mr-source strong").all_text_contents()  # the retrieved ones too, though folded
    assert cited and all(text.startswith("Werner Klaffus") for text in cited)
    page.locator("#export").click()
    download = page.locator("#download a").first
    download.wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "phone.png"), full_page=True)
    assert "conversation" in (download.get_attribute("href") or "") + download.inner_text()
    page.close()
