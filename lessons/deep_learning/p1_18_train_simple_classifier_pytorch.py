# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # P1.18 · Train a simple classifier with PyTorch (MNIST, Fashion-MNIST)
#
# Lesson P1.17 took PyTorch apart (tensors, autograd, modules, optimisers). Here we put it together:
# a **convolutional network** and a **multi-layer perceptron** learn to read handwritten digits,
# with the training loop every PyTorch project writes — once, in `mlweekly.deep_learning.trainer`.
#
# ## The five pieces of a supervised training run
#
# 1. **Data** as tensors: images $x \in \mathbb R^{1\times 28\times 28}$ scaled to $[0,1]$ and
#    standardised, $x \leftarrow (x - \mu)/\sigma$ with the *training* set's pixel mean and standard
#    deviation; labels $y \in \{0,\dots,9\}$ as `int64`.
# 2. A **model** $f_\theta$ mapping a batch to **logits** $z = f_\theta(x) \in \mathbb R^{10}$ — raw
#    scores, no softmax.
# 3. A **loss**: the cross-entropy of the softmax,
#    $$\ell(z, y) = -\log \operatorname{softmax}(z)_y = \log\sum_{k} e^{z_k} - z_y,
#    \qquad \frac{\partial \ell}{\partial z_k} = \operatorname{softmax}(z)_k - [k = y].$$
#    `torch.nn.CrossEntropyLoss` takes the logits and computes $\log\sum_k e^{z_k}$ with the
#    log-sum-exp trick, which is why the model must *not* end in a softmax.
# 4. An **optimiser**: mini-batch stochastic gradient descent on the mean loss of $B$ samples,
#    $\theta \leftarrow \theta - \eta\, \frac1B \sum_{i \in \text{batch}} \nabla_\theta \ell_i$, or
#    Adam (Kingma & Ba, 2015), which divides each coordinate's step by a running RMS of its
#    gradients, $\theta \leftarrow \theta - \eta\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)$, so one
#    learning rate ($10^{-3}$) suits layers of very different gradient scales.
# 5. The **loop**: for each epoch, shuffle, and for each batch `zero_grad → forward → loss →
#    backward → step`; then switch to `model.eval()` and measure held-out loss and accuracy under
#    `torch.no_grad()`.
#
# ## Convolutions: why a CNN beats an MLP on images
#
# A 2-D convolution layer with $C_\text{in}$ input and $C_\text{out}$ output channels and a
# $k\times k$ kernel computes (cross-correlation, as every deep learning library does)
# $$y_{c,i,j} = b_c + \sum_{c'=1}^{C_\text{in}} \sum_{u,v=0}^{k-1} W_{c,c',u,v}\; x_{c',\,i+u,\,j+v}.$$
# The same small kernel slides over every position (**weight sharing**, so a stroke detector
# learned in one corner works everywhere) and each output sees only a $k\times k$ patch (**local
# connectivity**). Max-pooling $2\times2$ keeps the largest of four neighbours, halving height and
# width and giving a little translation invariance. An output side is
# $$n_\text{out} = \left\lfloor \frac{n + 2p - d(k-1) - 1}{s} \right\rfloor + 1$$
# (padding $p$, stride $s$, dilation $d$), and the layer has $C_\text{out}(C_\text{in}k^2 + 1)$
# parameters, *independent of the image size*. A fully connected layer from $m$ to $n$ units has
# $n(m+1)$.
#
# **LeNet-5** (LeCun, Bottou, Bengio & Haffner, 1998), modern variant (ReLU and max-pooling instead
# of scaled tanh and trainable subsampling):
# $$1{\times}28{\times}28 \xrightarrow{\text{conv }5\times5,\,p=2} 6{\times}28{\times}28
# \xrightarrow{\text{pool}} 6{\times}14{\times}14 \xrightarrow{\text{conv }5\times5} 16{\times}10{\times}10
# \xrightarrow{\text{pool}} 16{\times}5{\times}5 = 400 \to 120 \to 84 \to 10 .$$
# Its parameters: $6(25+1) + 16(6\cdot25+1) = 2\,572$ in the convolutions and
# $120\cdot401 + 84\cdot121 + 10\cdot85 = 59\,134$ in the dense layers, $61\,706$ in all — four times
# fewer than our MLP ($784 \to 256 \to 128 \to 10$, $235\,146$), yet more accurate, because its
# structure matches images.
#
# ## Published reference accuracies
#
# * MNIST (60 000 training, 10 000 test images): LeNet-5 reaches **99.05 %** test accuracy (0.95 %
#   error; 99.2 % with distorted training data), a 784-300-100-10 MLP **96.95 %**, linear
#   classifiers about 88–92 % (LeCun et al., 1998, table of results). Modern CNNs with
#   augmentation pass 99.7 %.
# * Fashion-MNIST (same format, 10 clothing classes; Xiao, Rasul & Vollgraf, 2017): harder — the
#   best scikit-learn model of the benchmark (an SVC) gets 89.7 %, small CNNs such as LeNet **about
#   90–92 %**, well-tuned deep CNNs 93–95 %.
#
# What we reach here depends on the data on this machine (printed below): the full MNIST when it
# is in the cache (`mlweekly data download mnist`), else the **real MNIST test set that ships with
# the package** (10 000 images), split 8 000 / 2 000 — eight times less training data than LeNet's
# 60 000, and few epochs, so expect about 98 % rather than 99 %. The lesson runs in about 10–25 s on
# two cores with the shipped set; with the full sets cached it trains 3 epochs on 60 000 images per
# model (LeNet-5 about 7 s per epoch on one core), and Fashion-MNIST adds 3 more, so allow a couple
# of minutes.
#
# ## Pitfalls
#
# * **Softmax before `CrossEntropyLoss`** computes $\log\operatorname{softmax}(\operatorname{softmax}(z))$:
#   it still trains, badly, with squashed gradients. Feed logits.
# * **Forgetting `optimizer.zero_grad()`**: `.backward()` *adds* into `.grad`, so the step uses the
#   sum of all past gradients.
# * **Forgetting `model.eval()`** at test time: dropout keeps dropping and batch-norm keeps updating
#   its statistics on the test set. `torch.no_grad()` is separate: it only stops graph recording.
# * **Normalising with test-set statistics**, or choosing epochs on the test set: the held-out
#   number is then optimistic. We use training-set statistics and report the held-out accuracy of
#   the last epoch.
# * **Training accuracy vs held-out**: the training numbers are averaged while the weights were
#   still moving (and with dropout on), so early on they sit *below* the validation numbers.
# * **Non-finite loss**: a too large learning rate makes the loss `nan`; the trainer stops at once
#   with an error naming the epoch and step, instead of training on garbage.
#
# ## References
#
# * Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-based learning applied to document
#   recognition", *Proc. IEEE* 86 (1998) 2278–2324.
# * H. Xiao, K. Rasul, R. Vollgraf, "Fashion-MNIST: a novel image dataset for benchmarking machine
#   learning algorithms", arXiv:1708.07747 (2017).
# * D. P. Kingma, J. Ba, "Adam: a method for stochastic optimization", ICLR 2015.
# * I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning* (2016), ch. 6 (feed-forward networks),
#   ch. 9 (convolutional networks).
# * V. Dumoulin, F. Visin, "A guide to convolution arithmetic for deep learning", arXiv:1603.07285.
# * PyTorch tutorial "Training a classifier"; the `examples/mnist` reference script.

