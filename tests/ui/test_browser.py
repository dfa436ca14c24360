"""A real browser (Debian's chromium driven by Playwright) using the chat and the viewer."""

import os

import pytest

from tests.helpers import ROOT
from tests.helpers.users import INSTRUCTOR, TRAINEE

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "test-output"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


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


# Minutes written for the test, about things the corpus never mentions, in the colon layout of transcripts.
LOGISTICS = (
    "Logistics committee, 2026-03-04\n\n"
    "The CHAIRPERSON: We open the session on the Zanzibar depot.\n\n"
    "Ms QUIMBY: The Zanzibar depot will store forty-two water purification units for the mission "
    "from next spring, and the convoy leaves every second Tuesday.\n\n"
    "The CHAIRPERSON: Thank you. The session is closed.\n"
)


def sign_in(browser, url, user):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + "/")
    page.locator("input[type=text]").fill(user[0])
    page.locator("input[type=password]").fill(user[1])
    page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").wait_for(timeout=30_000)
    return page


def open_minutes_tab(page):
    page.get_by_role("tab", name="Minutes").click()
    page.locator("#documents").wait_for()


def test_trainee_sees_no_minutes_tab(class_server, browser):
    url, _ = class_server
    page = sign_in(browser, url, TRAINEE)
    page.get_by_role("tab", name="Chat").wait_for()
    assert page.get_by_role("tab", name="Minutes").count() == 0 and page.locator("#upload").count() == 0
    page.close()


def test_instructor_uploads_asks_follows_the_citation_and_removes(class_server, browser, tmp_path):
    url, root = class_server
    minutes = tmp_path / "2026-03-04-logistics.txt"
    minutes.write_text(LOGISTICS, encoding="utf-8")
    page = sign_in(browser, url, INSTRUCTOR)
    open_minutes_tab(page)
    page.locator("#upload input[type=file]").set_input_files(str(minutes))
    page.locator("#library-status .mr-done").wait_for(timeout=120_000)
    assert "2026-03-04-logistics.txt: added" in page.locator("#library-status").inner_text()
    assert "2026-03-04-logistics" in page.locator("#documents").inner_text()
    page.screenshot(path=str(SHOTS / "minutes-tab.png"), full_page=True)

    page.get_by_role("tab", name="Chat").click()
    page.get_by_text("Filters and settings").click()
    page.locator("#docs input").click()
    assert page.get_by_role("option", name="Logistics committee, 2026-03-04 (2026-03-04)").count() == 1
    page.keyboard.press("Escape")
    ask(page, "How many water purification units will the Zanzibar depot store?")
    link = page.locator("#chat a.mr-cite").first
    link.wait_for(timeout=60_000)
    assert "Logistics committee, 2026-03-04" in page.locator("#sources").inner_text()  # only the new minutes answer
    href = link.get_attribute("href")
    assert href.startswith("/minutes/2026-03-04-logistics#p")
    with page.context.expect_page() as opened:
        link.click()
    viewer = opened.value
    viewer.wait_for_load_state()
    target = viewer.locator("#" + href.split("#")[1])
    assert "target" in target.get_attribute("class") and "Zanzibar depot" in target.inner_text()
    assert "forty-two water purification units" in viewer.locator("main").inner_text()
    viewer.close()

    open_minutes_tab(page)
    page.locator("#remove-doc input").fill("2026-03-04-logistics")
    page.keyboard.press("Enter")
    page.locator("#remove").click()
    page.get_by_text("2026-03-04-logistics: removed").wait_for(timeout=60_000)
    assert "2026-03-04-logistics" not in page.locator("#documents").inner_text()
    assert not (root / "corpus" / "2026-03-04-logistics.txt").exists()
    page.close()


def test_a_broken_upload_shows_its_reason_and_changes_nothing(class_server, browser, tmp_path):
    url, root = class_server
    broken = tmp_path / "scanned.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a PDF")
    files_before = sorted((root / "corpus").iterdir())
    page = sign_in(browser, url, INSTRUCTOR)
    open_minutes_tab(page)
    table_before = page.locator("#documents").inner_text()
    page.locator("#upload input[type=file]").set_input_files(str(broken))
    error = page.locator("#library-status .mr-error")
    error.wait_for(timeout=60_000)
    assert error.inner_text().startswith("⚠ scanned.pdf: not a readable PDF") and "\n" not in error.inner_text()
    assert page.locator("#documents").inner_text() == table_before
    assert sorted((root / "corpus").iterdir()) == files_before
    page.close()
