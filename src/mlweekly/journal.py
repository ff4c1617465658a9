"""The journal: a static HTML site of the latest run that opens from the file system, offline.

:func:`build` reads ``<journal>/results.json`` (written by ``mlweekly run``) and the executed
notebooks beside it, and writes::

    <journal>/index.html              the plan, in PLAN.md's order, each item with its computed mark
    <journal>/style.css               the stylesheet (with pygments' highlighting rules appended)
    <journal>/lessons/<ID>.html       one page per lesson: verdict, parity table, notes, code, outputs
    <journal>/lessons/<ID>/fig-<n>.png  the lesson's figures, as files rather than inline base64

Nothing is fetched from the network: maths is converted to MathML here (Chromium, Firefox and Safari
render MathML Core natively, so no MathJax and no CDN), code is highlighted by pygments, and every
link between pages is relative so the site works from ``file://``.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from mlweekly import curriculum

__all__ = ["MathsError", "build", "latex_to_mathml", "maths_expressions", "render_markdown"]

log = logging.getLogger(__name__)

RESULTS_FILE = "results.json"
LESSONS_DIR = "lessons"

#: How each mark looks: (icon, css class). The word is the mark itself.
MARK_ICONS = {
    curriculum.VERIFIED: ("✔", "verified"),
    curriculum.FAILING: ("✘", "failing"),
    curriculum.NOT_RUN: ("○", "not-run"),
    curriculum.NO_LESSON: ("·", "no-lesson"),
}


# --------------------------------------------------------------------------------------------- maths
class MathsError(ValueError):
    """latex2mathml could not convert an expression faithfully."""


# Standard LaTeX that latex2mathml lacks, rewritten to what it knows: amsmath's "-ed" environments
# typeset like align*/array here, \arg is an operator name, and numbering/labels mean nothing on a page.
_ENV_REWRITES = [
    (re.compile(r"\\arg(?![A-Za-z])"), r"\\operatorname{arg}"),
    (re.compile(r"\\label\{[^}]*\}|\\(nonumber|notag|nolimits)(?![A-Za-z])"), ""),
    (re.compile(r"\\begin\{alignedat\}\{\d+\}"), r"\\begin{align*}"),
    (re.compile(r"\\(begin|end)\{(aligned|alignedat)\}"), r"\\\1{align*}"),
    (re.compile(r"\\begin\{(gathered|gather\*?)\}"), r"\\begin{array}{c}"),
    (re.compile(r"\\end\{(gathered|gather\*?)\}"), r"\\end{array}"),
]
# latex2mathml passes unknown commands through as text (<mi>\foo</mi>) and alignment ampersands of
# unsupported environments as a raw "&": both mean the reader would see garbage, so both are errors.
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")
_RAW_AMPERSAND = re.compile(r"&(?!#x?[0-9A-Fa-f]+;|[A-Za-z]+;)")


def latex_to_mathml(latex: str, *, display: bool = False) -> str:
    """Convert one LaTeX expression to a MathML ``<math>`` element.

    Parameters
    ----------
    latex : str
        The expression, without its ``$`` delimiters.
    display : bool, default=False
        Display (block) maths rather than inline maths.

    Returns
    -------
    str
        The ``<math>`` element.

    Raises
    ------
    MathsError
        When latex2mathml fails or its output would show LaTeX the reader cannot read (an unknown
        command, an alignment ``&`` outside a supported environment).

    Examples
    --------
    >>> latex_to_mathml(r"\\hat\\beta").startswith("<math")
    True
    """
    from latex2mathml.converter import convert

    source = latex
    for pattern, repl in _ENV_REWRITES:
        source = pattern.sub(repl, source)
    try:
        out = convert(source, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many types (its own, IndexError, KeyError...)
        raise MathsError(f"latex2mathml failed on {latex!r}: {type(exc).__name__}: {exc}") from exc
    unknown = _UNKNOWN_COMMAND.search(out)
    if unknown:
        raise MathsError(f"latex2mathml does not know {unknown.group(1)} in {latex!r}")
    if _RAW_AMPERSAND.search(out):
        raise MathsError(f"alignment '&' outside a supported environment (use align*) in {latex!r}")
    return out


def _maths_html(latex: str, display: bool) -> str:
    try:
        return latex_to_mathml(latex, display=display)
    except MathsError as exc:
        log.warning("maths shown as LaTeX source: %s", exc)
        cls = "maths-fallback display" if display else "maths-fallback"
        return f'<code class="{cls}" title="could not convert to MathML">{escape(latex)}</code>'


def _math_rule(display: bool, tag: str):
    def render(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        label = ""
        if token.info:  # $$ ... $$ (label)
            label = f'<span class="eq-label">({escape(token.info)})</span>'
        cls = "math display" if display else "math inline"
        return f'<{tag} class="{cls}">{_maths_html(token.content.strip(), display)}{label}</{tag}>'

    return render


@cache
def _markdown():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    # html=False: raw HTML inside a lesson's notes is escaped like any other text.
    # allow_space/allow_digits=False follow pandoc: "$5 and $10" is money, not maths.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.add_render_rule("math_inline", _math_rule(False, "span"))
    # $$...$$ inside a paragraph stays a <span> (a <div> would break the <p>); MathML's
    # display="block" still centres it on its own line.
    md.add_render_rule("math_inline_double", _math_rule(True, "span"))
    md.add_render_rule("math_block", _math_rule(True, "div"))
    md.add_render_rule("math_block_label", _math_rule(True, "div"))
    return md


def render_markdown(text: str, *, heading_shift: int = 0) -> Markup:
    """Markdown with ``$..$`` / ``$$..$$`` maths rendered to HTML with MathML (text escaped).

    ``heading_shift`` demotes headings (a lesson's ``# title`` becomes an ``<h2>`` under the page's
    own ``<h1>``).
    """
    md = _markdown()
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    if heading_shift:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1]) + heading_shift)}"
    return Markup(md.renderer.render(tokens, md.options, env))


def maths_expressions(text: str) -> list[tuple[str, bool]]:
    """Every maths expression of a markdown text as ``(latex, display)``, in order."""
    found: list[tuple[str, bool]] = []

    def walk(tokens: Iterable[Any]) -> None:
        for token in tokens:
            if token.type.startswith("math_"):
                found.append((token.content.strip(), token.type != "math_inline"))
            walk(token.children or [])

    walk(_markdown().parse(text))
    return found


# ------------------------------------------------------------------------------------------ notebook
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}


def _plain(text: str | list[str] | None) -> str:
    """Notebook text (a string or a list of lines) as a terminal would leave it: no colour codes,
    and a line rewritten with carriage returns (a progress bar) shows only its last state."""
    if text is None:
        return ""
    if isinstance(text, list):
        text = "".join(text)
    lines = _ANSI.sub("", text).split("\n")
    return "\n".join(line.rstrip("\r").rsplit("\r", 1)[-1] for line in lines)


@cache
def _highlighter():
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return PythonLexer(), HtmlFormatter(cssclass="highlight")


def _highlight(source: str) -> Markup:
    from pygments import highlight

    lexer, formatter = _highlighter()
    return Markup(highlight(source, lexer, formatter))


class _Figures:
    """Writes a lesson's figures to ``lessons/<ID>/fig-<n>.<ext>`` and hands back relative srcs."""

    def __init__(self, folder: Path, lesson_id: str):
        self.folder, self.lesson_id, self.count = folder, lesson_id, 0
        shutil.rmtree(folder, ignore_errors=True)  # figures of an older run must not linger

    def save(self, mime: str, data: str) -> str:
        self.count += 1
        name = f"fig-{self.count}.{_IMAGE_TYPES[mime]}"
        self.folder.mkdir(parents=True, exist_ok=True)
        if mime == "image/svg+xml":
            (self.folder / name).write_text(_plain(data), encoding="utf-8")
        else:
            (self.folder / name).write_bytes(base64.b64decode(_plain(data)))
        return f"{self.lesson_id}/{name}"


