"""The notebook layer (ipywidgets, IPython): forms built from the specs, the studio, the
gallery and compare views, and the studio app that puts them on one page.

Imports every layer below it; only this layer imports ipywidgets.
"""
