"""The evaluate stage: holdout metrics and plots of a fitted model, written as artifacts.

Classification: ROC AUC, accuracy (threshold 0.5), log-loss and Brier score of the positive-class
probability, plus ROC, calibration (reliability) and confusion-matrix plots. Regression: RMSE, MAE
and R², plus predicted-vs-actual and residual plots. Everything lands in one folder: ``metrics.json``,
``predictions.csv`` (id, ``y_true``, ``y_pred`` and for classifiers ``y_score``) and one PNG per plot,
so any number can be recomputed later from the saved predictions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn import metrics as skm
from sklearn.calibration import CalibrationDisplay

__all__ = ["Evaluation", "classification_metrics", "evaluate", "regression_metrics", "write_artifacts"]


@dataclass
class Evaluation:
    """Holdout metrics and predictions (indexed like the test rows)."""

    metrics: dict[str, float]
    predictions: pd.DataFrame
    task: str
    paths: dict[str, Path] = field(default_factory=dict)


def classification_metrics(y_true, y_score, threshold: float = 0.5) -> dict[str, float]:
    """ROC AUC, accuracy, log-loss and Brier score of positive-class probabilities ``y_score``."""
    y_true, y_score = np.asarray(y_true), np.asarray(y_score, dtype=np.float64)
    return {
        "roc_auc": float(skm.roc_auc_score(y_true, y_score)),
        "accuracy": float(skm.accuracy_score(y_true, (y_score >= threshold).astype(y_true.dtype))),
        "log_loss": float(skm.log_loss(y_true, y_score, labels=[0, 1])),
        "brier": float(skm.brier_score_loss(y_true, y_score)),
    }


def regression_metrics(y_true, y_pred) -> dict[str, float]:
    """RMSE, MAE and R² of predictions ``y_pred``."""
    return {
        "rmse": float(skm.root_mean_squared_error(y_true, y_pred)),
        "mae": float(skm.mean_absolute_error(y_true, y_pred)),
        "r2": float(skm.r2_score(y_true, y_pred)),
    }


def evaluate(model, X_test: pd.DataFrame, y_test: pd.Series, task: str) -> Evaluation:
    """Score a fitted model on the holdout rows.

    Parameters
    ----------
    model : fitted estimator (a Pipeline)
    X_test, y_test : DataFrame, Series
        The holdout rows; their index (the ids) is kept in the predictions.
    task : {"classification", "regression"}

    Returns
    -------
    Evaluation
    """
    preds = pd.DataFrame({"y_true": y_test.to_numpy()}, index=X_test.index)
    if task == "classification":
        if len(model.classes_) != 2:
            raise ValueError(
                f"evaluate handles binary classification; the model has classes {model.classes_}"
            )
        preds["y_score"] = model.predict_proba(X_test)[:, 1]
        preds["y_pred"] = (preds["y_score"] >= 0.5).astype(int)
        scores = classification_metrics(preds["y_true"], preds["y_score"])
    else:
        preds["y_pred"] = model.predict(X_test)
        scores = regression_metrics(preds["y_true"], preds["y_pred"])
    return Evaluation(scores, preds, task)


def _figures(ev: Evaluation) -> dict[str, Figure]:
    p, figs = ev.predictions, {}
    if ev.task == "classification":
        y, score = p["y_true"], p["y_score"]
        draws = {
            "roc": lambda ax: skm.RocCurveDisplay.from_predictions(y, score, ax=ax),
            "calibration": lambda ax: CalibrationDisplay.from_predictions(y, score, n_bins=10, ax=ax),
            "confusion": lambda ax: skm.ConfusionMatrixDisplay.from_predictions(
                y, p["y_pred"], ax=ax, colorbar=False
            ),
        }
        for name, draw in draws.items():
            fig = Figure(figsize=(4.5, 4))
            draw(fig.add_subplot())
            fig.axes[0].set_title(name)
            figs[name] = fig
    else:
        fig = Figure(figsize=(4.5, 4))
        ax = fig.add_subplot()
        ax.scatter(p["y_true"], p["y_pred"], s=3, alpha=0.3)
        lims = [min(p["y_true"].min(), p["y_pred"].min()), max(p["y_true"].max(), p["y_pred"].max())]
        ax.plot(lims, lims, "k--", lw=1)
        ax.set(xlabel="actual", ylabel="predicted", title="predicted vs actual")
        figs["predicted_vs_actual"] = fig
        fig = Figure(figsize=(4.5, 4))
        ax = fig.add_subplot()
        ax.hist(p["y_pred"] - p["y_true"], bins=60)
        ax.set(xlabel="predicted - actual", ylabel="count", title="residuals")
        figs["residuals"] = fig
    for fig in figs.values():
        fig.tight_layout()
    return figs


def write_artifacts(ev: Evaluation, out_dir: str | Path) -> dict[str, Path]:
    """Write ``metrics.json``, ``predictions.csv`` and the plots (PNG) to ``out_dir``; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"metrics": out / "metrics.json", "predictions": out / "predictions.csv"}
    paths["metrics"].write_text(json.dumps(ev.metrics, indent=2) + "\n", encoding="utf-8")
    ev.predictions.to_csv(paths["predictions"])  # floats written with repr: they read back exactly
    for name, fig in _figures(ev).items():
        paths[name] = out / f"{name}.png"
        fig.savefig(paths[name], dpi=100)
    ev.paths.update(paths)
    return paths
