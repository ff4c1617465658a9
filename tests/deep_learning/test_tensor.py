"""Tests of the autograd engine against torch.autograd (float64): every op, generated graphs, traps."""

import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from mlweekly.deep_learning.tensor import Tensor, concatenate, is_grad_enabled, no_grad, stack

RTOL, ATOL = 1e-10, 1e-12  # float64 on both sides: only rounding differences remain


def _pair(arr):
    """The same leaf in both engines."""
    arr = np.asarray(arr, dtype=np.float64)
    return Tensor(arr.copy(), requires_grad=True), torch.tensor(arr, dtype=torch.float64, requires_grad=True)


def _close(ours, ref, rtol=RTOL, atol=ATOL):
    ref = ref.detach().numpy() if isinstance(ref, torch.Tensor) else ref
    np.testing.assert_allclose(np.asarray(ours), ref, rtol=rtol, atol=atol)
    assert np.shape(ours) == np.shape(ref)


def _check(fn_ours, fn_torch, *arrays, seed=0):
    """Value and every leaf gradient of fn(leaves), pulled back with a random upstream gradient."""
    pairs = [_pair(a) for a in arrays]
    out = fn_ours(*[p[0] for p in pairs])
    ref = fn_torch(*[p[1] for p in pairs])
    _close(out.data, ref)
    upstream = np.random.default_rng(seed).normal(size=ref.shape)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for ours_leaf, torch_leaf in pairs:
        assert ours_leaf.grad is not None and ours_leaf.grad.shape == ours_leaf.shape
        _close(ours_leaf.grad, torch_leaf.grad)


rng = np.random.default_rng(42)
X34 = rng.normal(size=(3, 4))
POS34 = rng.uniform(0.2, 3.0, size=(3, 4))

UNARY = {
    "neg": (lambda x: -x, lambda x: -x, X34),
    "exp": (lambda x: x.exp(), lambda x: x.exp(), X34),
    "log": (lambda x: x.log(), lambda x: x.log(), POS34),
    "tanh": (lambda x: x.tanh(), lambda x: x.tanh(), X34),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: x.sigmoid(), X34),
    "relu": (lambda x: x.relu(), lambda x: x.relu(), X34),
    "gelu": (lambda x: x.gelu(), lambda x: F.gelu(x), 3 * X34),
    "gelu_tanh": (lambda x: x.gelu("tanh"), lambda x: F.gelu(x, approximate="tanh"), 3 * X34),
    "softmax_last": (lambda x: x.softmax(), lambda x: x.softmax(-1), X34),
    "softmax_0": (lambda x: x.softmax(axis=0), lambda x: x.softmax(0), X34),
    "log_softmax_last": (lambda x: x.log_softmax(), lambda x: x.log_softmax(-1), X34),
    "log_softmax_0": (lambda x: x.log_softmax(axis=0), lambda x: x.log_softmax(0), X34),
    "square": (lambda x: x**2, lambda x: x**2, X34),
    "sqrt": (lambda x: x**0.5, lambda x: x**0.5, POS34),
    "reciprocal": (lambda x: 1 / x, lambda x: 1 / x, POS34),
    "rsub": (lambda x: 2.5 - x, lambda x: 2.5 - x, X34),
    "rpow": (lambda x: 2.0**x, lambda x: 2.0**x, X34),
    "transpose": (lambda x: x.T, lambda x: x.T, X34),
    "reshape": (lambda x: x.reshape(2, 6), lambda x: x.reshape(2, 6), X34),
    "reshape_tuple": (lambda x: x.reshape((4, -1)), lambda x: x.reshape((4, -1)), X34),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops_match_torch(name):
    ours, ref, x = UNARY[name]
    _check(ours, ref, x)


# Every broadcasting pattern: same shape, trailing vector, row, column, scalar, both sides expanding,
# new leading axes.
SHAPES = [
    ((3, 4), (3, 4)),
    ((3, 4), (4,)),
    ((3, 4), (1, 4)),
    ((3, 4), (3, 1)),
    ((3, 4), ()),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (3, 1)),
    ((1,), (2, 3, 4)),
    ((4,), (2, 1, 4)),
]
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("swap", [False, True])
def test_binary_ops_broadcast_like_torch(name, shapes, swap):
    sa, sb = shapes[::-1] if swap else shapes
    r = np.random.default_rng(1)
    a = r.uniform(0.5, 2.0, size=sa)  # positive: pow's base and div's divisor stay well defined
    b = r.uniform(0.5, 2.0, size=sb)
    ours, ref = BINARY[name]
    _check(ours, ref, a, b)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_with_arrays_and_scalars_on_either_side(name):
    ours, ref = BINARY[name]
    c = np.array([0.5, 1.5, 2.0, 3.0])
    for o, t in [(c, torch.tensor(c)), (1.7, 1.7)]:
        _check(lambda x, o=o: ours(x, o), lambda x, t=t: ref(x, t), POS34)
        _check(lambda x, o=o: ours(o, x), lambda x, t=t: ref(t, x), POS34)


