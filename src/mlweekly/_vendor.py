"""Rebuild the vendored data files in ``src/mlweekly/data`` from the project's offline copies.

Run from the repository root::

    python -m mlweekly._vendor                 # source ../shared/data, destination the package's data/
    python -m mlweekly._vendor --source DIR --dest DIR

It checks every source file against the sha256 its upstream SOURCE.md records, writes the
(gzip-compressed, de-identified where needed) files, rewrites the generated file table of each
folder's SOURCE.md, prints the hashes and exits with status 1 when they differ from
:data:`mlweekly.datasets.CHECKSUMS`, the registry the loaders check on every load. Only this build
script reads the shared copies; the package at run time reads its own ``data/`` folder.

Gzip output is deterministic (``mtime=0``, no file name in the header, level 9), so rebuilding with
the same zlib gives the same bytes; another zlib may compress differently but the decompressed
contents, also listed in SOURCE.md, are the same.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

# The repository sits beside ``shared/`` (../shared/data relative to the repository root).
DEFAULT_SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data"
PACKAGE_DATA = Path(__file__).resolve().parent / "data"

# ProPublica's file names real defendants; these columns identify them and are never vendored.
COMPAS_IDENTIFYING = (
    "id", "name", "first", "last", "dob", "c_case_number", "r_case_number", "vr_case_number",
)  # fmt: skip
# What the analyses (ProPublica's, fairness audits, recidivism models) use, in this order.
# length_of_stay is derived (days between c_jail_in and c_jail_out) so the timestamps can be dropped.
COMPAS_KEEP = (
    "sex", "age", "age_cat", "race",
    "juv_fel_count", "juv_misd_count", "juv_other_count", "priors_count",
    "c_charge_degree", "c_charge_desc",
    "days_b_screening_arrest", "c_days_from_compas", "length_of_stay",
    "decile_score", "score_text", "v_decile_score", "v_score_text",
    "is_recid", "is_violent_recid", "start", "end", "event",
    "two_year_recid",
)  # fmt: skip


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip: no time stamp, no file name, level 9."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def compas_deidentified(raw: bytes) -> bytes:
    """ProPublica's two-year file reduced to :data:`COMPAS_KEEP` (values copied as text, unchanged).

    The header names ``decile_score`` and ``priors_count`` twice; the copies are checked equal to
    the first ones and dropped.
    """
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    header, body = rows[0], rows[1:]
    first = {}
    for i, col in enumerate(header):
        if col in first:
            if any(r[i] != r[first[col]] for r in body):
                raise ValueError(f"compas: the two {col!r} columns differ; cannot drop the copy")
        else:
            first[col] = i
    missing = set(COMPAS_KEEP) - set(first) - {"length_of_stay"}
    if missing:
        raise ValueError(f"compas: source lacks columns {sorted(missing)}")

    def length_of_stay(r: list[str]) -> str:
        jail_in, jail_out = r[first["c_jail_in"]], r[first["c_jail_out"]]
        if not jail_in or not jail_out:
            return ""
        day = dt.date.fromisoformat  # ProPublica's R analysis: as.Date(c_jail_out) - as.Date(c_jail_in)
        return str((day(jail_out[:10]) - day(jail_in[:10])).days)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COMPAS_KEEP)
    for r in body:
        writer.writerow([length_of_stay(r) if c == "length_of_stay" else r[first[c]] for c in COMPAS_KEEP])
    return out.getvalue().encode("utf-8")


def _copy(raw: bytes) -> bytes:
    return raw


def _gzip_of(transform: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    return lambda raw: gzip_bytes(transform(raw))


# name -> [(source path under shared/data, its upstream sha256, vendored file name, transform)]
RECIPES: dict[str, list[tuple[str, str, str, Callable[[bytes], bytes]]]] = {
    "california_housing": [
        ("california_housing/housing.csv",
         "8a3727f4cf54ac1a327f69b1d5b4db54c5834ea81c6e4efc0d163300022a685e",
         "housing.csv.gz", _gzip_of(_copy)),
    ],
    "telco_churn": [
        ("telco_churn/Telco-Customer-Churn.csv",
         "16320c9c1ec72448db59aa0a26a0b95401046bef5d02fd3aeb906448e3055e91",
         "Telco-Customer-Churn.csv.gz", _gzip_of(_copy)),
    ],
    "adult": [  # already gzip (DELVE's wrappers): copied byte for byte
        ("adult/adult.data.gz", "fb986d3609cdf068a1c234ed2695603b74c66c4be723467d9d69542024847442",
         "adult.data.gz", _copy),
        ("adult/adult.test.gz", "74aa81a0e0880467a50de97be6ba8130df14a3ef8c0c3a14de2a9a997d068fbf",
         "adult.test.gz", _copy),
    ],
    "compas": [
        ("compas/compas-scores-two-years.csv",
         "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d",
         "compas-deidentified.csv.gz", _gzip_of(compas_deidentified)),
    ],
    "mnist_test10k": [
        ("mnist/t10k-images-idx3-ubyte.gz",
         "167310007f03058885c7e95e6c0b19c20de5c7fd3031f4cbdadc9014a523d80b",
         "t10k-images-idx3-ubyte.gz", _copy),
        ("mnist/t10k-labels-idx1-ubyte.gz",
         "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
         "t10k-labels-idx1-ubyte.gz", _copy),
    ],
    "sms_spam": [
        ("sms_spam/SMSSpamCollection",
         "7d039a24a6083ed9ef0f806ebad56bbb976e3aeb8de05669173bfdc4996c239d",
         "SMSSpamCollection.gz", _gzip_of(_copy)),
    ],
}  # fmt: skip

_TABLE = re.compile(r"<!-- files:begin -->.*?<!-- files:end -->", re.S)


def _files_table(rows: list[tuple[str, int, str, str]]) -> str:
    lines = [
        "<!-- files:begin -->",
        "<!-- generated by `python -m mlweekly._vendor`; the sha256 column is checked on every load -->",
        "| file | bytes | sha256 | sha256 of the decompressed contents |",
        "| --- | --- | --- | --- |",
        *(f"| {f} | {n} | {h} | {c} |" for f, n, h, c in rows),
        "<!-- files:end -->",
    ]
    return "\n".join(lines)


def build(source: Path = DEFAULT_SOURCE, dest: Path = PACKAGE_DATA) -> dict[str, dict[str, str]]:
    """Write every vendored file under ``dest/<name>/`` and return ``{name: {file: sha256}}``.

    Parameters
    ----------
    source : Path
        The offline copies (``shared/data``), each checked against its upstream sha256 first.
    dest : Path
        Destination root. A folder without a SOURCE.md gets a copy of the package's one; the file
        table between the ``files:begin``/``files:end`` markers is then rewritten.

    Returns
    -------
    dict
        ``{name: {vendored file: sha256}}``, the contents of :data:`mlweekly.datasets.CHECKSUMS`.
    """
    hashes: dict[str, dict[str, str]] = {}
    for name, recipe in RECIPES.items():
        folder = dest / name
        folder.mkdir(parents=True, exist_ok=True)
        table = []
        for src, src_sha, out_name, transform in recipe:
            raw = (source / src).read_bytes()
            if (got := sha256_bytes(raw)) != src_sha:
                raise ValueError(f"{source / src}: sha256 {got}, its upstream SOURCE.md says {src_sha}")
            out = transform(raw)
            (folder / out_name).write_bytes(out)
            hashes.setdefault(name, {})[out_name] = sha256_bytes(out)
            table.append((out_name, len(out), sha256_bytes(out), sha256_bytes(gzip.decompress(out))))
        readme = folder / "SOURCE.md"
        if not readme.exists():
            shutil.copyfile(PACKAGE_DATA / name / "SOURCE.md", readme)
        text = readme.read_text(encoding="utf-8")
        if not (old := _TABLE.search(text)):
            raise ValueError(f"{readme}: no <!-- files:begin --> ... <!-- files:end --> table to update")
        readme.write_text(text[: old.start()] + _files_table(table) + text[old.end() :], encoding="utf-8")
    return hashes


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build, print the hashes, compare with the registry in code."""
    parser = argparse.ArgumentParser(prog="python -m mlweekly._vendor", description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--dest", type=Path, default=PACKAGE_DATA)
    args = parser.parse_args(argv)
    hashes = build(args.source, args.dest)
    print("CHECKSUMS = {")
    for name, files in hashes.items():
        print(f"    {name!r}: {{")
        for f, h in files.items():
            print(f"        {f!r}: {h!r},")
        print("    },")
    print("}")
    from mlweekly.datasets import CHECKSUMS  # late: the registry may be what is being rebuilt

    if hashes != CHECKSUMS:
        print("These differ from mlweekly.datasets.CHECKSUMS: paste the dict above there.", file=sys.stderr)
        return 1
    print("Identical to mlweekly.datasets.CHECKSUMS.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
