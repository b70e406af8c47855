"""Fit a nearest-centroid classifier on an unseeded train_test_split: a new test set every run."""

import numpy as np
from sklearn.model_selection import train_test_split

X = np.stack([np.sin(np.arange(150.0)), np.cos(np.arange(150.0) * 0.7)], axis=1)
y = (X[:, 0] + 0.3 * X[:, 1] > 0).astype(int)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3)  # AUDIT-LINE
centroids = np.stack([X_train[y_train == k].mean(axis=0) for k in (0, 1)])
predicted = np.argmin(((X_test[:, None, :] - centroids) ** 2).sum(axis=2), axis=1)
print(f"test accuracy {np.mean(predicted == y_test):.6f} first test rows {X_test[:3].round(6).tolist()}")
