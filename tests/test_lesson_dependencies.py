"""`make run` installs every library a lesson imports: the core dependencies plus the extras it names."""

import ast
import re
import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from mlweekly import curriculum


def make_run_extras() -> set[str]:
    """The extras the Makefile's `setup` target (which `make run` uses) installs."""
    makefile = (curriculum.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    setup = re.search(r"^setup:.*\n\t(.+)$", makefile, flags=re.M).group(1)
    return set(re.search(r"-e \"\.\[([\w,]+)\]\"", setup).group(1).split(","))


def installed_by(name: str, extras: set[str]) -> set[str]:
    """Canonical names of ``name`` and every distribution it pulls in with ``extras``, recursively."""
    seen, todo = set(), [(name, frozenset(extras))]
    while todo:
        dist, wanted = todo.pop()
        key = canonicalize_name(dist)
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = metadata.requires(dist) or []
        except metadata.PackageNotFoundError:
            continue  # not installed here (an optional platform dependency): nothing below it to follow
        for text in requires:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in wanted | {""}):
                todo.append((req.name, frozenset(req.extras)))
    return seen


def lesson_imports() -> dict[str, set[str]]:
    """Top-level modules each lesson imports (third-party only)."""
    out = {}
    for item in curriculum.ITEMS:
        if not item.has_lesson:
            continue
        tree = ast.parse(item.lesson_path.read_text(encoding="utf-8"))
        mods = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        mods |= {n.module.split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.ImportFrom) and n.module and n.level == 0}  # fmt: skip
        out[item.id] = mods - set(sys.stdlib_module_names) - {"mlweekly"}
    return out


def test_make_run_installs_what_every_lesson_imports():
    available = installed_by("mlweekly", make_run_extras())
    dists = metadata.packages_distributions()
    missing = {
        lesson: sorted(m for m in mods if not {canonicalize_name(d) for d in dists.get(m, [m])} & available)
        for lesson, mods in lesson_imports().items()
    }
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, f"lessons import libraries `make run` does not install (add to pyproject): {missing}"


def test_the_check_sees_a_missing_library():
    # hypothesis is a test-only dependency: a lesson importing it must be reported.
    assert "hypothesis" not in installed_by("mlweekly", make_run_extras())
    assert "hypothesis" in installed_by("mlweekly", {"test"})