# %%
import copy
import inspect
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from sklearn.model_selection import train_test_split

from mlweekly import datasets, parity
from mlweekly.deep_learning import trainer as trainer_module
from mlweekly.deep_learning.torch_models import (
    LeNet5,
    TorchMLP,
    conv_output_size,
    count_parameters,
    images_to_tensor,
)
from mlweekly.deep_learning.trainer import NonFiniteLossError, Trainer, set_seed
from mlweekly.ml_algorithms import confusion_matrix

torch.set_num_threads(1)  # small batches on two shared cores: a second thread mostly waits (measured)
LESSON_START = time.perf_counter()

# %% [markdown]
# ## The training loop
#
# `Trainer` wraps the five steps above. The heart of it, one epoch:

# %%
print(inspect.getsource(trainer_module.Trainer._train_epoch))

# %% [markdown]
# ## The data: full MNIST if cached, else the shipped real test set
#
# `datasets.catalogue()` says, without loading anything, whether the download-only sets are in the
# cache folder. The split is stratified and seeded, so every run sees the same 8 000 / 2 000 images.

# %%
available = {row["name"]: row["available"] for row in datasets.catalogue()}


def image_split(name, seed=0):
    """(train images, train labels, test images, test labels, description) of an image set."""
    if datasets.info(name)["origin"] == "download":  # full set: its own 60 000 / 10 000 split
        bunch = datasets.load(name)
        train = (bunch.frame["split"] == "train").to_numpy()
        y = bunch.target.to_numpy()
        return bunch.images[train], y[train], bunch.images[~train], y[~train], f"{name}: full set, official split"
    bunch = datasets.load(name)
    y = bunch.target.to_numpy()
    tr, te = train_test_split(np.arange(len(y)), test_size=2000, stratify=y, random_state=seed)
    return bunch.images[tr], y[tr], bunch.images[te], y[te], f"{name}: shipped MNIST test set, stratified split"


