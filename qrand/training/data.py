"""Offline datasets for the training studies and their seeded train/test split.

All datasets ship with scikit-learn (no download): ``iris`` (3 classes),
``breast_cancer`` (2 classes, reduced to 4 principal components), ``digits``
(digits 0-3, 8x8 images pooled to 2x2 = 4 features), ``moons`` and
``circles`` (2 features, generated from the ``("data",)`` stream). Every
dataset has at most 4 features so a 4-qubit circuit can encode it.

The split comes from the ``("split",)`` stream; features are standardised
with statistics of the training part only. Each loaded dataset's sha256
fingerprint is written into the run record (``dataset/<name>``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from .._optional import require
from ..errors import QrandError
from ..seeding import record
from ..seeding.tree import SeedTree
from .streams import as_tree

DATASETS = ("iris", "moons", "circles", "breast_cancer", "digits")
#: fixed tree the synthetic datasets come from when no tree is given
_DATA_TREE = SeedTree(0).child("data")


@dataclass(frozen=True)
class Dataset:
    """Features ``X`` (float64), integer labels ``y`` and a sha256 fingerprint."""

    name: str
    X: np.ndarray
    y: np.ndarray
    n_classes: int
    fingerprint: str = field(default="")

    @property
    def n_features(self) -> int:
        """Number of feature columns."""
        return int(self.X.shape[1])


@dataclass(frozen=True)
class Split:
    """A standardised train/test split (statistics from the training part)."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    n_classes: int
    test_index: np.ndarray

    def fingerprint(self) -> str:
        """sha256 of the split (which rows went to test, and the arrays)."""
        return fingerprint_arrays(self.test_index, self.X_train, self.y_train)


def fingerprint_arrays(*arrays: np.ndarray) -> str:
    """sha256 over dtype, shape and bytes of each array."""
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _pca4(X: np.ndarray) -> np.ndarray:
    """First 4 principal components of standardised ``X`` with a fixed sign convention."""
    Z = (X - X.mean(0)) / X.std(0)
    _, _, vt = np.linalg.svd(Z, full_matrices=False)
    comps = vt[:4]
    comps *= np.sign(comps[np.arange(4), np.abs(comps).argmax(1)])[:, None]
    return Z @ comps.T


def load_dataset(name: str, *, tree: SeedTree | int | None = None, max_samples: int = 200) -> Dataset:
    """Load one offline dataset.

    Parameters
    ----------
    name : str
        One of :data:`DATASETS`.
    tree : SeedTree or int, optional
        The ``("data",)`` stream: generates moons/circles and picks the
        subsample of larger datasets. Default: a fixed tree (dataset fixed).
    max_samples : int
        Cap on the number of rows (a stratified-free uniform subsample).

    Returns
    -------
    Dataset
    """
    datasets = require("sklearn.datasets")
    if name not in DATASETS:
        raise QrandError(f"unknown dataset {name!r}: choose from {', '.join(DATASETS)}")
    if int(max_samples) < 20:
        raise QrandError(f"max_samples must be at least 20, got {max_samples}")
    data_tree = _DATA_TREE if tree is None else as_tree(tree)
    if name == "iris":
        X, y = datasets.load_iris(return_X_y=True)
    elif name == "breast_cancer":
        X, y = datasets.load_breast_cancer(return_X_y=True)
        X = _pca4(X)
    elif name == "digits":
        X, y = datasets.load_digits(return_X_y=True)
        keep = y < 4
        X = X[keep].reshape(-1, 2, 4, 2, 4).mean(axis=(2, 4)).reshape(-1, 4)
        y = y[keep]
    else:
        maker = datasets.make_moons if name == "moons" else datasets.make_circles
        extra = {} if name == "moons" else {"factor": 0.5}
        X, y = maker(n_samples=int(max_samples), noise=0.15, random_state=data_tree.seed(32), **extra)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)
    if len(y) > max_samples:
        keep = np.sort(data_tree.child("subsample").numpy().permutation(len(y))[: int(max_samples)])
        X, y = X[keep], y[keep]
    digest = fingerprint_arrays(X, y)
    record.current().note_fingerprint(f"dataset/{name}", digest)
    return Dataset(name, X, y, int(y.max()) + 1, digest)


def split_dataset(dataset: Dataset, tree: SeedTree | int, *, test_size: float = 0.3,
                  order: str = "shuffled") -> Split:
    """Stratified train/test split from the ``("split",)`` stream, standardised on train.

    Parameters
    ----------
    dataset : Dataset
    tree : SeedTree or int
        The split stream.
    test_size : float
        Fraction of rows in the test part.
    order : {"shuffled", "sorted"}
        ``"sorted"`` sorts the training rows by label (the trap case).
    """
    selection = require("sklearn.model_selection")
    if not 0.05 <= float(test_size) <= 0.8:
        raise QrandError(f"test_size must be in [0.05, 0.8], got {test_size}")
    if order not in ("shuffled", "sorted"):
        raise QrandError(f"order must be 'shuffled' or 'sorted', got {order!r}")
    index = np.arange(len(dataset.y))
    train_idx, test_idx = selection.train_test_split(
        index, test_size=float(test_size), stratify=dataset.y, random_state=as_tree(tree).seed(32))
    if order == "sorted":
        train_idx = train_idx[np.argsort(dataset.y[train_idx], kind="stable")]
    X_train, X_test = dataset.X[train_idx], dataset.X[test_idx]
    mean, std = X_train.mean(0), X_train.std(0)
    std = np.where(std > 0, std, 1.0)
    return Split((X_train - mean) / std, (X_test - mean) / std, dataset.y[train_idx],
                 dataset.y[test_idx], dataset.n_classes, np.asarray(test_idx))
