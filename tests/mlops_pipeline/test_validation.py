"""Config, data contract and validation: code tests, data tests on the real Telco data, fault tests."""

import numpy as np
import pandas as pd
import pytest

from mlweekly import datasets
from mlweekly.mlops_pipeline import (
    ConfigError,
    DataContractError,
    build_schema,
    clean,
    load_config,
    load_frame,
    split,
    validate,
)
from mlweekly.mlops_pipeline.config import CONFIG_DIR

TELCO = CONFIG_DIR / "telco_churn.yaml"


@pytest.fixture(scope="module")
def cfg():
    return load_config(TELCO)


@pytest.fixture(scope="module")
def telco():
    return datasets.load("telco_churn").frame


# ------------------------------------------------------------------------------------------ config
@pytest.mark.parametrize("name", ["telco_churn", "california_housing"])
def test_every_config_loads_and_names_its_dataset(name):
    cfg = load_config(CONFIG_DIR / f"{name}.yaml")
    assert cfg.dataset == name
    assert set(cfg.features) <= set(datasets.load(name).data.columns)


@pytest.mark.parametrize(("override", "key"), [
    ({"split": {"test_size": 1.5}}, "split.test_size"),
    ({"validation": {"max_bad_fractoin": 0.1}}, "validation.max_bad_fractoin"),
    ({"metric": {"name": "rmse", "direction": "minimize"}}, "metric.name 'rmse' is not a classification"),
    ({"metric": {"name": "roc_auc", "direction": "minimize"}}, "metric.direction for roc_auc"),
    ({"model": {"name": "ridge"}}, "model.name 'ridge' is not a classification model"),
    ({"task": "clustering"}, "task"),
    ({"numeric": {"tenure": {"min": 5, "max": 1}}}, "numeric.tenure"),
])  # fmt: skip
def test_bad_config_names_the_key(override, key):
    with pytest.raises(ConfigError, match=key.replace("(", r"\(")):
        load_config(TELCO, **override)


def test_missing_and_non_mapping_config_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(tmp_path / "list.yaml")


def test_target_listed_as_feature_is_leakage(cfg):
    raw = cfg.model_dump()
    raw["numeric"]["Churn"] = {"min": 0, "max": 1}
    with pytest.raises(ConfigError, match="leakage"):
        load_config(raw)


# -------------------------------------------------------------------------------------- validation
def _frame():
    return pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "a", "b"], "y": [0, 1, 0, 1]},
                        index=pd.Index(["r0", "r1", "r2", "r3"], name="id"))  # fmt: skip


def _tiny_cfg():
    return load_config({
        "dataset": "tiny", "task": "classification", "id_column": "id",
        "target": {"name": "y", "dtype": "int64", "allowed": [0, 1]},
        "numeric": {"x": {"min": 0, "max": 10}}, "categorical": {"c": {"allowed": ["a", "b"]}},
        "model": {"name": "logistic_regression"}, "metric": {"name": "roc_auc", "direction": "maximize"},
    })  # fmt: skip


def test_validate_reports_each_bad_cell_by_row_and_column(tmp_path):
    frame = _frame().astype({"x": object})
    frame.loc["r1", "x"] = "abc"  # bad type
    frame.loc["r2", "x"] = 99.0  # out of range
    frame.loc["r2", "c"] = "z"  # not an allowed category, same row
    result = validate(
        frame, build_schema(_tiny_cfg()), max_bad_fraction=1.0, quarantine_path=tmp_path / "q.csv"
    )
    cells = set(zip(result.failures["index"], result.failures["column"], strict=True))
    assert cells == {("r1", "x"), ("r2", "x"), ("r2", "c")}
    assert list(result.clean.index) == ["r0", "r3"] and result.clean["x"].dtype == np.float64
    quarantined = pd.read_csv(tmp_path / "q.csv", index_col="id")
    assert list(quarantined.index) == ["r1", "r2"]
    assert "x: in_range" in quarantined.loc["r2", "reason"] and "c: isin" in quarantined.loc["r2", "reason"]
    assert result.n_bad + len(result.clean) == result.n_rows  # nothing dropped silently


def test_clean_frame_writes_an_empty_quarantine(tmp_path):
    result = validate(_frame(), build_schema(_tiny_cfg()), 0.0, tmp_path / "q.csv")
    assert result.n_bad == 0 and (tmp_path / "q.csv").exists()


def test_bad_fraction_above_limit_fails_after_quarantining(tmp_path):
    frame = _frame()
    frame.loc["r3", "y"] = 7
    with pytest.raises(DataContractError, match=r"1 of 4 rows \(25.00%\).*row 'r3': y: isin"):
        validate(frame, build_schema(_tiny_cfg()), 0.2, tmp_path / "q.csv")
    assert len(pd.read_csv(tmp_path / "q.csv")) == 1
    assert validate(frame, build_schema(_tiny_cfg()), 0.25).n_bad == 1  # at the limit: allowed


