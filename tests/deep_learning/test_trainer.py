"""The PyTorch trainer and the small torch models of lessons P1.17-P1.18."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from sklearn.metrics import accuracy_score  # noqa: E402

from mlweekly import datasets  # noqa: E402
from mlweekly.deep_learning.torch_models import (  # noqa: E402
    LeNet5,
    TorchMLP,
    conv_output_size,
    count_parameters,
    images_to_tensor,
)
from mlweekly.deep_learning.trainer import History, NonFiniteLossError, Trainer, set_seed  # noqa: E402


@pytest.fixture(autouse=True)
def _one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny problems: threads only add overhead on a shared 2-core machine
    yield
    torch.set_num_threads(before)


def blobs(n=240, d=5, k=3, seed=0):
    """Three well separated Gaussian blobs: a problem a small MLP learns in a few epochs."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(k, d))
    y = rng.integers(0, k, size=n)
    return (centres[y] + rng.normal(size=(n, d))).astype(np.float32), y


def mlp_trainer(seed=0, lr=0.1, d=5, k=3, **kwargs):
    set_seed(seed)
    model = TorchMLP(in_features=d, n_classes=k, hidden=(16,), dropout=kwargs.pop("dropout", 0.0))
    return Trainer(model, torch.optim.SGD(model.parameters(), lr=lr), batch_size=32, seed=seed,
                   progress=False, **kwargs)  # fmt: skip


def test_loss_decreases_and_learns():
    X, y = blobs()
    trainer = mlp_trainer()
    hist = trainer.fit(X, y, epochs=6, validation_data=(X, y))
    assert hist.train_loss[-1] < 0.5 * hist.train_loss[0]
    assert hist.val_loss[-1] < hist.val_loss[0]
    assert hist.val_accuracy[-1] > 0.95


def test_history_shape_and_continuation():
    X, y = blobs(n=100)
    trainer = mlp_trainer()
    hist = trainer.fit(X, y, epochs=3)
    assert isinstance(hist, History) and len(hist) == 3 and hist.epoch == [1, 2, 3]
    assert len(hist.step_loss) == 3 * 4  # ceil(100 / 32) steps per epoch
    assert np.isnan(hist.val_loss).all()  # no validation data
    trainer.fit(X, y, epochs=2)
    assert trainer.history_.epoch == [1, 2, 3, 4, 5] and len(trainer.history_.step_loss) == 20
    frame = trainer.history_.to_frame()
    assert frame.shape == (5, 5) and list(frame.index) == [1, 2, 3, 4, 5]


def test_train_loss_is_the_size_weighted_mean_of_step_losses():
    X, y = blobs(n=100)
    hist = mlp_trainer().fit(X, y, epochs=1)
    sizes = np.array([32, 32, 32, 4])
    assert hist.train_loss[0] == pytest.approx(np.dot(hist.step_loss, sizes) / 100, rel=1e-12)


def test_seeded_runs_are_identical_and_seeds_matter():
    X, y = blobs()

    def run(seed):
        trainer = mlp_trainer(seed=seed, dropout=0.3)
        trainer.fit(X, y, epochs=2)
        return np.array(trainer.history_.step_loss), [p.detach().clone() for p in trainer.model.parameters()]

    (loss_a, params_a), (loss_b, params_b), (loss_c, _) = run(0), run(0), run(1)
    np.testing.assert_array_equal(loss_a, loss_b)
    assert all(torch.equal(a, b) for a, b in zip(params_a, params_b, strict=True))
    assert not np.array_equal(loss_a, loss_c)


def test_nan_loss_stops_and_names_the_step():
    X, y = blobs(n=100)
    calls = {"n": 0}

    def loss_nan_on_third_call(logits, target):
        calls["n"] += 1
        loss = torch.nn.functional.cross_entropy(logits, target)
        return loss * float("nan") if calls["n"] == 3 else loss

    trainer = mlp_trainer(loss_fn=loss_nan_on_third_call)
    before = [p.detach().clone() for p in trainer.model.parameters()]
    with pytest.raises(NonFiniteLossError, match=r"epoch 1, step 3 of 4 \(global step 3\)") as info:
        trainer.fit(X, y, epochs=2)
    assert (info.value.epoch, info.value.step, info.value.global_step) == (1, 3, 3)
    assert len(info.value.history.step_loss) == 2  # the two good steps were recorded
    assert not any(torch.equal(a, b) for a, b in zip(before, trainer.model.parameters(), strict=True))


def test_diverging_learning_rate_is_caught():
    X, y = blobs(n=100)
    trainer = mlp_trainer(lr=1e12)
    with pytest.raises(NonFiniteLossError, match=r"the loss is (nan|inf) at epoch \d+, step \d+"):
        trainer.fit(X * 1e3, y, epochs=5)


