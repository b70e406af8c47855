"""A torch MLP with dropout, trained through a seeded multi-worker ``DataLoader``.

Streams: initial weights from a ``torch.Generator`` of ``("init",)``;
minibatch order and the workers' per-epoch base seeds from the
``DataLoader``'s ``generator`` (``("shuffle",)``); each worker is seeded by
``qrand.seeding.workers.WorkerSeeder`` on the shuffle node; dropout masks
come from torch's global RNG, seeded from ``("dropout",)`` inside
``torch.random.fork_rng`` so the caller's global state is left as it was.
torch is optional: without it a :class:`~qrand.errors.MissingExtraError`
names the ``torch`` extra.
"""

from __future__ import annotations

import time

import numpy as np

from .._optional import require
from ..errors import QrandError
from .data import fingerprint_arrays
from .engine import TrainConfig, Trainer, TrainResult
from .streams import as_tree


class _Rows:
    """Map-style dataset over two numpy arrays (picklable for worker processes)."""

    def __init__(self, X: np.ndarray, y: np.ndarray):
        self.X, self.y = X, y

    def __len__(self) -> int:
        return len(self.y)

    def __getitem__(self, index: int):
        torch = require("torch")
        return torch.from_numpy(self.X[index]), int(self.y[index])


def _worker_seeder(tree):
    """``worker_init_fn`` for the loader: qrand's ``WorkerSeeder`` on ``tree``."""
    from ..seeding.workers import WorkerSeeder

    return WorkerSeeder(tree)


class TorchMLP(Trainer):
    """Seeded torch MLP with dropout and a multi-worker ``DataLoader``.

    Parameters
    ----------
    config : TrainConfig, optional
    hidden : int
    dropout : float
    num_workers : int
        DataLoader worker processes (persistent across epochs).
    **overrides
        Fields of :class:`TrainConfig`.
    """

    name = "torch-mlp"
    options = ("hidden", "dropout", "num_workers")

    def __init__(self, config: TrainConfig | None = None, *, hidden: int = 16, dropout: float = 0.2,
                 num_workers: int = 2, **overrides):
        super().__init__(config, **overrides)
        if int(hidden) < 1 or not 0.0 <= float(dropout) < 1.0 or int(num_workers) < 0:
            raise QrandError(f"need hidden >= 1, 0 <= dropout < 1, num_workers >= 0; "
                             f"got {hidden}, {dropout}, {num_workers}")
        self.hidden, self.dropout, self.num_workers = int(hidden), float(dropout), int(num_workers)

    @property
    def factors(self) -> tuple[str, ...]:
        """Streams this model draws from."""
        return ("init", "split", "shuffle") + (("dropout",) if self.dropout else ())

    def model(self, torch, trees):
        """The network, initialised from the init stream (Glorot uniform, zero biases)."""
        nn = torch.nn
        d, c = self.dataset.n_features, self.dataset.n_classes
        net = nn.Sequential(nn.Linear(d, self.hidden), nn.Tanh(), nn.Dropout(self.dropout),
                            nn.Linear(self.hidden, c)).double()
        generator = trees["init"].torch_generator()
        with torch.no_grad():
            for layer in (net[0], net[3]):
                nn.init.xavier_uniform_(layer.weight, generator=generator)
                nn.init.zeros_(layer.bias)
        return net

    def loader(self, torch, split, trees):
        """The seeded ``DataLoader`` over the training rows."""
        shuffle = self.config.order != "sorted"
        workers = self.num_workers
        return torch.utils.data.DataLoader(
            _Rows(split.X_train, split.y_train), batch_size=self.config.batch_size, shuffle=shuffle,
            drop_last=True, num_workers=workers, persistent_workers=workers > 0,
            worker_init_fn=_worker_seeder(trees["shuffle"]) if workers else None,
            generator=trees["shuffle"].torch_generator())

    def __call__(self, seed) -> TrainResult:
        """Train one seed."""
        torch = require("torch")
        start = time.perf_counter()
        trees = self.trees(as_tree(seed))
        split = self.split(trees)
        X, y = torch.from_numpy(split.X_train), torch.from_numpy(split.y_train)
        losses = []
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(trees["dropout"].seed(64))
            net = self.model(torch, trees)
            init = torch.cat([p.detach().reshape(-1) for p in net.parameters()]).numpy().copy()
            optimiser = torch.optim.Adam(net.parameters(), lr=self.config.lr)
            loss_fn = torch.nn.CrossEntropyLoss()
            loader = self.loader(torch, split, trees)
            for _ in range(self.config.epochs):
                for xb, yb in loader:
                    net.train()
                    optimiser.zero_grad()
                    loss_fn(net(xb), yb).backward()
                    optimiser.step()
                    net.eval()
                    with torch.no_grad():
                        losses.append(float(loss_fn(net(X), y)))
            net.eval()
            with torch.no_grad():
                train_acc = float((net(X).argmax(1) == y).double().mean())
                test_acc = float((net(torch.from_numpy(split.X_test)).argmax(1)
                                  == torch.from_numpy(split.y_test)).double().mean())
            params = torch.cat([p.detach().reshape(-1) for p in net.parameters()]).numpy().copy()
            del loader
        self.note()
        prints = {"init": fingerprint_arrays(init), "split": fingerprint_arrays(split.X_train, split.y_train)}
        return TrainResult(self.name, seed, self.config, np.asarray(losses), train_acc, test_acc,
                           params, prints, None, time.perf_counter() - start)
