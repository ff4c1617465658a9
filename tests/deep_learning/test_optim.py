"""Optimisers and learning-rate schedules against torch.optim, step by step, in float64."""

from dataclasses import dataclass

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import StandardScaler

from mlweekly import datasets
from mlweekly.deep_learning import lr_scheduler, optim

TorchSched = torch.optim.lr_scheduler

torch.set_num_threads(1)


@dataclass(eq=False)
class Param:
    data: np.ndarray
    grad: np.ndarray | None = None


@pytest.fixture(scope="module")
def problem():
    """Logistic regression on 100 standardised breast-cancer rows: W (30,1) and b (1,) as two parameters."""
    X, y = datasets.load_xy("breast_cancer")
    X = StandardScaler().fit_transform(X)[:100]
    return X, y[:100].astype(np.float64)


def _grads(X, y, W, b):
    """Gradient of the mean log-loss (NumPy), evaluated at each side's own current parameters."""
    p = 1.0 / (1.0 + np.exp(-(X @ W[:, 0] + b[0])))
    r = (p - y) / len(y)
    return (X.T @ r)[:, None], np.array([r.sum()])


def _run_both(problem, ours_cls, torch_cls, kwargs, n_steps=50, torch_kwargs=None):
    X, y = problem
    rng = np.random.default_rng(0)
    W0, b0 = rng.normal(size=(30, 1)), rng.normal(size=1)
    ours = [Param(W0.copy()), Param(b0.copy())]
    theirs = [torch.tensor(W0.copy(), requires_grad=True), torch.tensor(b0.copy(), requires_grad=True)]
    opt = ours_cls(ours, **kwargs)
    ref = torch_cls(theirs, **(torch_kwargs or kwargs))
    ours_path, ref_path = [], []
    for _ in range(n_steps):
        for p, g in zip(ours, _grads(X, y, ours[0].data, ours[1].data), strict=True):
            p.grad = g
        with torch.no_grad():
            for p, g in zip(theirs, _grads(X, y, theirs[0].numpy(), theirs[1].numpy()), strict=True):
                p.grad = torch.from_numpy(g)
        opt.step()
        ref.step()
        ours_path.append(np.concatenate([p.data.ravel() for p in ours]))
        ref_path.append(np.concatenate([p.detach().numpy().ravel() for p in theirs]))
    return np.array(ours_path), np.array(ref_path)


CONFIGS = [
    (optim.SGD, torch.optim.SGD, dict(lr=0.1)),
    (optim.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    (optim.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    (optim.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05)),
    (optim.RMSprop, torch.optim.RMSprop, dict()),
    (optim.RMSprop, torch.optim.RMSprop, dict(lr=0.005, centered=True, weight_decay=0.01)),
    (optim.RMSprop, torch.optim.RMSprop, dict(lr=0.005, momentum=0.7, alpha=0.9, eps=1e-6)),
    (optim.RMSprop, torch.optim.RMSprop, dict(lr=0.005, momentum=0.7, centered=True)),
    (optim.Adam, torch.optim.Adam, dict(lr=0.01)),
    (optim.Adam, torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    (optim.Adam, torch.optim.Adam, dict(lr=0.01, amsgrad=True, eps=1e-4)),
    (optim.AdamW, torch.optim.AdamW, dict(lr=0.01)),
    (optim.AdamW, torch.optim.AdamW, dict(lr=0.01, weight_decay=0.5, amsgrad=True)),
]


@pytest.mark.parametrize(("ours_cls", "torch_cls", "kwargs"), CONFIGS)
def test_every_iterate_matches_torch(problem, ours_cls, torch_cls, kwargs):
    ours, ref = _run_both(problem, ours_cls, torch_cls, kwargs)
    assert np.abs(ours[-1] - ours[0]).max() > 1e-3  # the parameters really moved
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)


def test_defaults_match_torch(problem):
    # defaults only: torch's SGD default lr is 1e-3 like ours, AdamW's weight_decay 1e-2
    for ours_cls, torch_cls in [(optim.SGD, torch.optim.SGD), (optim.Adam, torch.optim.Adam),
                                (optim.AdamW, torch.optim.AdamW), (optim.RMSprop, torch.optim.RMSprop)]:
        ours, ref = _run_both(problem, ours_cls, torch_cls, {}, n_steps=10)
        np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)


def test_adamw_is_not_adam_with_l2(problem):
    adamw, _ = _run_both(problem, optim.AdamW, torch.optim.AdamW, dict(lr=0.01, weight_decay=0.5), n_steps=20)
    adam_l2, _ = _run_both(problem, optim.Adam, torch.optim.Adam, dict(lr=0.01, weight_decay=0.5), n_steps=20)
    assert np.abs(adamw - adam_l2).max() > 1e-3


