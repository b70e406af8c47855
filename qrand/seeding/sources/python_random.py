"""Python's ``random`` module global state."""

import random

NAME, MODULE, PATH, BITS = "python", None, ("python",), 64


def available() -> bool:
    return True


def seed(value: int) -> None:
    random.seed(value)


def get_state():
    return random.getstate()


def set_state(state) -> None:
    random.setstate(state)


def describe() -> dict:
    return {"global_state": "random module (Mersenne Twister)"}
