"""Small PyTorch classifiers for 28x28 grey images: a LeNet-style CNN and an MLP.

The reference implementations of lessons P1.17-P1.18 (PyTorch basics, training a classifier).
Both return **logits** (no softmax): ``torch.nn.CrossEntropyLoss`` applies log-softmax itself, which
is cheaper and numerically stabler than a softmax followed by a log.

Shapes through :class:`LeNet5` for a 28x28 input (``conv_output_size`` gives each spatial size)::

    (n, 1, 28, 28) -conv5x5 pad 2-> (n, 6, 28, 28) -pool 2-> (n, 6, 14, 14)
                   -conv5x5------> (n, 16, 10, 10) -pool 2-> (n, 16, 5, 5) -flatten-> (n, 400)
                   -fc-> 120 -fc-> 84 -fc-> n_classes
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

try:
    import torch
    from torch import nn
except ImportError as exc:  # torch is the optional "deep" extra
    raise ImportError(
        "mlweekly.deep_learning.torch_models needs PyTorch: pip install 'mlweekly[deep]' -c constraints.txt "
        "(the CPU build)"
    ) from exc

__all__ = ["LeNet5", "TorchMLP", "conv_output_size", "count_parameters", "images_to_tensor"]

# Mean and standard deviation of MNIST's 60 000 training pixels scaled to [0, 1] (the values
# torchvision's examples use); normalising with them centres the inputs of the first layer.
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Spatial size after a convolution or pooling layer: ``⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1``.

    Parameters
    ----------
    size : int
        Input height (or width).
    kernel, stride, padding, dilation : int
        The layer's hyper-parameters (pooling: ``stride = kernel`` by default in torch).

    Returns
    -------
    int
        Output height (or width).

    Examples
    --------
    >>> conv_output_size(28, kernel=5, padding=2), conv_output_size(28, kernel=2, stride=2)
    (28, 14)
    """
    out = (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    if out < 1:
        raise ValueError(f"conv_output_size: input of size {size} is too small for kernel {kernel} "
                         f"(stride {stride}, padding {padding}, dilation {dilation})")  # fmt: skip
    return out


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of scalar parameters of a module (only those with ``requires_grad`` by default).

    Examples
    --------
    >>> count_parameters(torch.nn.Linear(784, 10))  # 784 * 10 weights + 10 biases
    7850
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


class LeNet5(nn.Module):
    """LeNet-5-style CNN: (conv 5x5 → ReLU → max-pool 2) × 2, then three fully connected layers.

    LeCun et al. (1998) used tanh-like squashing, average-pooling "subsampling" and a sparse
    connection table in C3; this is the modern variant (ReLU, max-pooling, full connections) that
    tutorials call LeNet-5. About 61 700 parameters for 28x28 inputs and 10 classes.

    Parameters
    ----------
    in_channels : int, default=1
        Channels of the input images.
    n_classes : int, default=10
        Number of outputs (logits).
    image_size : int, default=28
        Height = width of the input; the first convolution pads by 2 so 28 keeps LeNet's 32-pixel
        geometry.
    channels : tuple of int, default=(6, 16)
        Output channels of the two convolutions.
    hidden : tuple of int, default=(120, 84)
        Widths of the fully connected hidden layers.

    Examples
    --------
    >>> model = LeNet5()
    >>> model(torch.zeros(2, 1, 28, 28)).shape, count_parameters(model)
    (torch.Size([2, 10]), 61706)
    """

    def __init__(self, in_channels: int = 1, n_classes: int = 10, image_size: int = 28,
                 channels: Sequence[int] = (6, 16), hidden: Sequence[int] = (120, 84)):  # fmt: skip
        super().__init__()
        c1, c2 = channels
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, kernel_size=5), nn.ReLU(), nn.MaxPool2d(2),
        )  # fmt: skip
        side = conv_output_size(conv_output_size(image_size, 5, padding=2), 2, stride=2)
        side = conv_output_size(conv_output_size(side, 5), 2, stride=2)
        self.flat_features = c2 * side * side
        widths = [self.flat_features, *hidden]
        layers: list[nn.Module] = []
        for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        self.classifier = nn.Sequential(nn.Flatten(), *layers, nn.Linear(widths[-1], n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits of shape (n, n_classes) for images of shape (n, in_channels, H, W)."""
        if x.ndim != 4:
            raise ValueError(
                f"LeNet5 expects images of shape (n, channels, height, width), got {tuple(x.shape)}"
            )
        return self.classifier(self.features(x))


class TorchMLP(nn.Module):
    """Multi-layer perceptron: flatten → (Linear → ReLU [→ Dropout]) per hidden layer → Linear.

    Parameters
    ----------
    in_features : int, default=784
        Inputs per sample after flattening (28 * 28 for MNIST).
    n_classes : int, default=10
        Number of outputs (logits).
    hidden : tuple of int, default=(256, 128)
        Widths of the hidden layers (empty: multinomial logistic regression).
    dropout : float, default=0.0
        Dropout probability after each hidden activation (0: no dropout layer).

    Examples
    --------
    >>> TorchMLP(hidden=(32,))(torch.zeros(5, 1, 28, 28)).shape
    torch.Size([5, 10])
    """

    def __init__(self, in_features: int = 784, n_classes: int = 10, hidden: Sequence[int] = (256, 128),
                 dropout: float = 0.0):  # fmt: skip
        super().__init__()
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"TorchMLP: dropout must be in [0, 1), got {dropout}")
        self.in_features = in_features
        widths = [in_features, *hidden]
        layers: list[nn.Module] = [nn.Flatten()]
        for fan_in, fan_out in zip(widths[:-1], widths[1:], strict=True):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
            if dropout:
                layers.append(nn.Dropout(dropout))
        layers.append(nn.Linear(widths[-1], n_classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits of shape (n, n_classes); any input whose trailing dimensions hold ``in_features`` values."""
        per_sample = int(np.prod(x.shape[1:])) if x.ndim > 1 else -1
        if per_sample != self.in_features:
            raise ValueError(f"TorchMLP expects (n, ...) inputs with {self.in_features} values per sample, "
                             f"got shape {tuple(x.shape)}")  # fmt: skip
        return self.net(x)


def images_to_tensor(images: np.ndarray, *, dtype: torch.dtype = torch.float32, normalize: bool = True,
                     mean: float = MNIST_MEAN, std: float = MNIST_STD) -> torch.Tensor:  # fmt: skip
    """uint8 images (n, H, W) → a float tensor (n, 1, H, W): scaled to [0, 1], then ``(x − mean)/std``.

    Parameters
    ----------
    images : ndarray of shape (n, H, W) or (n, C, H, W)
        Grey-level images, uint8 in 0..255 (as ``datasets.load("mnist_test10k").images``).
    dtype : torch.dtype, default=torch.float32
        float32 for training speed; float64 for parity checks.
    normalize : bool, default=True
        Standardise with ``mean`` and ``std`` (MNIST's training-set pixel statistics by default).

    Returns
    -------
    torch.Tensor of shape (n, C, H, W)

    Examples
    --------
    >>> images_to_tensor(np.zeros((3, 28, 28), dtype=np.uint8), normalize=False).shape
    torch.Size([3, 1, 28, 28])
    """
    images = np.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"images_to_tensor expects (n, H, W) or (n, C, H, W) images, got shape {images.shape}"
        )
    if images.dtype != np.uint8:
        raise TypeError(f"images_to_tensor expects uint8 pixels in 0..255, got dtype {images.dtype}")
    x = torch.from_numpy(images.astype(np.float64) / 255.0).to(dtype)
    if images.ndim == 3:
        x = x.unsqueeze(1)  # a channel axis: conv layers want (n, C, H, W)
    return (x - mean) / std if normalize else x
