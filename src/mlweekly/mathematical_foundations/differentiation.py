r"""Numerical differentiation: finite-difference gradients and Jacobians.

A finite difference trades two errors. The **truncation** error of the formula shrinks with the step
$h$ (forward: $\tfrac{h}{2}|f''|$, central: $\tfrac{h^2}{6}|f'''|$, from Taylor's theorem); the
**round-off** error of subtracting two nearly equal values of $f$, each known to about
$\varepsilon|f|$ (machine epsilon $\varepsilon \approx 2.2\cdot10^{-16}$), grows like $\varepsilon|f|/h$.
Balancing them gives the default steps

- forward: $h^* \approx \sqrt{\varepsilon}\max(1, |x|) \approx 1.5\cdot10^{-8}$,
  error $\sim\sqrt{\varepsilon}$;
- central: $h^* \approx \varepsilon^{1/3}\max(1, |x|) \approx 6\cdot10^{-6}$,
  error $\sim\varepsilon^{2/3}$;
- complex step ($\operatorname{Im} f(x + ih)/h$, for $f$ analytic and written with complex-safe
  operations): no subtraction, hence no round-off to balance; $h = 10^{-20}$ gives the derivative to
  machine precision.

Lesson F2 derives these and compares them with automatic differentiation.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["numerical_gradient", "numerical_jacobian", "default_step"]

_EPS = np.finfo(np.float64).eps
_METHODS = ("central", "forward", "complex")


def default_step(x: np.ndarray, method: str = "central") -> np.ndarray:
    """The step that balances truncation and round-off error, per coordinate of ``x``.

    Parameters
    ----------
    x : ndarray
        The point.
    method : {"central", "forward", "complex"}, default="central"
        The difference formula.

    Returns
    -------
    ndarray
        ``cbrt(eps)·max(1, |x|)`` (central), ``sqrt(eps)·max(1, |x|)`` (forward) or ``1e-20``
        (complex step), of ``x``'s shape.

    Examples
    --------
    >>> float(default_step(np.array(0.0), "forward"))  # sqrt(2.2e-16)
    1.4901161193847656e-08
    """
    scale = np.maximum(1.0, np.abs(np.asarray(x, dtype=np.float64)))
    if method == "central":
        return np.cbrt(_EPS) * scale
    if method == "forward":
        return np.sqrt(_EPS) * scale
    if method == "complex":
        return np.full_like(scale, 1e-20)
    raise ValueError(f"method must be one of {_METHODS}, got {method!r}")


def _point(x) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"x must be real numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)  # a copy: f never sees (or changes) the caller's array
    if not np.all(np.isfinite(arr)):
        raise ValueError("x contains NaN or inf: the derivative is not defined there")
    return arr


def _steps(x: np.ndarray, eps, method: str) -> np.ndarray:
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if eps is None:
        h = default_step(x, method)
    else:
        h = np.broadcast_to(np.asarray(eps, dtype=np.float64), x.shape).copy()
        if not np.all(np.isfinite(h) & (h > 0)):
            raise ValueError(f"eps must be positive and finite, got {eps!r}")
    if method != "complex":
        h = (x + h) - x  # the step actually taken in floating point: removes one rounding error
        if np.any(h == 0):
            raise ValueError(f"eps={eps!r} is below the floating-point resolution of x: x + eps == x")
    return h


def _evaluate(f: Callable, x: np.ndarray, shape: tuple[int, ...] | None, complex_ok: bool) -> np.ndarray:
    value = np.asarray(f(x))
    if value.dtype.kind not in "biufc" or (value.dtype.kind == "c" and not complex_ok):
        raise TypeError(f"f must return real numbers, got dtype {value.dtype}")
    if shape is not None and value.shape != shape:
        raise ValueError(f"f returned shape {value.shape} at a nearby point but {shape} at x")
    return value


def numerical_jacobian(
    f: Callable[[np.ndarray], np.ndarray], x, eps=None, method: str = "central"
) -> np.ndarray:
    """Finite-difference Jacobian of ``f`` at ``x``: ``J[..., j] ≈ ∂f(x)/∂x_j``.

    Parameters
    ----------
    f : callable
        ``f(x) -> array``; called with a float64 array of ``x``'s shape (complex for
        ``method="complex"``).
    x : array-like
        The point (any shape), finite.
    eps : float or array-like, optional
        The absolute step ``h`` (per coordinate if an array). Default: :func:`default_step`.
    method : {"central", "forward", "complex"}, default="central"
        ``(f(x+h) - f(x-h)) / 2h`` (error O(h²)), ``(f(x+h) - f(x)) / h`` (error O(h), half the
        calls) or ``Im f(x + ih) / h`` (complex step; ``f`` must be analytic and complex-safe).

    Returns
    -------
    ndarray of shape ``f(x).shape + x.shape``
        The same layout as ``torch.autograd.functional.jacobian``.

    Examples
    --------
    >>> J = numerical_jacobian(lambda v: np.array([v[0] * v[1], v[0] ** 2]), [2.0, 3.0])
    >>> np.round(J, 6)
    array([[3., 2.],
           [4., 0.]])
    """
    x = _point(x)
    h = _steps(x, eps, method)
    f0 = _evaluate(f, x.copy(), None, complex_ok=False)
    columns = np.empty((x.size,) + f0.shape)
    flat_h = h.ravel()
    for j in range(x.size):
        step = np.zeros(x.size)
        step[j] = flat_h[j]
        step = step.reshape(x.shape)
        if method == "central":
            diff = _evaluate(f, x + step, f0.shape, False) - _evaluate(f, x - step, f0.shape, False)
            columns[j] = diff / (2 * flat_h[j])
        elif method == "forward":
            columns[j] = (_evaluate(f, x + step, f0.shape, False) - f0) / flat_h[j]
        else:
            columns[j] = np.imag(_evaluate(f, x + 1j * step, f0.shape, True)) / flat_h[j]
    # (n_inputs, *out) -> (*out, *in)
    return np.moveaxis(columns, 0, -1).reshape(f0.shape + x.shape)


def numerical_gradient(f: Callable[[np.ndarray], float], x, eps=None, method: str = "central") -> np.ndarray:
    """Finite-difference gradient of a scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar``.
    x : array-like
        The point (any shape), finite.
    eps : float or array-like, optional
        The absolute step ``h``. Default: ``cbrt(eps)·max(1, |x|)`` for central differences,
        ``sqrt(eps)·max(1, |x|)`` for forward ones (see :func:`default_step`).
    method : {"central", "forward", "complex"}, default="central"
        The difference formula (see :func:`numerical_jacobian`).

    Returns
    -------
    ndarray of ``x``'s shape
        The estimated gradient.

    Examples
    --------
    >>> g = numerical_gradient(lambda v: np.sum(v**3), [1.0, 2.0])
    >>> np.round(g, 8)
    array([ 3., 12.])
    """
    x = _point(x)
    value = _evaluate(f, x.copy(), None, complex_ok=False)
    if value.size != 1:
        raise ValueError(
            f"numerical_gradient needs a scalar function; f returned shape {value.shape} "
            "(use numerical_jacobian for vector outputs)"
        )
    return numerical_jacobian(lambda v: np.asarray(f(v)).reshape(()), x, eps, method)
