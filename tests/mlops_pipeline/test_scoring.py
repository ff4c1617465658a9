"""The compiled linear scorer against the scikit-learn pipeline it was folded from, on real records."""

import json

import numpy as np
import pandas as pd
import pytest

from mlweekly.mlops_pipeline import load_config, run
from mlweekly.mlops_pipeline.config import CONFIG_DIR
from mlweekly.mlops_pipeline.scoring import compile_linear


def as_records(X: pd.DataFrame) -> list[dict]:
    """Rows as the service sees them after validation: NaN -> None."""
    return json.loads(X.astype(object).to_json(orient="records"))


@pytest.fixture(scope="module", params=["logistic_regression", "mlweekly_logistic_regression"])
def telco(request, tmp_path_factory):
    cfg = load_config(CONFIG_DIR / "telco_churn.yaml", output_dir=tmp_path_factory.mktemp("scoring"),
                      model={"name": request.param, "params": {}})  # fmt: skip
    return run(cfg)


def test_classifier_matches_predict_proba_and_predict(telco):
    scorer = compile_linear(telco.model)
    assert scorer is not None
    X = telco.split.X_test
    got = [scorer.predict_one(r) for r in as_records(X)]
    np.testing.assert_allclose([p for p, _ in got], telco.model.predict_proba(X)[:, 1], rtol=0, atol=1e-12)
    assert [y for _, y in got] == telco.model.predict(X).tolist()


def test_missing_values_are_imputed_as_the_pipeline_does(telco):
    scorer = compile_linear(telco.model)
    X = telco.split.X_test.head(20).copy()
    X.loc[X.index[::2], "TotalCharges"] = np.nan
    X.loc[X.index[::3], "Contract"] = np.nan
    X.loc[X.index[::5], "tenure"] = np.nan
    got = [scorer.predict_one(r)[0] for r in as_records(X)]
    np.testing.assert_allclose(got, telco.model.predict_proba(X)[:, 1], rtol=0, atol=1e-12)


def test_unseen_category_counts_zero_as_handle_unknown_ignore_does(telco):
    scorer = compile_linear(telco.model)
    X = telco.split.X_test.head(5).copy()
    X["PaymentMethod"] = "Bitcoin"
    got = [scorer.predict_one(r)[0] for r in as_records(X)]
    np.testing.assert_allclose(got, telco.model.predict_proba(X)[:, 1], rtol=0, atol=1e-12)


def test_extreme_scores_do_not_overflow(telco):
    scorer = compile_linear(telco.model)
    record = as_records(telco.split.X_test.head(1))[0]
    for value, expected in ((1e9, 1.0), (-1e9, 0.0)):
        # Push z far out through the largest-weight numeric feature.
        name, _, _, _, weight = max(scorer.numeric, key=lambda t: abs(t[4]))
        p, _ = scorer.predict_one({**record, name: value * np.sign(weight)})
        assert p == expected


def test_regressor_matches_predict(tmp_path):
    cfg = load_config(CONFIG_DIR / "california_housing.yaml", output_dir=tmp_path,
                      model={"name": "ridge", "params": {"alpha": 1.0}})  # fmt: skip
    result = run(cfg)
    scorer = compile_linear(result.model)
    assert scorer is not None and scorer.classes is None
    X = result.split.X_test.head(500)
    got = [scorer.predict_one(r) for r in as_records(X)]
    assert all(p is None for p, _ in got)
    np.testing.assert_allclose([y for _, y in got], result.model.predict(X), rtol=1e-12, atol=1e-12)


def test_non_linear_models_are_not_compiled(tmp_path):
    cfg = load_config(CONFIG_DIR / "california_housing.yaml", output_dir=tmp_path,
                      model={"name": "hist_gradient_boosting", "params": {"max_iter": 5}})  # fmt: skip
    assert compile_linear(run(cfg).model) is None
    assert compile_linear(object()) is None
