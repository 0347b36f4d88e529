"""Shared by the rule tests: build manifest parts from a base with some facts changed or left out."""

DROP = object()   # marks a fact to leave out (unknown)


def merge(base: dict, changes: dict) -> dict:
    """The base with `changes` applied; a change to DROP removes the fact, so it is unknown."""
    out = dict(base)
    for key, value in changes.items():
        if value is DROP:
            out.pop(key, None)
        else:
            out[key] = value
    return out
