"""Naive Bayes (Gaussian, multinomial, Bernoulli): sklearn contract, parity, partial_fit, errors."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import naive_bayes as sk
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlweekly import datasets
from mlweekly.ml_algorithms import BernoulliNB, GaussianNB, MultinomialNB

OURS = {"gaussian": GaussianNB, "multinomial": MultinomialNB, "bernoulli": BernoulliNB}
SKLEARN = {"gaussian": sk.GaussianNB, "multinomial": sk.MultinomialNB, "bernoulli": sk.BernoulliNB}
ATTRS = {
    "gaussian": ["class_count_", "class_prior_", "theta_", "var_", "epsilon_"],
    "multinomial": ["class_count_", "class_log_prior_", "feature_count_", "feature_log_prob_"],
    "bernoulli": ["class_count_", "class_log_prior_", "feature_count_", "feature_log_prob_"],
}


# No expected failures: every check passes (BernoulliNB(binarize=None) is left out on purpose: it
# refuses the checks' real-valued X with a clear error instead of returning NaN like sklearn's).
@parametrize_with_checks(
    [GaussianNB(), MultinomialNB(), MultinomialNB(alpha=0.5, fit_prior=False), BernoulliNB()]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _real(seed, n, d, K):
    """Gaussian classes with feature scales from 1e-2 to 1e2 and offsets; each class at least twice."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, K, n)
    y[: 2 * K] = np.repeat(np.arange(K), 2)
    scale = 10.0 ** rng.uniform(-2, 2, d)
    X = (rng.normal(size=(n, d)) + rng.normal(size=(K, d))[y]) * scale + rng.uniform(-50, 50, d)
    return X, y


