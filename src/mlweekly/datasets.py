"""Every data set the project uses, by name.

Three origins:

- **bundled**: scikit-learn's small sets (iris, wine, breast_cancer, digits, diabetes);
- **vendored**: real data shipped in ``mlweekly/data/<name>/`` (gzip), each folder with a SOURCE.md
  (origin, licence, citation, changes, sha256). The sha256 of every vendored file is checked against
  :data:`CHECKSUMS` on every load; ``python -m mlweekly._vendor`` rebuilds the files;
- **download**: large sets (mnist, fashion_mnist) read from the cache folder ``$MLWEEKLY_DATA``
  (default ``$XDG_CACHE_HOME/mlweekly`` or ``~/.cache/mlweekly``) after :func:`download`.

``load(name)`` returns a :class:`sklearn.utils.Bunch` with ``frame`` (the whole table as a pandas
DataFrame), ``data`` (the feature columns), ``target`` (Series), ``feature_names``, ``target_name``,
``target_names`` (class labels in code order; empty for regression), ``task`` (``"classification"``
or ``"regression"``) and ``DESCR``. Classification targets are integer codes ``0..k-1``. Image sets
also carry ``images`` (n, 28, 28). ``load_xy(name)`` returns ``(X, y)``: the numeric features as a
float64 array, the shape most lessons want, and refuses missing values unless told to drop them.
Text sets (:data:`TEXT_SETS`: ``sms_spam``) have a single feature ``text`` of raw strings;
``load_xy`` refuses them and says how to vectorise the text.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import hashlib
import io
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn import datasets as skd
from sklearn.utils import Bunch

from mlweekly._idx import IDXError, parse_idx, read_idx

__all__ = [
    "CHECKSUMS", "DOWNLOADS", "REGISTRY", "TEXT_SETS", "ChecksumError", "DatasetInfo", "DatasetNotFoundError",
    "DownloadError", "IDXError", "UnknownDatasetError", "catalogue", "data_home", "download", "info",
    "load", "load_xy", "names", "read_idx",
]  # fmt: skip

# Where the vendored folders live. Tests point it elsewhere (monkeypatch) to corrupt copies.
DATA_DIR = Path(__file__).resolve().parent / "data"

# The one source of truth for the vendored bytes: {name: {file: sha256}}. Written by
# ``python -m mlweekly._vendor``, which also writes the same hashes into each SOURCE.md.
CHECKSUMS: dict[str, dict[str, str]] = {
    "california_housing": {
        "housing.csv.gz": "05306500dcb3bff4f27867a37b0ccc6896f92d390cc1ffdc4d0abbb996b70191",
    },
    "telco_churn": {
        "Telco-Customer-Churn.csv.gz": "289e95fbd50cafc03aa828eccbf814d1ae36aa77e56196fc538e874aefc585fa",
    },
    "adult": {
        "adult.data.gz": "fb986d3609cdf068a1c234ed2695603b74c66c4be723467d9d69542024847442",
        "adult.test.gz": "74aa81a0e0880467a50de97be6ba8130df14a3ef8c0c3a14de2a9a997d068fbf",
    },
    "compas": {
        "compas-deidentified.csv.gz": "54df1c11eaa00ce7fab093d7aa403d8516c77b696d04cf61013e4a2a97c859ad",
    },
    "mnist_test10k": {
        "t10k-images-idx3-ubyte.gz": "167310007f03058885c7e95e6c0b19c20de5c7fd3031f4cbdadc9014a523d80b",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
    "sms_spam": {
        "SMSSpamCollection.gz": "2d63ba7f58b44373c0194edb9e3125b69d777ea91ffb68b7cb055cd5eb591d6a",
    },
}  # fmt: skip

_IDX_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
              "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")  # fmt: skip
# Download-only sets: mirrors (tried in order) and the sha256 of the original gzip files
# (the same values torchvision, TFDS and the Fashion-MNIST README publish as md5/sha256).
DOWNLOADS: dict[str, dict] = {
    "mnist": {
        "mirrors": ("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/"),
        "sha256": dict(zip(_IDX_FILES, (
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        ), strict=True)),
    },
    "fashion_mnist": {
        "mirrors": ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
        "sha256": dict(zip(_IDX_FILES, (
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        ), strict=True)),
    },
}  # fmt: skip


# ------------------------------------------------------------------------------------------- errors
class UnknownDatasetError(KeyError):
    """No data set has this name (a KeyError whose message is not quoted)."""

    def __str__(self) -> str:
        return str(self.args[0])


class ChecksumError(ValueError):
    """A file's sha256 is not the one recorded; names the file and both hashes."""

    def __init__(self, path: Path | str, expected: str, actual: str, hint: str = ""):
        self.path, self.expected, self.actual = Path(path), expected, actual
        super().__init__(f"sha256 mismatch for {path}: expected {expected}, got {actual}. {hint}".strip())


