"""Entity keys: the IRI path segment of each class and the slug of a name. No dependencies.

Extraction names entities by key (``"person/amina-okafor"``) without knowing RDF; ``kg.terms``
re-exports these so the IRI code and the extractor agree on one layout.

>>> slugify("France’s Defence Strategy (2024-2030)")
'frances-defence-strategy-2024-2030'
"""

from __future__ import annotations

import re
import unicodedata

# The classes an extracted entity can have, and the IRI path segment of each.
ENTITY_CLASSES = {
    "Person": "person",
    "Organisation": "organisation",
    "Country": "country",
    "Place": "place",
    "Event": "event",
    "Document": "document",
    "Position": "position",
}


def slugify(text: str, max_length: int = 80) -> str:
    """A readable, IRI-safe slug: ASCII letters and digits separated by hyphens."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "").replace("'", "")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    if not slug:
        # Names written only in other scripts still need a stable, valid IRI segment.
        import hashlib  # (imported here: the reading commands load this module and rarely need it)

        slug = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    if len(slug) > max_length:
        # keep IRIs readable but distinct: two long names sharing their first 80 characters differ here
        import hashlib

        digest = hashlib.sha1(slug.encode("ascii")).hexdigest()[:8]
        slug = slug[: max_length - 9].rstrip("-") + "-" + digest
    return slug