def _counts(seed, n, d, K, rate=0.5):
    """Poisson word counts with a class-dependent rate; each class at least twice."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, K, n)
    y[: 2 * K] = np.repeat(np.arange(K), 2)
    X = rng.poisson(rate * rng.gamma(1.0, size=(K, d))[y]).astype(float)
    return X, y


def _assert_same_model(ours, ref, kind, rtol=1e-12):
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    for attr in ATTRS[kind]:
        # Same sums in a different order (one-hot matmul vs per-class np.mean/np.var): a few ulps.
        np.testing.assert_allclose(getattr(ours, attr), getattr(ref, attr), rtol=rtol, atol=0, err_msg=attr)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(10, 80),
    d=st.integers(1, 6),
    K=st.integers(2, 4),
    var_smoothing=st.sampled_from([0.0, 1e-9, 1e-3, 0.5]),
    weighted=st.booleans(),
)
def test_gaussian_parity_with_sklearn(seed, n, d, K, var_smoothing, weighted):
    X, y = _real(seed, n, d, K)
    sw = np.random.default_rng(seed).uniform(0.2, 3.0, n) if weighted else None
    ours = GaussianNB(var_smoothing=var_smoothing).fit(X, y, sample_weight=sw)
    ref = sk.GaussianNB(var_smoothing=var_smoothing).fit(X, y, sample_weight=sw)
    _assert_same_model(ours, ref, "gaussian", rtol=1e-11)
    # log-posteriors are O(1e3) at most here: |Δ| <= 1e-10 is ~1e-13 relative, rounding of the sums.
    np.testing.assert_allclose(ours.predict_log_proba(X), ref.predict_log_proba(X), rtol=0, atol=1e-10)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(10, 80),
    d=st.integers(1, 30),
    K=st.integers(2, 4),
    kind=st.sampled_from(["multinomial", "bernoulli"]),
    alpha=st.sampled_from([1.0, 0.1, 1e-3, "array"]),
    prior=st.sampled_from(["fit", "uniform", "fixed"]),
    sparse=st.booleans(),
    weighted=st.booleans(),
)
def test_discrete_parity_with_sklearn(seed, n, d, K, kind, alpha, prior, sparse, weighted):
    X, y = _counts(seed, n, d, K)
    rng = np.random.default_rng(seed)
    if isinstance(alpha, str):
        # sklearn's BernoulliNB adds class_count_ (K,) to 2·alpha (d,): wrong for per-feature alpha
        # (an error or, when K == d, a mix-up); see test_bernoulli_per_feature_alpha for ours.
        alpha = rng.uniform(0.1, 2.0, d) if kind == "multinomial" else 0.3
    params = {"alpha": alpha, "fit_prior": prior != "uniform"}
    if prior == "fixed":
        params["class_prior"] = rng.dirichlet(np.ones(K))
    sw = rng.uniform(0.2, 3.0, n) if weighted else None
    Xin = sp.csr_matrix(X) if sparse else X
    ours = OURS[kind](**params).fit(Xin, y, sample_weight=sw)
    ref = SKLEARN[kind](**params).fit(Xin, y, sample_weight=sw)
    _assert_same_model(ours, ref, kind)
    np.testing.assert_allclose(ours.predict_log_proba(Xin), ref.predict_log_proba(Xin), rtol=0, atol=1e-10)
    np.testing.assert_array_equal(ours.predict(Xin), ref.predict(Xin))


@pytest.fixture(scope="module")
def sms():
    """Bag of words of 800 SMS messages (sparse CSR counts) and their ham/spam labels."""
    bunch = datasets.load("sms_spam")
    X = CountVectorizer().fit_transform(bunch.frame["text"].iloc[:800])
    return X, bunch.target.to_numpy()[:800]


@pytest.mark.parametrize("kind", ["multinomial", "bernoulli"])
def test_sparse_text_parity_and_sparse_equals_dense(sms, kind):
    X, y = sms
    assert sp.issparse(X) and X.shape[1] > 2000
    ours = OURS[kind]().fit(X, y)
    ref = SKLEARN[kind]().fit(X, y)
    _assert_same_model(ours, ref, kind)
    # Log-posteriors of long messages reach -1e3; summation order differs, so |Δ| ~ 1e-13.
    np.testing.assert_allclose(ours.predict_log_proba(X), ref.predict_log_proba(X), rtol=0, atol=1e-10)
    dense = OURS[kind]().fit(X.toarray(), y)
    np.testing.assert_array_equal(dense.feature_count_, ours.feature_count_)
    np.testing.assert_allclose(dense.predict_log_proba(X.toarray()), ours.predict_log_proba(X), atol=1e-10)


def test_multinomial_feature_log_prob_is_lidstone():
    X = np.array([[3, 0, 1], [2, 0, 0], [0, 4, 1], [0, 2, 2]])
    clf = MultinomialNB(alpha=0.5).fit(X, [0, 0, 1, 1])
    # (N_kj + α) / (N_k + α n): class 0 counts (5, 0, 1), N_0 = 6; class 1 counts (0, 6, 3), N_1 = 9
    expected = np.array([[5.5, 0.5, 1.5], [0.5, 6.5, 3.5]]) / np.array([[7.5], [10.5]])
    np.testing.assert_allclose(np.exp(clf.feature_log_prob_), expected, rtol=1e-15)
    np.testing.assert_allclose(np.exp(clf.class_log_prior_), [0.5, 0.5], rtol=1e-15)


def test_bernoulli_counts_absent_features():
    X = np.array([[1, 0], [1, 0], [0, 1]])
    clf = BernoulliNB(alpha=1.0).fit(X, [0, 0, 1])
    # p_0 = ((2+1)/(2+2), (0+1)/(2+2)); x = (0, 0): absence of feature 0 is evidence against class 0
    p0, p1 = np.array([0.75, 0.25]), np.array([1 / 3, 2 / 3])
    joint = np.log([2 / 3, 1 / 3]) + np.log([(1 - p0).prod(), (1 - p1).prod()])
    np.testing.assert_allclose(clf.predict_joint_log_proba([[0, 0]])[0], joint, rtol=1e-14)
    # MultinomialNB ignores zero counts entirely: an empty document gets the prior
    empty = MultinomialNB().fit(X, [0, 0, 1]).predict_log_proba([[0, 0]])[0]
    np.testing.assert_allclose(empty, np.log([2 / 3, 1 / 3]), rtol=1e-14)


def test_bernoulli_per_feature_alpha():
    X = np.array([[1, 0, 1], [1, 0, 0], [0, 1, 1], [0, 1, 0], [1, 1, 1]])
    alpha = np.array([0.5, 1.0, 2.0])
    clf = BernoulliNB(alpha=alpha).fit(X, [0, 0, 1, 1, 1])
    # p_kj = (N_kj + α_j) / (N_k + 2 α_j): class 0 (N=2) counts (2, 0, 1), class 1 (N=3) counts (1, 3, 2)
    expected = np.array([[2.5 / 3, 1 / 4, 3 / 6], [1.5 / 4, 4 / 5, 4 / 7]])
    np.testing.assert_allclose(np.exp(clf.feature_log_prob_), expected, rtol=1e-15)
    np.testing.assert_allclose(np.exp(clf._log_absent), 1 - expected, rtol=1e-14)


def test_bernoulli_binarize_threshold_and_none():
    X = np.array([[0.2, 3.0], [0.0, 0.7], [5.0, 0.0], [0.9, 0.1]])
    y = [0, 0, 1, 1]
    thresholded = BernoulliNB(binarize=0.5).fit(X, y)
    manual = BernoulliNB(binarize=None).fit((X > 0.5).astype(float), y)
    np.testing.assert_array_equal(thresholded.feature_count_, [[0, 2], [2, 0]])
    np.testing.assert_array_equal(thresholded.feature_log_prob_, manual.feature_log_prob_)
    np.testing.assert_array_equal(thresholded.predict_log_proba(X), manual.predict_log_proba(X > 0.5))


# ------------------------------------------------------------------ partial_fit


def _batches(n, n_batches, seed):
    cuts = np.sort(np.random.default_rng(seed).choice(np.arange(1, n), n_batches - 1, replace=False))
    return np.split(np.arange(n), cuts)


@pytest.mark.parametrize("kind", ["multinomial", "bernoulli"])
def test_discrete_partial_fit_equals_fit_and_sklearn(kind):
    X, y = _counts(1, 120, 12, 3)
    ours, ref = OURS[kind](), SKLEARN[kind]()
    for idx in _batches(120, 7, 1):
        ours.partial_fit(X[idx], y[idx], classes=[0, 1, 2])
        ref.partial_fit(X[idx], y[idx], classes=[0, 1, 2])
    full = OURS[kind]().fit(X, y)
    _assert_same_model(ours, full, kind)
    _assert_same_model(ours, ref, kind)
    np.testing.assert_allclose(ours.predict_log_proba(X), ref.predict_log_proba(X), rtol=0, atol=1e-12)


def test_gaussian_partial_fit_equals_fit():
    # Batches of 1 to 40 samples, some without every class: Chan et al.'s merge is exact.
    X, y = _real(2, 150, 5, 3)
    ours = GaussianNB()
    for idx in _batches(150, 9, 2):
        ours.partial_fit(X[idx], y[idx], classes=np.array([0, 1, 2]))
    full = GaussianNB().fit(X, y)
    np.testing.assert_array_equal(ours.class_count_, full.class_count_)
    np.testing.assert_allclose(ours.theta_, full.theta_, rtol=1e-13, atol=0)
    # var_ = MLE variance + epsilon_, and epsilon_ comes from the last batch (sklearn's convention)
    np.testing.assert_allclose(ours.var_ - ours.epsilon_, full.var_ - full.epsilon_, rtol=1e-12, atol=0)
    assert ours.epsilon_ == pytest.approx(1e-9 * X[_batches(150, 9, 2)[-1]].var(axis=0).max(), rel=1e-15)


def test_gaussian_partial_fit_matches_sklearn_and_where_sklearn_drifts():
    X, y = _real(3, 200, 4, 2)
    batches = _batches(200, 5, 3)

    def run(est):
        for idx in batches:
            est.partial_fit(X[idx], y[idx], classes=[0, 1])
        return est

    # Without smoothing both are the same exact merge of means and variances.
    ours, ref = run(GaussianNB(var_smoothing=0.0)), run(sk.GaussianNB(var_smoothing=0.0))
    _assert_same_model(ours, ref, "gaussian", rtol=1e-11)
    # With smoothing, sklearn subtracts the *new* batch's epsilon_ before merging instead of the one it
    # added before, so its variances drift by about the difference of the two; ours does not.
    ours, ref = run(GaussianNB(var_smoothing=1e-2)), run(sk.GaussianNB(var_smoothing=1e-2))
    np.testing.assert_allclose(ours.theta_, ref.theta_, rtol=1e-12)
    full = GaussianNB(var_smoothing=1e-2).fit(X, y)
    np.testing.assert_allclose(ours.var_ - ours.epsilon_, full.var_ - full.epsilon_, rtol=1e-12)
    assert np.abs(ref.var_ - ours.var_).max() > 1e-3 * ours.epsilon_


@pytest.mark.parametrize("kind", ["gaussian", "multinomial", "bernoulli"])
def test_weighted_partial_fit_equals_weighted_fit_and_repeats(kind):
    X, y = _counts(14, 90, 6, 3) if kind != "gaussian" else _real(14, 90, 6, 3)
    sw = np.random.default_rng(14).integers(1, 4, 90).astype(float)
    streamed = OURS[kind]()
    for idx in _batches(90, 4, 14):
        streamed.partial_fit(X[idx], y[idx], classes=[0, 1, 2], sample_weight=sw[idx])
    weighted = OURS[kind]().fit(X, y, sample_weight=sw)
    repeated = OURS[kind]().fit(np.repeat(X, sw.astype(int), axis=0), np.repeat(y, sw.astype(int)))
    attrs = [a for a in ATTRS[kind] if a not in ("var_", "epsilon_")] + (
        ["theta_"] if kind == "gaussian" else []
    )
    for attr in attrs:  # integer weights = repeated rows (epsilon_ uses the unweighted variance of X)
        np.testing.assert_allclose(getattr(streamed, attr), getattr(weighted, attr), rtol=1e-12, err_msg=attr)
        np.testing.assert_allclose(getattr(weighted, attr), getattr(repeated, attr), rtol=1e-12, err_msg=attr)
    if kind == "gaussian":
        mle = [m.var_ - m.epsilon_ for m in (streamed, weighted, repeated)]
        np.testing.assert_allclose(mle[0], mle[1], rtol=1e-12)
        np.testing.assert_allclose(mle[1], mle[2], rtol=1e-12)


def test_fit_after_partial_fit_starts_again():
    X, y = _counts(4, 60, 5, 2)
    clf = MultinomialNB().partial_fit(X, y, classes=[0, 1]).partial_fit(X, y)
    np.testing.assert_array_equal(clf.class_count_, 2 * np.bincount(y))
    clf.fit(X, y)
    np.testing.assert_array_equal(clf.class_count_, np.bincount(y))


def test_partial_fit_class_missing_from_first_batch():
    X, y = _counts(5, 40, 4, 3)
    first = y != 2
    clf = MultinomialNB().partial_fit(X[first], y[first], classes=[0, 1, 2])
    assert clf.class_log_prior_[2] == -np.inf  # not seen yet: prior 0, never predicted
    assert np.all(clf.predict(X) != 2) and np.all(np.isfinite(clf.predict_log_proba(X)[:, :2]))
    clf.partial_fit(X[~first], y[~first])
    _assert_same_model(clf, MultinomialNB().fit(X, y), "multinomial")


# ------------------------------------------------------------------ log space


def test_log_space_survives_where_the_product_underflows():
    # 2000 features, each adding ~ -7 to the log-likelihood: the product of probabilities is 0.0
    rng = np.random.default_rng(6)
    X = rng.poisson(1.0, size=(30, 2000)).astype(float)
    y = np.arange(30) % 2
    clf = MultinomialNB().fit(X, y)
    jll = clf.predict_joint_log_proba(X)
    assert np.all(jll < -5000) and np.all(np.exp(jll) == 0.0)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(np.log(proba), clf.predict_log_proba(X), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(
        clf.predict_log_proba(X), sk.MultinomialNB().fit(X, y).predict_log_proba(X), rtol=0, atol=1e-9
    )


def test_pipeline_cross_val_and_grid_search_on_text(sms):
    bunch = datasets.load("sms_spam")
    text, y = bunch.frame["text"].iloc[:600], bunch.target.to_numpy()[:600]
    for ours, ref in [(MultinomialNB(), sk.MultinomialNB()), (BernoulliNB(), sk.BernoulliNB())]:
        scores = cross_val_score(make_pipeline(CountVectorizer(), ours), text, y, cv=3)
        np.testing.assert_array_equal(
            scores, cross_val_score(make_pipeline(CountVectorizer(), ref), text, y, cv=3)
        )
        assert scores.min() > 0.85  # 600 messages, 3 folds: a sanity floor
    grid = GridSearchCV(
        make_pipeline(CountVectorizer(), MultinomialNB()), {"multinomialnb__alpha": [0.1, 1.0]}, cv=3
    )
    assert grid.fit(text, y).best_params_["multinomialnb__alpha"] in (0.1, 1.0)


def test_string_labels_and_priors():
    X, y = _real(7, 60, 3, 2)
    labels = np.array(["ham", "spam"])[y]
    clf = GaussianNB(priors=[0.9, 0.1]).fit(X, labels)
    assert set(clf.predict(X)) <= {"ham", "spam"}
    np.testing.assert_array_equal(clf.class_prior_, [0.9, 0.1])
    np.testing.assert_allclose(
        clf.predict_log_proba(X),
        sk.GaussianNB(priors=[0.9, 0.1]).fit(X, labels).predict_log_proba(X),
        atol=1e-10,
    )


# ------------------------------------------------------------------ errors


def test_multinomial_rejects_negative_counts_naming_the_place():
    X = np.array([[1.0, 2.0], [0.0, -3.0], [1.0, -1.0]])
    msg = r"needs non-negative counts; X has negative values at 2 entries \(first: row 1, column 1"
    with pytest.raises(ValueError, match=msg):
        MultinomialNB().fit(X, [0, 1, 1])
    with pytest.raises(ValueError, match=msg):
        MultinomialNB().fit(sp.csr_matrix(X), [0, 1, 1])
    clf = MultinomialNB().fit(np.abs(X), [0, 1, 1])
    before = clf.feature_count_.copy()
    with pytest.raises(ValueError, match="negative values"):
        clf.partial_fit(X, [0, 1, 1])
    np.testing.assert_array_equal(clf.feature_count_, before)  # a refused batch changes nothing
    BernoulliNB().fit(X, [0, 1, 1])  # Bernoulli thresholds, negative values are fine


@pytest.mark.parametrize("kind", ["gaussian", "multinomial", "bernoulli"])
def test_partial_fit_label_errors(kind):
    X, y = _counts(8, 20, 3, 2)
    with pytest.raises(ValueError, match=r"pass classes= \(every label y can take\) on the first call"):
        OURS[kind]().partial_fit(X, y)
    clf = OURS[kind]().partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"y has label\(s\) \[7\] that are not in classes_ \[0, 1\]"):
        clf.partial_fit(X[:3], [0, 7, 1])
    with pytest.raises(ValueError, match=r"classes=\[0, 1, 2\] differs from the classes of the first call"):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="X has 2 features, but .* is expecting 3 features"):
        clf.partial_fit(X[:, :2], y)


@pytest.mark.parametrize("kind", ["gaussian", "multinomial", "bernoulli"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_rejects_nan_and_inf(kind, bad):
    X, y = _counts(9, 20, 3, 2)
    X[4, 2] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        OURS[kind]().fit(X, y)
    with pytest.raises(ValueError, match="NaN|infinity"):
        OURS[kind]().fit(np.abs(np.nan_to_num(X, posinf=1.0)), y).predict(X)


@pytest.mark.parametrize("kind", ["gaussian", "multinomial", "bernoulli"])
def test_shapes_and_unfitted(kind):
    X, y = _counts(10, 20, 3, 2)
    with pytest.raises(NotFittedError):
        OURS[kind]().predict(X)
    with pytest.raises(ValueError, match="Expected 2D array"):
        OURS[kind]().fit(X[:, 0], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        OURS[kind]().fit(X, y[:-1])
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(20,\)"):
        OURS[kind]().fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="X has 2 features, but .* is expecting 3 features"):
        OURS[kind]().fit(X, y).predict_proba(X[:, :2])


def test_gaussian_rejects_sparse_and_zero_variance():
    X, y = _real(11, 20, 3, 2)
    with pytest.raises(TypeError, match="dense data is required"):
        GaussianNB().fit(sp.csr_matrix(X), y)
    constant = np.column_stack([X[:, 0], np.ones(20)])
    clf = GaussianNB(var_smoothing=0.0).fit(constant, y)
    with pytest.raises(ValueError, match="var_ is 0 for class 0, feature 1 .* Use var_smoothing > 0"):
        clf.predict(constant)
    assert np.all(np.isfinite(GaussianNB().fit(constant, y).predict_log_proba(constant)))


def test_bernoulli_binarize_errors():
    X = np.array([[0.0, 2.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match=r"BernoulliNB\(binarize=None\) takes X as binary"):
        BernoulliNB(binarize=None).fit(X, [0, 1])
    with pytest.raises(ValueError, match="binarize=-0.5 < 0 would turn every implicit zero"):
        BernoulliNB(binarize=-0.5).fit(sp.csr_matrix(X), [0, 1])


@pytest.mark.parametrize(
    ("estimator", "message"),
    [
        (GaussianNB(var_smoothing=-1.0), "var_smoothing must be a finite number >= 0"),
        (GaussianNB(priors=[0.5, 0.6]), r"priors must be non-negative and sum to 1"),
        (GaussianNB(priors=[1.0]), r"priors has shape \(1,\); it needs one probability per class \(2\)"),
        (MultinomialNB(alpha=-1.0), "alpha must be a finite number >= 0"),
        (MultinomialNB(alpha=[1.0, 1.0]), r"alpha has 2 entries; it needs one per feature \(3\)"),
        (MultinomialNB(fit_prior="yes"), "fit_prior must be True or False"),
        (
            MultinomialNB(class_prior=[0.2, 0.3, 0.5]),
            r"class_prior must hold one non-negative probability per class \(2\)",
        ),
        (BernoulliNB(binarize="x"), "binarize must be a number or None"),
        (BernoulliNB(force_alpha=1), "force_alpha must be True or False"),
    ],
)
def test_invalid_hyper_parameters(estimator, message):
    X, y = _counts(12, 20, 3, 2)
    with pytest.raises(ValueError, match=message):
        estimator.fit(X, y)


def test_tiny_alpha_is_clipped_unless_forced():
    X, y = _counts(13, 30, 4, 2)
    X[y == 0, 0] = 0  # feature 0 never seen in class 0
    with pytest.warns(UserWarning, match="alpha=0 < 1e-10 is raised to 1e-10"):
        clipped = MultinomialNB(alpha=0.0, force_alpha=False).fit(X, y)
    with pytest.warns(UserWarning, match="alpha too small"):
        ref = sk.MultinomialNB(alpha=0.0, force_alpha=False).fit(X, y)
    np.testing.assert_allclose(clipped.feature_log_prob_, ref.feature_log_prob_, rtol=1e-14)
    assert np.isfinite(clipped.feature_log_prob_).all()
    forced = MultinomialNB(alpha=0.0).fit(X, y)  # no smoothing: an unseen word vetoes the class
    assert forced.feature_log_prob_[0, 0] == -np.inf