@settings(max_examples=10, deadline=None)
@given(
    lr=st.floats(1e-4, 0.3),
    beta1=st.floats(0.0, 0.99),
    beta2=st.floats(0.5, 0.9999),
    wd=st.floats(0.0, 0.5),
    amsgrad=st.booleans(),
    decoupled=st.booleans(),
)
def test_adam_family_matches_torch_hypothesis(problem, lr, beta1, beta2, wd, amsgrad, decoupled):
    ours_cls, torch_cls = (optim.AdamW, torch.optim.AdamW) if decoupled else (optim.Adam, torch.optim.Adam)
    kwargs = dict(lr=lr, betas=(beta1, beta2), weight_decay=wd, amsgrad=amsgrad)
    ours, ref = _run_both(problem, ours_cls, torch_cls, kwargs, n_steps=15)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-11)


@settings(max_examples=10, deadline=None)
@given(lr=st.floats(1e-3, 0.5), mu=st.floats(0.0, 0.99), damp=st.floats(0.0, 0.9), wd=st.floats(0.0, 0.5))
def test_sgd_matches_torch_hypothesis(problem, lr, mu, damp, wd):
    kwargs = dict(lr=lr, momentum=mu, dampening=damp, weight_decay=wd)
    ours, ref = _run_both(problem, optim.SGD, torch.optim.SGD, kwargs, n_steps=15)
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-11)


def test_param_without_grad_is_skipped_and_zero_grad_sets_none():
    a, b = Param(np.ones(3), np.ones(3)), Param(np.full(2, 5.0))
    opt = optim.Adam([a, b], lr=0.1)
    opt.step()
    np.testing.assert_array_equal(b.data, [5.0, 5.0])
    assert not np.array_equal(a.data, np.ones(3))
    opt.zero_grad()
    assert a.grad is None and b.grad is None
    before = a.data.copy()
    opt.step()  # nothing has a gradient now
    np.testing.assert_array_equal(a.data, before)


def test_updates_in_place():
    p = Param(np.ones(2), np.ones(2))
    alias = p.data
    optim.SGD([p], lr=0.5, momentum=0.9).step()
    assert p.data is alias
    np.testing.assert_array_equal(alias, [0.5, 0.5])


def test_param_groups_have_their_own_lr():
    a, b = Param(np.zeros(1), np.ones(1)), Param(np.zeros(1), np.ones(1))
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    opt.step()
    np.testing.assert_allclose([a.data[0], b.data[0]], [-0.1, -1.0], rtol=0, atol=1e-15)
    opt.lr = 0.01
    assert [g["lr"] for g in opt.param_groups] == [0.01, 0.01]


