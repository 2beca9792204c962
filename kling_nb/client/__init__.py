"""The client: HTTP to both providers (httpx), uploads, submits, polling and downloads.

Imports ``kling_nb.core``, ``kling_nb.specs`` and ``kling_nb.sandbox`` only; what happens to a
job beyond one call (the journal, sweeps) is told through ``JobObserver`` hooks.
"""
