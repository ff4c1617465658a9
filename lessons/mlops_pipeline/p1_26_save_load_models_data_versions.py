# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # P1.26 · Save + load models and data versions
#
# A trained model is worth something only if it can be saved, shipped and loaded back *exactly*,
# and a number it produced is worth something only if we can say *which data* produced it. This
# lesson covers both halves with the project's DVC stages (`mlweekly.mlops_pipeline.stages`): the
# train stage saves the Telco churn pipeline in MLflow's model format, the validate stage writes the
# data version, and the checks prove that the bytes round-trip.
#
# ## Why not pickle
#
# `pickle` is not a data format but a small program for a stack machine: an object may tell it,
# through `__reduce__`, "to rebuild me, call this function with these arguments". `pickle.load`
# obeys, so **unpickling untrusted bytes runs arbitrary code** (the Python docs say so in a red box).
# `joblib` and `cloudpickle` files are pickles too. A model file from a user upload, a shared drive
# or a request is therefore never unpickled here.
#
# ## MLflow model format + skops
#
# `mlflow.sklearn.save_model` writes a folder: `MLmodel` (YAML: flavours, the pyfunc entry point,
# the **signature** — input columns and types, output shape — and the library versions), the
# pinned `requirements.txt`/`conda.yaml`/`python_env.yaml`, an input example, and the estimator
# itself. With `serialization_format="skops"` the estimator is a zip of JSON (`schema.json`, the
# object tree by type name) plus `.npy` arrays. Loading rebuilds **only** types on an allow-list:
# scikit-learn's own plus those named in `MLmodel`'s `skops_trusted_types`
# (`tracking.TRUSTED_TYPES`); any other type raises instead of being constructed.
#
# ## Data versions: hash the content, canonically
#
# A cryptographic hash $h$ (SHA-256) maps bytes to 256 bits so that equal bytes give equal digests
# and any change gives, with overwhelming probability, a different one (about half the bits flip:
# the avalanche effect). To version a *table* we must first fix its bytes — a **canonical
# serialisation** — because the same data can be stored many ways (CSV quoting, gzip level and
# timestamp, column order). `tracking.data_version` hashes
#
# $$ v = \mathrm{SHA256}\big(\,\mathrm{repr}[(c_1, t_1), \dots, (c_p, t_p)]\ \Vert\ r_1 \Vert r_2 \Vert \dots \Vert r_n\big), $$
#
# the column names $c_j$ with their dtypes $t_j$, then one 64-bit hash $r_i$ per row
# (`pd.util.hash_pandas_object`, index included) as little-endian bytes. Row order is part of the
# version (a different order is a different split). **DVC** versions *files* instead: the MD5 of
# the file's bytes, recorded in `dvc.lock` — cheap and format-blind, so re-compressing the same
# table gives a new DVC hash but the same data version. Both are kept: DVC for "did the input file
# change", the content hash for "is it the same data" (it is tagged on every MLflow run).
#
# **Pitfalls.** Loading a pickle "just to look"; saving a model without its preprocessing (the
# `Pipeline` is saved whole here); a model saved without a signature or pinned versions; hashing a
# DataFrame's `str()` (truncated) or a file whose bytes change without the data changing; MD5 for
# security (fine for change detection, broken against an adversary).
#
# **References.** Python docs, `pickle` — "Warning: the pickle module is not secure"; skops docs,
# "Secure persistence"; MLflow docs, "MLflow Models" (storage format, signatures); DVC docs,
# `dvc.lock` and "How DVC computes hashes"; NIST FIPS 180-4 (SHA-2).

# %%
import hashlib
import os
import pickle
import pickletools
import tempfile
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")  # telemetry off before mlflow is imported
os.environ.setdefault("DO_NOT_TRACK", "1")

import matplotlib.pyplot as plt  # noqa: E402
import mlflow.pyfunc  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import skops.io as sio  # noqa: E402
import yaml  # noqa: E402
from dvc_data.hashfile.hash import file_md5  # noqa: E402

from mlweekly import datasets, parity  # noqa: E402
from mlweekly.mlops_pipeline import pipeline, stages  # noqa: E402
from mlweekly.mlops_pipeline.config import CONFIG_DIR  # noqa: E402
from mlweekly.mlops_pipeline.tracking import TRUSTED_TYPES, data_version, model_input  # noqa: E402

root = Path(tempfile.mkdtemp(prefix="p1_26_"))  # the stages' outputs go here, never the repo
raw = yaml.safe_load((CONFIG_DIR.parent / "params.yaml").read_text())
params = stages.load_params({**raw, "config": str(CONFIG_DIR.parent / raw["config"]), "out_dir": str(root)})

# %% [markdown]
# ## A pickle is a program
#
# We *build* a hostile pickle and disassemble it with `pickletools` — it is never loaded. The
# opcodes show the import of `os.system` and the call (`REDUCE`) that `pickle.load` would execute.

# %%
class Innocent:
    def __reduce__(self):
        return (os.system, ("echo this ran while unpickling",))


payload = pickle.dumps(Innocent(), protocol=4)
pickletools.dis(payload)

# %% [markdown]
# ## Save the trained pipeline, load it back
#
# The validate and train stages of the DVC pipeline, called in-process: validate writes the clean
# rows and the data version, train fits the pipeline on the training split and saves it with
# `stages.save_model` (MLflow format, skops inside).

