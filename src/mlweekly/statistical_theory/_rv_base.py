r"""What every frozen distribution shares: parameter checks, the loc-scale map, samplers from uniforms.

A continuous distribution is written in *standard form* (``loc=0, scale=1``) through a few hooks
(``_logpdf, _cdf, _sf, _ppf, _isf, _rvs, _mean, _var``); :class:`ContinuousDistribution` maps
:math:`x = \mathrm{loc} + \mathrm{scale}\, z` onto them, as scipy.stats does:
:math:`f_X(x) = f_Z\big((x - \mathrm{loc})/\mathrm{scale}\big)/\mathrm{scale}`.
A discrete distribution (:class:`DiscreteDistribution`) supplies ``_logpmf, _cdf, _sf`` on the
integers of its support; its ``ppf`` is a search for the smallest :math:`k` with
:math:`F(k) \ge q` and its sampler is that ppf applied to uniforms (inverse-CDF sampling).

The only source of randomness is ``Generator.random`` (uniforms on [0, 1)); normals come from
Box–Muller and gammas from Marsaglia–Tsang, both written here.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import ndtri

__all__ = [
    "check_positive",
    "check_real",
    "check_count",
    "check_p",
    "check_random_state",
    "standard_normal",
    "standard_gamma",
    "uniform_open",
    "ContinuousDistribution",
    "DiscreteDistribution",
]


# ---------------------------------------------------------------- parameter checks
def check_real(value, name: str) -> float:
    """A single finite real number, else a TypeError/ValueError naming ``name``."""
    try:
        if isinstance(value, bool | str | bytes):
            raise TypeError
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a single real number; got {value!r}") from None
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a single number; got an array of shape {arr.shape}")
    v = float(arr)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite; got {v}")
    return v


def check_positive(value, name: str) -> float:
    """A single finite number > 0 (scale, df, shape parameters)."""
    v = check_real(value, name)
    if not v > 0:
        raise ValueError(f"{name} must be > 0; got {v:g}")
    return v


def check_count(value, name: str) -> int:
    """A single integer >= 0 (number of trials)."""
    v = check_real(value, name)
    if v < 0 or v != np.floor(v):
        raise ValueError(f"{name} must be an integer >= 0; got {v:g}")
    return int(v)


def check_p(value, name: str = "p") -> float:
    """A single probability in [0, 1]."""
    v = check_real(value, name)
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1]; got {v:g}")
    return v


def check_random_state(random_state) -> np.random.Generator:
    """``None``, an int seed or a ``Generator`` -> a ``Generator``."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    seed = isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool)
    if random_state is None or seed:
        return np.random.default_rng(random_state)
    kind = type(random_state).__name__
    raise TypeError(f"random_state must be None, an int or a numpy Generator; got {kind}")


def _check_size(size) -> tuple[int, ...]:
    shape = () if size is None else (size,) if isinstance(size, numbers.Integral) else tuple(size)
    if any(isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 0 for s in shape):
        raise ValueError(f"size must be None, an int >= 0 or a tuple of them; got {size!r}")
    return tuple(int(s) for s in shape)


def _check_q(q) -> np.ndarray:
    q = np.asarray(q, dtype=np.float64)
    if ((q < 0) | (q > 1)).any():  # NaN compares False and propagates, as in scipy
        raise ValueError(f"q must be a probability in [0, 1]; got {q[(q < 0) | (q > 1)].ravel()[0]:g}")
    return q


def _scalar(a: np.ndarray):
    return a[()] if a.ndim == 0 else a