def test_evaluate_accuracy_equals_sklearn_on_predictions():
    X, y = blobs()
    trainer = mlp_trainer()
    trainer.fit(X[:160], y[:160], epochs=1)
    scores = trainer.evaluate(X[160:], y[160:])
    assert scores["accuracy"] == accuracy_score(y[160:], trainer.predict(X[160:]))
    assert scores["loss"] == pytest.approx(
        torch.nn.functional.cross_entropy(trainer.predict_logits(X[160:]), torch.as_tensor(y[160:])).item(),
        rel=1e-6,
    )


def test_inputs_follow_the_model_dtype():
    X, y = blobs(n=64)
    trainer = mlp_trainer()
    trainer.model.double()
    assert trainer.predict_logits(X).dtype == torch.float64


@pytest.mark.parametrize(
    ("X", "y", "error", "match"),
    [
        (np.ones(10), np.zeros(10), ValueError, r"shape \(n_samples, \.\.\.\)"),
        (np.ones((10, 5)), np.zeros(9), ValueError, r"targets for X must have shape \(10,\), got \(9,\)"),
        (np.full((10, 5), np.nan), np.zeros(10), ValueError, "NaN or infinity"),
        (np.ones((10, 5)), np.full(10, 0.5), TypeError, "integer class indices"),
    ],
)
def test_bad_inputs_are_named(X, y, error, match):
    with pytest.raises(error, match=match):
        mlp_trainer().fit(X, y)


def test_bad_arguments():
    model = TorchMLP(in_features=5, n_classes=3, hidden=())
    with pytest.raises(TypeError, match="torch.optim.Optimizer"):
        Trainer(model, optimizer="sgd")
    with pytest.raises(ValueError, match="batch_size"):
        Trainer(model, torch.optim.SGD(model.parameters(), lr=0.1), batch_size=0)
    with pytest.raises(ValueError, match="epochs"):
        mlp_trainer().fit(*blobs(n=10), epochs=0)


def test_model_output_shapes_and_parameter_counts():
    x = torch.zeros(3, 1, 28, 28)
    lenet = LeNet5()
    assert lenet(x).shape == (3, 10)
    conv = 6 * (1 * 25 + 1) + 16 * (6 * 25 + 1)
    fc = (16 * 5 * 5 + 1) * 120 + (120 + 1) * 84 + (84 + 1) * 10
    assert count_parameters(lenet) == conv + fc == 61_706
    assert LeNet5(in_channels=3, n_classes=4, image_size=32)(torch.zeros(2, 3, 32, 32)).shape == (2, 4)
    mlp = TorchMLP(hidden=(32, 16), dropout=0.2)
    assert mlp(x).shape == (3, 10) and mlp(x.reshape(3, 784)).shape == (3, 10)
    assert count_parameters(mlp) == 785 * 32 + 33 * 16 + 17 * 10
    assert conv_output_size(28, 5, padding=2) == 28 and conv_output_size(10, 2, stride=2) == 5
    with pytest.raises(ValueError, match="too small"):
        conv_output_size(3, 5)
    with pytest.raises(ValueError, match=r"\(n, channels, height, width\)"):
        lenet(torch.zeros(3, 28, 28))
    with pytest.raises(ValueError, match="784 values per sample"):
        mlp(torch.zeros(3, 1, 27, 27))


def test_images_to_tensor():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    x = images_to_tensor(images, dtype=torch.float64, normalize=False)
    assert x.shape == (1, 1, 2, 2) and x.dtype == torch.float64
    np.testing.assert_array_equal(x.numpy().ravel(), [0.0, 1.0, 0.2, 0.4])
    z = images_to_tensor(images, mean=0.5, std=0.25)
    assert z.dtype == torch.float32 and z[0, 0, 0, 1].item() == pytest.approx(2.0)
    with pytest.raises(TypeError, match="uint8"):
        images_to_tensor(images.astype(np.float64))
    with pytest.raises(ValueError, match="shape"):
        images_to_tensor(np.zeros(5, dtype=np.uint8))


def test_idx_loaded_mnist_subset_goes_through():
    bunch = datasets.load("mnist_test10k")  # the real MNIST test set, parsed from its IDX files
    X, y = images_to_tensor(bunch.images[:256]), bunch.target.to_numpy()[:256]
    set_seed(0)
    model = LeNet5()
    trainer = Trainer(model, torch.optim.Adam(model.parameters(), lr=1e-3), batch_size=64, progress=False)
    hist = trainer.fit(X, y, epochs=2, validation_data=(X, y))
    assert len(hist) == 2 and np.isfinite(hist.train_loss).all()
    assert hist.val_loss[-1] < hist.val_loss[0]
    assert trainer.predict(X).shape == (256,)
    assert set(np.unique(trainer.predict(X))) <= set(range(10))
