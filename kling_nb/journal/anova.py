"""Main-effects analysis of variance with numpy: each factor's Type II share of the variation
and its Freedman-Lane permutation p-value of the F ratio (the method: ``factors``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Effect = tuple[float, float, "float | None", str]
"""share (Type II), alone (one-way eta-squared), permutation p-value, note."""
_CHUNK = 256
"""Permutations computed at once (bounds the memory of a large selection)."""


def effects(y: Sequence[float], codes: Mapping[str, Sequence[int]], permutations: int,
            seed: int = 0) -> dict[str, Effect]:
    """For each factor (its level index per observation): share, alone, p and a note."""
    import numpy as np

    values = np.asarray(y, dtype=float)
    centred = values - values.mean()
    total = float(centred @ centred)
    ones = np.ones((len(values), 1))
    blocks = {name: _dummies(np.asarray(c)) for name, c in codes.items()}
    full = _basis([ones, *blocks.values()])
    free = len(values) - full.shape[1]
    rng = np.random.default_rng(seed)
    found: dict[str, Effect] = {}
    for name, block in blocks.items():
        reduced = _basis([ones, *(b for other, b in blocks.items() if other != name)])
        alone = _explained(_basis([ones, block]), values) - _explained(ones / np.sqrt(
            len(values)), values)
        if total <= 0:
            found[name] = (0.0, 0.0, None, "the outcome is the same for every job")
            continue
        explained = _explained(full, values) - _explained(reduced, values)
        share = max(explained, 0.0) / total
        if reduced.shape[1] == full.shape[1]:
            found[name] = (0.0, alone / total, None, _confounded(name, codes))
            continue
        p = _p_value(full, reduced, values, explained, permutations, rng) \
            if free > 0 and permutations > 0 else None
        note = "" if free > 0 else "no job left to judge chance by: add jobs"
        found[name] = (share, alone / total, p, note)
    return found


def _dummies(codes: Any) -> Any:
    """One column per level but the first (treatment coding)."""
    import numpy as np

    levels = int(codes.max()) + 1 if codes.size else 0
    return (codes[:, None] == np.arange(1, levels)[None, :]).astype(float)


def _basis(blocks: list[Any]) -> Any:
    """An orthonormal basis of the columns' span (rank-revealing: collinear columns drop)."""
    import numpy as np

    matrix = np.hstack(blocks)
    u, s, _ = np.linalg.svd(matrix, full_matrices=False)
    rank = int((s > s[0] * 1e-10).sum()) if s.size else 0
    return u[:, :rank]


def _explained(basis: Any, values: Any) -> float:
    """The squared length of the projection of ``values`` on the basis' span."""
    projected = basis.T @ values
    return float(projected @ projected)


def _p_value(full: Any, reduced: Any, values: Any, explained: float, permutations: int,
             rng: Any) -> float:
    """Freedman-Lane: permute the residuals of the model without the factor, and count the
    permutations whose F ratio is at least the observed one."""
    import numpy as np

    fitted = reduced @ (reduced.T @ values)
    residuals = values - fitted
    observed = _f_ratio(explained, float(values @ values) - _explained(full, values))
    larger = 0
    for start in range(0, permutations, _CHUNK):
        count = min(_CHUNK, permutations - start)
        order = rng.permuted(np.tile(np.arange(len(values)), (count, 1)), axis=1)
        shuffled = fitted[:, None] + residuals[order].T
        on_full = ((full.T @ shuffled) ** 2).sum(axis=0)
        gained = on_full - ((reduced.T @ shuffled) ** 2).sum(axis=0)
        left = (shuffled ** 2).sum(axis=0) - on_full
        larger += int((_f_ratio(gained, left) >= observed * (1 - 1e-9)).sum())
    return (1 + larger) / (permutations + 1)


def _f_ratio(gained: Any, left: Any) -> Any:
    """What the factor explains over what is left unexplained (the F statistic, up to its
    constant degrees of freedom): pivotal, so permuting it keeps the test's level."""
    import numpy as np

    return np.asarray(gained) / np.maximum(np.asarray(left), 1e-300)


def _confounded(name: str, codes: Mapping[str, Sequence[int]]) -> str:
    """Which other factor ``name`` always changed together with (it explains nothing alone)."""
    mine = list(codes[name])
    for other, theirs in codes.items():
        if other != name and len(set(zip(mine, theirs, strict=True))) == len(set(theirs)):
            return f"confounded with {other}: it never changed without it"
    return "confounded with the other factors together: it never changed on its own"