# ---------------------------------------------------------------- samplers built on uniforms
def uniform_open(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Uniforms on the *open* interval (0, 1): the 2^53-grid of ``random()`` shifted by half a step."""
    return (np.floor(rng.random(shape) * 2.0**53) + 0.5) / 2.0**53


def standard_normal(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    r"""N(0, 1) draws by Box–Muller: :math:`R = \sqrt{-2\log U_1}`, :math:`\Theta = 2\pi U_2`.

    :math:`(R\cos\Theta, R\sin\Theta)` are two independent standard normals, because the joint density
    :math:`e^{-(x^2+y^2)/2}/2\pi` in polar coordinates is uniform in angle and :math:`R^2/2` is Exp(1).
    """
    n = int(np.prod(shape))
    m = (n + 1) // 2
    u1, u2 = uniform_open((m,), rng), rng.random(m)
    r = np.sqrt(-2.0 * np.log(u1))
    z = np.concatenate([r * np.cos(2 * np.pi * u2), r * np.sin(2 * np.pi * u2)])
    return z[:n].reshape(shape)


def standard_gamma(a: float, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    r"""Gamma(a, 1) draws by Marsaglia & Tsang (2000), vectorised rejection.

    For :math:`a \ge 1`: with :math:`d = a - 1/3`, :math:`c = 1/\sqrt{9d}`, propose
    :math:`V = (1 + cZ)^3`, :math:`Z \sim N(0,1)`, and accept :math:`dV` when
    :math:`\log U < Z^2/2 + d - dV + d\log V` (acceptance > 95% for every a). For :math:`a < 1`
    use :math:`G_{a+1} U^{1/a} \sim \mathrm{Gamma}(a)`.
    """
    n = int(np.prod(shape))
    boost = a < 1
    d = (a + 1.0 if boost else a) - 1.0 / 3.0
    c = 1.0 / np.sqrt(9.0 * d)
    out = np.empty(n)
    todo = np.arange(n)
    while todo.size:
        z = standard_normal((todo.size,), rng)
        v = (1.0 + c * z) ** 3
        u = uniform_open((todo.size,), rng)
        with np.errstate(invalid="ignore", divide="ignore"):
            ok = (v > 0) & (np.log(u) < 0.5 * z**2 + d - d * v + d * np.log(v))
        out[todo[ok]] = d * v[ok]
        todo = todo[~ok]
    if boost:
        out *= uniform_open((n,), rng) ** (1.0 / a)
    return out.reshape(shape)


# ---------------------------------------------------------------- continuous, loc-scale family
class ContinuousDistribution:
    """A frozen continuous distribution: standard-form hooks plus ``loc`` and ``scale``."""

    _support = (-np.inf, np.inf)  # of the standard form

    def __init__(self, loc=0.0, scale=1.0):
        self.loc = check_real(loc, "loc")
        self.scale = check_positive(scale, "scale")

    def _shape_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._shape_repr()}loc={self.loc:g}, scale={self.scale:g})"

    def _z(self, x):
        return (np.asarray(x, dtype=np.float64) - self.loc) / self.scale

    def logpdf(self, x):
        """Log of the density at ``x`` (``-inf`` outside the support, NaN stays NaN)."""
        z = self._z(x)
        lo, hi = self._support
        inside = (z >= lo) & (z <= hi)
        with np.errstate(invalid="ignore", divide="ignore"):
            inner = self._logpdf(np.where(inside, z, 0.5 * (max(lo, -1) + min(hi, 1)))) - np.log(self.scale)
        return _scalar(np.where(inside, inner, np.where(np.isnan(z), np.nan, -np.inf)))

    def pdf(self, x):
        """Density at ``x``."""
        return np.exp(self.logpdf(x))

    def _tail(self, x, hook, below, above):
        z = self._z(x)
        lo, hi = self._support
        with np.errstate(invalid="ignore", divide="ignore"):
            inner = hook(np.clip(z, lo, hi))
        return _scalar(np.where(z < lo, below, np.where(z > hi, above, inner)))

    def cdf(self, x):
        """:math:`P(X \\le x)`."""
        return self._tail(x, self._cdf, 0.0, 1.0)

    def sf(self, x):
        """Survival function :math:`P(X > x) = 1 - F(x)`, accurate in the upper tail."""
        return self._tail(x, self._sf, 1.0, 0.0)

    def ppf(self, q):
        """Quantile function, the inverse of ``cdf``; ``q`` must lie in [0, 1]."""
        return self._quantile(q, self._ppf, *self._support)

    def _quantile(self, q, hook, at0, at1):
        q = _check_q(q)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = hook(q)
        z = np.where(q == 0, at0, np.where(q == 1, at1, z))  # the ends of the support, exactly
        return _scalar(self.loc + self.scale * z)

    def isf(self, q):
        """Inverse survival function: ``ppf(1 - q)`` without the rounding of ``1 - q``."""
        return self._quantile(q, self._isf, self._support[1], self._support[0])

    def rvs(self, size=None, random_state=None):
        """Random draws of shape ``size`` (a scalar when ``size`` is None)."""
        z = self._rvs(_check_size(size), check_random_state(random_state))
        return _scalar(np.asarray(self.loc + self.scale * z))

    def mean(self) -> float:
        """Expected value (NaN where it does not exist)."""
        return self.loc + self.scale * self._mean()

    def var(self) -> float:
        """Variance (``inf`` or NaN where it does not exist, as scipy)."""
        return self.scale**2 * self._var()

    def std(self) -> float:
        """Standard deviation."""
        return float(np.sqrt(self.var()))

    def median(self) -> float:
        """The 0.5 quantile."""
        return float(self.ppf(0.5))

    def interval(self, confidence: float) -> tuple[float, float]:
        """Equal-tailed interval holding ``confidence`` of the mass."""
        tail = (1.0 - check_p(confidence, "confidence")) / 2.0
        return float(self.ppf(tail)), float(self.isf(tail))


# ---------------------------------------------------------------- discrete, on the integers
class DiscreteDistribution:
    """A frozen distribution on the integers ``lower .. upper`` (upper may be ``inf``)."""

    lower = 0

    @property
    def upper(self) -> float:
        return np.inf

    def logpmf(self, k):
        """Log probability of ``k`` (``-inf`` off the support or for non-integers)."""
        k = np.asarray(k, dtype=np.float64)
        inside = (k >= self.lower) & (k <= self.upper) & (k == np.floor(k))
        with np.errstate(invalid="ignore", divide="ignore"):
            inner = self._logpmf(np.where(inside, k, self.lower))
        return _scalar(np.where(inside, inner, np.where(np.isnan(k), np.nan, -np.inf)))

    def pmf(self, k):
        """Probability of ``k``."""
        return np.exp(self.logpmf(k))

    def _tail(self, k, hook, below, above):
        k = np.floor(np.asarray(k, dtype=np.float64))
        with np.errstate(invalid="ignore", divide="ignore"):
            inner = hook(np.clip(k, self.lower, self.upper))
        return _scalar(np.where(k < self.lower, below, np.where(k >= self.upper, above, inner)))

    def cdf(self, k):
        """:math:`P(X \\le k)`."""
        return self._tail(k, self._cdf, 0.0, 1.0)

    def sf(self, k):
        """:math:`P(X > k)`."""
        return self._tail(k, self._sf, 1.0, 0.0)

    def ppf(self, q):
        """Smallest support point :math:`k` with :math:`F(k) \\ge q`.

        As in scipy, ``ppf(0)`` is ``lower - 1`` (every :math:`k` has :math:`F(k) \\ge 0`; the value
        marks "below the support") and ``ppf(1)`` is ``upper``.
        """
        q = _check_q(q)
        live = (q > 0) & (q < 1)
        # start at a normal approximation, bracket by doubling steps, then bisect on the integers
        with np.errstate(invalid="ignore"):
            guess = np.ceil(self.mean() + np.sqrt(self.var()) * ndtri(np.where(live, q, 0.5)))
        hi = np.clip(np.nan_to_num(guess, nan=self.lower), self.lower, min(self.upper, 2.0**52))
        lo = hi - 1.0  # invariant sought: F(lo) < q <= F(hi)
        step = 1.0
        while (bad := live & (self.cdf(hi) < q)).any():
            lo, hi = np.where(bad, hi, lo), np.where(bad, np.minimum(hi + step, self.upper), hi)
            step *= 2
        step = 1.0
        while (bad := live & (lo >= self.lower) & (self.cdf(lo) >= q)).any():
            hi, lo = np.where(bad, lo, hi), np.where(bad, np.maximum(lo - step, self.lower - 1.0), lo)
            step *= 2
        while (wide := live & (hi - lo > 1)).any():
            mid = np.floor(0.5 * (lo + hi))
            above = self.cdf(mid) >= q
            hi, lo = np.where(wide & above, mid, hi), np.where(wide & ~above, mid, lo)
        k = hi
        out = np.where(q == 0, self.lower - 1.0, np.where(q == 1, self.upper, k))
        return _scalar(np.where(np.isnan(q), np.nan, out))

    def rvs(self, size=None, random_state=None):
        """Random draws by inverse-CDF sampling: ``ppf(U)``, ``U`` uniform on (0, 1)."""
        u = uniform_open(_check_size(size), check_random_state(random_state))
        return _scalar(np.asarray(self.ppf(u)).astype(np.int64))

    def std(self) -> float:
        """Standard deviation."""
        return float(np.sqrt(self.var()))

    def median(self) -> float:
        """The 0.5 quantile."""
        return float(self.ppf(0.5))

    def interval(self, confidence: float) -> tuple[float, float]:
        """Equal-tailed interval ``(ppf(α/2), ppf(1 - α/2))``."""
        tail = (1.0 - check_p(confidence, "confidence")) / 2.0
        return float(self.ppf(tail)), float(self.ppf(1.0 - tail))
