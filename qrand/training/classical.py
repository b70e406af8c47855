"""scikit-learn baselines on the same data and splits: logistic regression and ``MLPClassifier``.

scikit-learn takes one ``random_state`` per estimator, which would tie
initialisation and shuffling together. To vary them alone:

* ``logreg``: ``LogisticRegression(solver="saga")``, one epoch per ``fit``
  (``warm_start``); epoch ``e`` shuffles with
  ``random_state = tree.child("shuffle", e).seed(32)`` (reusing one
  ``random_state`` would replay the same order every epoch). Starts at zero,
  so it has no init stream.
* ``mlp``: ``MLPClassifier(random_state=<init stream>, shuffle=False)``,
  fed one epoch at a time with ``partial_fit`` in the shuffle stream's order.

The training curve is the full training-set log loss after each epoch.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from .._optional import require
from ..errors import QrandError
from .data import fingerprint_arrays
from .engine import TrainConfig, Trainer, TrainResult
from .streams import as_tree


class SklearnTrainer(Trainer):
    """Seeded scikit-learn classifier (``kind="logreg"`` or ``kind="mlp"``).

    Parameters
    ----------
    kind : {"logreg", "mlp"}
    config : TrainConfig, optional
    hidden : int
        Hidden width of the MLP.
    **overrides
        Fields of :class:`TrainConfig`.
    """

    options = ("hidden",)

    def __init__(self, kind: str = "logreg", config: TrainConfig | None = None, *, hidden: int = 16,
                 **overrides):
        if kind not in ("logreg", "mlp"):
            raise QrandError(f"kind must be 'logreg' or 'mlp', got {kind!r}")
        super().__init__(config, **overrides)
        self.kind, self.name, self.hidden = kind, kind, int(hidden)

    @property
    def factors(self) -> tuple[str, ...]:
        """Streams this model draws from."""
        return ("split", "shuffle") if self.kind == "logreg" else ("init", "split", "shuffle")

    def estimator(self, trees):
        """A fresh, seeded estimator."""
        if self.kind == "logreg":
            linear = require("sklearn.linear_model")
            return linear.LogisticRegression(solver="saga", max_iter=1, warm_start=True, tol=0.0)
        network = require("sklearn.neural_network")
        return network.MLPClassifier(hidden_layer_sizes=(self.hidden,), activation="tanh",
                                     solver="adam", learning_rate_init=self.config.lr,
                                     batch_size=self.config.batch_size, shuffle=False,
                                     random_state=trees["init"].seed(32))

    def __call__(self, seed) -> TrainResult:
        """Train one seed."""
        metrics = require("sklearn.metrics")
        exceptions = require("sklearn.exceptions")
        start = time.perf_counter()
        trees = self.trees(as_tree(seed))
        split = self.split(trees)
        model = self.estimator(trees)
        classes = np.arange(split.n_classes)
        batches = self.batches(split, trees)
        per_epoch = len(batches) // self.config.epochs
        losses = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", exceptions.ConvergenceWarning)
            for epoch in range(self.config.epochs):
                if self.kind == "logreg":
                    shuffle = None if self.config.order == "sorted" else trees["shuffle"].child(epoch)
                    model.set_params(random_state=0 if shuffle is None else shuffle.seed(32))
                    model.fit(split.X_train, split.y_train)
                else:
                    rows = batches[epoch * per_epoch:(epoch + 1) * per_epoch].reshape(-1)
                    model.partial_fit(split.X_train[rows], split.y_train[rows], classes=classes)
                losses.append(metrics.log_loss(split.y_train, model.predict_proba(split.X_train),
                                               labels=classes))
        params = (np.concatenate([model.coef_.ravel(), model.intercept_.ravel()]) if self.kind == "logreg"
                  else np.concatenate([w.ravel() for w in model.coefs_ + model.intercepts_]))
        self.note()
        prints = {"split": fingerprint_arrays(split.X_train, split.y_train)}
        return TrainResult(self.name, seed, self.config, np.asarray(losses),
                           float(model.score(split.X_train, split.y_train)),
                           float(model.score(split.X_test, split.y_test)), params, prints,
                           None, time.perf_counter() - start)