def test_frame_level_failures_and_bad_input():
    schema = build_schema(_tiny_cfg())
    with pytest.raises(DataContractError, match="column_in_dataframe.*c"):
        validate(_frame().drop(columns="c"), schema, 1.0)
    with pytest.raises(DataContractError, match="not unique.*r0"):
        validate(_frame().rename(index={"r1": "r0"}), schema, 1.0)
    with pytest.raises(TypeError, match="DataFrame"):
        validate(_frame().to_numpy(), schema)


# ------------------------------------------------------------------------ data tests (real Telco)
def test_telco_meets_its_contract(cfg, telco):
    result = clean(telco, cfg)
    assert result.n_bad == 0 and len(result.clean) == 7043


def test_telco_columns_ranges_and_labels(cfg, telco):
    assert set(cfg.features) | {cfg.target.name} <= set(telco.columns)
    assert set(telco["Churn"].unique()) == {0, 1}
    assert telco["tenure"].between(0, 120).all() and telco["MonthlyCharges"].gt(0).all()
    for name, contract in cfg.categorical.items():
        assert set(telco[name].dropna().unique()) <= set(contract.allowed), name
    # The only missing values are TotalCharges of never-billed (tenure 0) customers: the documented decision.
    missing = telco[cfg.features].isna()
    assert missing.sum().sum() == missing["TotalCharges"].sum() == 11
    assert (telco.loc[missing["TotalCharges"], "tenure"] == 0).all()


def test_no_leakage_between_train_and_test(cfg, telco):
    parts = split(clean(telco, cfg).clean, cfg)
    assert parts.X_train.index.intersection(parts.X_test.index).empty  # disjoint customerIDs
    assert len(parts.X_train) + len(parts.X_test) == 7043
    assert cfg.target.name not in parts.X_train.columns and cfg.id_column not in parts.X_train.columns
    # Stratified: the churn rate of both sides agrees to within one customer.
    assert abs(parts.y_train.mean() - parts.y_test.mean()) < 1 / len(parts.y_test)


# -------------------------------------------------------------------- fault tests (corrupt file)
@pytest.fixture
def telco_csv(tmp_path, telco):
    path = tmp_path / "telco.csv"
    telco.to_csv(path)
    return path


def test_round_trip_csv_is_clean(cfg, telco_csv):
    assert clean(load_frame(cfg, telco_csv), cfg).n_bad == 0


def test_corrupt_values_rejected_naming_rows_and_columns(cfg, telco_csv):
    lines = telco_csv.read_text().splitlines()
    header = lines[0].split(",")
    ids = []
    for row, (col, value) in zip(
        (5, 10, 15, 20),
        [("tenure", "ten"), ("MonthlyCharges", "-30"), ("Contract", "Forever"), ("Churn", "maybe")],
        strict=True,
    ):
        fields = lines[row].split(",")
        fields[header.index(col)] = value
        lines[row] = ",".join(fields)
        ids.append(fields[0])
    telco_csv.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataContractError) as err:
        clean(load_frame(cfg, telco_csv), cfg.model_copy(update={"validation": cfg.validation.model_copy(
            update={"max_bad_fraction": 0.0})}))  # fmt: skip
    message = str(err.value)
    assert "4 of 7043 rows" in message
    for row_id, col in zip(ids, ["tenure", "MonthlyCharges", "Contract", "Churn"], strict=True):
        assert f"row '{row_id}': {col}:" in message
    assert set(err.value.failures["column"]) == {"tenure", "MonthlyCharges", "Contract", "Churn"}


def test_truncated_file_rejected(cfg, telco_csv):
    text = telco_csv.read_text()
    telco_csv.write_text(text[: len(text) // 2])  # cut mid-row: the last row loses its tail
    frame = load_frame(cfg, telco_csv)
    last = frame.index[-1]
    with pytest.raises(DataContractError, match=f"row '{last}'"):
        clean(
            frame,
            cfg.model_copy(update={"validation": cfg.validation.model_copy(update={"max_bad_fraction": 0})}),
        )
    # Truncated to the header's first columns: the frame is broken as a whole, columns named.
    telco_csv.write_text("\n".join(",".join(line.split(",")[:5]) for line in text.splitlines()[:50]))
    with pytest.raises(DataContractError, match="column_in_dataframe.*MonthlyCharges"):
        clean(load_frame(cfg, telco_csv), cfg)
