"""Seeding layer: the seed tree, one adapter per random source, seed_everything.

Imports no framework at import time.
"""

from .record import RunRecord, current
from .tree import SeedTree, parse_seed, validate_root

__all__ = ["RunRecord", "SeedTree", "current", "parse_seed", "validate_root"]