def _render_output(output: Mapping[str, Any], figures: _Figures) -> dict[str, Any] | None:
    kind = output.get("output_type")
    if kind == "stream":
        return {"kind": "text", "cls": output.get("name", "stdout"), "text": _plain(output.get("text"))}
    if kind == "error":
        return {
            "kind": "error",
            "title": f"{output.get('ename', 'Error')}: {output.get('evalue', '')}",
            "text": "\n".join(_plain(line) for line in output.get("traceback", [])),
        }
    if kind not in ("display_data", "execute_result"):
        return None
    data = output.get("data", {})
    for mime in _IMAGE_TYPES:
        if mime in data:
            alt = _plain(data.get("text/plain")) or "figure"
            return {"kind": "image", "src": figures.save(mime, data[mime]), "alt": alt}
    if "text/html" in data:
        # Included as-is, not escaped: the HTML comes from our own lessons' outputs (pandas tables,
        # parity.table()), executed by our own runner — never from user-supplied input.
        return {"kind": "html", "html": Markup(_plain(data["text/html"]))}
    if "text/markdown" in data:
        return {"kind": "html", "html": render_markdown(_plain(data["text/markdown"]))}
    if "text/plain" in data:
        return {"kind": "text", "cls": "result", "text": _plain(data["text/plain"])}
    return None


