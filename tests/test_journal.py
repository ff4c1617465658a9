"""The journal site: plan with computed marks, lesson pages with MathML, figures, parity tables."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from mlweekly import curriculum, journal

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
VERIFIED_ID, FAILING_ID, NOT_RUN_ID = "P1.01", "P1.02", "P1.03"

NOTES = r"""# P1.01 · Linear regression
The estimate is $\hat\beta = (X^\top X)^{-1} X^\top y$, the minimiser of

$$
\mathcal{L}(\beta) = \lVert y - X\beta \rVert_2^2 .
$$

See [the paper](https://example.org/paper). Raw HTML is text: <script>alert("notes")</script>.
"""


def _png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=50)
    ax.plot([0, 1, 2], [0, 1, 4])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _notebook(path: Path, *, error: bool = False) -> None:
    code = v4.new_code_cell("plt.plot(x, y); plt.show()\nprint('fitted <ok>')", execution_count=1)
    code.outputs = [
        v4.new_output("stream", name="stdout", text="fitted <ok>\n"),
        v4.new_output("display_data",
                      data={"image/png": _png(), "text/plain": "<Figure size 100x75 with 1 Axes>"}),
    ]
    table = v4.new_code_cell("frame", execution_count=2)
    table.outputs = [v4.new_output(
        "execute_result", execution_count=2,
        data={"text/html": '<table class="dataframe"><tr><td>0.5</td></tr></table>', "text/plain": "0.5"},
    )]
    cells = [v4.new_markdown_cell(NOTES), code, table]
    if error:
        boom = v4.new_code_cell("1 / 0", execution_count=3)
        boom.outputs = [v4.new_output(
            "error", ename="ZeroDivisionError", evalue="division by zero",
            traceback=["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"],
        )]
        cells.append(boom)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(v4.new_notebook(cells=cells), path)


def _record(quantity: str, passed: bool) -> dict:
    return {
        "lesson": "", "quantity": quantity, "ours": "0.5", "reference": "0.5" if passed else "0.7",
        "atol": 1e-10, "rtol": 0.0, "passed": passed, "max_abs_err": 0.0 if passed else 0.2,
        "max_rel_err": 0.0 if passed else 0.29, "ours_time": 0.002, "reference_time": 0.001,
        "why": "same normal equations in float64", "detail": "" if passed else "1 of 1 elements outside",
        "time_ratio": 2.0,
    }


def _lesson(item_id: str, status: str, records: list[dict], error: str | None) -> dict:
    item = curriculum.get(item_id)
    return {
        "id": item.id, "title": item.title, "area": item.area,
        "lesson_path": f"lessons/{item.area}/{item.slug}.py", "status": status, "error": error,
        "duration": 3.2, "ran_at": "2025-05-01T10:00:00+0000", "notebook": f"notebooks/{item.id}.ipynb",
        "records": records,
    }


def make_journal(root: Path) -> Path:
    """A journal folder with results for a verified and a failing lesson; lesson files for three items.

    ``curriculum.LESSONS_DIR`` must point at ``root / "lessons"`` (the tests monkeypatch it).
    """
    for item_id in (VERIFIED_ID, FAILING_ID, NOT_RUN_ID):
        path = curriculum.get(item_id).lesson_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# %%\n", encoding="utf-8")
    journal_dir = root / "journal"
    _notebook(journal_dir / "notebooks" / f"{VERIFIED_ID}.ipynb")
    _notebook(journal_dir / "notebooks" / f"{FAILING_ID}.ipynb", error=True)
    results = {
        "updated": "2025-05-01T10:00:05+0000",
        "versions": {"python": "3.11.9", "scikit-learn": "1.9.0"},
        "lessons": {
            VERIFIED_ID: _lesson(VERIFIED_ID, "verified", [_record("coef_", True)], None),
            FAILING_ID: _lesson(FAILING_ID, "failing", [_record("coef_", True), _record("proba", False)],
                                "ZeroDivisionError: division by zero <in cell 3>"),
        },
    }
    (journal_dir / "results.json").write_text(json.dumps(results), encoding="utf-8")
    return journal_dir


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(curriculum, "LESSONS_DIR", tmp_path / "lessons")
    journal_dir = make_journal(tmp_path)
    index = journal.build(journal_dir)
    assert index == journal_dir / "index.html"
    return journal_dir


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------- index
def test_index_lists_every_plan_item_in_order_with_its_mark(site):
    html = _read(site / "index.html")
    rows = re.findall(r'<tr class="([\w-]+)" data-id="([^"]+)" data-mark="([^"]+)">', html)
    assert [row[1] for row in rows] == [item.id for item in curriculum.ITEMS]
    marks = {item_id: mark for _, item_id, mark in rows}
    assert marks[VERIFIED_ID] == "verified"
    assert marks[FAILING_ID] == "failing"
    assert marks[NOT_RUN_ID] == "not run"
    assert marks["P1.04"] == "no lesson"
    assert marks["PF1"] == "not run"  # a portfolio goal is ticked by its dependencies only
    css = {item_id: cls for cls, item_id, _ in rows}
    assert (css[VERIFIED_ID], css[FAILING_ID], css[NOT_RUN_ID], css["P1.04"]) == (
        "verified", "failing", "not-run", "no-lesson")


def test_index_rows_show_icon_word_and_link(site):
    html = _read(site / "index.html")
    row = re.search(rf'data-id="{re.escape(FAILING_ID)}".*?</tr>', html, re.S).group(0)
    assert 'href="lessons/P1.02.html"' in row
    assert "✘" in row and "failing" in row and "1/2" in row  # one of two checks passed
    row = re.search(r'data-id="P1.04".*?</tr>', html, re.S).group(0)
    assert "href=" not in row and "no lesson" in row
    row = re.search(r'data-id="PF2".*?</tr>', html, re.S).group(0)
    assert "✅" not in row and "ticked when 1 of PJ3, PJ4 is verified" in row


def test_index_groups_items_under_phase_and_plan_headings(site):
    html = _read(site / "index.html")
    headings = re.findall(r"<h[23]>([^<]+)</h[23]>", html)
    expected = []
    for phase in curriculum.PHASES:
        expected.append(phase)
        expected += list(dict.fromkeys(i.group for i in curriculum.ITEMS if i.phase == phase))
    expected = [h.replace("&", "&amp;") for h in expected]
    assert headings[1:-1] == expected  # first: "Overall", last: "Versions"


def _counts(html: str, name: str) -> dict[str, int]:
    block = re.search(rf'data-counts="{re.escape(name)}">(.*?)</div>', html, re.S).group(1)
    return {mark: int(n) for mark, n in re.findall(r'data-mark="([^"]+)" data-n="(\d+)"', block)}


def test_index_counts_per_phase_and_overall(site):
    html = _read(site / "index.html")
    n_phase1 = sum(item.phase == "Phase I" for item in curriculum.ITEMS)
    assert _counts(html, "Phase I") == {"verified": 1, "failing": 1, "not run": 1, "no lesson": n_phase1 - 3}
    assert _counts(html, "Portfolio") == {"verified": 0, "failing": 0, "not run": 5, "no lesson": 0}
    n_all = len(curriculum.ITEMS)
    assert _counts(html, "overall") == {"verified": 1, "failing": 1, "not run": 6, "no lesson": n_all - 8}


def test_index_shows_last_run_and_versions(site):
    html = _read(site / "index.html")
    assert "2025-05-01 10:00 +0000" in html
    assert "<td>scikit-learn</td><td><code>1.9.0</code></td>" in html


def test_build_without_results_shows_the_plan(tmp_path, monkeypatch):
    monkeypatch.setattr(curriculum, "LESSONS_DIR", tmp_path / "lessons")
    html = _read(journal.build(tmp_path / "journal"))
    assert _counts(html, "overall")["no lesson"] == len(curriculum.ITEMS) - 5
    assert "No run recorded yet" in html


# ------------------------------------------------------------------------------------- lesson page
def test_lesson_page_renders_maths_as_mathml(site):
    html = _read(site / "lessons" / f"{VERIFIED_ID}.html")
    maths = re.findall(r'<math xmlns="http://www.w3.org/1998/Math/MathML" display="(\w+)"', html)
    assert maths.count("inline") >= 1 and maths.count("block") >= 1
    assert "$" not in html.split('id="notebook"')[1]  # no LaTeX delimiters left
    assert "maths-fallback" not in html


def test_lesson_page_has_title_status_and_navigation(site):
    html = _read(site / "lessons" / f"{VERIFIED_ID}.html")
    assert "Linear Regression (theory + from scratch)" in html and VERIFIED_ID in html
    assert '<span class="mark verified">' in html
    assert 'href="../index.html"' in html and 'href="P1.02.html"' in html
    assert 'href="../style.css"' in html and 'href="../notebooks/P1.01.ipynb"' in html
    # One <h1> per page: the lesson's own "# title" is demoted under it.
    assert html.count("<h1>") == 1 and "<h2>P1.01 · Linear regression</h2>" in html


def test_figure_is_a_png_file_not_inline_base64(site):
    html = _read(site / "lessons" / f"{VERIFIED_ID}.html")
    srcs = re.findall(r'<img src="([^"]+)"', html)
    assert srcs == [f"{VERIFIED_ID}/fig-1.png"]
    assert (site / "lessons" / srcs[0]).read_bytes().startswith(PNG_MAGIC)
    assert "base64" not in html and "data:" not in html


def test_text_and_html_outputs(site):
    html = _read(site / "lessons" / f"{VERIFIED_ID}.html")
    assert "fitted &lt;ok&gt;" in html  # stream text escaped
    assert '<table class="dataframe"><tr><td>0.5</td></tr></table>' in html  # lesson html kept


def test_parity_table_shows_pass_and_fail_rows(site):
    html = _read(site / "lessons" / f"{FAILING_ID}.html")
    table = re.search(r'<table class="parity">.*?</table>', html, re.S).group(0)
    rows = re.findall(r'<tr class="(pass|fail)">(.*?)</tr>', table, re.S)
    assert [cls for cls, _ in rows] == ["pass", "fail"]
    assert "✔ pass" in rows[0][1] and "✘ FAIL" in rows[1][1]
    assert "proba" in rows[1][1] and "2.00e-01" in rows[1][1] and "atol 1e-10" in rows[1][1]
    assert "2 ms" in rows[1][1] and "1 ms" in rows[1][1] and "2.00×" in rows[1][1]
    assert "1 of 1 elements outside" in table and "same normal equations in float64" in table
    assert "1 of 2 passed" in html


def test_failing_lesson_shows_error_prominently(site):
    html = _read(site / "lessons" / f"{FAILING_ID}.html")
    alert = re.search(r'<div class="alert" role="alert">(.*?)</div>', html, re.S).group(1)
    assert "This lesson is failing" in alert
    assert "ZeroDivisionError: division by zero &lt;in cell 3&gt;" in alert
    assert '<div class="output error">' in html and "\x1b" not in html
    assert '<span class="mark failing">' in html
    assert "This lesson is failing" not in _read(site / "lessons" / f"{VERIFIED_ID}.html")


def test_missing_notebook_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(curriculum, "LESSONS_DIR", tmp_path / "lessons")
    journal_dir = make_journal(tmp_path)
    (journal_dir / "notebooks" / f"{VERIFIED_ID}.ipynb").unlink()
    journal.build(journal_dir)
    html = _read(journal_dir / "lessons" / f"{VERIFIED_ID}.html")
    assert "No executed notebook" in html and "notebooks/P1.01.ipynb" in html


def test_rebuild_drops_figures_of_an_older_run(site):
    stale = site / "lessons" / VERIFIED_ID / "fig-9.png"
    stale.write_bytes(PNG_MAGIC)
    journal.build(site)
    assert not stale.exists()
    assert (site / "lessons" / VERIFIED_ID / "fig-1.png").exists()


def test_text_is_escaped_everywhere(site):
    html = _read(site / "lessons" / f"{VERIFIED_ID}.html")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;notes&#34;)&lt;/script&gt;" in html or \
        "&lt;script&gt;alert(&quot;notes&quot;)&lt;/script&gt;" in html


class _Resources(HTMLParser):
    """Collects every URL a page *loads* (not anchors, which are only followed on a click)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        for name in ("src", "srcset", "data", "poster"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if attrs.get("style"):
            self.urls += re.findall(r"url\(([^)]*)\)", attrs["style"])


def test_no_external_resources(site):
    pages = [site / "index.html", *sorted((site / "lessons").glob("*.html"))]
    assert len(pages) == 3
    for page in pages:
        parser = _Resources()
        parser.feed(_read(page))
        assert "script" not in parser.tags, page
        assert parser.urls, page  # at least the stylesheet
        for url in parser.urls:
            assert not re.match(r"^\s*(https?:)?//", url), (page, url)
            assert (page.parent / url).exists(), (page, url)  # relative and present: works from file://
    css = _read(site / "style.css")
    assert "@import" not in css and not re.search(r"url\(", css)
    assert ".highlight" in css  # pygments' rules are inlined in the stylesheet
    # An anchor to a paper is a link, not a resource; it is allowed.
    assert 'href="https://example.org/paper"' in _read(site / "lessons" / f"{VERIFIED_ID}.html")


# ------------------------------------------------------------------------------------------- maths
def test_latex_to_mathml_inline_and_display():
    inline = journal.latex_to_mathml(r"\hat\beta = (X^\top X)^{-1} X^\top y")
    assert inline.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">')
    assert "<mfrac>" in journal.latex_to_mathml(r"\frac{a}{b}", display=True)
    assert 'display="block"' in journal.latex_to_mathml("x", display=True)


def test_aligned_environment_becomes_a_table():
    out = journal.latex_to_mathml(r"\begin{aligned} a &= b \\ c &= d \end{aligned}", display=True)
    assert "<mtable" in out and out.count("<mtr>") == 2
    out = journal.latex_to_mathml(r"\hat y = \arg\max_k f_k(x) \label{eq:argmax}")
    assert "<mo>arg</mo>" in out and "eq:argmax" not in out


@pytest.mark.parametrize("latex", [r"\notacommand{x}", r"\begin{eqnarray} a &= b \end{eqnarray}"])
def test_unconvertible_maths_raises_and_falls_back_to_source(latex, caplog):
    with pytest.raises(journal.MathsError):
        journal.latex_to_mathml(latex)
    with caplog.at_level(logging.WARNING, logger="mlweekly.journal"):
        html = journal.render_markdown(f"before $${latex}$$ after")
    assert '<code class="maths-fallback display"' in html and "<math" not in html
    assert "maths shown as LaTeX source" in caplog.text


def test_dollars_for_money_are_not_maths():
    assert journal.maths_expressions("costs $5 and $10 today") == []
    assert journal.maths_expressions(r"$a$ then $$b$$") == [("a", False), ("b", True)]


def _lesson_maths() -> list[tuple[str, str, bool]]:
    import jupytext

    found = []
    for path in sorted(curriculum.LESSONS_DIR.glob("*/*.py")):
        for cell in jupytext.read(path).cells:
            if cell.cell_type == "markdown":
                maths = journal.maths_expressions(cell.source)
                found += [(path.name, latex, display) for latex, display in maths]
    return found


def test_every_maths_expression_in_the_lessons_converts():
    found = _lesson_maths()
    if not found:
        pytest.skip(f"no lesson with maths under {curriculum.LESSONS_DIR} yet")
    failures = []
    for name, latex, display in found:
        try:
            journal.latex_to_mathml(latex, display=display)
        except journal.MathsError as exc:
            failures.append(f"{name}: {exc}")
    assert not failures, "\n".join(failures)


def test_progress_bar_lines_keep_their_last_state():
    from mlweekly.journal import _plain

    assert _plain("epoch 1:   0%|\r epoch 1: 100%| loss 0.3\nnext\r\n") == " epoch 1: 100%| loss 0.3\nnext\n"
    assert _plain(["\x1b[31mred\x1b[0m", " text"]) == "red text"