def test_with_autograd_tensors_matches_torch(problem):
    """A real loop with our Tensor engine's backward against torch's autograd, 30 AdamW steps."""
    tensor_mod = pytest.importorskip("mlweekly.deep_learning.tensor")
    X, y = problem
    rng = np.random.default_rng(1)
    W0, b0 = rng.normal(size=(30, 1)), rng.normal(size=1)
    W, b = tensor_mod.Tensor(W0.copy(), requires_grad=True), tensor_mod.Tensor(b0.copy(), requires_grad=True)
    Wt, bt = torch.tensor(W0.copy(), requires_grad=True), torch.tensor(b0.copy(), requires_grad=True)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y[:, None])
    opt = optim.AdamW([W, b], lr=0.05, weight_decay=0.1)
    ref = torch.optim.AdamW([Wt, bt], lr=0.05, weight_decay=0.1)
    y_col = y[:, None]
    for _ in range(30):
        opt.zero_grad()
        z = X @ W + b
        loss = ((1 + (-z).exp()).log() + (1 - y_col) * z).mean()  # log(1 + e^{-z}) + (1 - y) z
        loss.backward()
        opt.step()
        ref.zero_grad()
        zt = Xt @ Wt + bt
        torch.nn.functional.binary_cross_entropy_with_logits(zt, yt).backward()
        ref.step()
        np.testing.assert_allclose(W.data, Wt.detach().numpy(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(b.data, bt.detach().numpy(), rtol=0, atol=1e-12)


# ---------------------------------------------------------------- schedulers


def _lr_sequences(ours_sched, torch_sched, kwargs, n_epochs=40, lr=0.5):
    opt = optim.SGD([Param(np.zeros(1))], lr=lr)
    ref_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    s, r = ours_sched(opt, **kwargs), torch_sched(ref_opt, **kwargs)
    ours, ref = [s.get_last_lr()[0]], [r.get_last_lr()[0]]
    for _ in range(n_epochs):
        opt.step()
        ref_opt.step()
        s.step()
        r.step()
        ours.append(s.get_last_lr()[0])
        ref.append(r.get_last_lr()[0])
        assert opt.lr == ours[-1]
    return ours, ref


@pytest.mark.parametrize(
    ("ours_sched", "torch_sched", "kwargs"),
    [
        (lr_scheduler.StepLR, TorchSched.StepLR, dict(step_size=7)),
        (lr_scheduler.StepLR, TorchSched.StepLR, dict(step_size=3, gamma=0.7)),
        (lr_scheduler.ExponentialLR, TorchSched.ExponentialLR, dict(gamma=0.93)),
        (lr_scheduler.CosineAnnealingLR, TorchSched.CosineAnnealingLR, dict(T_max=10)),
        (lr_scheduler.CosineAnnealingLR, TorchSched.CosineAnnealingLR, dict(T_max=7, eta_min=0.01)),
    ],
)
def test_scheduler_lr_sequence_equals_torch_exactly(ours_sched, torch_sched, kwargs):
    ours, ref = _lr_sequences(ours_sched, torch_sched, kwargs)
    assert len(set(ours)) > 3
    assert ours == ref  # bit for bit: same recursive arithmetic


def test_cosine_closed_form():
    kwargs = dict(T_max=8, eta_min=0.1)
    cos = (lr_scheduler.CosineAnnealingLR, TorchSched.CosineAnnealingLR)
    ours, _ = _lr_sequences(*cos, kwargs, n_epochs=24, lr=1.0)
    t = np.arange(25)
    np.testing.assert_allclose(ours, 0.1 + 0.9 * (1 + np.cos(np.pi * t / 8)) / 2, rtol=0, atol=1e-14)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda p: optim.SGD([], lr=0.1), "empty parameter list"),
        (lambda p: optim.SGD(p, lr=-1.0), "learning rate"),
        (lambda p: optim.SGD(p, lr=float("nan")), "learning rate"),
        (lambda p: optim.SGD(p, lr=0.1, nesterov=True), "Nesterov"),
        (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov"),
        (lambda p: optim.SGD(p, lr=0.1, momentum=-0.5), "momentum"),
        (lambda p: optim.Adam(p, betas=(1.0, 0.999)), "beta1"),
        (lambda p: optim.Adam(p, betas=(0.9, -0.1)), "beta2"),
        (lambda p: optim.Adam(p, betas=0.9), "pair"),
        (lambda p: optim.AdamW(p, weight_decay=-1e-2), "weight_decay"),
        (lambda p: optim.RMSprop(p, eps=-1.0), "eps"),
        (lambda p: optim.SGD([p[0], {"params": p}], lr=0.1), "not a mix"),
        (lambda p: optim.SGD([{"params": p}, {"params": p}], lr=0.1), "more than one"),
    ],
)
def test_bad_hyper_parameters(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make([Param(np.zeros(2))])


def test_bad_parameters_and_grads():
    with pytest.raises(TypeError, match="floating-point ndarray"):
        optim.SGD([Param(np.zeros(2, dtype=int))], lr=0.1)
    with pytest.raises(TypeError, match="floating-point ndarray"):
        optim.SGD([object()], lr=0.1)
    p = Param(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"grad of shape \(3,\) does not match parameter of shape \(2,\)"):
        optim.Adam([p]).step()


def test_bad_scheduler_arguments():
    opt = optim.SGD([Param(np.zeros(1))], lr=0.1)
    with pytest.raises(TypeError, match="not an Optimizer"):
        lr_scheduler.StepLR(object(), step_size=2)
    with pytest.raises(ValueError, match="step_size"):
        lr_scheduler.StepLR(opt, step_size=0)
    with pytest.raises(ValueError, match="T_max"):
        lr_scheduler.CosineAnnealingLR(opt, T_max=2.5)
    with pytest.raises(ValueError, match="gamma"):
        lr_scheduler.ExponentialLR(opt, gamma=-0.5)


def test_public_names_are_exported():
    import mlweekly.deep_learning as dl

    for name in ("SGD", "RMSprop", "Adam", "AdamW"):
        assert getattr(dl, name) is getattr(optim, name)
    for name in ("StepLR", "ExponentialLR", "CosineAnnealingLR"):
        assert getattr(dl, name) is getattr(lr_scheduler, name)
