"""The learning plan (``PLAN.md``) as data.

Every item of the plan has a stable id, its title as the plan words it, the area folder it belongs
to and the path of its lesson. An item's *mark* is computed, never typed: it is ``verified`` when its
lesson ran in the latest run and every parity check passed, ``failing`` when it ran and a check
failed (or the lesson raised), ``not run`` when the lesson exists but has no result yet, and
``no lesson`` when its lesson file does not exist yet. Portfolio goals (``PF*``) have no lesson of
their own: they are ticked from the items they depend on.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: Root of the repository (``lessons/`` lives here when running from a checkout).
REPO_ROOT = Path(__file__).resolve().parents[2]
LESSONS_DIR = REPO_ROOT / "lessons"

AREAS = (
    "mathematical_foundations",
    "statistical_theory",
    "ml_algorithms",
    "deep_learning",
    "mlops_pipeline",
    "projects",
    "research_summaries",
    "misc",
)

VERIFIED, FAILING, NOT_RUN, NO_LESSON = "verified", "failing", "not run", "no lesson"
MARKS = (VERIFIED, FAILING, NOT_RUN, NO_LESSON)
#: A result status, not a mark: the lesson needs an optional extra that is not installed.
SKIPPED = "skipped"


@dataclass(frozen=True)
class Item:
    """One item of the plan.

    Attributes
    ----------
    id : str
        Stable identifier (``F1``, ``P1.01``, ``P2.23``, ``PJ2``, ``PF5``).
    title : str
        The title as PLAN.md words it.
    phase : str
        Top-level grouping (``Foundations``, ``Phase I``, ``Phase II``, ``Projects``, ``Portfolio``).
    group : str
        Second-level grouping as PLAN.md heads it (a week range or a track).
    area : str
        The area folder (one of :data:`AREAS`) holding its code and lesson.
    slug : str
        File stem of the lesson; empty for portfolio goals.
    depends_on : tuple of str
        For portfolio goals: the items that tick it.
    min_verified : int
        For portfolio goals: how many of ``depends_on`` must be verified (default: all).
    """

    id: str
    title: str
    phase: str
    group: str
    area: str
    slug: str = ""
    depends_on: tuple[str, ...] = field(default_factory=tuple)
    min_verified: int = 0

    @property
    def lesson_path(self) -> Path | None:
        """Path of the lesson file (which may not exist yet), or ``None`` for portfolio goals."""
        if not self.slug:
            return None
        return LESSONS_DIR / self.area / f"{self.slug}.py"

    @property
    def lesson_file(self) -> str | None:
        """The lesson's path relative to the repository, as shown to users."""
        return f"lessons/{self.area}/{self.slug}.py" if self.slug else None

    @property
    def has_lesson(self) -> bool:
        path = self.lesson_path
        return path is not None and path.exists()


_STOPWORDS = {"a", "an", "and", "by", "e", "g", "for", "in", "of", "on", "or", "the", "to", "with"}


def _slug(item_id: str, title: str) -> str:
    words = re.sub(r"\(.*?\)", "", title)
    words = re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")
    words = "_".join([w for w in words.split("_") if w not in _STOPWORDS][:5])
    prefix = item_id.lower().replace(".", "_")
    return f"{prefix}_{words}"


