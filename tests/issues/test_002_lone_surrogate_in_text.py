"""Issue 2: a text holding a lone surrogate crashed when it became an RDF literal.

Files are decoded from bytes and cannot hold one, but a library caller can pass any ``str``
(for example one decoded with ``errors="surrogateescape"``): pyoxigraph then raised ValueError
deep inside graph building. Now ``document_from_text`` refuses it with a DocumentError.
"""

import pytest

from kg.documents import document_from_text
from kg.errors import DocumentError


def test_lone_surrogate_is_refused_up_front():
    text = b"Caf\xe9 owners said that prices rose.".decode("utf-8", errors="surrogateescape")
    with pytest.raises(DocumentError, match=r"^story: text is not valid Unicode \(it holds a lone surrogate\)$"):
        document_from_text(text, doc_id="story")
