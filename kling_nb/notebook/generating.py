"""Generate in a form: submit, a live progress line, then the video - as a background task.

``kling_nb.notebook.background`` says how the task runs and why; this is what it runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from kling_nb.client.jobs import job_html
from kling_nb.core.errors import KlingError
from kling_nb.core.html import esc
from kling_nb.journal.client import Client
from kling_nb.specs.base import Spec
from kling_nb.specs.results import Result

from .clips import ClipField
from .fields import ERROR, HELP, Field
from .images import ImageField, ImageListField, VideoField


class Generating:
    """The part of ``SpecForm`` that runs a job: submit, wait with progress, show the video."""

    spec: Spec | None
    client: Any
    journal: Any
    results: list[Result]
    result: Result | None
    job: Any
    task: Any
    running: bool
    download: bool
    tick: float
    fields: dict[str, Field]
    generate_button: Any
    stop_button: Any
    progress: Any
    output: Any
    generated_listeners: list[Callable[[Any, Result], None]]

    def on_generated(self, callback: Callable[[Any, Result], None]) -> None:
        """Call ``callback(form, result)`` each time Generate ends with a video (after the form
        shows it): the studio app puts it on its compare board."""
        self.generated_listeners.append(callback)

    def _client(self) -> Any:
        if self.client is None:
            self.client = Client()
        return self.client

    async def generate_async(self, spec: Spec | None = None) -> Result | None:
        """Submit, show live progress, then the video; returns the result (None if stopped)."""
        spec = spec or self.spec
        if spec is None:
            return None
        self.running = True
        self.generate_button.disabled = True
        self.output.outputs = ()
        self.result = None
        client = self._client()
        try:
            self.progress.value = HELP.format("submitting...")
            job = await client.submit_async(spec)
            self.job = job
            expected = client.schedule(job).expected
            self.stop_button.layout.display = None
            waiter = asyncio.ensure_future(client.wait_async(job, progress=False))
            try:
                while not waiter.done():
                    self.progress.value = job_html(job, expected)
                    await asyncio.wait({waiter}, timeout=self.tick)
            except asyncio.CancelledError:
                waiter.cancel()
                self._stopped(job)
                return None
            result: Result = waiter.result()
            self.progress.value = job_html(job, expected)
            if self.download:
                await client.download_async(result)
            self.result = result
            self.results.append(result)
            self._refresh_pickers()
            self.output.outputs = ({"output_type": "display_data",
                                    "data": result._repr_mimebundle_(), "metadata": {}},)
            self._announce(result)
            return result
        except asyncio.CancelledError:
            self.progress.value = HELP.format("stopped before the job was submitted")
            return None
        except KlingError as exc:
            detail = job_html(self.job) if self.job is not None else ""
            self.progress.value = detail + ERROR.format(esc(str(exc)))
            return None
        finally:
            self.running = False
            self.stop_button.layout.display = "none"
            self.generate_button.disabled = self.spec is None

    def _announce(self, result: Result) -> None:
        for listener in self.generated_listeners:
            try:
                listener(self, result)
            except Exception as exc:  # a listener's bug must not hide the video made
                self.progress.value += ERROR.format(esc(f"after the job: {exc}"))

    def _stopped(self, job: Any) -> None:
        self.progress.value = (
            job_html(job) + "<p>Stopped waiting. <b>The job goes on running on the server</b>;"
            f" pick it up later with:</p><pre>{esc(job.resume_code)}</pre>")

    def stop(self) -> None:
        """Stop waiting (the server job keeps running; the form shows how to resume it)."""
        if self.task is not None and hasattr(self.task, "cancel"):
            self.task.cancel()

    def _refresh_pickers(self) -> None:
        for field in self.fields.values():
            if isinstance(field, ImageField):
                field.control.set_results(self.results, self.journal)
            elif isinstance(field, (ImageListField, VideoField, ClipField)):
                field.set_results(self.results, self.journal)

