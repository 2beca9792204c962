"""The sandbox takes every example body of the AI/ML docs for a Kling id kling_nb offers, as
the docs write it, on the universal and the legacy path (the pages use both): never stricter
than the docs, their own spellings included; each makes the model it names."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from aiml_doc_bodies import BODIES, schema_form

from kling_nb.sandbox import Sandbox

from .helpers import AIML, UNIVERSAL

CASES = [pytest.param(body, id=f"{body['model']}:{n}") for n, body in enumerate(BODIES, 1)]


@pytest.mark.parametrize("path", [UNIVERSAL, AIML], ids=["universal", "legacy"])
@pytest.mark.parametrize("body", CASES)
def test_a_docs_body_is_taken_and_makes_the_model_it_names(body: dict[str, Any], path: str,
                                                           client: httpx.Client,
                                                           sb: Sandbox) -> None:
    answer = client.post(path, json=body)
    assert answer.status_code in (200, 201), answer.text
    # the model it names, as the schema spells it (the 2.6 motion page's id is the schema's)
    assert sb.store.jobs[answer.json()["id"]].order.model == schema_form(body)["model"]
