"""Tabular data sets: shapes, targets, dtypes, missing values, privacy, checksums, catalogue."""

import gzip
import hashlib
import io
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlweekly import _vendor, datasets

VENDORED = sorted(datasets.CHECKSUMS)
LOCAL = [n for n in datasets.names() if datasets.REGISTRY[n].origin != "download"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- every set, generically
@pytest.mark.parametrize("name", LOCAL)
def test_load_matches_catalogue_and_bunch_contract(name):
    info = datasets.REGISTRY[name]
    b = datasets.load(name)
    assert b.frame.shape[0] == b.data.shape[0] == b.target.shape[0] == info.rows
    assert b.data.shape[1] == len(b.feature_names) == info.columns
    assert list(b.data.columns) == b.feature_names
    assert b.target_name == info.target and b.target_name not in b.feature_names
    assert b.task == info.task
    if b.task == "classification":
        assert b.target.dtype == np.int64
        assert set(np.unique(b.target)) == set(range(len(b.target_names)))


@pytest.mark.parametrize("name", VENDORED)
def test_source_md_records_the_registry_hashes(name):
    folder = datasets.DATA_DIR / name
    text = (folder / "SOURCE.md").read_text(encoding="utf-8")
    for section in ("## Origin", "## Licence", "## Citation", "## What mlweekly changed"):
        assert section in text
    table = dict(re.findall(r"^\| (\S+) \| \d+ \| ([0-9a-f]{64}) \|", text, re.M))
    assert table == datasets.CHECKSUMS[name]
    for file, sha in datasets.CHECKSUMS[name].items():
        assert _sha(folder / file) == sha
        assert (folder / file).read_bytes()[:2] == b"\x1f\x8b"  # vendored compressed


# ------------------------------------------------------------------------------------- per data set
def test_california_housing_keeps_nan_and_category():
    b = datasets.load("california_housing")
    assert b.frame.shape == (20640, 10)
    assert b.target.dtype == np.float64 and b.target.max() == 500001.0
    assert b.frame["total_bedrooms"].isna().sum() == 207
    assert b.frame["ocean_proximity"].dtype == "category"
    assert b.frame["ocean_proximity"].value_counts().to_dict() == {
        "<1H OCEAN": 9136, "INLAND": 6551, "NEAR OCEAN": 2658, "NEAR BAY": 2290, "ISLAND": 5}  # fmt: skip


def test_load_xy_refuses_nan_unless_dropna():
    with pytest.raises(ValueError, match=r"total_bedrooms in 207 rows.*dropna=True"):
        datasets.load_xy("california_housing")
    X, y = datasets.load_xy("california_housing", dropna=True)
    assert X.shape == (20640 - 207, 8) and X.dtype == np.float64 and y.shape == (20433,)
    assert np.isfinite(X).all()
    full = datasets.load("california_housing").frame.dropna(subset=["total_bedrooms"])
    np.testing.assert_array_equal(y, full["median_house_value"].to_numpy())


def test_telco_churn_total_charges_blank_is_nan():
    b = datasets.load("telco_churn")
    assert b.frame.shape == (7043, 20) and b.frame.index.name == "customerID" and b.frame.index.is_unique
    assert "customerID" not in b.feature_names
    assert b.frame["TotalCharges"].dtype == np.float64
    blank = b.frame["TotalCharges"].isna()
    assert blank.sum() == 11 and (b.frame.loc[blank, "tenure"] == 0).all()
    assert b.target.value_counts().to_dict() == {0: 5174, 1: 1869} and b.target_names == ["No", "Yes"]
    assert b.frame["Contract"].dtype == "category" and b.frame["SeniorCitizen"].dtype == np.int64
    with pytest.raises(ValueError, match="TotalCharges in 11 rows"):
        datasets.load_xy("telco_churn")
    X, _ = datasets.load_xy("telco_churn", dropna=True)
    assert X.shape == (7032, 4)  # SeniorCitizen, tenure, MonthlyCharges, TotalCharges


def test_adult_splits_labels_and_missing():
    b = datasets.load("adult")
    f = b.frame
    assert f.shape == (48842, 16) and "split" not in b.feature_names
    assert f["split"].value_counts().to_dict() == {"train": 32561, "test": 16281}
    by_split = f.groupby("split", observed=True)["income"].value_counts().to_dict()
    assert by_split == {("train", 0): 24720, ("train", 1): 7841, ("test", 0): 12435, ("test", 1): 3846}
    rows_with_nan = f[b.feature_names].isna().any(axis=1).groupby(f["split"], observed=True).sum()
    assert rows_with_nan.to_dict() == {"train": 2399, "test": 1221}
    for col in f.select_dtypes("category"):
        cats = [str(c) for c in f[col].cat.categories]
        assert all(c == c.strip() and c != "?" and not c.endswith(".") for c in cats), col
    test = datasets.load("adult", subset="test")
    assert test.frame.shape == (16281, 16) and set(test.frame["split"]) == {"test"}
    assert test.frame["workclass"].cat.categories.equals(f["workclass"].cat.categories)
    X, y = datasets.load_xy("adult", subset="train")  # NaN only in categorical columns
    assert X.shape == (32561, 6) and y.sum() == 7841
    with pytest.raises(ValueError, match="subset must be"):
        datasets.load("adult", subset="validation")


def test_compas_has_no_identifying_column():
    identifying = set(_vendor.COMPAS_IDENTIFYING)
    assert identifying == {"id", "name", "first", "last", "dob", "c_case_number", "r_case_number",
                           "vr_case_number"}  # fmt: skip
    b = datasets.load("compas")
    assert not identifying & set(b.frame.columns)
    raw = gzip.decompress((datasets.DATA_DIR / "compas" / "compas-deidentified.csv.gz").read_bytes())
    header = raw.split(b"\n", 1)[0].decode().split(",")
    assert header == list(_vendor.COMPAS_KEEP) and not identifying & set(header)
    assert not re.search(rb"\d{4}-\d{2}-\d{2}", raw)  # no date of birth, no time stamp of any kind
    assert b.frame.shape == (7214, 23)
    assert b.target.value_counts().to_dict() == {0: 3963, 1: 3251}
    assert b.frame["race"].value_counts().to_dict() == {
        "African-American": 3696, "Caucasian": 2454, "Hispanic": 637, "Other": 377, "Asian": 32,
        "Native American": 18}  # fmt: skip
    assert not {"decile_score", "score_text", "is_recid", "event"} & set(b.feature_names)  # no leakage
    assert datasets.load("compas", propublica_filter=True).frame.shape == (6172, 23)


def test_compas_length_of_stay_is_calendar_days():
    rest = [c for c in _vendor.COMPAS_KEEP if c not in ("length_of_stay", "decile_score", "priors_count")]
    cols = ["id", "name", "c_jail_in", "c_jail_out", *["decile_score", "priors_count"] * 2, *rest]
    raw = ",".join(cols) + "\n"
    row = {c: "1" for c in cols} | {"c_jail_in": "2013-01-31 23:59:00", "c_jail_out": "2013-02-02 00:01:00"}
    out = _vendor.compas_deidentified((raw + ",".join(row[c] for c in cols) + "\n").encode())
    frame = pd.read_csv(io.BytesIO(out))
    assert frame.loc[0, "length_of_stay"] == 2 and "c_jail_in" not in frame and "name" not in frame


def test_mnist_test10k_is_the_real_test_set():
    b = datasets.load("mnist_test10k")
    assert b.images.shape == (10000, 28, 28) and b.images.dtype == np.uint8
    assert np.bincount(b.target).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert b.target[0] == 7 and round(b.images.mean() / 255, 4) == 0.1325
    np.testing.assert_array_equal(b.data.to_numpy().reshape(-1, 28, 28), b.images)
    X, y = datasets.load_xy("mnist_test10k")
    assert X.shape == (10000, 784) and X.dtype == np.float64 and X.max() == 255.0


# ------------------------------------------------------------------------------------------- checks
@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the vendored folders that the loaders read instead of the package's."""
    root = tmp_path / "data"
    shutil.copytree(datasets.DATA_DIR, root)
    monkeypatch.setattr(datasets, "DATA_DIR", root)
    return root


def test_checksum_mismatch_names_file_and_both_hashes(data_copy):
    path = data_copy / "adult" / "adult.test.gz"
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF
    path.write_bytes(bytes(raw))
    expected = datasets.CHECKSUMS["adult"]["adult.test.gz"]
    with pytest.raises(datasets.ChecksumError) as err:
        datasets.load("adult", subset="train")  # checked even though only the other split is asked for
    msg = str(err.value)
    assert str(path) in msg and expected in msg and hashlib.sha256(raw).hexdigest() in msg
    assert err.value.actual == hashlib.sha256(raw).hexdigest()


def test_checksum_registry_is_what_is_checked(data_copy, monkeypatch):
    wrong = "0" * 64
    monkeypatch.setitem(datasets.CHECKSUMS, "compas", {"compas-deidentified.csv.gz": wrong})
    with pytest.raises(datasets.ChecksumError, match=wrong):
        datasets.load("compas")


def test_missing_vendored_file_is_a_clear_error(data_copy):
    (data_copy / "telco_churn" / "Telco-Customer-Churn.csv.gz").unlink()
    with pytest.raises(FileNotFoundError, match="telco_churn: vendored file .* is missing"):
        datasets.load("telco_churn")


def test_unknown_name_lists_closest_names():
    with pytest.raises(KeyError, match="Did you mean 'california_housing'"):
        datasets.load("califonia_housing")
    with pytest.raises(datasets.UnknownDatasetError, match="Known: adult, breast_cancer"):
        datasets.info("no-such-set-at-all")


def test_unknown_option_is_a_type_error():
    with pytest.raises(TypeError, match="it takes subset"):
        datasets.load("adult", split="train")
    with pytest.raises(TypeError, match="takes no options"):
        datasets.load("iris", subset="train")


def test_catalogue_and_info(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWEEKLY_DATA", str(tmp_path))
    rows = {r["name"]: r for r in datasets.catalogue()}
    assert sorted(rows) == datasets.names()
    assert set(rows["iris"]) == {"name", "rows", "columns", "task", "source", "licence", "origin", "where",
                                 "available"}  # fmt: skip
    assert rows["iris"]["where"] == "sklearn" and rows["iris"]["origin"] == "bundled"
    assert rows["adult"]["where"] == str(datasets.DATA_DIR / "adult") and rows["adult"]["available"]
    assert rows["mnist"] | {"where": str(tmp_path / "mnist"), "available": False} == rows["mnist"]
    assert rows["mnist"]["rows"] == 70000 and rows["mnist"]["origin"] == "download"
    mnist = datasets.info("mnist")
    assert mnist["files"] == datasets.DOWNLOADS["mnist"]["sha256"]
    assert mnist["mirrors"][0] == "https://ossci-datasets.s3.amazonaws.com/mnist/"
    assert datasets.info("compas")["files"] == datasets.CHECKSUMS["compas"]


def test_data_home_default(monkeypatch, tmp_path):
    monkeypatch.delenv("MLWEEKLY_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datasets.data_home() == tmp_path / "mlweekly"


# ------------------------------------------------------------------------------------ reproducibility
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the offline copies (../shared/data) are not here")
def test_vendor_build_reproduces_the_shipped_files(tmp_path):
    hashes = _vendor.build(SHARED, tmp_path)
    for name, files in datasets.CHECKSUMS.items():
        for file in files:  # contents always; the gzip bytes too with the same zlib
            shipped = datasets.DATA_DIR / name / file
            rebuilt = tmp_path / name / file
            assert gzip.decompress(rebuilt.read_bytes()) == gzip.decompress(shipped.read_bytes())
        text = (tmp_path / name / "SOURCE.md").read_text(encoding="utf-8")
        assert all(h in text for h in hashes[name].values())
    assert set(hashes) == set(datasets.CHECKSUMS)


def test_compas_build_refuses_differing_duplicate_columns():
    raw = b"decile_score,priors_count,decile_score\n1,0,2\n"
    with pytest.raises(ValueError, match="the two 'decile_score' columns differ"):
        _vendor.compas_deidentified(raw)


# ------------------------------------------------------------------------------------- sms_spam (text)
def test_sms_spam_is_the_uci_corpus_read_without_quoting():
    b = datasets.load("sms_spam")
    assert list(b.frame.columns) == ["text", "label"] and b.feature_names == ["text"]
    assert b.target_names == ["ham", "spam"] and b.target.dtype == np.int64
    assert np.bincount(b.target).tolist() == [4827, 747]  # the counts of the authors' readme and UCI
    assert b.frame["text"].map(type).eq(str).all()
    assert b.frame["text"].iloc[0].startswith("Go until jurong point, crazy..")
    assert b.target.iloc[2] == 1 and b.frame["text"].iloc[2].startswith("Free entry in 2 a wkly comp")
    # quoting off: the 145 messages with a double quote keep it and stay one row each
    assert b.frame["text"].str.contains('"', regex=False).sum() == 145
    assert b.frame["text"].str.len().max() == 910 and b.frame["text"].duplicated().sum() == 403
    raw = gzip.decompress((datasets.DATA_DIR / "sms_spam" / "SMSSpamCollection.gz").read_bytes())
    lines = raw.decode("utf-8").splitlines()
    assert [f"{['ham', 'spam'][c]}\t{t}" for t, c in zip(b.frame["text"], b.target, strict=True)] == lines


def test_load_xy_refuses_a_text_set_and_says_how_to_vectorise():
    with pytest.raises(ValueError, match=r"sms_spam is a text data set.*CountVectorizer\(\)\.fit_transform"):
        datasets.load_xy("sms_spam")
    assert datasets.TEXT_SETS == {"sms_spam"}
    assert all(datasets.REGISTRY[n].columns == 1 for n in datasets.TEXT_SETS)


def test_sms_spam_checksum_is_checked(data_copy):
    path = data_copy / "sms_spam" / "SMSSpamCollection.gz"
    path.write_bytes(gzip.compress(b"ham\thello\n", mtime=0))
    with pytest.raises(datasets.ChecksumError, match="SMSSpamCollection.gz"):
        datasets.load("sms_spam")