def _items() -> list[Item]:
    F, P1, P2, PJ = "Foundations", "Phase I", "Phase II", "Projects"
    MF, ST, ML, DL, OPS, PRJ, RS, MISC = AREAS
    rows: list[tuple[str, str, str, str, str]] = [
        # (id, title, phase, group, area)
        ("F1", "Linear algebra", F, "Mathematical foundations", MF),
        ("F2", "Differentiation", F, "Mathematical foundations", MF),
        ("F3", "Optimisation", F, "Mathematical foundations", MF),
        ("F4", "Information theory", F, "Mathematical foundations", MF),
    ]
    phase1 = [
        ("Weeks 1–2: Fundamentals & Warmups", [
            ("Linear Regression (theory + from scratch)", ML),
            ("Logistic Regression (sigmoid, loss function)", ML),
            ("Basic Probability & Bayes’ Theorem (refresher)", ST),
            ("Visualization of Decision Boundaries (with scikit-learn)", ML),
        ]),
        ("Weeks 3–4: Classical ML Algorithms I", [
            ("k-Nearest Neighbors (from scratch + sklearn)", ML),
            ("Naive Bayes (with real datasets)", ML),
            ("Decision Trees (entropy/gini calculation)", ML),
            ("Overfitting & Bias/Variance Tradeoff", ML),
        ]),
        ("Weeks 5–6: Classical ML Algorithms II", [
            ("Random Forests & Bagging (ensemble intuition)", ML),
            ("Support Vector Machines (linear & kernel trick)", ML),
            ("Dimensionality Reduction: PCA", ML),
            ("Model Evaluation: precision, recall, AUC, cross-val", ML),
        ]),
        ("Weeks 7–9: Deep Learning Foundations", [
            ("Neural Networks: Forward Propagation", DL),
            ("Backpropagation: Derivation + Code (NumPy)", DL),
            ("Activation Functions & Loss Functions", DL),
            ("Build 1-layer MLP from scratch", DL),
            ("PyTorch Basics: Tensors, Autograd", DL),
            ("Train a simple classifier with PyTorch (MNIST/FashionMNIST)", DL),
        ]),
        ("Weeks 10–11: Statistics in Practice", [
            ("Likelihood & MLE", ST),
            ("Hypothesis Testing: Z-test, t-test", ST),
            ("Confidence Intervals & Error", ST),
            ("Distributions in ML: Normal, Bernoulli, etc.", ST),
        ]),
        ("Weeks 12–13: MLOps Foundations", [
            ("Introduction to DVC or MLflow", OPS),
            ("Pandas + Sklearn pipeline pattern (clean -> model -> evaluate)", OPS),
            ("Deploy a model using FastAPI", OPS),
            ("Save + load models and data versions", OPS),
        ]),
        ("Weeks 14–16: Projects & Extensions", [
            ("Small ML project: tabular data problem (classification or regression)", PRJ),
            ("Kaggle mini-challenge or notebook replication", PRJ),
            ("Medium blog summary of one full pipeline/project", MISC),
            ("First research paper summary (e.g., dropout, attention)", RS),
        ]),
    ]
    n = 0
    for group, topics in phase1:
        for title, area in topics:
            n += 1
            rows.append((f"P1.{n:02d}", title, P1, group, area))
    phase2 = [
        ("Track 1: Advanced Modeling & Optimization", [
            ("Regularization (L1, L2, ElasticNet, early stopping)", ML),
            ("Advanced Ensembling (XGBoost, LightGBM, CatBoost)", ML),
            ("Bayesian Optimization for Hyperparameters (Optuna)", ML),
            ("Probabilistic Programming (PyMC3 or TensorFlow Probability)", ST),
            ("Calibration & Uncertainty (Brier Score, Confidence Curves)", ML),
        ]),
        ("Track 2: Advanced MLOps & Scalable Pipelines", [
            ("CI/CD for ML (GitHub Actions + Pytest)", OPS),
            ("Dockerized Model Services + FastAPI", OPS),
            ("MLflow Model Registry / DVC Pipelines", OPS),
            ("Airflow or Prefect: Directed ML pipelines", OPS),
            ("Data drift and model monitoring (EvidentlyAI or custom logging)", OPS),
        ]),
        ("Track 3: Experimental Design & Causal Inference", [
            ("A/B/n Testing at scale (power, p-hacking mitigation)", ST),
            ("Multi-armed Bandits (Thompson Sampling, UCB)", ST),
            ("Uplift Modeling", ST),
            ("DAGs & Do-Calculus (Causal Inference Intro)", ST),
        ]),
        ("Track 4: Interpretability, Fairness & Ethics", [
            ("SHAP & LIME advanced usage", ML),
            ("Counterfactual explanations", ML),
            ("Model auditing for fairness (Fairlearn or AIF360)", ML),
            ("Explainability in NLP or vision", DL),
        ]),
        ("Track 5: Specialized Tools & Modern Architectures", [
            ("Transformers (intro, Hugging Face use-case)", DL),
            ("Feature stores (Feast)", OPS),
            ("Streaming data pipelines (Kafka + Spark intro)", OPS),
            ("Time-series modeling (Prophet, Darts)", ST),
            ("Graph ML (node2vec, GNNs intro)", DL),
        ]),
    ]
    n = 0
    for group, topics in phase2:
        for title, area in topics:
            n += 1
            rows.append((f"P2.{n:02d}", title, P2, group, area))
    projects = [
        ("Model Garden", "Track 1: Advanced Modeling & Optimization"),
        ("Full-Stack ML Pipeline", "Track 2: Advanced MLOps & Scalable Pipelines"),
        ("Experiment Manager", "Track 3: Experimental Design & Causal Inference"),
        ("ML Ethics Dashboard", "Track 4: Interpretability, Fairness & Ethics"),
        ("Special Topics Sandbox", "Track 5: Specialized Tools & Modern Architectures"),
    ]
    for k, (title, group) in enumerate(projects, start=1):
        rows.append((f"PJ{k}", title, PJ, f"Project idea of {group}", PRJ))
    items = [Item(i, t, ph, g, a, _slug(i, t)) for i, t, ph, g, a in rows]

    portfolio = "Project Portfolio Goals (by end of Phase II)"
    phase2_ids = tuple(f"P2.{k:02d}" for k in range(1, 24))
    goals = [
        ("PF1", "✅ 1–2 Real-world Full-Stack ML Projects (pipeline → deploy → monitor)", ("PJ2",), 1),
        ("PF2", "✅ 1 Dashboard or App (e.g., experiment explorer, fairness auditor)",
         ("PJ3", "PJ4"), 1),
        ("PF3", "✅ 1 Research Replication or Paper Summary", ("P1.30",), 1),
        ("PF4", "✅ Medium Posts / Notebooks for ~5–8 advanced topics", phase2_ids, 5),
        ("PF5", "✅ Use of Docker, CI/CD, MLflow, and monitoring in at least one project",
         ("PJ2",), 1),
    ]
    for gid, title, deps, need in goals:
        items.append(Item(gid, title, "Portfolio", portfolio, "projects", "", deps, need))
    return items


