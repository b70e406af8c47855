"""Output depends on the iteration order of a set of str (salted by PYTHONHASHSEED)."""

labels = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
print(" ".join(labels))
