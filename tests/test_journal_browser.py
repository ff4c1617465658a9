"""The journal in a real browser: headless Chromium renders the MathML and loads the figures offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlweekly import curriculum, journal

from .test_journal import FAILING_ID, PNG_MAGIC, VERIFIED_ID, make_journal

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("MLWEEKLY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"MLWEEKLY_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(curriculum, "LESSONS_DIR", tmp_path / "lessons")
    journal_dir = make_journal(tmp_path)
    journal.build(journal_dir)
    return journal_dir


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.requested = requested
    yield page
    context.close()


def _open(page, path: Path) -> None:
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    offline = [url for url in page.requested if not url.startswith("file://")]
    assert not offline, f"the page requested non-local resources: {offline}"


def _screenshot(page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000


def test_lesson_page_shows_maths_and_figure(site, page, tmp_path):
    _open(page, site / "lessons" / f"{VERIFIED_ID}.html")
    boxes = page.eval_on_selector_all(
        "math", "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return [e.getAttribute('display'), r.width, r.height]; })",
    )
    assert {display for display, _, _ in boxes} == {"inline", "block"}
    assert all(width > 0 and height > 0 for _, width, height in boxes), boxes
    # MathML laid out as maths: a fraction-free inline formula is wider than tall, and the display
    # formula sits on its own line, wider than any inline one.
    block_width = max(w for d, w, _ in boxes if d == "block")
    assert block_width > max(w for d, w, _ in boxes if d == "inline")
    natural = page.eval_on_selector("img", "img => [img.complete, img.naturalWidth, img.naturalHeight]")
    assert natural[0] and natural[1] > 0 and natural[2] > 0
    _screenshot(page, tmp_path / "lesson.png")


def test_failing_lesson_page_highlights_the_failure(site, page, tmp_path):
    _open(page, site / "lessons" / f"{FAILING_ID}.html")
    assert page.locator(".alert").first.is_visible()
    background = "tbody => getComputedStyle(tbody).backgroundColor"
    fail_bg = page.eval_on_selector("table.parity tbody.fail", background)
    pass_bg = page.eval_on_selector("table.parity tbody.pass", background)
    assert fail_bg != pass_bg and fail_bg != "rgba(0, 0, 0, 0)"
    _screenshot(page, tmp_path / "failing.png")


def test_index_renders_and_links_to_lessons(site, page, tmp_path):
    _open(page, site / "index.html")
    assert page.locator("table.plan tr[data-id]").count() == len(curriculum.ITEMS)
    stylesheet_applied = page.eval_on_selector("main", "m => getComputedStyle(m).maxWidth")
    assert stylesheet_applied == "900px"
    _screenshot(page, tmp_path / "index.png")
    page.click(f"a[href='lessons/{VERIFIED_ID}.html']")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"lessons/{VERIFIED_ID}.html")
    assert page.locator("math").count() >= 2