MNIST_NAME = "mnist" if available["mnist"] else "mnist_test10k"
img_tr, y_tr, img_te, y_te, DATA_DESCRIPTION = image_split(MNIST_NAME)
mean, std = img_tr.mean() / 255.0, img_tr.std() / 255.0  # training-set statistics only
X_tr, X_te = images_to_tensor(img_tr, mean=mean, std=std), images_to_tensor(img_te, mean=mean, std=std)
print(f"data: {DATA_DESCRIPTION} -> {len(y_tr)} train / {len(y_te)} test images")
print(f"pixel mean {mean:.4f}, std {std:.4f} (MNIST's published 60k values: 0.1307, 0.3081)")
print("train class counts:", np.bincount(y_tr))

fig, axes = plt.subplots(2, 10, figsize=(12, 2.8), constrained_layout=True)
for digit in range(10):
    for row, k in enumerate(np.flatnonzero(y_tr == digit)[:2]):
        axes[row, digit].imshow(img_tr[k], cmap="gray_r")
        axes[row, digit].set_axis_off()
    axes[0, digit].set_title(str(digit))
fig.suptitle(f"{MNIST_NAME}: two training images per class")
plt.show()

# %% [markdown]
# ## The models
#
# Walking a batch through LeNet-5 layer by layer shows the shapes of the formula above; the
# parameter count is the sum of $C_\text{out}(C_\text{in}k^2+1)$ and $n(m+1)$.

# %%
set_seed(0)
cnn = LeNet5()
x = X_tr[:4]
for layer in [*cnn.features, *cnn.classifier]:
    x = layer(x)
    print(f"{layer.__class__.__name__:<9} -> {tuple(x.shape)}")
print(f"LeNet5 parameters: {count_parameters(cnn)};  TorchMLP(784-256-128-10): {count_parameters(TorchMLP())}")

# %% [markdown]
# ## Training: LeNet-5 and the MLP, same data, same optimiser
#
# Adam with $\eta = 10^{-3}$, batches of 64, a few epochs, float32 (the speed dtype; float64 is for
# the parity checks). The progress bar ends each epoch with its mean training loss and accuracy.

# %%
EPOCHS = 3 if MNIST_NAME == "mnist" else 6  # 60 000 images: 3 epochs are already 2 800 steps


