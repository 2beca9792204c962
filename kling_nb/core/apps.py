"""The pages shipped inside the package (``kling_nb/apps``), and what their launcher tells them.

``kling-nb studio`` (``kling_nb.cli.studio``) serves ``STUDIO_NOTEBOOK`` with Voila; the
notebook's one cell, ``kn.studio_app()`` (``kling_nb.notebook.app``), builds the page. Voila
starts the kernel in the notebook's own folder, inside the installed package, so the launcher
names the folder it was started from in ``FOLDER_VARIABLE``: videos are saved there (in
``kling_videos``) and a ``.env`` file is read from there, as a notebook started in that folder
would.
"""

from __future__ import annotations

from pathlib import Path

APPS = Path(__file__).resolve().parents[1] / "apps"
"""The package's folder of app notebooks (package data, no Python in it)."""
STUDIO_NOTEBOOK = APPS / "studio.ipynb"
"""The studio app's page: one code cell, ``kn.studio_app()``."""
FOLDER_VARIABLE = "KLING_NB_STUDIO_DIR"
"""The folder the studio app works in (videos in ``kling_videos``, keys from ``.env``)."""