def test_ndarray_on_the_left_returns_a_tensor():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for y in (np.ones(2) + x, np.ones(2) * x, np.float64(3.0) - x, np.ones(2) / x, np.ones((3, 2)) @ x):
        assert isinstance(y, Tensor) and y.requires_grad


def test_pow_gradient_wrt_exponent_at_zero_base_is_zero_like_torch():
    _check(lambda a, b: a**b, lambda a, b: a**b, np.array([0.0, 0.0, 2.0]), np.array([2.0, 0.0, 3.0]))


MATMUL_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)),
    ((5, 2, 3), (1, 3, 4)),
    ((2, 3), (5, 3, 4)),
    ((3,), (5, 3, 4)),
    ((5, 2, 3), (3,)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_matches_torch(shapes):
    r = np.random.default_rng(2)
    _check(lambda a, b: a @ b, lambda a, b: a @ b, r.normal(size=shapes[0]), r.normal(size=shapes[1]))


REDUCTIONS = [(None, False), (0, False), (1, True), (-1, False), ((0, 2), False), ((0, 2), True)]


@pytest.mark.parametrize("axis,keepdims", REDUCTIONS)
@pytest.mark.parametrize("op", ["sum", "mean", "max"])
def test_reductions_match_torch(op, axis, keepdims):
    x = np.random.default_rng(3).normal(size=(2, 3, 4))

    def ref(t):
        dim = tuple(range(t.ndim)) if axis is None else axis
        fn = {"sum": torch.sum, "mean": torch.mean, "max": torch.amax}[op]
        return fn(t, dim=dim, keepdim=keepdims)

    _check(lambda t: getattr(t, op)(axis=axis, keepdims=keepdims), ref, x)


def test_max_splits_the_gradient_between_ties_like_torch_amax():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    _check(lambda t: t.max(axis=1), lambda t: torch.amax(t, dim=1), x)
    _check(lambda t: t.max(), lambda t: torch.amax(t), x)
    ours, _ = _pair(x)
    ours.max().backward()
    np.testing.assert_array_equal(ours.grad, [[0, 0.5, 0.5], [0, 0, 0]])


INDICES = {
    "int": 1,
    "slice": (slice(None), slice(1, 3)),
    "ellipsis": (Ellipsis, 2),
    "int_array_repeated": np.array([0, 2, 0, 0]),
    "pairs": (np.array([0, 1, 2, 2]), np.array([3, 1, 0, 0])),
    "mixed": (np.array([2, 0, 2]), slice(1, None)),
    "bool_mask": X34 > 0,
    "newaxis": (None, 1, slice(None)),
}


@pytest.mark.parametrize("name", sorted(INDICES))
def test_getitem_matches_torch_including_repeated_indices(name):
    idx = INDICES[name]
    if isinstance(idx, tuple):
        torch_idx = tuple(torch.from_numpy(i) if isinstance(i, np.ndarray) else i for i in idx)
    else:
        torch_idx = torch.from_numpy(idx) if isinstance(idx, np.ndarray) else idx
    _check(lambda t: t[idx], lambda t: t[torch_idx], X34)


def test_tensor_as_index():
    _check(lambda t: t[Tensor([2, 0, 2])], lambda t: t[torch.tensor([2, 0, 2])], X34)
    with pytest.raises(IndexError, match="integers"):
        Tensor(X34)[Tensor([0.5])]


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_and_stack_match_torch(axis):
    r = np.random.default_rng(4)
    shapes = [(3, 2), (3, 2), (3, 2)]
    arrays = [r.normal(size=s) for s in shapes]
    _check(lambda *t: stack(t, axis=axis), lambda *t: torch.stack(t, dim=axis), *arrays)
    if axis == 0:
        arrays = [r.normal(size=(1, 2)), r.normal(size=(3, 2))]
    _check(lambda *t: concatenate(t, axis=axis), lambda *t: torch.cat(t, dim=axis), *arrays)


# --------------------------------------------------------------------------- generated graphs
# A tiny random-expression generator: a program is a list of steps, each applying an op to values
# already in the pool (so values get reused on several paths); the same program runs in both engines.
UNARY_GEN = {
    "tanh": (lambda x: x.tanh(), lambda x: x.tanh()),
    "sigmoid": (lambda x: x.sigmoid(), lambda x: x.sigmoid()),
    "exp_tanh": (lambda x: x.tanh().exp(), lambda x: x.tanh().exp()),
    "log1p_sq": (lambda x: (x * x + 1).log(), lambda x: (x * x + 1).log()),
    "gelu": (lambda x: x.gelu(), lambda x: F.gelu(x)),
    "gelu_tanh": (lambda x: x.gelu("tanh"), lambda x: F.gelu(x, approximate="tanh")),
    "square": (lambda x: x**2, lambda x: x**2),
    "neg": (lambda x: -x, lambda x: -x),
    "scale": (lambda x: 0.5 * x - 1.0, lambda x: 0.5 * x - 1.0),
    "softmax0": (lambda x: x.softmax(axis=0), lambda x: x.softmax(0)),
    "log_softmax1": (lambda x: x.log_softmax(axis=-1), lambda x: x.log_softmax(-1)),
    "sum0": (lambda x: x.sum(axis=0, keepdims=True), lambda x: x.sum(0, keepdim=True)),
    "mean1": (lambda x: x.mean(axis=-1, keepdims=True), lambda x: x.mean(-1, keepdim=True)),
    "max1": (lambda x: x.max(axis=-1, keepdims=True), lambda x: x.amax(-1, keepdim=True)),
}
BINARY_GEN = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
}


