"""The IDX file format (MNIST's), read with NumPy.

An IDX file is a big-endian header followed by a dense array::

    bytes 0-1  zero
    byte  2    dtype code (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)
    byte  3    number of dimensions d
    then d     big-endian uint32 sizes, then prod(sizes) items, big-endian, row-major

Public through :func:`mlweekly.datasets.read_idx`.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

# IDX dtype codes -> big-endian NumPy dtypes (LeCun's specification).
IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """An IDX file is truncated, corrupt or not an IDX file at all."""


def gunzip_if_needed(raw: bytes, source: str = "<bytes>") -> bytes:
    """``raw`` decompressed when it is gzip (told by its magic bytes, not a file name), else ``raw``."""
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as exc:  # truncated stream, bad CRC, bad deflate data
        raise IDXError(f"{source}: corrupt or truncated gzip stream ({exc})") from exc


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (raw or gzip-compressed) into a NumPy array.

    Parameters
    ----------
    path : str or path-like
        The file. Gzip is detected from the content (magic bytes ``1f 8b``), so the name does not matter.

    Returns
    -------
    numpy.ndarray
        Array of the shape given in the header, in native byte order, dtype from the header's type
        code (``uint8`` for MNIST).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    IDXError
        If the magic number is wrong, the dtype code unknown, the header or the data shorter than the
        header promises (truncated download), or longer (trailing bytes: not a single IDX array).

    Examples
    --------
    >>> import gzip, struct, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte.gz"
    >>> _ = p.write_bytes(gzip.compress(struct.pack(">BBBBI", 0, 0, 0x08, 1, 3) + bytes([7, 2, 1])))
    >>> read_idx(p)
    array([7, 2, 1], dtype=uint8)
    """
    path = Path(path)
    return parse_idx(gunzip_if_needed(path.read_bytes(), str(path)), str(path))


def parse_idx(buf: bytes, source: str = "<bytes>") -> np.ndarray:
    """Parse the bytes of an IDX file (already decompressed); ``source`` names it in error messages."""
    if len(buf) < 4:
        raise IDXError(f"{source}: truncated IDX file: {len(buf)} bytes, the magic number alone needs 4")
    zero, code, ndim = struct.unpack(">HBB", buf[:4])
    if zero != 0 or code not in IDX_DTYPES:
        raise IDXError(
            f"{source}: not an IDX file: magic number 0x{buf[:4].hex()} (expected 0x0000 then a dtype code "
            f"in {{{', '.join(f'0x{c:02X}' for c in IDX_DTYPES)}}} and the number of dimensions)"
        )
    if ndim == 0:
        raise IDXError(f"{source}: IDX header declares 0 dimensions")
    header = 4 + 4 * ndim
    if len(buf) < header:
        raise IDXError(f"{source}: truncated IDX header: {len(buf)} bytes, {ndim} dimensions need {header}")
    shape = struct.unpack(f">{ndim}I", buf[4:header])
    dtype = IDX_DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    got = len(buf) - header
    if got < expected:
        raise IDXError(
            f"{source}: truncated IDX data: shape {shape} of {dtype.newbyteorder('=').name} needs {expected} "
            f"bytes after the {header}-byte header, the file has {got}"
        )
    if got > expected:
        raise IDXError(
            f"{source}: corrupt IDX file: {got - expected} unexpected bytes after the {expected} bytes of "
            f"shape {shape}"
        )
    data = np.frombuffer(buf, dtype=dtype, count=expected // dtype.itemsize, offset=header)
    return data.reshape(shape).astype(dtype.newbyteorder("="))
