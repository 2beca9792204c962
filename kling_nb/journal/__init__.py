"""The journal (SQLite): every submit recorded before it is sent; history, notes, costs,
sidecars, and the default observer of ``kn.Client``.

Imports ``kling_nb.core``, ``kling_nb.specs`` and ``kling_nb.client``; resuming (which needs
the sweeps) lives above it in ``kling_nb.runs``.
"""
