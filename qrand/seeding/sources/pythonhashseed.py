"""``PYTHONHASHSEED``: str/bytes hash salt, fixed when the interpreter starts.

It cannot change in a running interpreter: qrand detects and records it, warns
when it differs from the derived value, and gives the environment for child
processes (:func:`qrand.seeding.environment.child_env`).
"""

import os
import sys

NAME, MODULE, PATH, BITS = "pythonhashseed", None, ("pythonhashseed",), 32


def available() -> bool:
    return True


def current() -> str:
    """The running interpreter's hash-seed setting: a number, "random" or "0 (disabled)"."""
    if not sys.flags.hash_randomization:
        return "0"
    value = os.environ.get("PYTHONHASHSEED")
    return value if value not in (None, "", "random") else "random"


def seed(value: int) -> None:
    """Nothing to set in this process; see :func:`qrand.seeding.everything` warnings."""


def get_state():
    return None


def set_state(state) -> None:
    """Cannot change in a running interpreter."""


def describe() -> dict:
    return {"PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED"),
            "hash_randomization": bool(sys.flags.hash_randomization), "effective": current()}
