"""Directory put first on a child's ``PYTHONPATH`` by :mod:`qrand.manifest.runner`.

Its ``sitecustomize`` module runs at interpreter start-up, before user code.
"""
