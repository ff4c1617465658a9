"""Tests of finite-difference gradients and Jacobians: exactness, error orders, autograd/torch parity."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from mlweekly.deep_learning.tensor import Tensor
from mlweekly.mathematical_foundations.differentiation import (
    default_step,
    numerical_gradient,
    numerical_jacobian,
)

EPS = np.finfo(float).eps


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6), scale=st.floats(0.1, 100.0))
def test_central_differences_are_exact_on_quadratics_up_to_round_off(seed, n, scale):
    r = np.random.default_rng(seed)
    A = r.normal(size=(n, n))
    A = A + A.T
    b = r.normal(size=n)
    x = r.normal(size=n) * scale

    def f(v):
        return 0.5 * v @ A @ v + b @ v

    # the third derivative is zero, so only round-off remains: ~eps·|terms of f|/h per coordinate,
    # with h = eps^(1/3)·max(1,|x|): a few eps^(2/3) times the size of f's terms.
    size = np.abs(x) @ np.abs(A) @ np.abs(x) + np.abs(b) @ np.abs(x) + 1
    tol = 10 * EPS ** (2 / 3) * size / np.maximum(1, np.abs(x))
    err = np.abs(numerical_gradient(f, x) - (A @ x + b))
    assert np.all(err <= tol)


def test_forward_error_is_first_order_and_central_second_order():
    x, true = 1.0, np.cos(1.0)
    err = {
        m: [abs(numerical_gradient(np.sin, x, eps=h, method=m) - true) for h in (1e-2, 5e-3)]
        for m in ("forward", "central")
    }
    # forward: error ≈ h/2·|f''| halves with h; central: error ≈ h²/6·|f'''| quarters
    assert err["forward"][0] / err["forward"][1] == pytest.approx(2.0, rel=0.02)
    assert err["central"][0] / err["central"][1] == pytest.approx(4.0, rel=0.01)
    assert err["forward"][0] == pytest.approx(1e-2 / 2 * np.sin(1.0), rel=0.01)
    assert err["central"][0] == pytest.approx(1e-4 / 6 * np.cos(1.0), rel=0.01)


def test_round_off_dominates_for_tiny_steps():
    # at h = 1e-13 the forward difference has lost most digits (error ~ eps/h ~ 1e-3): the V-shape
    tiny = abs(numerical_gradient(np.exp, 1.0, eps=1e-13, method="forward") - np.e)
    best = abs(numerical_gradient(np.exp, 1.0, method="forward") - np.e)
    assert tiny > 1e-5 > 1e-7 > best


def test_complex_step_is_accurate_to_machine_precision():
    def f(v):
        return np.sum(np.exp(v) * np.sin(v) / (1 + v**2))

    x = np.array([-1.3, 0.2, 2.5])
    true = (np.exp(x) * (np.sin(x) + np.cos(x)) * (1 + x**2) - np.exp(x) * np.sin(x) * 2 * x) / (
        1 + x**2
    ) ** 2
    np.testing.assert_allclose(numerical_gradient(f, x, method="complex"), true, rtol=1e-14, atol=1e-15)


def _net(v):
    """A small nonlinear function written once for Tensors (v is a Tensor or ndarray)."""
    v = v if isinstance(v, Tensor) else Tensor(v)
    W = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    h = (v @ W.T).tanh()
    return ((h * h).sum() + (v * v).sigmoid().sum()).log()


@pytest.mark.parametrize("method,rtol", [("central", 1e-8), ("forward", 1e-6)])
def test_finite_differences_agree_with_autograd(method, rtol):
    x = Tensor(np.array([[0.3, -1.2, 0.8], [2.0, 0.1, -0.4]]), requires_grad=True)
    _net(x).backward()
    numeric = numerical_gradient(lambda v: _net(v).item(), x.data, method=method)
    # error analysis: central ~ eps^(2/3) ≈ 4e-11, forward ~ sqrt(eps) ≈ 1.5e-8, times |f| and f's curvature
    np.testing.assert_allclose(numeric, x.grad, rtol=rtol, atol=rtol)


def test_jacobian_matches_torch_functional_jacobian():
    M = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]])

    def f_np(v):
        return np.tanh(M @ v) * np.exp(v.sum(axis=0))

    def f_torch(v):
        return torch.tanh(torch.from_numpy(M) @ v) * torch.exp(v.sum(dim=0))

    x = np.array([[0.2, -0.5, 0.7, 1.0], [0.4, 0.1, -0.3, 0.0]])  # input (2, 4), output (3, 4)
    ref = torch.autograd.functional.jacobian(f_torch, torch.tensor(x)).numpy()
    ours = numerical_jacobian(f_np, x)
    assert ours.shape == ref.shape == (3, 4, 2, 4)
    np.testing.assert_allclose(ours, ref, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(numerical_jacobian(f_np, x, method="complex"), ref, rtol=1e-13, atol=1e-15)


def test_caller_array_is_not_modified_and_ints_are_accepted():
    x = np.array([1.0, 2.0])
    before = x.copy()
    numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), [1, 2]), [2.0, 4.0], rtol=1e-9)


def test_default_steps():
    np.testing.assert_allclose(
        default_step(np.array([0.0, -100.0]), "central"), np.cbrt(EPS) * np.array([1, 100])
    )
    np.testing.assert_allclose(default_step(np.array([0.5, 4.0]), "forward"), np.sqrt(EPS) * np.array([1, 4]))


def test_errors_are_clear():
    with pytest.raises(ValueError, match="scalar function; f returned shape \\(2,\\)"):
        numerical_gradient(lambda v: v, [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN or inf"):
        numerical_gradient(np.sum, [1.0, np.nan])
    with pytest.raises(ValueError, match="method must be one of"):
        numerical_gradient(np.sum, [1.0], method="backward")
    with pytest.raises(ValueError, match="eps must be positive"):
        numerical_gradient(np.sum, [1.0], eps=0.0)
    with pytest.raises(TypeError, match="x must be real"):
        numerical_gradient(np.sum, ["a"])
    with pytest.raises(TypeError, match="f must return real numbers"):
        numerical_gradient(lambda v: "x", [1.0])
    with pytest.raises(ValueError, match="returned shape"):
        numerical_jacobian(lambda v: np.zeros(1 + int(v[0] > 1.0)), [1.0])