# %%
checked = stages.validate_stage(params)
model = stages.train_stage(params)
cfg = stages.stage_config(params)
parts = pipeline.split(stages.read_validated(cfg, params.validate_dir / "validated.csv"), cfg)
print((params.model_dir / "MLmodel").read_text())
print("files:", sorted(p.name for p in params.model_dir.iterdir()))
print("types skops would have to trust:", sio.get_untrusted_types(file=params.model_dir / "model.skops"),
      "— allowed by TRUSTED_TYPES:", TRUSTED_TYPES)  # fmt: skip
try:
    sio.load(params.model_dir / "model.skops", trusted=[])
except sio.exceptions.UntrustedTypesFoundException as err:
    print("with an empty allow-list skops refuses:", err)

loaded = stages.load_model(params.model_dir)  # sklearn flavour: the Pipeline itself
served = mlflow.pyfunc.load_model(str(params.model_dir))  # pyfunc: what a server calls
p_mem = model.predict_proba(parts.X_test)[:, 1]
p_back = loaded.predict_proba(parts.X_test)[:, 1]

# %% [markdown]
# ## Data versions in action
#
# The version of the table as loaded, and what happens to it under small edits: an untouched copy
# keeps it, a change of one value by $10^{-12}$, one category, or one dropped row each flip about
# half of the 256 bits — there is no "nearly the same" hash.

# %%
frame = pipeline.load_frame(cfg)
v0 = data_version(frame)
print("data version:", v0, "| written by the validate stage:", (params.validate_dir / "data_version").read_text())
edits = {"copy": frame.copy()}
edits["MonthlyCharges +1e-12"] = frame.copy()
edits["MonthlyCharges +1e-12"].iloc[0, frame.columns.get_loc("MonthlyCharges")] += 1e-12
edits["one Contract changed"] = frame.copy()
edits["one Contract changed"].iloc[0, frame.columns.get_loc("Contract")] = "Two year"
edits["one row dropped"] = frame.iloc[1:]


def bits_flipped(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


flipped = {k: bits_flipped(v0, data_version(f)) for k, f in edits.items()}
print(flipped)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
ax1.barh(list(flipped), list(flipped.values()))
ax1.axvline(128, color="k", ls="--", lw=1, label="half of 256 bits")
ax1.set(xlabel="bits of the sha256 that differ from the original", title="data version under small edits")
ax1.legend()
ax2.scatter(p_mem, p_back, s=4)
ax2.plot([0, 1], [0, 1], "k--", lw=1)
ax2.set(xlabel="P(churn), in-memory pipeline", ylabel="P(churn), loaded from MLflow format",
        title=f"{len(p_mem)} holdout customers, max |Δ| = {np.abs(p_mem - p_back).max():.1e}")  # fmt: skip
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Parity checks
#
# 1. Our data version equals `hashlib.sha256` over the canonical bytes built here by hand (exact;
#    compared as the integer of the first 15 hex digits).
# 2. DVC's file hash (`dvc_data`'s `file_md5`, what `dvc.lock` records) equals `hashlib.md5` of the
#    vendored file's bytes, and the sha256 pinned in `mlweekly.datasets.CHECKSUMS` equals
#    `hashlib.sha256` of the same bytes (exact).
# 3. The model loaded back (sklearn flavour and pyfunc flavour) predicts the same probabilities as
#    the in-memory pipeline (1e-12: the same float64 coefficients, so in practice 0).

# %%
canonical = repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode()
canonical += pd.util.hash_pandas_object(frame, index=True).to_numpy().astype("<u8").tobytes()
parity.check("data version vs hashlib.sha256 of the canonical bytes (first 15 hex digits)",
             ours=int(v0[:15], 16), reference=int(hashlib.sha256(canonical).hexdigest()[:15], 16), atol=0,
             why="a hash: equal bytes give equal digests, anything else is a bug")  # fmt: skip

vendored = datasets.DATA_DIR / "telco_churn" / "Telco-Customer-Churn.csv.gz"
parity.check("DVC's md5 of the vendored file vs hashlib.md5 (first 15 hex digits)",
             ours=int(file_md5(str(vendored))[:15], 16),
             reference=int(hashlib.md5(vendored.read_bytes()).hexdigest()[:15], 16), atol=0,
             why="DVC 3 hashes the raw bytes of a file")  # fmt: skip
parity.check("sha256 pinned in datasets.CHECKSUMS vs hashlib.sha256 of the file (first 15 hex digits)",
             ours=int(datasets.CHECKSUMS["telco_churn"][vendored.name][:15], 16),
             reference=int(hashlib.sha256(vendored.read_bytes()).hexdigest()[:15], 16), atol=0,
             why="the vendored bytes are the ones the checksum was written for")  # fmt: skip

parity.check("P(churn) on the holdout: loaded (sklearn flavour, skops) vs in-memory pipeline",
             ours=lambda: loaded.predict_proba(parts.X_test), reference=lambda: model.predict_proba(parts.X_test),
             atol=1e-12, why="same estimator after a lossless round trip of its float64 arrays")  # fmt: skip
parity.check("P(churn) on the holdout: loaded (pyfunc, signature enforced) vs in-memory pipeline",
             ours=lambda: np.asarray(served.predict(model_input(parts.X_test))),
             reference=lambda: model.predict_proba(parts.X_test), atol=1e-12,
             why="pyfunc calls the same predict_proba after checking the input against the signature")  # fmt: skip

# %%
parity.table()