def train(model, X, y, X_val, y_val, epochs=EPOCHS, seed=0):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    trainer = Trainer(model, opt, batch_size=64, seed=seed)
    start = time.perf_counter()
    trainer.fit(X, y, epochs=epochs, validation_data=(X_val, y_val))
    return trainer, time.perf_counter() - start


set_seed(0)
cnn_trainer, cnn_seconds = train(LeNet5(), X_tr, y_tr, X_te, y_te)
set_seed(0)
mlp_trainer, mlp_seconds = train(TorchMLP(), X_tr, y_tr, X_te, y_te)
for name, tr, sec in [("LeNet-5", cnn_trainer, cnn_seconds), ("MLP", mlp_trainer, mlp_seconds)]:
    print(f"{name:8s}: held-out accuracy {tr.history_.val_accuracy[-1]:.4f} after {EPOCHS} epochs ({sec:.1f} s)")
print(cnn_trainer.history_.to_frame().round(4))

# %% [markdown]
# ### Learning curves

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4), constrained_layout=True)
for name, tr, colour in [("LeNet-5", cnn_trainer, "tab:blue"), ("MLP", mlp_trainer, "tab:orange")]:
    h = tr.history_
    steps = np.arange(1, len(h.step_loss) + 1) / (len(h.step_loss) / len(h))
    axes[0].plot(steps, h.step_loss, color=colour, alpha=0.25, lw=0.7)
    axes[0].plot(h.epoch, h.train_loss, color=colour, marker="o", label=f"{name} train (epoch mean)")
    axes[0].plot(h.epoch, h.val_loss, color=colour, marker="s", ls="--", label=f"{name} held-out")
    axes[1].plot(h.epoch, h.train_accuracy, color=colour, marker="o", label=f"{name} train")
    axes[1].plot(h.epoch, h.val_accuracy, color=colour, marker="s", ls="--", label=f"{name} held-out")
axes[0].set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="loss (faint: every step)")
axes[1].set(xlabel="epoch", ylabel="accuracy", ylim=(0.75, 1.0), title="accuracy")
axes[0].legend(fontsize=8)
axes[1].legend(fontsize=8)
filters = next(cnn_trainer.model.parameters()).detach()[:, 0]  # first conv layer: 6 kernels 5x5
axes[2].imshow(np.hstack([np.pad(f.numpy(), 1, constant_values=np.nan) for f in filters]), cmap="RdBu")
axes[2].set(xticks=[], yticks=[], title="LeNet-5: the six learned 5x5 kernels of conv1")
plt.show()

# %% [markdown]
# The MLP fits its training data as fast (235 000 free parameters, no structure), but its held-out
# loss stalls while its training loss keeps falling: the widening gap is over-fitting. The CNN's
# held-out loss follows its training loss down, and its accuracy is higher with a quarter of the
# parameters.
#
# ## Confusion matrix and mistakes
#
# `confusion_matrix` is our own (lesson P1.12); rows are true digits, columns predicted ones.

# %%
pred_cnn, pred_mlp = cnn_trainer.predict(X_te), mlp_trainer.predict(X_te)
cm = confusion_matrix(y_te, pred_cnn)
fig, axes = plt.subplots(1, 2, figsize=(14, 5.5), width_ratios=[1, 1.15], constrained_layout=True)
ConfusionMatrixDisplay(cm, display_labels=range(10)).plot(ax=axes[0], colorbar=False)
axes[0].set_title(f"LeNet-5 on {len(y_te)} held-out images")
errors = cm - np.diag(np.diag(cm))
top = np.dstack(np.unravel_index(np.argsort(errors, axis=None)[::-1][:8], cm.shape))[0]
axes[1].barh([f"{t} -> {p}" for t, p in top][::-1], [errors[t, p] for t, p in top][::-1])
axes[1].set(xlabel="count", title="most frequent confusions (true -> predicted)")
plt.show()
print("per-class recall:", np.round(np.diag(cm) / cm.sum(axis=1), 3))