@st.composite
def programs(draw):
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    # leaves with shapes broadcast-compatible with (m, n)
    leaf_shapes = st.sampled_from([(m, n), (n,), (1, n), (m, 1), ()])
    shapes = draw(st.lists(leaf_shapes, min_size=1, max_size=4))
    seed = draw(st.integers(0, 2**32 - 1))
    steps = []
    for k in range(draw(st.integers(1, 12))):
        pool = len(shapes) + k
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(sorted(UNARY_GEN))), draw(st.integers(0, pool - 1)), None))
        else:
            i, j = draw(st.integers(0, pool - 1)), draw(st.integers(0, pool - 1))
            steps.append((draw(st.sampled_from(sorted(BINARY_GEN))), i, j))
    return shapes, seed, steps


def _run(program, leaves, engine):
    _, _, steps = program
    pool = list(leaves)
    for op, i, j in steps:
        if j is None:
            pool.append(UNARY_GEN[op][engine](pool[i]))
        else:
            pool.append(BINARY_GEN[op][engine](pool[i], pool[j]))
    out = pool[-1].sum()
    for v in pool[-3:-1]:  # a few more outputs joined in: more shared paths
        out = out + v.mean()
    return out


@settings(max_examples=150, deadline=None)
@given(programs())
def test_random_graphs_match_torch(program):
    shapes, seed, _ = program
    r = np.random.default_rng(seed)
    pairs = [_pair(r.normal(size=s)) for s in shapes]
    ours = _run(program, [p[0] for p in pairs], 0)
    ref = _run(program, [p[1] for p in pairs], 1)
    _close(ours.data, ref, rtol=1e-9, atol=1e-12)
    ours.backward()
    ref.backward()
    for o, t in pairs:
        if t.grad is None:  # a leaf the output does not depend on
            assert o.grad is None
        else:
            _close(o.grad, t.grad, rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------- the traps
def test_reused_node_gets_the_sum_of_its_gradients():
    x = Tensor(3.0, requires_grad=True)
    y = x * x  # y reused three times
    z = y * y + y + y.exp().log()  # dz/dx = (2y + 2) * 2x = 4x^3 + 4x
    z.backward()
    assert x.grad == pytest.approx(4 * 27 + 12, rel=1e-14)


def test_diamond_graph_visits_the_shared_node_once():
    # a = x*2 feeds b and c; a naive recursive backward would push a's gradient twice
    _check(
        lambda x: (lambda a: (a.tanh() * a.sigmoid()).sum())(x * 2),
        lambda x: (lambda a: (a.tanh() * a.sigmoid()).sum())(x * 2),
        X34,
    )


def test_deep_graph_beyond_the_recursion_limit():
    depth = max(10_000, 2 * sys.getrecursionlimit())
    x = Tensor(0.5, requires_grad=True)
    t = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    y, yt = x, t
    for _ in range(depth):
        y, yt = y * 0.9999 + 0.001, yt * 0.9999 + 0.001
    y.backward()
    yt.backward()
    assert x.grad == pytest.approx(0.9999**depth, rel=1e-12)
    _close(x.grad, t.grad)


def test_gradients_accumulate_across_backward_calls_like_torch():
    a, at = _pair(X34)
    # the same graph twice (torch needs retain_graph=True; ours always keeps it), then a fresh graph
    y, yt = (a.tanh() * a).sum(), (at.tanh() * at).sum()
    y.backward()
    yt.backward(retain_graph=True)
    y.backward()
    yt.backward()
    _close(a.grad, at.grad)
    (a**2).sum().backward()
    (at**2).sum().backward()
    _close(a.grad, at.grad)
    a.zero_grad()
    assert a.grad is None
    (a * 3).sum().backward()
    np.testing.assert_array_equal(a.grad, np.full((3, 4), 3.0))


def test_grads_of_two_leaves_are_not_aliased():
    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([1.0, 2.0], requires_grad=True)
    (a + b).sum().backward()
    a.grad += 10
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])