#: Every item, in PLAN.md's order (foundations first).
ITEMS: tuple[Item, ...] = tuple(_items())
BY_ID: dict[str, Item] = {item.id: item for item in ITEMS}
PHASES: tuple[str, ...] = tuple(dict.fromkeys(item.phase for item in ITEMS))


class UnknownItemError(KeyError):
    """Raised for an id or area that is not in the plan; the message lists the closest ids."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain
        return str(self.args[0])


def get(item_id: str) -> Item:
    """Return the item with this id (case-insensitive), or raise :class:`UnknownItemError`."""
    key = item_id.strip().upper()
    if key in BY_ID:
        return BY_ID[key]
    close = difflib.get_close_matches(key, list(BY_ID) + list(AREAS), n=5, cutoff=0.4)
    hint = f" Closest: {', '.join(close)}." if close else ""
    raise UnknownItemError(
        f"Unknown plan id or area {item_id!r}.{hint} `mlweekly plan` lists every id."
    )


def select(selectors: list[str] | tuple[str, ...] = ()) -> list[Item]:
    """Items with a lesson file selected by ids and/or area names; all lessons when empty."""
    if not selectors:
        return [item for item in ITEMS if item.has_lesson]
    chosen: dict[str, Item] = {}
    for sel in selectors:
        if sel in AREAS:
            for item in ITEMS:
                if item.area == sel and item.has_lesson:
                    chosen[item.id] = item
            continue
        item = get(sel)
        if not item.has_lesson:
            where = item.lesson_path or "(portfolio goals have no lesson)"
            raise UnknownItemError(f"{item.id} ({item.title}) has no lesson yet: {where}")
        chosen[item.id] = item
    return [item for item in ITEMS if item.id in chosen]


def mark(item: Item, results: Mapping[str, Mapping]) -> str:
    """The computed mark of one item given the stored results (``{id: lesson result}``)."""
    if item.depends_on:
        verified = sum(mark(BY_ID[d], results) == VERIFIED for d in item.depends_on)
        need = item.min_verified or len(item.depends_on)
        return VERIFIED if verified >= need else NOT_RUN
    if not item.has_lesson:
        return NO_LESSON
    result = results.get(item.id)
    return result_mark(result) if result else NOT_RUN


def result_mark(result: Mapping) -> str:
    """The mark one stored lesson result earns: a skipped lesson (missing extra) has not run."""
    status = result.get("status")
    if status == VERIFIED:
        return VERIFIED
    return NOT_RUN if status == SKIPPED else FAILING


def marks(results: Mapping[str, Mapping]) -> dict[str, str]:
    """The mark of every item, in plan order."""
    return {item.id: mark(item, results) for item in ITEMS}