def _render_cells(nb: Any, figures: _Figures) -> list[dict[str, Any]]:
    cells = []
    for cell in nb.cells:
        source = _plain(cell.get("source"))
        if cell.cell_type == "markdown":
            cells.append({"kind": "markdown", "html": render_markdown(source, heading_shift=1)})
        elif cell.cell_type == "code":
            outputs = [o for o in (_render_output(out, figures) for out in cell.get("outputs", [])) if o]
            if source.strip() or outputs:
                code = _highlight(source) if source.strip() else None
                cells.append({"kind": "code", "code": code, "count": cell.get("execution_count"),
                              "outputs": outputs})
    return cells


# ---------------------------------------------------------------------------------------- formatting
def _num(x: Any, fmt: str = ".3g") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return "0" if x == 0 else format(x, fmt)


def _seconds(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if x < 1e-3:
        return f"{x * 1e6:.3g} µs"
    if x < 1:
        return f"{x * 1e3:.3g} ms"
    return f"{x:.3g} s"


def _when(iso: str | None) -> str:
    if not iso:
        return "never"
    try:
        stamp = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return stamp.strftime("%Y-%m-%d %H:%M") + (f" {stamp.strftime('%z')}" if stamp.tzinfo else "")


def _parity_rows(records: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for r in records:
        atol, rtol = r.get("atol", 0.0), r.get("rtol", 0.0)
        tolerance = " + ".join(
            part for part in (f"atol {atol:g}" if atol else "", f"rtol {rtol:g}" if rtol else "") if part
        ) or "exact"
        ratio = r.get("time_ratio")
        rows.append({
            "quantity": r.get("quantity", ""),
            "ours": r.get("ours", ""),
            "reference": r.get("reference", ""),
            "max_abs": _num(r.get("max_abs_err"), ".2e"),
            "max_rel": _num(r.get("max_rel_err"), ".2e"),
            "tolerance": tolerance,
            "passed": bool(r.get("passed")),
            "ours_time": _seconds(r.get("ours_time")),
            "reference_time": _seconds(r.get("reference_time")),
            "ratio": f"{ratio:.2f}×" if ratio is not None else "—",
            "why": r.get("why", ""),
            "detail": r.get("detail", ""),
        })
    return rows


def _mark(mark: str) -> dict[str, str]:
    icon, cls = MARK_ICONS[mark]
    return {"icon": icon, "cls": cls, "word": mark}


# --------------------------------------------------------------------------------------------- build
@cache
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("mlweekly", "journal_assets"),
        autoescape=select_autoescape(["html"]),  # every text is escaped unless wrapped in Markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["mark"] = _mark
    return env


def _stylesheet() -> str:
    from importlib.resources import files

    _, formatter = _highlighter()
    css = files("mlweekly").joinpath("journal_assets", "style.css").read_text(encoding="utf-8")
    return css + "\n/* pygments (HtmlFormatter, default style) */\n" + formatter.get_style_defs(".highlight")


def _load_results(journal_dir: Path) -> dict[str, Any]:
    path = journal_dir / RESULTS_FILE
    if not path.exists():  # nothing has run yet: the index still shows the plan
        log.info("no %s yet: the journal shows the plan only", path)
        return {"updated": None, "versions": {}, "lessons": {}}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); rerun `mlweekly run` to rewrite it") from exc


def _lesson_page(journal_dir: Path, lesson: Mapping[str, Any], nav: dict[str, Any]) -> Path:
    import nbformat

    lesson_id = lesson["id"]
    pages = journal_dir / LESSONS_DIR
    figures = _Figures(pages / lesson_id, lesson_id)
    cells: list[dict[str, Any]] = []
    missing = None
    nb_rel = lesson.get("notebook")
    if nb_rel and (journal_dir / nb_rel).exists():
        cells = _render_cells(nbformat.read(journal_dir / nb_rel, as_version=4), figures)
    else:
        missing = nb_rel or f"no executed notebook for {lesson_id}"
    records = lesson.get("records") or []
    rows = _parity_rows(records)
    html = _env().get_template("lesson.html").render(
        root="../",
        lesson=lesson,
        title=lesson.get("title", lesson_id),
        mark=_mark(curriculum.result_mark(lesson)),
        error=_plain(lesson.get("error")),
        ran_at=_when(lesson.get("ran_at")),
        duration=_seconds(lesson.get("duration")),
        rows=rows,
        n_failed=sum(not row["passed"] for row in rows),
        notebook=f"../{nb_rel}" if nb_rel and not missing else None,
        missing=missing,
        cells=cells,
        nav=nav,
    )
    page = pages / f"{lesson_id}.html"
    page.write_text(html, encoding="utf-8")
    return page


def _depends(item: curriculum.Item) -> str:
    if not item.depends_on:
        return ""
    need = item.min_verified or len(item.depends_on)
    ids = ", ".join(item.depends_on)
    if need == len(item.depends_on):
        return f"ticked when {ids} {'is' if need == 1 else 'are'} verified"
    return f"ticked when {need} of {ids} {'is' if need == 1 else 'are'} verified"


def _plan(lessons: Mapping[str, Mapping[str, Any]]) -> tuple[list[dict[str, Any]], Counter]:
    marks = curriculum.marks(lessons)
    overall: Counter = Counter()
    phases: list[dict[str, Any]] = []
    for phase in curriculum.PHASES:
        groups: dict[str, list[dict[str, Any]]] = {}
        counts: Counter = Counter()
        for item in (i for i in curriculum.ITEMS if i.phase == phase):
            result = lessons.get(item.id) or {}
            records = result.get("records") or []
            counts[marks[item.id]] += 1
            groups.setdefault(item.group, []).append({
                "id": item.id,
                # PLAN.md's portfolio goals start with a ✅ of their own; the computed mark replaces it.
                "title": item.title.removeprefix("✅").strip(),
                "mark": _mark(marks[item.id]),
                "href": f"{LESSONS_DIR}/{item.id}.html" if result else None,
                "checks": f"{sum(bool(r.get('passed')) for r in records)}/{len(records)}" if result else "",
                "duration": _seconds(result.get("duration")) if result else "",
                "depends_on": _depends(item),
            })
        overall.update(counts)
        phases.append({"name": phase, "groups": groups, "counts": counts, "total": sum(counts.values())})
    return phases, overall


def build(journal_dir: Path, results: dict | None = None) -> Path:
    """Write the journal site and return the path of its ``index.html``.

    Parameters
    ----------
    journal_dir : Path
        The journal folder: holds ``results.json`` and the executed notebooks (paths in
        ``results.json`` are relative to it); the site is written into it.
    results : dict, optional
        The results (``{"updated", "versions", "lessons": {id: result}}``); read from
        ``journal_dir/results.json`` when omitted (the plan alone when that file does not exist).

    Returns
    -------
    Path
        ``journal_dir/index.html``.

    Examples
    --------
    >>> import tempfile
    >>> build(Path(tempfile.mkdtemp())).name
    'index.html'
    """
    journal_dir = Path(journal_dir)
    if results is None:
        results = _load_results(journal_dir)
    lessons: dict[str, Any] = dict(results.get("lessons") or {})
    (journal_dir / LESSONS_DIR).mkdir(parents=True, exist_ok=True)
    (journal_dir / "style.css").write_text(_stylesheet(), encoding="utf-8")

    order = [i.id for i in curriculum.ITEMS if i.id in lessons]
    order += [k for k in lessons if k not in curriculum.BY_ID]  # results of ids the plan no longer has
    for k, lesson_id in enumerate(order):
        nav = {
            "prev": order[k - 1] if k > 0 else None,
            "next": order[k + 1] if k + 1 < len(order) else None,
        }
        _lesson_page(journal_dir, {"id": lesson_id, **lessons[lesson_id]}, nav)

    phases, overall = _plan(lessons)
    index = journal_dir / "index.html"
    index.write_text(
        _env().get_template("index.html").render(
            root="",
            title="Journal",
            phases=phases,
            overall=overall,
            total=sum(overall.values()),
            marks=[_mark(m) for m in curriculum.MARKS],
            updated=_when(results.get("updated")),
            versions=results.get("versions") or {},
        ),
        encoding="utf-8",
    )
    return index
