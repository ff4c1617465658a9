"""Tests of mlweekly.deep_learning.nn and .init against torch.nn (float64, so 1e-10 is a fair bar)."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from mlweekly.deep_learning import init, nn
from mlweekly.deep_learning.tensor import Tensor

TOL = dict(rtol=1e-10, atol=1e-10)
# Every activation and loss is probed on this grid: both tails (±1000 would overflow a naive exp),
# the kinks and zero crossings, and ordinary values.
TAIL = [1000.0, 700.0, 50.0, 20.0, 3.0, 1.0, 1e-8]
GRID = np.array([-t for t in TAIL] + [0.0] + [0.5] + TAIL[::-1])


def _torch(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def _copy_into_torch(ours: nn.Module, ref: torch.nn.Module) -> None:
    names = [n for n, _ in ours.named_parameters()]
    ref_names = [n for n, _ in ref.named_parameters()]
    assert names == ref_names
    with torch.no_grad():
        for p, q in zip(ours.parameters(), ref.parameters(), strict=True):
            q.copy_(torch.from_numpy(p.data))


# ------------------------------------------------------------------------------ Linear, Sequential
@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(1, 7),
    d_in=st.integers(1, 6),
    d_out=st.integers(1, 5),
    bias=st.booleans(),
)
def test_linear_forward_and_gradients_match_torch(seed, n, d_in, d_out, bias):
    rng = np.random.default_rng(seed)
    ours = nn.Linear(d_in, d_out, bias=bias, rng=rng)
    ref = torch.nn.Linear(d_in, d_out, bias=bias, dtype=torch.float64)
    _copy_into_torch(ours, ref)
    X, G = rng.normal(size=(n, d_in)), rng.normal(size=(n, d_out))
    x, xt = Tensor(X, requires_grad=True), _torch(X, grad=True)
    out, out_t = ours(x), ref(xt)
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), **TOL)
    (out * G).sum().backward()
    (out_t * _torch(G)).sum().backward()
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), **TOL)
    for p, q in zip(ours.parameters(), ref.parameters(), strict=True):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), **TOL)


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid", "gelu"])
def test_sequential_mlp_matches_torch(act):
    ours_act = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}[act]
    ref_act = {
        "relu": torch.nn.ReLU,
        "tanh": torch.nn.Tanh,
        "sigmoid": torch.nn.Sigmoid,
        "gelu": torch.nn.GELU,
    }[act]
    rng = np.random.default_rng(7)
    ours = nn.Sequential(
        nn.Linear(5, 16, rng=rng), ours_act(), nn.Linear(16, 8, rng=rng), ours_act(), nn.Linear(8, 3, rng=rng)
    )
    ref = torch.nn.Sequential(
        torch.nn.Linear(5, 16), ref_act(), torch.nn.Linear(16, 8), ref_act(), torch.nn.Linear(8, 3)
    ).double()
    _copy_into_torch(ours, ref)
    X, y = rng.normal(size=(32, 5)) * 3, rng.integers(0, 3, 32)
    loss = nn.cross_entropy(ours(X), y)
    loss_t = F.cross_entropy(ref(_torch(X)), torch.from_numpy(y))
    loss.backward()
    loss_t.backward()
    np.testing.assert_allclose(loss.item(), loss_t.item(), **TOL)
    for (name, p), q in zip(ours.named_parameters(), ref.parameters(), strict=True):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), **TOL, err_msg=name)


def test_module_registration_order_names_and_sharing():
    class Net(nn.Module):
        def __init__(self):
            self.body = nn.Sequential(nn.Linear(3, 4, rng=0), nn.Tanh())
            self.head = nn.Linear(4, 2, bias=False, rng=1)
            self.tied = self.head  # the same layer twice: its weight is one parameter
            self.scale = Tensor(np.ones(2), requires_grad=True)

        def forward(self, x):
            return self.tied(self.body(x)) * self.scale

    net = Net()
    names = [n for n, _ in net.named_parameters()]
    assert names == ["body.0.weight", "body.0.bias", "head.weight", "scale"]
    assert [id(p) for p in net.parameters()] == [id(p) for _, p in net.named_parameters()]
    net(np.ones((2, 3))).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    assert len(net.body) == 2 and isinstance(net.body[1], nn.Tanh) and list(net.body)[0] is net.body[0]


def test_train_eval_propagate_to_every_submodule():
    net = nn.Sequential(nn.Linear(2, 2, rng=0), nn.Sequential(nn.Dropout(0.5), nn.ReLU()))
    assert net.eval() is net
    assert not net.training and not net[1].training and not net[1][0].training
    net.train()
    assert net.training and net[1][0].training
    assert "Dropout(p=0.5)" in repr(net) and "in_features=2" in repr(net)


# ---------------------------------------------------------------------------------- activations
ACTIVATIONS = [
    (nn.ReLU(), F.relu),
    (nn.Tanh(), torch.tanh),
    (nn.Sigmoid(), torch.sigmoid),
    (nn.GELU(), F.gelu),
    (nn.GELU("tanh"), lambda t: F.gelu(t, approximate="tanh")),
    (nn.Identity(), lambda t: t),
]


@pytest.mark.parametrize("ours, ref", ACTIVATIONS, ids=lambda v: repr(v) if isinstance(v, nn.Module) else "")
def test_activation_values_and_gradients_match_torch_on_extreme_grid(ours, ref):
    x, xt = Tensor(GRID, requires_grad=True), _torch(GRID, grad=True)
    g = np.linspace(-2.0, 3.0, GRID.size)  # a non-trivial upstream gradient
    # no overflow and no 0/0 allowed, not just no NaN in the result (underflow to 0 is fine)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = ours(x)
        (out * g).sum().backward()
    out_t = ref(xt)
    (out_t * _torch(g)).sum().backward()
    assert np.isfinite(out.data).all() and np.isfinite(x.grad).all()
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), **TOL)
    np.testing.assert_allclose(x.grad, xt.grad.numpy(), **TOL)


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("log", [False, True])
def test_softmax_and_log_softmax_match_torch(axis, log):
    Z = np.array([[1000.0, -1000.0, 0.0, 3.0], [-5.0, -5.0, -5.0, -5.0], [700.0, 699.0, -700.0, 1.0]])
    module = nn.LogSoftmax(axis) if log else nn.Softmax(axis)
    ref = F.log_softmax if log else F.softmax
    z, zt = Tensor(Z, requires_grad=True), _torch(Z, grad=True)
    G = np.arange(Z.size, dtype=float).reshape(Z.shape) / 7 - 0.5
    out, out_t = module(z), ref(zt, dim=axis)
    (out * G).sum().backward()
    (out_t * _torch(G)).sum().backward()
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), **TOL)
    np.testing.assert_allclose(z.grad, zt.grad.numpy(), **TOL)


# --------------------------------------------------------------------------------------- losses
def _grad_pair(ours_fn, ref_fn, inp, *args):
    x, xt = Tensor(inp, requires_grad=True), _torch(inp, grad=True)
    loss, loss_t = ours_fn(x, *args), ref_fn(xt)
    (loss * np.ones(loss.shape)).sum().backward()
    loss_t.sum().backward()
    return loss.data, loss_t.detach().numpy(), x.grad, xt.grad.numpy()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_matches_torch(reduction):
    rng = np.random.default_rng(0)
    pred, target = rng.normal(size=(6, 3)) * 100, rng.normal(size=(6, 3))
    a, b, ga, gb = _grad_pair(
        nn.mse_loss, lambda t: F.mse_loss(t, _torch(target), reduction=reduction), pred, target, reduction
    )
    np.testing.assert_allclose(a, b, **TOL)
    np.testing.assert_allclose(ga, gb, **TOL)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_matches_torch_on_extreme_logits(reduction):
    z = np.repeat(GRID, 3)
    y = np.tile([0.0, 1.0, 0.3], GRID.size)  # hard and soft targets at every logit
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a, b, ga, gb = _grad_pair(
            nn.binary_cross_entropy_with_logits,
            lambda t: F.binary_cross_entropy_with_logits(t, _torch(y), reduction=reduction),
            z,
            y,
            reduction,
        )
    assert np.isfinite(a).all()
    np.testing.assert_allclose(a, b, **TOL)
    np.testing.assert_allclose(ga, gb, **TOL)


def test_bce_gradient_is_sigmoid_minus_target_exactly_at_zero():
    z = Tensor(np.zeros(3), requires_grad=True)
    nn.binary_cross_entropy_with_logits(z, np.array([0.0, 0.5, 1.0]), reduction="sum").backward()
    np.testing.assert_allclose(z.grad, [0.5, 0.0, -0.5], rtol=0, atol=1e-15)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_torch_on_extreme_logits(reduction):
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(8, 5)) * 3
    Z[0] = [1000.0, -1000.0, 0.0, 0.0, 0.0]  # target 0: loss 0
    Z[1] = [1000.0, -1000.0, 0.0, 0.0, 0.0]  # target 1: loss 2000, no overflow
    Z[2] = [-1000.0] * 5
    y = np.array([0, 1, 2, 3, 4, 0, 1, 2])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a, b, ga, gb = _grad_pair(
            nn.cross_entropy,
            lambda t: F.cross_entropy(t, torch.from_numpy(y), reduction=reduction),
            Z,
            y,
            reduction,
        )
    np.testing.assert_allclose(a, b, **TOL)
    np.testing.assert_allclose(ga, gb, **TOL)


@pytest.mark.parametrize(
    "module, fn", [(nn.MSELoss, nn.mse_loss), (nn.BCEWithLogitsLoss, nn.binary_cross_entropy_with_logits)]
)
def test_loss_modules_equal_functional_forms(module, fn):
    x, y = np.array([[0.3, -2.0], [4.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    assert module(reduction="sum")(x, y).item() == fn(x, y, reduction="sum").item()
    assert nn.CrossEntropyLoss()(x, [1, 0]).item() == nn.cross_entropy(x, np.array([1, 0])).item()


# --------------------------------------------------------------------------------------- errors
def test_linear_names_expected_and_got_feature_counts():
    with pytest.raises(ValueError, match=r"expected input with 4 features.*got shape \(3, 5\)"):
        nn.Linear(4, 2, rng=0)(np.ones((3, 5)))
    with pytest.raises(ValueError, match="init must be one of"):
        nn.Linear(4, 2, init="orthogonal")


def test_cross_entropy_rejects_bad_targets():
    Z = np.zeros((3, 4))
    with pytest.raises(ValueError, match="target 4 is out of range for 4 classes"):
        nn.cross_entropy(Z, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="target -1 is out of range"):
        nn.cross_entropy(Z, np.array([0, -1, 1]))
    with pytest.raises(ValueError, match="integer class indices"):
        nn.cross_entropy(Z, np.array([0.0, 0.5, 1.0]))
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        nn.cross_entropy(Z, np.array([0, 1]))


@pytest.mark.parametrize(
    "fn, name, y",
    [
        (nn.mse_loss, "mse_loss", np.zeros(3)),
        (nn.binary_cross_entropy_with_logits, "binary_cross_entropy_with_logits", np.zeros(3)),
        (nn.cross_entropy, "cross_entropy", None),
    ],
)
def test_nan_loss_is_an_error_naming_the_loss(fn, name, y):
    x = np.array([0.0, np.nan, 1.0])
    if y is None:
        x, y = x.reshape(1, 3), np.array([0])
    with pytest.raises(FloatingPointError, match=f"^{name}: the loss is NaN"):
        fn(x, y)


def test_loss_shape_and_reduction_errors():
    with pytest.raises(ValueError, match=r"same shape.*\(3,\).*\(3, 1\)"):
        nn.mse_loss(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="reduction must be one of"):
        nn.MSELoss(reduction="average")


# -------------------------------------------------------------------------------------- dropout
def test_dropout_train_masks_and_rescales_eval_is_identity():
    p, n = 0.3, 200_000
    drop = nn.Dropout(p, rng=np.random.default_rng(5))
    x = Tensor(np.full(n, 2.0), requires_grad=True)
    out = drop(x)
    keep = np.random.default_rng(5).random(n) >= p  # the mask is the rng's draws, reproducibly
    np.testing.assert_array_equal(out.data, np.where(keep, 2.0 / (1 - p), 0.0))
    zeros = (out.data == 0).mean()
    assert abs(zeros - p) < 4 * math.sqrt(p * (1 - p) / n)  # dropped fraction within 4 standard errors
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, keep / (1 - p))
    drop.eval()
    np.testing.assert_array_equal(drop(x).data, x.data)
    assert nn.Dropout(0.0)(x).data is x.data and (nn.Dropout(1.0)(x).data == 0).all()
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.Dropout(1.5)


# ------------------------------------------------------------------------------------------ init
class _ReplayTorch:
    """A stand-in for a numpy Generator that hands out torch's unit draws (same seed, same order)."""

    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)

    def random(self, size):
        return torch.rand(size, generator=self.gen, dtype=torch.float64).numpy()

    def standard_normal(self, size):
        return torch.randn(size, generator=self.gen, dtype=torch.float64).numpy()