class DatasetNotFoundError(FileNotFoundError):
    """A download-only data set is not (completely) in the cache folder."""


class DownloadError(OSError):
    """Every mirror failed for a file."""


# ---------------------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class DatasetInfo:
    """What :func:`catalogue` shows about a data set, recorded without loading it.

    ``rows`` and ``columns`` (number of feature columns, target excluded) are those of
    ``load(name)`` with default options; the tests check that they agree.
    """

    name: str
    task: str
    source: str
    licence: str
    origin: str  # "bundled" | "vendored" | "download"
    rows: int
    columns: int
    target: str
    options: tuple[str, ...] = ()


_SKLEARN = {
    "iris": (skd.load_iris, "classification", "Fisher (1936), UCI", 150, 4),
    "wine": (skd.load_wine, "classification", "UCI Wine", 178, 13),
    "breast_cancer": (skd.load_breast_cancer, "classification", "UCI Breast Cancer Wisconsin", 569, 30),
    "digits": (skd.load_digits, "classification", "UCI Optical Recognition of Handwritten Digits", 1797, 64),
    "diabetes": (skd.load_diabetes, "regression", "Efron et al. (2004), LARS paper", 442, 10),
}

REGISTRY: dict[str, DatasetInfo] = {
    name: DatasetInfo(name, task, source, "BSD-3-Clause (scikit-learn)", "bundled", rows, cols, "target")
    for name, (_, task, source, rows, cols) in _SKLEARN.items()
}
REGISTRY.update({
    "california_housing": DatasetInfo(
        "california_housing", "regression", "Pace & Barry (1997) via Géron's handson-ml2",
        "Apache-2.0 (repository); StatLib data", "vendored", 20640, 9, "median_house_value"),
    "telco_churn": DatasetInfo(
        "telco_churn", "classification", "IBM Telco Customer Churn sample",
        "Apache-2.0 (IBM repository)", "vendored", 7043, 19, "Churn"),
    "adult": DatasetInfo(
        "adult", "classification", "Becker & Kohavi (1996), UCI Adult", "CC BY 4.0", "vendored",
        48842, 14, "income", ("subset",)),
    "compas": DatasetInfo(
        "compas", "classification", "ProPublica Machine Bias (2016), de-identified",
        "none stated; research/education with attribution", "vendored", 7214, 10, "two_year_recid",
        ("propublica_filter",)),
    "mnist_test10k": DatasetInfo(
        "mnist_test10k", "classification", "LeCun, Cortes & Burges, MNIST test set", "CC BY-SA 3.0",
        "vendored", 10000, 784, "label"),
    "sms_spam": DatasetInfo(
        "sms_spam", "classification", "Almeida, Gómez Hidalgo & Yamakami (2011), UCI SMS Spam Collection",
        "CC BY 4.0", "vendored", 5574, 1, "label"),
    "mnist": DatasetInfo(
        "mnist", "classification", "LeCun, Cortes & Burges, MNIST", "CC BY-SA 3.0", "download",
        70000, 784, "label", ("subset", "download")),
    "fashion_mnist": DatasetInfo(
        "fashion_mnist", "classification", "Xiao, Rasul & Vollgraf (2017), Zalando Research", "MIT",
        "download", 70000, 784, "label", ("subset", "download")),
})  # fmt: skip


