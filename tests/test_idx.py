"""IDX reader, MNIST-style loaders from the cache folder, and the downloader (file:// URLs, no network)."""

import gzip
import hashlib
import struct

import numpy as np
import pytest

from mlweekly import datasets
from mlweekly.datasets import IDXError, read_idx

CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D, np.float64: 0x0E}


def idx_bytes(array: np.ndarray) -> bytes:
    """IDX encoding written independently of the reader: header with struct, big-endian body."""
    array = np.asarray(array)
    header = struct.pack(">HBB", 0, CODES[array.dtype.type], array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(path, array, gz=True):
    raw = idx_bytes(array)
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


# ------------------------------------------------------------------------------------------ reader
@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("dtype", list(CODES))
def test_read_idx_round_trip(tmp_path, dtype, gz):
    rng = np.random.default_rng(0)
    a = (rng.normal(size=(3, 4, 5)) * 100).astype(dtype)
    got = read_idx(write(tmp_path / "a.idx", a, gz))
    assert got.dtype == np.dtype(dtype) and got.dtype.isnative and got.shape == (3, 4, 5)
    np.testing.assert_array_equal(got, a)


def test_read_idx_is_big_endian(tmp_path):
    (tmp_path / "x").write_bytes(bytes([0, 0, 0x0C, 1, 0, 0, 0, 2, 0, 0, 1, 2, 0xFF, 0xFF, 0xFF, 0xFE]))
    np.testing.assert_array_equal(read_idx(tmp_path / "x"), [258, -2])


def test_gzip_is_detected_by_content_not_name(tmp_path):
    a = np.arange(6, dtype=np.uint8).reshape(2, 3)
    np.testing.assert_array_equal(read_idx(write(tmp_path / "plain-name", a, gz=True)), a)
    np.testing.assert_array_equal(read_idx(write(tmp_path / "looks.gz", a, gz=False)), a)


@pytest.mark.parametrize(
    ("cut", "match"),
    [(0, "truncated IDX file: 0 bytes"), (3, "truncated IDX file"), (10, "truncated IDX header"),
     (-1, r"truncated IDX data: shape \(2, 28, 28\) of uint8 needs 1568 bytes .* has 1567")],
)  # fmt: skip
def test_truncated_files_raise(tmp_path, cut, match):
    raw = idx_bytes(np.zeros((2, 28, 28), np.uint8))
    (tmp_path / "t").write_bytes(raw[:cut] if cut >= 0 else raw[:cut])
    with pytest.raises(IDXError, match=match):
        read_idx(tmp_path / "t")


def test_truncated_gzip_stream_raises(tmp_path):
    gz = gzip.compress(idx_bytes(np.arange(1000, dtype=np.int32)))
    (tmp_path / "t.gz").write_bytes(gz[: len(gz) // 2])
    with pytest.raises(IDXError, match="corrupt or truncated gzip"):
        read_idx(tmp_path / "t.gz")


def test_corrupt_files_raise(tmp_path):
    good = idx_bytes(np.zeros(4, np.uint8))
    (tmp_path / "magic").write_bytes(b"\x01" + good[1:])
    with pytest.raises(IDXError, match="not an IDX file: magic number 0x01000801"):
        read_idx(tmp_path / "magic")
    (tmp_path / "code").write_bytes(good[:2] + b"\x07" + good[3:])
    with pytest.raises(IDXError, match="not an IDX file"):
        read_idx(tmp_path / "code")
    (tmp_path / "tail").write_bytes(good + b"\x00\x00")
    with pytest.raises(IDXError, match="2 unexpected bytes"):
        read_idx(tmp_path / "tail")
    (tmp_path / "ndim0").write_bytes(b"\x00\x00\x08\x00")
    with pytest.raises(IDXError, match="0 dimensions"):
        read_idx(tmp_path / "ndim0")
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "absent")


# ----------------------------------------------------------------------------------------- loaders
def fake_mnist(folder, n_train=5, n_test=3, gz=True, seed=0):
    """Tiny MNIST-format files; returns (train images, train labels, test images, test labels)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = [rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8), rng.integers(0, 10, n_train, np.uint8),
              rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8), rng.integers(0, 10, n_test, np.uint8)]
    for file, a in zip(datasets.DOWNLOADS["mnist"]["sha256"], arrays, strict=True):
        write(folder / (file if gz else file.removesuffix(".gz")), a, gz)
    return arrays


@pytest.mark.parametrize("gz", [True, False])
def test_mnist_loads_from_cache(tmp_path, monkeypatch, gz):
    monkeypatch.setenv("MLWEEKLY_DATA", str(tmp_path))
    tr_x, tr_y, te_x, te_y = fake_mnist(tmp_path / "mnist", gz=gz)
    b = datasets.load("mnist")
    assert b.frame.shape == (8, 786) and b.data.shape == (8, 784)
    np.testing.assert_array_equal(b.images, np.concatenate([tr_x, te_x]))
    np.testing.assert_array_equal(b.target, np.concatenate([tr_y, te_y]))
    assert b.frame["split"].tolist() == ["train"] * 5 + ["test"] * 3
    X, y = datasets.load_xy("mnist", subset="test")
    np.testing.assert_array_equal(X, te_x.reshape(3, 784).astype(np.float64))
    np.testing.assert_array_equal(y, te_y)


def test_fashion_mnist_class_names(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWEEKLY_DATA", str(tmp_path))
    fake_mnist(tmp_path / "fashion_mnist")
    b = datasets.load("fashion_mnist", subset="train")
    assert b.target_names[0] == "T-shirt/top" and b.target_names[9] == "Ankle boot" and len(b.target) == 5


def test_missing_cache_files_error_says_how_to_get_them(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWEEKLY_DATA", str(tmp_path))
    fake_mnist(tmp_path / "mnist")
    (tmp_path / "mnist" / "train-images-idx3-ubyte.gz").unlink()
    assert len(datasets.load("mnist", subset="test").target) == 3  # the test split alone is complete
    with pytest.raises(datasets.DatasetNotFoundError) as err:
        datasets.load("mnist")
    msg = str(err.value)
    for part in ("train-images-idx3-ubyte.gz", str(tmp_path / "mnist"), "mlweekly data download mnist"):
        assert part in msg
    assert "t10k" not in msg.split("cache folder")[1].split(".")[0]  # only the missing file is listed


def test_images_and_labels_must_agree(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWEEKLY_DATA", str(tmp_path))
    fake_mnist(tmp_path / "mnist")
    write(tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz", np.zeros(4, np.uint8))
    with pytest.raises(IDXError, match=r"mnist test: images \(3, 28, 28\) and labels \(4,\) do not match"):
        datasets.load("mnist", subset="test")
    write(tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz", np.array([0, 1, 10], np.uint8))
    with pytest.raises(IDXError, match="label 10 outside 0..9"):
        datasets.load("mnist", subset="test")


# -------------------------------------------------------------------------------------- downloader
@pytest.fixture
def mirror(tmp_path):
    """A file:// mirror holding tiny MNIST files, and their sha256."""
    fake_mnist(tmp_path / "mirror", seed=1)
    files = datasets.DOWNLOADS["mnist"]["sha256"]
    hashes = {f: hashlib.sha256((tmp_path / "mirror" / f).read_bytes()).hexdigest() for f in files}
    return tmp_path / "mirror", hashes


def test_download_from_file_url_then_load(tmp_path, monkeypatch, mirror):
    folder, hashes = mirror
    cache = tmp_path / "cache"
    got = datasets.download("mnist", cache_dir=cache, urls=folder.as_uri(), sha256=hashes, progress=False)
    assert got == cache / "mnist"
    for f in hashes:
        assert (got / f).read_bytes() == (folder / f).read_bytes()
    assert not list(got.glob("*.part"))
    monkeypatch.setenv("MLWEEKLY_DATA", str(cache))
    assert datasets.load("mnist").frame.shape == (8, 786)
    # Present with the right hash: not fetched again, so a dead mirror does not matter.
    dead = (tmp_path / "gone").as_uri()
    datasets.download("mnist", cache_dir=cache, urls=dead, sha256=hashes, progress=False)


def test_download_checksum_mismatch_deletes_and_names_both(tmp_path, mirror):
    folder, hashes = mirror
    file = "t10k-labels-idx1-ubyte.gz"
    wrong = "f" * 64
    with pytest.raises(datasets.ChecksumError) as err:
        datasets.download("mnist", cache_dir=tmp_path / "c", urls={file: (folder / file).as_uri()},
                          sha256={file: wrong}, progress=False)  # fmt: skip
    assert wrong in str(err.value) and hashes[file] in str(err.value) and file in str(err.value)
    assert list((tmp_path / "c" / "mnist").iterdir()) == []  # neither the file nor a .part is left


def test_download_tries_mirrors_in_order(tmp_path, mirror):
    folder, hashes = mirror
    dead = (tmp_path / "dead").as_uri()
    got = datasets.download("mnist", cache_dir=tmp_path / "c", urls=[dead, folder.as_uri()], sha256=hashes,
                            progress=False)  # fmt: skip
    assert sorted(p.name for p in got.iterdir()) == sorted(hashes)
    with pytest.raises(datasets.DownloadError, match="could not download train-images-idx3-ubyte.gz"):
        datasets.download("mnist", cache_dir=tmp_path / "d", urls=dead, sha256=hashes, progress=False)


def test_load_download_true_uses_the_mirrors(tmp_path, monkeypatch, mirror):
    folder, hashes = mirror
    monkeypatch.setenv("MLWEEKLY_DATA", str(tmp_path / "cache"))
    monkeypatch.setitem(datasets.DOWNLOADS, "mnist", {"mirrors": (folder.as_uri(),), "sha256": hashes})
    b = datasets.load("mnist", subset="test", download=True)
    assert len(b.target) == 3
    assert sorted(p.name for p in (tmp_path / "cache" / "mnist").iterdir()) == [
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]  # fmt: skip


def test_download_refuses_shipped_and_unknown_sets():
    with pytest.raises(ValueError, match="ships with mlweekly"):
        datasets.download("mnist_test10k")
    with pytest.raises(KeyError, match="Did you mean 'mnist'"):
        datasets.download("mnits")
    with pytest.raises(ValueError, match="no sha256 known for extra.gz"):
        datasets.download("mnist", files=["extra.gz"])


def test_default_hashes_include_the_shipped_test_labels():
    # The vendored t10k labels are the original LeCun file: same sha256 as the download registry.
    assert (datasets.DOWNLOADS["mnist"]["sha256"]["t10k-labels-idx1-ubyte.gz"]
            == datasets.CHECKSUMS["mnist_test10k"]["t10k-labels-idx1-ubyte.gz"])  # fmt: skip


def test_download_url_mapping_must_cover_every_file(tmp_path, mirror):
    folder, hashes = mirror
    only = {"t10k-labels-idx1-ubyte.gz": (folder / "t10k-labels-idx1-ubyte.gz").as_uri()}
    with pytest.raises(ValueError, match="urls has no entry for train-images-idx3-ubyte.gz"):
        datasets.download("mnist", cache_dir=tmp_path / "c", urls=only, sha256=hashes, progress=False)
