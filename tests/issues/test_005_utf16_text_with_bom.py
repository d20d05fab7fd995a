"""Issue 5: a UTF-16 text file (Notepad's "Unicode") was refused as binary.

Its NUL bytes made the binary check refuse it ("looks like a binary file (NUL bytes)"). A
UTF-16 byte order mark now says it is text: it is decoded, with a warning naming the file.
"""

from kg.documents import read_document

TEXT = "Leaders met in Montréal.\r\n\r\nPresident Jane Roe said that peace matters.\r\n"


def test_utf16_with_bom_is_read_with_a_warning(tmp_path):
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
        path.write_bytes(bom + TEXT.encode(encoding))
        doc = read_document(path)
        assert doc.text == "Leaders met in Montréal.\n\nPresident Jane Roe said that peace matters."
        assert doc.warnings == [f"{path}: UTF-16 text (byte order mark); decoded as UTF-16"]
