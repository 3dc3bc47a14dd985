"""Small graph helpers shared by reading paths (step prerequisites) and paper relations (``builds_on``)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'orca'?)`` for the closest of ``choices``, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def find_cycles(edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Every cycle a depth-first search meets, each written ``[a, b, c, a]``.

    Nodes are visited in the mapping's order and their edges in list order, so the cycles (and the
    messages made of them) are the same on every run; targets that are not keys are ignored. The
    search keeps its own stack: a chain of thousands of nodes does not hit Python's recursion limit.
    """
    state: dict[str, int] = {}  # 1: on the current trail, 2: done
    cycles: list[list[str]] = []
    for root in edges:
        if root in state:
            continue
        trail = [root]
        pending = [iter(edges[root])]
        state[root] = 1
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[trail.pop()] = 2
                pending.pop()
                continue
            if nxt not in edges:
                continue
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt) :] + [nxt])
            elif nxt not in state:
                state[nxt] = 1
                trail.append(nxt)
                pending.append(iter(edges[nxt]))
    return cycles