proba = torch.softmax(cnn_trainer.predict_logits(X_te), dim=1).numpy()
wrong = np.flatnonzero(pred_cnn != y_te)
wrong = wrong[np.argsort(-proba[wrong, pred_cnn[wrong]])][:18]  # the most confident mistakes first
fig, axes = plt.subplots(2, 9, figsize=(13, 3.6), constrained_layout=True)
for ax, k in zip(axes.ravel(), wrong, strict=False):
    ax.imshow(img_te[k], cmap="gray_r")
    ax.set_title(f"{y_te[k]} -> {pred_cnn[k]} ({proba[k, pred_cnn[k]]:.2f})", fontsize=9)
for ax in axes.ravel():
    ax.set_axis_off()
fig.suptitle(f"LeNet-5's most confident mistakes: true -> predicted (probability); {len(np.flatnonzero(pred_cnn != y_te))} errors in all")
plt.show()

# %% [markdown]
# Many of the confident mistakes are digits a person would hesitate on too (a 4 closing at the
# top like a 9, a 7 with a bar), and some labels are arguably wrong: MNIST's test set has a few
# dozen such images.
#
# ## A learning rate too large: the trainer stops and names the step

# %%
set_seed(0)
bad = TorchMLP()
try:
    Trainer(bad, torch.optim.SGD(bad.parameters(), lr=1e4), progress=False).fit(X_tr, y_tr, epochs=1)
except NonFiniteLossError as err:
    print(err)

# %% [markdown]
# ## Fashion-MNIST (only when its files are in the cache)
#
# Fashion-MNIST has the MNIST format but no small subset ships with the package, so this part runs
# only after `mlweekly data download fashion_mnist` (about 30 MB): then the same LeNet-5 trains on
# its 60 000 training images and is scored on the official 10 000 test images (published: about
# 90–92 % for LeNet-style CNNs).

# %%
if available["fashion_mnist"]:
    f_tr, fy_tr, f_te, fy_te, f_desc = image_split("fashion_mnist")
    f_mean, f_std = f_tr.mean() / 255.0, f_tr.std() / 255.0
    FX_tr, FX_te = (images_to_tensor(a, mean=f_mean, std=f_std) for a in (f_tr, f_te))
    set_seed(0)
    fashion_trainer, f_seconds = train(LeNet5(), FX_tr, fy_tr, FX_te, fy_te, epochs=3)
    print(f"Fashion-MNIST ({f_desc}): LeNet-5 test accuracy {fashion_trainer.history_.val_accuracy[-1]:.4f} "
          f"after 3 epochs ({f_seconds:.0f} s)")
else:
    print("Fashion-MNIST skipped: its files are not in the cache folder "
          f"{datasets.data_home() / 'fashion_mnist'}. Run `mlweekly data download fashion_mnist` and re-run the lesson.")

# %% [markdown]
# ## Parity checks
#
# 1. **Accuracy**: the trainer's `evaluate` counts correct argmaxes and divides by $n$;
#    `sklearn.metrics.accuracy_score` on the trainer's predictions must give the *same float*
#    (`atol = 0`) — for both models.
# 2. **Confusion matrix**: ours vs scikit-learn's, and vs a one-line torch version
#    (`bincount(10·y + ŷ)`), integer counts, exact.
# 3. **Architecture**: the CNN's output shape and parameter count vs the formulas of the notes,
#    exact integers.
# 4. **One training step, float64**: the trainer's step (batch = the whole mini data set, so there
#    is one step and shuffling cannot change the sum) vs a hand-written torch step
#    $\theta \leftarrow \theta - \eta\,\nabla_\theta \bar\ell$ from the same initial weights. The
#    only difference is the order of summation inside the mean loss, so float64 agrees to
#    $\sim 10^{-16}$ relative: `atol = 1e-12` on every parameter and on the loss.

