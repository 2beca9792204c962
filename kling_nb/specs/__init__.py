"""Request specs: one pydantic class per model row, its rules, wire format and the catalogue.

Imports pydantic and ``kling_nb.core`` only (no HTTP, no widgets): a spec validates and knows
its exact request without any client.
"""
