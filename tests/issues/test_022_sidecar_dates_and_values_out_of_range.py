"""Issue 8, item 11: sidecar dates and values that were accepted, or crashed ingest.

``"date": "0001-01-01"`` crashed extraction with OverflowError ("please report"), an impossible
timestamp such as ``2023-07-13T25:99:99Z`` was accepted as 13 July, ``NaN`` and ``Infinity``
(which Python's JSON reader accepts) were stored as the text "nan"/"inf", and a title of megabytes
made the SHACL check take minutes. Each is now one ``Error:`` line naming the sidecar or the file
(exit 1), and nothing of the document is stored.
"""

import pytest

from kg.cli import cli

TEXT = "Leaders met in Vienna on Monday.\n\nThe chancellor of Austria opened the talks.\n"


@pytest.mark.parametrize(("sidecar", "where", "message"), [
    ('{"date": "0001-01-01"}', "story.txt", "date '0001-01-01' out of range (years 1000-9998)"),
    ('{"date": "9999-12-31"}', "story.txt", "date '9999-12-31' out of range (years 1000-9998)"),
    ('{"date": "2023-07-13T25:99:99Z"}', "story.txt", "impossible date '2023-07-13T25:99:99Z'"),
    ('{"title": NaN}', "story.meta.json", "metadata 'title' must be text, not nan"),
    ('{"author": Infinity}', "story.meta.json", "metadata 'author' must be text, not inf"),
    ('{"title": "' + "T" * 5000 + '"}', "story.meta.json",
     "metadata 'title' is too long (5,000 characters; limit 2,000)"),
], ids=["year-1", "year-9999", "impossible-time", "nan", "infinity", "long-title"])
def test_the_sidecar_value_is_refused(runner, tmp_path, sidecar, where, message):
    (tmp_path / "story.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(sidecar, encoding="utf-8")
    store = tmp_path / "store"
    result = runner.invoke(cli, ["ingest", str(tmp_path / "story.txt"), "--store", str(store)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [f"Error: {tmp_path / where}: {message}"], result.stderr
    assert "0 added" in result.stdout


def test_a_valid_timestamp_is_cut_to_its_date():
    from kg.documents import parse_date

    assert str(parse_date("2023-07-13T10:30:00Z", "x")) == "2023-07-13"
    assert str(parse_date("2023-07-13 23:59:59+02:00", "x")) == "2023-07-13"
