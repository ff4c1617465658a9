"""Principal component analysis from scratch: the SVD of the centred data, exact or randomized.

The principal axes are the right singular vectors of the centred data ``X̃ = X - mean``, i.e. the
eigenvectors of the covariance ``X̃ᵀX̃ / (n - 1)``, and the explained variances are ``s² / (n - 1)``.
Three solvers give them: ``"full"`` (LAPACK's SVD of ``X̃``), ``"covariance_eigh"`` (eigen-decompose
the ``d × d`` covariance, cheap when ``n ≫ d``) and ``"randomized"`` (Halko, Martinsson & Tropp's
range finder with power iterations, written here). Signs follow scikit-learn's ``svd_flip`` (the
largest-magnitude loading of every component is positive), so results agree with
``sklearn.decomposition.PCA`` value for value, not only up to sign.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

__all__ = ["PCA", "randomized_range_finder", "randomized_svd", "svd_flip"]

_SOLVERS = ("auto", "full", "covariance_eigh", "randomized")
_NORMALIZERS = ("auto", "QR", "LU", "none")


def svd_flip(U, Vt):
    """Fix the sign of each singular pair so the largest-|·| entry of each row of ``Vt`` is positive.

    ``(u_k, v_k)`` and ``(-u_k, -v_k)`` are equally valid singular pairs; this is scikit-learn's
    ``svd_flip(U, Vt, u_based_decision=False)`` convention (ties go to the first such entry).

    Parameters
    ----------
    U : ndarray of shape (n, k) or None
        Left singular vectors (columns), flipped with ``Vt``; ``None`` when not computed.
    Vt : ndarray of shape (k, d)
        Right singular vectors (rows).

    Returns
    -------
    U, Vt : ndarray
        The flipped arrays (new arrays; the inputs are left alone).

    Examples
    --------
    >>> import numpy as np
    >>> svd_flip(None, np.array([[0.6, -0.8], [0.8, 0.6]]))[1]
    array([[-0.6,  0.8],
           [ 0.8,  0.6]])
    """
    signs = np.sign(Vt[np.arange(Vt.shape[0]), np.argmax(np.abs(Vt), axis=1)])
    return (None if U is None else U * signs), Vt * signs[:, None]


def randomized_range_finder(A, size, n_iter, normalizer, rng):
    """An orthonormal ``Q`` (``m × size``) whose range approximates the dominant range of ``A``.

    Halko, Martinsson & Tropp (2011), Algorithm 4.3/4.4: sketch ``Y = (AAᵀ)^q A Ω`` with a
    Gaussian ``Ω`` and orthonormalise. Each power iteration multiplies singular value ``σ_j`` by
    ``σ_j²``, so the sketch is dominated by the top singular directions even when the spectrum
    decays slowly; re-normalising between products (QR, or the cheaper LU) keeps the small
    directions from drowning in rounding.

    Parameters
    ----------
    A : ndarray of shape (m, n)
        The matrix.
    size : int
        Number of columns of ``Q`` (target rank + oversampling).
    n_iter : int
        Number of power iterations ``q``.
    normalizer : {"QR", "LU", "none"}
        Re-normalisation between products.
    rng : numpy.random.RandomState
        Source of the Gaussian test matrix ``Ω`` (drawn as ``rng.normal(size=(n, size))``).

    Returns
    -------
    Q : ndarray of shape (m, size)
        Orthonormal columns.
    """
    Q = rng.normal(size=(A.shape[1], size))
    if normalizer == "QR":
        normalise = lambda M: linalg.qr(M, mode="economic", check_finite=False)[0]  # noqa: E731
    elif normalizer == "LU":  # P·L is well conditioned enough and costs half a QR
        normalise = lambda M: linalg.lu(M, permute_l=True, check_finite=False)[0]  # noqa: E731
    else:
        normalise = lambda M: M  # noqa: E731
    for _ in range(n_iter):
        Q = normalise(A @ Q)
        Q = normalise(A.T @ Q)
    return linalg.qr(A @ Q, mode="economic", check_finite=False)[0]


def randomized_svd(M, n_components, *, n_oversamples=10, n_iter="auto", normalizer="auto", random_state=None):
    """Truncated SVD ``M ≈ U diag(s) Vt`` by random projection (no sign flip).

    Find ``Q`` with :func:`randomized_range_finder`, then take the exact SVD of the small
    ``(k + p) × n`` matrix ``B = QᵀM``: ``B = Û diag(s) Vt`` gives ``M ≈ QBB = (QÛ) diag(s) Vt``.
    A wide ``M`` is transposed first (the sketch is then of the shorter side).

    Parameters
    ----------
    M : ndarray of shape (m, n)
        The matrix.
    n_components : int
        Rank ``k`` of the result.
    n_oversamples : int, default=10
        Extra random vectors ``p``; the sketch has ``k + p`` columns.
    n_iter : int or "auto", default="auto"
        Power iterations; ``"auto"``: 7 if ``k < 0.1 min(m, n)`` else 4 (scikit-learn's choice).
    normalizer : {"auto", "QR", "LU", "none"}, default="auto"
        ``"auto"``: none for ``n_iter <= 2``, else LU.
    random_state : int, RandomState or None
        Seed of ``Ω`` (a :class:`numpy.random.RandomState` stream, as in scikit-learn).

    Returns
    -------
    U : ndarray of shape (m, k)
    s : ndarray of shape (k,)
        Singular values, non-increasing.
    Vt : ndarray of shape (k, n)

    Examples
    --------
    >>> import numpy as np
    >>> M = np.random.default_rng(0).normal(size=(50, 8)) @ np.diag([9, 5, 2, 1, 1, 1, 1, 1])
    >>> s = randomized_svd(M, 3, random_state=0)[1]
    >>> np.allclose(s, np.linalg.svd(M, compute_uv=False)[:3])
    True
    """
    rng = check_random_state(random_state)
    if n_iter == "auto":
        n_iter = 7 if n_components < 0.1 * min(M.shape) else 4
    if normalizer == "auto":
        normalizer = "none" if n_iter <= 2 else "LU"
    transpose = M.shape[0] < M.shape[1]
    if transpose:
        M = M.T
    Q = randomized_range_finder(M, n_components + n_oversamples, n_iter, normalizer, rng)
    U_hat, s, Vt = linalg.svd(Q.T @ M, full_matrices=False)
    U = Q @ U_hat
    if transpose:
        return Vt[:n_components].T, s[:n_components], U[:, :n_components].T
    return U[:, :n_components], s[:n_components], Vt[:n_components]


class PCA(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Principal component analysis: project on the directions of largest variance.

    Centres ``X`` and finds the orthonormal directions ``w_1, w_2, …`` of largest variance, the
    right singular vectors of ``X - mean``; ``transform`` gives the coordinates
    ``(x - mean) Wᵀ`` and ``inverse_transform`` maps them back. Same parameters, attributes and
    sign convention as ``sklearn.decomposition.PCA``.

    Parameters
    ----------
    n_components : int, float in (0, 1) or None, default=None
        Number of components to keep. ``None``: ``min(n_samples, n_features)``. A float ``t``:
        the smallest number whose cumulative explained variance ratio exceeds ``t`` (exact
        solvers only).
    whiten : bool, default=False
        Divide the projections by ``sqrt(explained_variance_)`` so every component has unit
        variance (``inverse_transform`` undoes it).
    svd_solver : {"auto", "full", "covariance_eigh", "randomized"}, default="auto"
        ``"full"``: SVD of the centred data. ``"covariance_eigh"``: eigen-decomposition of the
        ``d × d`` covariance (fast when ``n ≫ d``, but squares the condition number).
        ``"randomized"``: Halko et al.'s randomized SVD. ``"auto"`` picks as scikit-learn does:
        covariance for ``d <= 1000`` and ``n >= 10 d``; full when ``max(n, d) <= 500``;
        randomized when ``1 <= n_components < 0.8 min(n, d)``; full otherwise.
    iterated_power : int or "auto", default="auto"
        Power iterations of the randomized solver (``"auto"``: 7 for few components, else 4).
    n_oversamples : int, default=10
        Extra random vectors of the randomized solver.
    power_iteration_normalizer : {"auto", "QR", "LU", "none"}, default="auto"
        Re-normalisation between power iterations (``"auto"``: none if ``<= 2`` iterations, else LU).
    random_state : int, RandomState or None, default=None
        Seed of the randomized solver's Gaussian test matrix.

    Attributes
    ----------
    components_ : ndarray of shape (n_components_, n_features)
        Principal axes (orthonormal rows), by decreasing explained variance.
    explained_variance_ : ndarray of shape (n_components_,)
        Variance of the data along each axis (eigenvalues of the covariance, ``ddof=1``).
    explained_variance_ratio_ : ndarray of shape (n_components_,)
        Fraction of the total variance along each axis.
    singular_values_ : ndarray of shape (n_components_,)
        Singular values of the centred data (``s² = (n - 1) λ``).
    mean_ : ndarray of shape (n_features,)
        Per-feature mean of the training data.
    n_components_ : int
        Number of components kept.
    noise_variance_ : float
        Mean of the discarded eigenvalues: the isotropic noise variance of probabilistic PCA
        (Tipping & Bishop, 1999); 0 when nothing is discarded.
    n_samples_ : int
        Number of training samples.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlweekly.ml_algorithms import PCA
    >>> X = np.array([[-1.0, -1.0], [-2.0, -1.0], [-3.0, -2.0], [1.0, 1.0], [2.0, 1.0], [3.0, 2.0]])
    >>> pca = PCA(n_components=2).fit(X)
    >>> pca.explained_variance_ratio_.round(4)
    array([0.9924, 0.0076])
    >>> pca.singular_values_.round(4)
    array([6.3006, 0.5498])
    """

    def __init__(
        self,
        n_components=None,
        *,
        whiten=False,
        svd_solver="auto",
        iterated_power="auto",
        n_oversamples=10,
        power_iteration_normalizer="auto",
        random_state=None,
    ):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state

    # ------------------------------------------------------------------ checks

    def _check_params(self) -> None:
        k = self.n_components
        is_int = isinstance(k, numbers.Integral) and not isinstance(k, bool)
        is_frac = isinstance(k, numbers.Real) and not is_int and not isinstance(k, bool) and 0 < k < 1
        if isinstance(k, str) and k == "mle":
            raise ValueError(
                "n_components='mle' (Minka's estimate) is not implemented; pass an int or a float in (0, 1)"
            )
        if not (k is None or (is_int and k >= 1) or is_frac):
            raise ValueError(f"n_components must be None, an integer >= 1 or a float in (0, 1), got {k!r}")
        if self.svd_solver not in _SOLVERS:
            raise ValueError(f"svd_solver must be one of {_SOLVERS}, got {self.svd_solver!r}")
        it = self.iterated_power
        if not (it == "auto" if isinstance(it, str) else isinstance(it, numbers.Integral) and it >= 0):
            raise ValueError(f"iterated_power must be 'auto' or an integer >= 0, got {it!r}")
        if not isinstance(self.n_oversamples, numbers.Integral) or self.n_oversamples < 1:
            raise ValueError(f"n_oversamples must be an integer >= 1, got {self.n_oversamples!r}")
        if self.power_iteration_normalizer not in _NORMALIZERS:
            raise ValueError(
                f"power_iteration_normalizer must be one of {_NORMALIZERS}, "
                f"got {self.power_iteration_normalizer!r}"
            )

    def _solver(self, n: int, d: int, k) -> str:
        if self.svd_solver != "auto":
            return self.svd_solver
        if d <= 1_000 and n >= 10 * d:
            return "covariance_eigh"
        if max(n, d) <= 500:
            return "full"
        if 1 <= k < 0.8 * min(n, d):
            return "randomized"
        return "full"

    # ------------------------------------------------------------------ fitting

    def _fit(self, X):
        """Fit; return ``(U, X̃)``: left singular vectors (``None`` for the covariance solver) and
        the centred data."""
        self._check_params()
        X = validate_data(self, X, dtype=np.float64, ensure_min_samples=2)
        n, d = X.shape
        k = min(n, d) if self.n_components is None else self.n_components
        if k >= 1 and k > min(n, d):
            raise ValueError(f"n_components={k} must be <= min(n_samples, n_features)={min(n, d)}")
        solver = self._solver(n, d, k)
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        U = None
        if solver == "randomized":
            if 0 < k < 1:
                raise ValueError(
                    f"n_components={k} (a variance fraction) needs an exact solver, not 'randomized'"
                )
            U, S, Vt = randomized_svd(
                Xc, k, n_oversamples=self.n_oversamples, n_iter=self.iterated_power,
                normalizer=self.power_iteration_normalizer, random_state=self.random_state,
            )  # fmt: skip
            eigvals = S**2 / (n - 1)  # only the k largest
            total_var = np.sum(Xc**2) / (n - 1)  # trace of the covariance, without forming it
        else:
            if solver == "full":
                U, S, Vt = linalg.svd(Xc, full_matrices=False)
                eigvals = S**2 / (n - 1)
            else:  # covariance_eigh: C = (XᵀX - n m mᵀ) / (n - 1), then C = V Λ Vᵀ
                C = X.T @ X
                C -= n * self.mean_[:, None] * self.mean_[None, :]
                C /= n - 1
                eigvals, V = np.linalg.eigh(C)
                eigvals, Vt = np.maximum(eigvals[::-1], 0.0), V[:, ::-1].T  # rounding can make λ < 0
                S = np.sqrt(eigvals * (n - 1))
            total_var = eigvals.sum()
            if 0 < k < 1:  # the fewest components whose cumulative ratio exceeds k
                k = int(np.searchsorted(np.cumsum(eigvals / total_var), k, side="right")) + 1
        U, Vt = svd_flip(U, Vt)
        self.components_ = Vt[:k].copy()
        self.singular_values_ = S[:k].copy()
        self.explained_variance_ = eigvals[:k].copy()
        self.explained_variance_ratio_ = self.explained_variance_ / total_var
        # probabilistic PCA: σ² = mean of the discarded eigenvalues; the randomized solver never
        # sees them, but their sum is the total variance minus the kept ones
        r = min(n, d)
        if k >= r:
            self.noise_variance_ = 0.0
        elif solver == "randomized":
            self.noise_variance_ = float((total_var - self.explained_variance_.sum()) / (r - k))
        else:
            self.noise_variance_ = float(np.mean(eigvals[k:]))
        self.n_components_ = int(k)
        self.n_samples_ = n
        return (None if U is None else U[:, :k]), Xc

    def fit(self, X, y=None):
        """Fit the principal axes to ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (cast to float64; at least 2 samples; no NaN or inf).
        y : None
            Ignored.

        Returns
        -------
        self : PCA
            The fitted estimator.
        """
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit and return the projections of ``X``: ``U diag(s)`` straight from the SVD.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components_)
            Principal-component scores (whitened when ``whiten=True``).
        """
        U, Xc = self._fit(X)
        if U is None:  # the covariance solver has no U
            return self._project(Xc)
        # X̃ Vᵀ = U S Vt Vᵀ = U S; whitened: U S / sqrt(S² / (n - 1)) = U sqrt(n - 1)
        return U * (np.sqrt(self.n_samples_ - 1) if self.whiten else self.singular_values_)

    # ------------------------------------------------------------------ projections

    def _project(self, Xc):
        Z = Xc @ self.components_.T
        if self.whiten:  # a zero-variance component would divide by 0: floor its scale at eps
            Z /= np.maximum(np.sqrt(self.explained_variance_), np.finfo(np.float64).eps)
        return Z

    def transform(self, X):
        """Project ``X`` on the principal axes: ``(X - mean_) @ components_.T``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components_)
            Scores, divided by ``sqrt(explained_variance_)`` when ``whiten=True``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self._project(X - self.mean_)

    def inverse_transform(self, X):
        """Map scores back to feature space: ``X @ components_ + mean_`` (undoing whitening).

        For data that was transformed, this is the orthogonal projection of the original rows on
        the affine subspace spanned by the kept components: the best rank-``k`` reconstruction.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components_)
            Scores.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Reconstruction in the original feature space.
        """
        check_is_fitted(self)
        X = check_array(X, dtype=np.float64, input_name="X")
        if X.shape[1] != self.n_components_:
            raise ValueError(
                f"X has {X.shape[1]} columns, but inverse_transform expects {self.n_components_} "
                "(one score per component)"
            )
        W = self.components_
        if self.whiten:
            W = np.sqrt(self.explained_variance_)[:, None] * W
        return X @ W + self.mean_

    # ------------------------------------------------------------------ probabilistic PCA

    def get_covariance(self):
        """Covariance of the probabilistic PCA model: ``Wᵀ diag(λ - σ²) W + σ² I``.

        Returns
        -------
        cov : ndarray of shape (n_features, n_features)
            Model covariance (the sample covariance itself when no component is discarded).
        """
        check_is_fitted(self)
        gain = np.maximum(self.explained_variance_ - self.noise_variance_, 0.0)
        cov = (self.components_.T * gain) @ self.components_
        cov[np.diag_indices_from(cov)] += self.noise_variance_
        return cov

    def score_samples(self, X):
        """Log-likelihood of each sample under the probabilistic PCA model ``N(mean_, cov)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ll : ndarray of shape (n_samples,)
            ``-½ (d log 2π + log|Σ| + (x - μ)ᵀ Σ⁻¹ (x - μ))``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        cov = self.get_covariance()
        sign, logdet = np.linalg.slogdet(cov)
        if sign <= 0:
            raise ValueError(
                "the model covariance is singular (a feature or direction with zero variance and "
                "noise_variance_=0): score is undefined; keep fewer components"
            )
        Xc = X - self.mean_
        maha = np.sum(Xc * np.linalg.solve(cov, Xc.T).T, axis=1)
        return -0.5 * (X.shape[1] * np.log(2 * np.pi) + logdet + maha)

    def score(self, X, y=None):
        """Mean log-likelihood of the samples (see :meth:`score_samples`).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.
        y : None
            Ignored.

        Returns
        -------
        ll : float
            Average log-likelihood.
        """
        return float(np.mean(self.score_samples(X)))

    @property
    def _n_features_out(self):
        return self.components_.shape[0]
