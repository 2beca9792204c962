"""Real-browser tests: JupyterLab + headless Chromium (Playwright). Run ``.ci/browser-setup``."""