def test_linear_default_init_is_torchs_given_the_same_draws():
    torch.manual_seed(11)
    ref = torch.nn.Linear(30, 20, dtype=torch.float64)  # weight drawn first, then bias
    ours = nn.Linear(30, 20, rng=_ReplayTorch(11))
    eps = 4 * np.finfo(float).eps / math.sqrt(30)  # torch may fuse a + (b-a)u into one FMA
    np.testing.assert_allclose(ours.weight.data, ref.weight.detach().numpy(), rtol=0, atol=eps)
    np.testing.assert_allclose(ours.bias.data, ref.bias.detach().numpy(), rtol=0, atol=eps)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("xavier_uniform_", {"gain": 5 / 3}),
        ("xavier_normal_", {}),
        ("kaiming_uniform_", {"nonlinearity": "relu"}),
        ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "relu"}),
        ("kaiming_uniform_", {"a": math.sqrt(5)}),
    ],
)
def test_init_functions_are_torchs_given_the_same_draws(name, kwargs):
    shape = (40, 25)
    w = np.empty(shape)
    getattr(init, name)(w, rng=_ReplayTorch(3), **kwargs)
    ref = torch.empty(shape, dtype=torch.float64)
    getattr(torch.nn.init, name)(ref, generator=torch.Generator().manual_seed(3), **kwargs)
    np.testing.assert_allclose(w, ref.numpy(), rtol=0, atol=4 * np.finfo(float).eps)


