"""The sandbox's entries: one module per model row, named as the row's spec module in
``kling_nb/specs/rows/``, each holding ``ENTRY`` (see ``kling_nb.sandbox._entry``).

Nothing is listed here: ``kling_nb.sandbox._registry`` finds every module.
"""
