"""One module per model row: its wire name, endpoint family, tables, price and own rules.

Nothing is listed here: ``kling_nb.specs.rowfiles`` finds every module, and its file name gives
the row's key, class name (``kn.<Class>``) and place in the catalogue.
"""