# %%
for name, tr, pred in [("LeNet-5", cnn_trainer, pred_cnn), ("MLP", mlp_trainer, pred_mlp)]:
    parity.check(f"{name} held-out accuracy: Trainer.evaluate vs sklearn accuracy_score", ours=tr.evaluate(X_te, y_te)["accuracy"],
                 reference=accuracy_score(y_te, pred), atol=0.0, why="both count correct predictions / n: the same float")

parity.check("confusion matrix (LeNet-5, held-out): ours vs sklearn", ours=lambda: confusion_matrix(y_te, pred_cnn),
             reference=lambda: sk_confusion_matrix(y_te, pred_cnn), atol=0, why="integer counts", repeat=3)
parity.check("confusion matrix (LeNet-5, held-out): ours vs torch.bincount", ours=cm,
             reference=torch.bincount(torch.as_tensor(10 * y_te + pred_cnn), minlength=100).reshape(10, 10).numpy(),
             atol=0, why="integer counts")

side = conv_output_size(conv_output_size(conv_output_size(conv_output_size(28, 5, padding=2), 2, 2), 5), 2, 2)
formula = 6 * (1 * 5 * 5 + 1) + 16 * (6 * 5 * 5 + 1) + 120 * (16 * side * side + 1) + 84 * (120 + 1) + 10 * (84 + 1)
parity.check("LeNet-5 parameter count vs C_out(C_in k²+1) + n(m+1)", ours=count_parameters(LeNet5()), reference=formula, atol=0,
             why="integers; 16·5·5 = 400 inputs to the first dense layer")
parity.check("LeNet-5 output shape for (7, 1, 28, 28)", ours=np.array(LeNet5()(torch.zeros(7, 1, 28, 28)).shape), reference=np.array([7, 10]),
             atol=0, why="integers")

# One float64 step: the trainer vs a hand-written loop from the same initial weights.
X64, y64 = images_to_tensor(img_tr[:256], dtype=torch.float64, mean=mean, std=std), torch.as_tensor(y_tr[:256])
set_seed(1)
mlp64 = TorchMLP(hidden=(64, 32)).double()
hand = copy.deepcopy(mlp64)
step_trainer = Trainer(mlp64, torch.optim.SGD(mlp64.parameters(), lr=0.1), batch_size=256, progress=False)
step_trainer.fit(X64, y64, epochs=1)

hand_loss = torch.nn.functional.cross_entropy(hand(X64), y64)
hand_loss.backward()
with torch.no_grad():
    for p in hand.parameters():
        p -= 0.1 * p.grad
parity.check("MLP one SGD step (float64): loss, trainer vs hand-written torch loop", ours=step_trainer.history_.step_loss[0],
             reference=hand_loss.item(), atol=1e-12, why="same weights and samples; only the summation order may differ")
parity.check("MLP one SGD step (float64): every parameter after the step", ours=np.concatenate([p.detach().numpy().ravel() for p in mlp64.parameters()]),
             reference=np.concatenate([p.detach().numpy().ravel() for p in hand.parameters()]), atol=1e-12,
             why="θ - η∇ℓ̄ on both sides; float64 rounding ~1e-16")

# %% [markdown]
# ## What we reached, on what data

# %%
print(f"data: {DATA_DESCRIPTION} ({len(y_tr)} train / {len(y_te)} held-out images), {EPOCHS} epochs, Adam 1e-3, float32")
print(f"LeNet-5 held-out accuracy {cnn_trainer.history_.val_accuracy[-1]:.4f}   (published, full MNIST: 0.9905)")
print(f"MLP     held-out accuracy {mlp_trainer.history_.val_accuracy[-1]:.4f}   (published 784-300-100-10, full MNIST: 0.9695)")
print("Fashion-MNIST:", f"{fashion_trainer.history_.val_accuracy[-1]:.4f}" if available["fashion_mnist"] else "not run (not in the cache)")
print(f"lesson time so far: {time.perf_counter() - LESSON_START:.1f} s")

# %%
parity.table()
