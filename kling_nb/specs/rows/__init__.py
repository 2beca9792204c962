"""One module per model row: its wire name, endpoint family, tables, price and own rules.

Each row registers nothing by itself: ``kling_nb.specs.catalogue`` lists the rows in order.
"""
