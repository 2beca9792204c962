"""Runs of many jobs: sweeps with plans, budgets and a concurrency cap; resuming after a
restart.

Imports ``core``, ``specs``, ``client`` and ``journal``; nothing here imports widgets.
"""