# Sets whose feature is raw text (a ``text`` column of str): ``load_xy`` refuses them.
TEXT_SETS = frozenset({"sms_spam"})


def names() -> list[str]:
    """Names of every data set, sorted.

    Examples
    --------
    >>> "adult" in names() and "iris" in names()
    True
    """
    return sorted(REGISTRY)


def _info(name: str) -> DatasetInfo:
    if name in REGISTRY:
        return REGISTRY[name]
    close = difflib.get_close_matches(str(name), names(), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
    raise UnknownDatasetError(f"Unknown data set {name!r}.{hint} Known: {', '.join(names())}.")


def data_home() -> Path:
    """The cache folder for downloaded sets: ``$MLWEEKLY_DATA``, else ``$XDG_CACHE_HOME/mlweekly``,
    else ``~/.cache/mlweekly``. Nothing is created."""
    if os.environ.get("MLWEEKLY_DATA"):
        return Path(os.environ["MLWEEKLY_DATA"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(xdg) / "mlweekly"


# ------------------------------------------------------------------------------------------ helpers
def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _vendored(name: str, file: str) -> bytes:
    """The bytes of a vendored file after checking its sha256 against :data:`CHECKSUMS`."""
    path = DATA_DIR / name / file
    if not path.is_file():
        raise FileNotFoundError(f"{name}: vendored file {path} is missing; restore it or rebuild it with "
                                "`python -m mlweekly._vendor`")
    raw = path.read_bytes()
    actual, expected = _sha256(raw), CHECKSUMS[name][file]
    if actual != expected:
        raise ChecksumError(path, expected, actual, "The vendored file is corrupt or was changed; restore it "
                            "or rebuild with `python -m mlweekly._vendor` and update datasets.CHECKSUMS.")
    return raw


def _csv(name: str, file: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(gzip.decompress(_vendored(name, file))), **kwargs)


def _descr(name: str) -> str:
    readme = DATA_DIR / name / "SOURCE.md"
    return readme.read_text(encoding="utf-8") if readme.is_file() else f"{name}: see {readme}"


def _codes(series: pd.Series, classes: Sequence[str]) -> pd.Series:
    """Class labels -> integer codes 0..k-1 in the order of ``classes``; unknown labels are an error."""
    unknown = sorted(set(series.dropna().unique()) - set(classes))
    if unknown or series.isna().any():
        raise ValueError(f"{series.name}: labels {unknown or ['NaN']} are not among {list(classes)}")
    return series.map({c: i for i, c in enumerate(classes)}).astype(np.int64)


def _categorical(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    return frame.astype({c: "category" for c in columns})


def _bunch(name: str, frame: pd.DataFrame, features: Sequence[str], target_names: Sequence[str] = (),
           descr: str | None = None, **extra) -> Bunch:
    info = REGISTRY[name]
    return Bunch(
        frame=frame,
        data=frame[list(features)],
        target=frame[info.target],
        feature_names=list(features),
        target_name=info.target,
        target_names=list(target_names),
        task=info.task,
        DESCR=_descr(name) if descr is None else descr,
        **extra,
    )


# ------------------------------------------------------------------------------------------ loaders
def _load_sklearn(name: str) -> Bunch:
    raw = _SKLEARN[name][0](as_frame=True)
    frame: pd.DataFrame = raw.frame
    target_name = raw.target.name
    return Bunch(
        frame=frame,
        data=frame.drop(columns=[target_name]),
        target=frame[target_name],
        feature_names=list(raw.feature_names),
        target_name=target_name,
        target_names=list(getattr(raw, "target_names", [])),
        task=REGISTRY[name].task,
        DESCR=raw.DESCR,
    )


def _load_california_housing() -> Bunch:
    frame = _csv("california_housing", "housing.csv.gz")  # empty total_bedrooms -> NaN (207 rows)
    frame = _categorical(frame, ["ocean_proximity"])
    return _bunch("california_housing", frame, [c for c in frame.columns if c != "median_house_value"])


def _load_telco_churn() -> Bunch:
    frame = _csv("telco_churn", "Telco-Customer-Churn.csv.gz", index_col="customerID",
                 dtype={"TotalCharges": str}, keep_default_na=False)
    # TotalCharges is " " for customers with tenure 0 (never billed): blank -> NaN, anything else
    # that is not a number is an error rather than a silent NaN.
    total = frame["TotalCharges"].str.strip()
    frame["TotalCharges"] = pd.to_numeric(total.mask(total == ""), errors="raise").astype(np.float64)
    frame["Churn"] = _codes(frame["Churn"], ["No", "Yes"])
    text = frame.select_dtypes("object").columns
    frame = _categorical(frame, text)
    return _bunch("telco_churn", frame, [c for c in frame.columns if c != "Churn"], ["No", "Yes"])


_ADULT_COLUMNS = ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation",
                  "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week",
                  "native_country", "income"]  # fmt: skip


def _splits(name: str, subset: str) -> list[str]:
    if subset not in ("all", "train", "test"):
        raise ValueError(f"{name}: subset must be 'all', 'train' or 'test', got {subset!r}")
    return ["train", "test"] if subset == "all" else [subset]


def _load_adult(subset: str = "all") -> Bunch:
    _splits("adult", subset)
    parts = []
    for split, file, skip in (("train", "adult.data.gz", 0), ("test", "adult.test.gz", 1)):
        part = _csv("adult", file, header=None, names=_ADULT_COLUMNS, skiprows=skip, skipinitialspace=True,
                    na_values=["?"], keep_default_na=False)
        part["split"] = split
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame["income"] = _codes(frame["income"].str.rstrip("."), ["<=50K", ">50K"])  # test labels end in "."
    frame = _categorical(frame, [*frame.select_dtypes("object").columns])  # categories of both splits
    if subset != "all":
        frame = frame[frame["split"] == subset].reset_index(drop=True)
    return _bunch("adult", frame, _ADULT_COLUMNS[:-1], ["<=50K", ">50K"])


_COMPAS_FEATURES = ["sex", "age", "age_cat", "race", "juv_fel_count", "juv_misd_count", "juv_other_count",
                    "priors_count", "c_charge_degree", "c_charge_desc"]  # fmt: skip


def _load_compas(propublica_filter: bool = False) -> Bunch:
    frame = _csv("compas", "compas-deidentified.csv.gz")
    if propublica_filter:  # ProPublica's analysis: rows where the screening matches the arrest
        keep = (frame["days_b_screening_arrest"].between(-30, 30) & (frame["is_recid"] != -1)
                & (frame["c_charge_degree"] != "O") & (frame["score_text"] != "N/A"))  # fmt: skip
        frame = frame[keep].reset_index(drop=True)
    frame = _categorical(frame, ["sex", "age_cat", "race", "c_charge_degree", "c_charge_desc", "score_text",
                                 "v_score_text"])  # fmt: skip
    return _bunch("compas", frame, _COMPAS_FEATURES, ["no", "yes"])


_FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                    "Bag", "Ankle boot"]  # fmt: skip


def _image_bunch(name: str, parts: Sequence[tuple[str, np.ndarray, np.ndarray]], classes: Sequence[str],
                 descr: str | None = None) -> Bunch:
    """Bunch of IDX image sets: ``parts`` are (split, images (n, 28, 28) uint8, labels (n,) uint8)."""
    for split, images, labels in parts:
        if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
            raise IDXError(f"{name} {split}: images {images.shape} and labels {labels.shape} do not match")
        if labels.size and labels.max() >= len(classes):
            raise IDXError(f"{name} {split}: label {labels.max()} outside 0..{len(classes) - 1}")
    images = np.concatenate([p[1] for p in parts])
    features = [f"pixel_{r}_{c}" for r in range(images.shape[1]) for c in range(images.shape[2])]
    frame = pd.DataFrame(images.reshape(len(images), -1), columns=features)
    frame["label"] = np.concatenate([p[2] for p in parts]).astype(np.int64)
    frame["split"] = pd.Categorical(np.repeat([p[0] for p in parts], [len(p[2]) for p in parts]),
                                    categories=["train", "test"])  # fmt: skip
    return _bunch(name, frame, features, classes, descr, images=images)


def _load_sms_spam() -> Bunch:
    # Quoting off: 145 messages contain '"', which default CSV quoting would merge across lines.
    frame = _csv("sms_spam", "SMSSpamCollection.gz", sep="\t", header=None, names=["label", "text"],
                 quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False)[["text", "label"]]  # fmt: skip
    frame["label"] = _codes(frame["label"], ["ham", "spam"])
    return _bunch("sms_spam", frame, ["text"], ["ham", "spam"])


def _load_mnist_test10k() -> Bunch:
    files = CHECKSUMS["mnist_test10k"]
    arrays = [parse_idx(gzip.decompress(_vendored("mnist_test10k", f)), f) for f in files]
    return _image_bunch("mnist_test10k", [("test", *arrays)], [str(d) for d in range(10)])


def _cached(name: str, subset: str, download_missing: bool) -> list[tuple[str, np.ndarray, np.ndarray]]:
    splits = _splits(name, subset)
    prefix = {"train": "train", "test": "t10k"}
    wanted = [f"{prefix[s]}-{kind}.gz" for s in splits for kind in ("images-idx3-ubyte", "labels-idx1-ubyte")]
    folder = data_home() / name

    def find(file: str) -> Path | None:  # the gzip file as downloaded, or decompressed by hand
        return next((p for p in (folder / file, folder / file.removesuffix(".gz")) if p.is_file()), None)

    missing = [f for f in wanted if find(f) is None]
    if missing and download_missing:
        download(name, files=missing)
    elif missing:
        raise DatasetNotFoundError(
            f"{name}: files not in the cache folder {folder}: {', '.join(missing)}. "
            f"Get them with `mlweekly data download {name}` (or datasets.download({name!r}), or "
            f"load({name!r}, download=True)), or copy the files there (gzipped or not); set MLWEEKLY_DATA "
            f"to use another cache folder." + (" The MNIST test set alone ships as 'mnist_test10k'."
                                               if name == "mnist" else "")
        )
    paths = [find(f) for f in wanted]
    return [(s, read_idx(paths[2 * i]), read_idx(paths[2 * i + 1])) for i, s in enumerate(splits)]


_DOWNLOAD_DESCR = {
    "mnist": "MNIST handwritten digits (LeCun, Cortes & Burges; CC BY-SA 3.0): 60000 train + 10000 test "
             "28x28 grey images, labels 0-9. Downloaded from the PyTorch (ossci) or CVDF mirror.",
    "fashion_mnist": "Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, arXiv:1708.07747; MIT): 60000 train + "
                     "10000 test 28x28 grey images of 10 clothing classes, from Zalando's mirrors.",
}  # fmt: skip


def _load_idx_download(name: str, subset: str = "all", download: bool = False) -> Bunch:
    classes = _FASHION_CLASSES if name == "fashion_mnist" else [str(d) for d in range(10)]
    return _image_bunch(name, _cached(name, subset, download), classes, _DOWNLOAD_DESCR[name])


_LOADERS: dict[str, Callable[..., Bunch]] = {
    **{name: (lambda n=name: _load_sklearn(n)) for name in _SKLEARN},
    "california_housing": _load_california_housing,
    "telco_churn": _load_telco_churn,
    "adult": _load_adult,
    "compas": _load_compas,
    "mnist_test10k": _load_mnist_test10k,
    "sms_spam": _load_sms_spam,
    "mnist": lambda **kw: _load_idx_download("mnist", **kw),
    "fashion_mnist": lambda **kw: _load_idx_download("fashion_mnist", **kw),
}


# --------------------------------------------------------------------------------------- public API
def load(name: str, **options) -> Bunch:
    """Load a data set by name.

    Parameters
    ----------
    name : str
        One of :func:`names`.
    **options
        Data-set specific, listed in ``info(name)["options"]``:

        - ``adult``: ``subset`` = ``"all"`` (default, 48842 rows with a ``split`` column in ``frame``),
          ``"train"`` (32561) or ``"test"`` (16281);
        - ``compas``: ``propublica_filter=True`` keeps ProPublica's 6172 analysed rows;
        - ``mnist``, ``fashion_mnist``: ``subset`` as for adult (60000 + 10000), ``download=True``
          fetches missing files into :func:`data_home` first.

    Returns
    -------
    sklearn.utils.Bunch
        ``frame``, ``data``, ``target``, ``feature_names``, ``target_name``, ``target_names``, ``task``,
        ``DESCR`` (for vendored sets the folder's SOURCE.md); image sets also ``images``.

    Raises
    ------
    UnknownDatasetError
        Unknown name (a KeyError); the message suggests the closest names.
    ChecksumError
        A vendored file's sha256 differs from :data:`CHECKSUMS`.
    DatasetNotFoundError
        A download-only set is not in the cache and ``download`` was not requested.
    TypeError
        An option this data set does not take.

    Examples
    --------
    >>> bunch = load("california_housing")
    >>> bunch.frame.shape, bunch.task, int(bunch.frame["total_bedrooms"].isna().sum())
    ((20640, 10), 'regression', 207)
    >>> load("adult", subset="test").target_names
    ['<=50K', '>50K']
    """
    info = _info(name)
    unknown = sorted(set(options) - set(info.options))
    if unknown:
        takes = f"it takes {', '.join(info.options)}" if info.options else "it takes no options"
        raise TypeError(f"load({name!r}): unknown option(s) {', '.join(unknown)}; {takes}")
    return _LOADERS[name](**options)


def load_xy(name: str, *, dropna: bool = False, **options) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: the numeric feature columns as float64 and the target, as NumPy arrays.

    Categorical (text) features are left out: use ``load(name).data`` and encode them for models that
    need them. Missing values are never dropped or imputed silently. Text data sets (``sms_spam``),
    whose only feature is raw text, have no numeric features: they raise a ValueError saying how to
    vectorise the text (bag of words) instead of returning an empty X.

    Parameters
    ----------
    name : str
        One of :func:`names`.
    dropna : bool, default False
        If False, a NaN in the numeric features (california_housing's 207 ``total_bedrooms``,
        telco_churn's 11 ``TotalCharges``, compas never: its numeric features are complete) raises a
        ValueError naming the columns. If True, every row with a NaN in a numeric feature is dropped
        (NaN in the left-out categorical columns, such as adult's ``?``, does not drop a row).
    **options
        Passed to :func:`load`.

    Returns
    -------
    X : ndarray of shape (n_samples, n_numeric_features), float64
    y : ndarray of shape (n_samples,)
        Integer class codes for classification, float for regression.

    Examples
    --------
    >>> X, y = load_xy("california_housing", dropna=True)
    >>> X.shape, X.dtype
    ((20433, 8), dtype('float64'))
    """
    if name in TEXT_SETS:
        raise ValueError(
            f"{name} is a text data set: its feature is raw text, so there is no numeric X to return. "
            f"Vectorise the text first, e.g. bunch = load({name!r}); "
            "X = sklearn.feature_extraction.text.CountVectorizer().fit_transform(bunch.frame['text']); "
            "y = bunch.target.to_numpy()"
        )
    bunch = load(name, **options)
    numeric = bunch.data.select_dtypes("number")
    nan = numeric.isna()
    if nan.to_numpy().any():
        counts = nan.sum()
        detail = ", ".join(f"{c} in {n} rows" for c, n in counts[counts > 0].items())
        if not dropna:
            raise ValueError(
                f"{name}: the numeric features have NaN ({detail}). Pass dropna=True to drop those "
                f"{int(nan.any(axis=1).sum())} rows, or impute from load({name!r}).frame yourself."
            )
        keep = ~nan.any(axis=1).to_numpy()
        numeric, target = numeric[keep], bunch.target[keep]
    else:
        target = bunch.target
    return np.ascontiguousarray(numeric.to_numpy(dtype=np.float64)), target.to_numpy()


def _where(info: DatasetInfo) -> str:
    if info.origin == "bundled":
        return "sklearn"
    return str((DATA_DIR if info.origin == "vendored" else data_home()) / info.name)


def _available(info: DatasetInfo) -> bool:
    if info.origin == "bundled":
        return True
    if info.origin == "vendored":
        return all((DATA_DIR / info.name / f).is_file() for f in CHECKSUMS[info.name])
    folder = data_home() / info.name
    return all((folder / f).is_file() or (folder / f.removesuffix(".gz")).is_file()
               for f in DOWNLOADS[info.name]["sha256"])  # fmt: skip


def catalogue() -> list[dict]:
    """One dict per data set, sorted by name, without loading any (used by ``mlweekly data list``).

    Returns
    -------
    list of dict
        Keys ``name``, ``rows``, ``columns`` (feature columns, target excluded; both as ``load(name)``
        returns them with default options), ``task``, ``source``, ``licence``, ``origin``
        (``bundled``/``vendored``/``download``), ``where`` (``"sklearn"``, the vendored folder, or the
        cache folder where a download lives or would live) and ``available`` (False for a download-only
        set whose files are not all in the cache).

    Examples
    --------
    >>> rows = {row["name"]: row for row in catalogue()}
    >>> rows["adult"]["rows"], rows["mnist"]["origin"]
    (48842, 'download')
    """
    return [
        {"name": i.name, "rows": i.rows, "columns": i.columns, "task": i.task, "source": i.source,
         "licence": i.licence, "origin": i.origin, "where": _where(i), "available": _available(i)}
        for i in (REGISTRY[n] for n in names())
    ]  # fmt: skip


def info(name: str) -> dict:
    """Everything recorded about one data set: the :func:`catalogue` row plus its target, options and files.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    dict
        The catalogue keys and ``target``, ``options``, ``files`` (``{file: sha256}`` for vendored and
        download sets, empty for bundled ones), ``mirrors`` (download sets) and ``descr`` (SOURCE.md
        path or a one-line description).

    Examples
    --------
    >>> info("compas")["options"]
    ['propublica_filter']
    """
    i = _info(name)
    row = next(r for r in catalogue() if r["name"] == name)
    files = CHECKSUMS.get(name) or DOWNLOADS.get(name, {}).get("sha256", {})
    descr = {"vendored": str(DATA_DIR / name / "SOURCE.md"), "bundled": "scikit-learn's DESCR"}
    return {**row, "target": i.target, "options": list(i.options), "files": dict(files),
            "mirrors": list(DOWNLOADS.get(name, {}).get("mirrors", ())),
            "descr": descr.get(i.origin) or _DOWNLOAD_DESCR[name]}  # fmt: skip


def _fetch(urls: Sequence[str], dest: Path, expected: str, progress: bool) -> None:
    """Stream the first URL that answers into ``dest``, hashing on the way; verify, then rename."""
    from tqdm.auto import tqdm

    part = dest.with_name(dest.name + ".part")
    failures = []
    for url in urls:
        digest = hashlib.sha256()
        try:
            with urllib.request.urlopen(url, timeout=60) as response, part.open("wb") as out:
                total = int(response.headers.get("Content-Length") or 0) or None
                bar = tqdm(total=total, unit="B", unit_scale=True, desc=dest.name, disable=not progress)
                with bar:
                    while chunk := response.read(1 << 16):
                        out.write(chunk)
                        digest.update(chunk)
                        bar.update(len(chunk))
        except (urllib.error.URLError, OSError, ValueError) as exc:  # ValueError: malformed URL
            part.unlink(missing_ok=True)
            failures.append(f"{url}: {exc}")
            continue
        if digest.hexdigest() != expected:
            part.unlink(missing_ok=True)  # a wrong file is not kept, not even as a partial
            raise ChecksumError(dest.name, expected, digest.hexdigest(), f"Downloaded from {url}; deleted.")
        os.replace(part, dest)
        return
    raise DownloadError(f"could not download {dest.name}: " + "; ".join(failures))


def download(name: str, cache_dir: str | os.PathLike | None = None,
             urls: str | Sequence[str] | Mapping[str, str | Sequence[str]] | None = None,
             sha256: Mapping[str, str] | None = None, *, files: Sequence[str] | None = None,
             force: bool = False, progress: bool = True) -> Path:
    """Download a data set's files into the cache, verifying each file's sha256.

    Parameters
    ----------
    name : str
        A download-only data set (``mnist``, ``fashion_mnist``).
    cache_dir : path-like, optional
        Root cache folder; files go to ``cache_dir/name/``. Default :func:`data_home`
        (``$MLWEEKLY_DATA``).
    urls : str, sequence of str or mapping, optional
        Where to fetch from: base URL(s) of mirrors tried in order (the file name is appended), or a
        mapping ``{file: url or [urls]}``. ``file://`` URLs work (tests, local mirrors). Default: the
        known mirrors (:data:`DOWNLOADS`).
    sha256 : mapping, optional
        ``{file: hex sha256}``. Default: the published hashes of the original files.
    files : sequence of str, optional
        Only these files (names as in ``sha256``). Default: all of them.
    force : bool, default False
        Download even if a file with the right hash is already there. A file whose hash is wrong is
        always downloaded again.
    progress : bool, default True
        Show a tqdm progress bar per file.

    Returns
    -------
    Path
        The folder holding the files.

    Raises
    ------
    ChecksumError
        A downloaded file's sha256 is not the expected one; the file is deleted.
    DownloadError
        Every mirror failed for a file (an OSError).
    ValueError
        The data set ships with the package (nothing to download), or a file has no known hash.

    Examples
    --------
    >>> download("mnist")  # doctest: +SKIP
    PosixPath('/home/me/.cache/mlweekly/mnist')
    """
    i = _info(name)
    if name not in DOWNLOADS:
        raise ValueError(f"{name!r} is {i.origin} (it ships with mlweekly); there is nothing to download. "
                         f"Download-only sets: {', '.join(sorted(DOWNLOADS))}.")
    hashes = dict(DOWNLOADS[name]["sha256"] if sha256 is None else sha256)
    wanted = list(hashes if files is None else files)
    if unknown := [f for f in wanted if f not in hashes]:
        raise ValueError(f"{name}: no sha256 known for {', '.join(unknown)}; pass sha256={{file: hash}}")
    folder = Path(cache_dir).expanduser() / name if cache_dir is not None else data_home() / name
    folder.mkdir(parents=True, exist_ok=True)
    for file in wanted:
        dest = folder / file
        if dest.is_file() and not force and _sha256(dest.read_bytes()) == hashes[file]:
            continue
        if urls is None or isinstance(urls, str) or not isinstance(urls, Mapping):
            bases = DOWNLOADS[name]["mirrors"] if urls is None else [urls] if isinstance(urls, str) else urls
            candidates = [base.rstrip("/") + "/" + file for base in bases]
        elif file in urls:
            candidates = [urls[file]] if isinstance(urls[file], str) else list(urls[file])
        else:
            raise ValueError(f"{name}: urls has no entry for {file}; give one per file or base URL(s)")
        _fetch(candidates, dest, hashes[file], progress)
    return folder
