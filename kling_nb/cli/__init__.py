"""The ``kling-nb`` command line: generate, models, the sandbox server.

Imports every layer but the notebook one (no widgets on the command line).
"""
