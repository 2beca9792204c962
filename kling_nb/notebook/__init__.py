"""The notebook layer (ipywidgets, IPython): forms built from the specs, the studio, the
gallery and compare views.

Imports every layer below it; only this layer imports ipywidgets.
"""