@pytest.mark.parametrize(
    "nonlinearity, param",
    [
        ("linear", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("selu", None),
    ],
)
def test_calculate_gain_matches_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity, param), rel=1e-15
    )


def test_fans_of_a_conv_shaped_weight_match_torch():
    w = np.empty((8, 3, 5, 5))
    assert init.fan_in_and_fan_out(w) == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(8, 3, 5, 5))
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.fan_in_and_fan_out(np.empty(3))


@pytest.mark.parametrize(
    "scheme, uniform, variance",
    [
        ("kaiming_uniform", True, lambda i, o: 1 / (3 * i)),  # U(±1/√in)
        ("kaiming_normal", False, lambda i, o: 2 / i),
        ("xavier_uniform", True, lambda i, o: 2 / (i + o)),
        ("xavier_normal", False, lambda i, o: 2 / (i + o)),
    ],
)
def test_init_statistics_of_a_large_layer(scheme, uniform, variance):
    fan_in, fan_out = 1500, 1000
    w = nn.Linear(fan_in, fan_out, init=scheme, rng=0).weight.data.ravel()
    n, var = w.size, variance(fan_in, fan_out)
    # standard errors of the sample mean and variance: sqrt(var/n) and sqrt((mu4 - var²)/n),
    # mu4 = 9/5 var² for a centred uniform, 3 var² for a normal
    mu4 = 9 / 5 * var**2 if uniform else 3 * var**2
    assert abs(w.mean()) < 4 * math.sqrt(var / n)
    assert abs(w.var() - var) < 4 * math.sqrt((mu4 - var**2) / n)
    if uniform:
        bound = math.sqrt(3 * var)
        assert np.abs(w).max() <= bound and np.abs(w).max() > bound * (1 - 1e-4)


def test_bias_init():
    torch_default = nn.Linear(400, 300, rng=0).bias.data
    assert np.abs(torch_default).max() <= 1 / 20 and np.abs(torch_default).max() > 0.9 / 20
    assert (nn.Linear(400, 3, init="xavier_normal", rng=0).bias.data == 0).all()
    with pytest.raises(TypeError, match="rng must be"):
        nn.Linear(2, 2, rng="seed")