def test_only_leaves_keep_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.sum().backward()
    assert h.grad is None and not h.is_leaf and x.is_leaf
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_retain_grad_keeps_intermediate_gradients_like_torch():
    x, xt = _pair(X34)
    h, ht = x.tanh(), xt.tanh()
    h.retain_grad()
    ht.retain_grad()
    (h * h * x).sum().backward()
    (ht * ht * xt).sum().backward()
    _close(h.grad, ht.grad)
    _close(x.grad, xt.grad)


def test_backward_on_non_scalar_needs_a_gradient():
    y = Tensor([1.0, 2.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        y.backward()
    with pytest.raises(ValueError, match=r"grad has shape \(3,\) but the tensor has shape \(2,\)"):
        y.backward(np.ones(3))


def test_backward_without_graph_is_a_clear_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (Tensor([1.0]) * 2).sum().backward()


@pytest.mark.parametrize(
    "make,match",
    [
        (lambda a, b: a + b, r"add: shapes \(3, 4\) and \(3,\)"),
        (lambda a, b: a * b, r"mul: shapes \(3, 4\) and \(3,\)"),
        (lambda a, b: a - b, r"sub: shapes \(3, 4\) and \(3,\)"),
        (lambda a, b: a / b, r"div: shapes \(3, 4\) and \(3,\)"),
        (lambda a, b: a**b, r"pow: shapes \(3, 4\) and \(3,\)"),
        (lambda a, b: a @ b, r"matmul: shapes \(3, 4\) and \(3,\)"),
    ],
)
def test_shape_mismatch_names_the_op_and_both_shapes(make, match):
    with pytest.raises(ValueError, match=match):
        make(Tensor(np.ones((3, 4))), Tensor(np.ones(3)))


def test_other_shape_errors_are_clear():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"reshape: cannot reshape a tensor of shape \(2, 3\) into \(4,\)"):
        t.reshape(4)
    with pytest.raises(ValueError, match=r"concatenate: shapes \(2, 3\), \(2, 2\)"):
        concatenate([t, Tensor(np.ones((2, 2)))])
    with pytest.raises(ValueError, match=r"stack: shapes \(2, 3\), \(3, 2\)"):
        stack([t, Tensor(np.ones((3, 2)))])
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        t.sum(axis=2)
    with pytest.raises(ValueError, match="not a permutation"):
        t.transpose(0, 0)
    with pytest.raises(ValueError, match="one element"):
        t.item()
    with pytest.raises(ValueError, match="approximate"):
        t.gelu("fast")
    with pytest.raises(TypeError, match="dtype <U1"):
        Tensor(["a"])


def test_no_grad_builds_no_graph_and_restores_state():
    w = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        assert not is_grad_enabled()
        y = (w * 2).exp().sum()
    assert is_grad_enabled()
    assert not y.requires_grad and y.is_leaf and y._backward is None

    @no_grad()
    def f(t):
        return t * 3

    assert not f(w).requires_grad
    assert (w * 3).requires_grad


def test_data_is_float64_and_not_copied_needlessly():
    arr = np.arange(3.0)
    assert Tensor(arr).data is arr
    assert Tensor([1, 2]).data.dtype == np.float64
    assert Tensor(np.array([True, False])).data.dtype == np.float64
    assert Tensor(np.ones(2, dtype=np.float32)).data.dtype == np.float64
    t = Tensor(arr, requires_grad=True)
    d = t.detach()
    assert d.data is arr and not d.requires_grad
    assert t.numpy() is arr
    assert (t.shape, t.ndim, t.size) == ((3,), 1, 3)
    assert Tensor(2.5).item() == 2.5


def test_softmax_and_log_softmax_are_stable_for_huge_logits():
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, 0.0]])
    _check(lambda t: t.softmax(), lambda t: t.softmax(-1), x)
    _check(lambda t: t.log_softmax(), lambda t: t.log_softmax(-1), x)
    _check(lambda t: t.sigmoid(), lambda t: t.sigmoid(), np.array([-800.0, 0.0, 800.0]))
    assert np.all(np.isfinite(Tensor(x).log_softmax().data))
