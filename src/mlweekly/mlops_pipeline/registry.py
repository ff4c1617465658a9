"""The model registry's promotion rule: aliases ``champion`` and ``challenger`` on registered versions.

A registered model is a name with numbered versions (each pointing at a logged model and its run);
an *alias* is a movable pointer to one version, so serving code loads ``models:/NAME@champion`` and
never a version number. The rule: a new version becomes ``champion`` only if its holdout metric is
strictly better than the current champion's (in the config's direction); otherwise it becomes
``challenger`` and the champion does not move. A failed run registers nothing, so it cannot move
either alias. The champion's score is read from its run in the tracking store, not remembered.

Examples
--------
>>> from mlweekly.mlops_pipeline import registry
>>> registry.beats(0.85, 0.84, "maximize"), registry.beats(0.30, 0.30, "minimize")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHALLENGER", "CHAMPION", "Decision", "beats", "champion", "promote"]

CHAMPION, CHALLENGER = "champion", "challenger"


@dataclass(frozen=True)
class Decision:
    """What :func:`promote` did with one version: the alias it got and the scores compared."""

    name: str
    version: str
    alias: str  # CHAMPION or CHALLENGER
    score: float
    previous_champion: str | None  # version number, None when there was none
    previous_score: float | None

    @property
    def promoted(self) -> bool:
        return self.alias == CHAMPION


def beats(score: float, incumbent: float | None, direction: str) -> bool:
    """Whether ``score`` is strictly better than ``incumbent`` (always, when there is none)."""
    if incumbent is None:
        return True
    if direction not in ("maximize", "minimize"):
        raise ValueError(f"direction must be 'maximize' or 'minimize', got {direction!r}")
    return score > incumbent if direction == "maximize" else score < incumbent


def champion(client, name: str):
    """The ``ModelVersion`` the ``champion`` alias points at, or ``None`` (no model or no alias yet)."""
    from mlflow.exceptions import MlflowException

    try:
        return client.get_model_version_by_alias(name, CHAMPION)
    except MlflowException:  # RESOURCE_DOES_NOT_EXIST: the model or the alias is not there yet
        return None


def promote(client, name: str, version: str, metric: str, direction: str) -> Decision:
    """Give ``version`` of ``name`` the ``champion`` alias if it beats the champion, else ``challenger``.

    Parameters
    ----------
    client : mlflow.MlflowClient
    name, version : str
        The registered model and the candidate version.
    metric : str
        Holdout metric logged in each version's run (e.g. ``"roc_auc"``).
    direction : {"maximize", "minimize"}

    Returns
    -------
    Decision
    """
    version = str(version)
    score = _score(client, client.get_model_version(name, version).run_id, metric)
    incumbent = champion(client, name)
    previous = None if incumbent is None else _score(client, incumbent.run_id, metric)
    alias = CHAMPION if beats(score, previous, direction) else CHALLENGER
    client.set_registered_model_alias(name, alias, version)
    before = None if incumbent is None else str(incumbent.version)
    return Decision(name, version, alias, score, before, previous)


def _score(client, run_id: str, metric: str) -> float:
    metrics = client.get_run(run_id).data.metrics
    if metric not in metrics:
        raise KeyError(f"run {run_id} has no metric {metric!r}; it logged {sorted(metrics)}")
    return metrics[metric]
