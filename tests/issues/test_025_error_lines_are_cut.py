"""Issue 8, item 11: error messages repeated a 100 KB argument in full.

``kg query who-said-what --param speaker=<100 KB>`` printed a 100 KB ``Error:`` line, as did any
message quoting a huge path or value. Error lines are now one line of at most 500 characters: an
over-long message is cut in the middle (its start and its end are kept) and control characters
are escaped.
"""


from kg.cli import cli

BIG = "x" * 100_000


def the_error(result) -> str:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr[:1000]
    return lines[0]


def test_a_huge_parameter_value_is_cut_in_the_error(runner, small_store_path):
    result = runner.invoke(cli, ["query", "who-said-what", "--param", f"speaker={BIG}",
                                 "--store", str(small_store_path)])
    assert result.exit_code == 1
    error = the_error(result)
    assert len(error) <= 600, len(error)
    assert error.startswith("Error: no entity is named 'xxx") and " … " in error


def test_a_huge_missing_path_is_cut_in_the_error(runner, tmp_path):
    missing = tmp_path / ("y" * 200) / ("z" * 200) / ("w" * 200) / "story.txt"
    result = runner.invoke(cli, ["ingest", str(missing), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    error = the_error(result)
    assert len(error) <= 600, len(error)
    assert error.endswith("story.txt: no such file")


def test_a_huge_invalid_query_gives_a_short_error(runner, small_store_path):
    result = runner.invoke(cli, ["query", "--sparql", BIG, "--store", str(small_store_path)])
    assert result.exit_code == 1
    assert len(the_error(result)) <= 600


def test_a_huge_query_name_is_an_unknown_query(runner, small_store_path):
    result = runner.invoke(cli, ["query", "n" * 300, "--store", str(small_store_path)])
    assert result.exit_code == 2
    assert the_error(result).startswith("Error: unknown query 'nnn")
