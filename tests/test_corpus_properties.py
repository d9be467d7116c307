"""Property tests of the corpus on disk (issue 12): what import writes, read reads back.

* cells of random lengths around Python's CSV field limit (131,072) round-trip through a corpus
  directory and through a CSV source table;
* a source is read once: after the import the file may be gone, and its copy in ``source/`` is
  still the bytes the corpus was made from;
* JSON nested to random depths is read or refused with the file and line, never a RecursionError;
* rows of ``links.csv`` given again count once, each repeat a warning.

Bounded and reproducible like ``tests/test_properties_importers.py``: ``derandomize=True``, no
example database.
"""

from __future__ import annotations

import hashlib
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from analysis.corpus_io import MAX_JSON_DEPTH, load_corpus, read_corpus, write_corpus
from analysis.errors import InputError
from analysis.importers import import_source

from conftest import ROOT, SEED

PROPERTY = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
LIMIT = 131_072  # csv.field_size_limit() before keikaku raises it
LENGTHS = st.one_of(st.integers(LIMIT - 3, LIMIT + 3), st.integers(1, 3 * LIMIT))
PIECES = st.sampled_from(["見守り", "連携", ",", '"', "\r\n", "\n", " ", "😀", "a"])
EXAMPLE = ROOT / "corpus" / "examples"
BASE = import_source(SEED, name="x")


def long_text(length: int, pieces: list[str]) -> str:
    unit = "".join(pieces) or "あ"
    return (unit * (length // len(unit) + 1))[:length]


@settings(max_examples=12, **PROPERTY)
@given(length=LENGTHS, pieces=st.lists(PIECES, min_size=1, max_size=5),
       field=st.sampled_from(["evaluation", "text", "title", "initiative"]))
def test_property_long_cells_round_trip_through_the_corpus_directory(tmp_path_factory, length, pieces, field):
    corpus = import_source(SEED, name="x")
    direction = next(corpus.directions())
    value = long_text(length, pieces)
    if field == "initiative":
        direction.initiatives.append(value)
    else:
        setattr(direction, field, value)
    target = tmp_path_factory.mktemp("long") / "c"
    write_corpus(corpus, target)
    assert read_corpus(target) == corpus


@settings(max_examples=6, **PROPERTY)
@given(length=LENGTHS, column=st.integers(2, 3))
def test_property_long_cells_in_a_csv_source_are_imported(tmp_path_factory, length, column):
    lines = (EXAMPLE / "plan.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    value = long_text(length, ["担い手", "不足"])
    cells[column] = value
    lines[1] = ",".join(cells)
    tmp = tmp_path_factory.mktemp("longcsv")
    path = tmp / "plan.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = import_source(path, mapping=EXAMPLE / "mapping.toml")
    d = corpus.direction("P2-1-1")
    assert value in (d.evaluation if column == 3 else " ".join(d.initiatives))
    write_corpus(corpus, tmp / "c", sources=[path])
    assert read_corpus(tmp / "c") == corpus


def _xlsx(path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in (EXAMPLE / "plan.csv").read_text(encoding="utf-8").splitlines():
        workbook.active.append(row.split(","))
    workbook.save(path)


@settings(max_examples=8, **PROPERTY)
@given(kind=st.sampled_from(["txt", "csv", "xlsx"]), tail=st.binary(max_size=0) | st.just(b"\n\n"))
def test_property_a_source_is_read_once(tmp_path_factory, kind, tail):
    """The import keeps the bytes it read: the file can be gone before the directory is written."""
    tmp = tmp_path_factory.mktemp("once")
    path = tmp / f"source.{kind}"
    if kind == "xlsx":
        _xlsx(path)
    else:
        path.write_bytes((SEED if kind == "txt" else EXAMPLE / "plan.csv").read_bytes() + tail)
    data = path.read_bytes()
    mapping = None if kind == "txt" else EXAMPLE / "mapping.toml"
    corpus = import_source(path, mapping=mapping)
    path.unlink()  # anything that opened the source again would fail now
    write_corpus(corpus, tmp / "c", sources=[path])
    assert (tmp / "c" / "source" / path.name).read_bytes() == data
    assert read_corpus(tmp / "c").sources[0]["sha256"] == hashlib.sha256(data).hexdigest()


@settings(max_examples=40, **PROPERTY)
@given(depth=st.one_of(st.integers(1, 2 * MAX_JSON_DEPTH), st.integers(900, 5000), st.just(100_000)),
       brackets=st.sampled_from(["[]", "{}", "mixed"]), at=st.sampled_from(["plans", "links", "name", "extra"]),
       lines=st.integers(0, 3))
def test_property_any_nesting_depth_is_read_or_refused_with_file_and_line(tmp_path_factory, depth, brackets,
                                                                          at, lines):
    opened = closed = ""
    for level in range(depth):
        pair = brackets if brackets != "mixed" else ("[]" if level % 3 else "{}")
        opened += pair[0] if pair == "[]" else '{"k": '
        closed = pair[1] + closed
    data = BASE.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    nested = opened + closed
    text = text.replace(f'"{at}": ', f'"{at}": ' + "\n" * lines + nested + ", \"_\": ", 1) if at != "extra" \
        else text[:-1] + ', "extra":' + "\n" * lines + nested + "}"
    path = tmp_path_factory.mktemp("deep") / "corpus.json"
    path.write_text(text, encoding="utf-8")
    try:
        load_corpus(path)
    except InputError as error:
        assert error.file == str(path)
        if depth + 1 > MAX_JSON_DEPTH:
            assert error.line == 1 + lines and str(MAX_JSON_DEPTH) in error.message, str(error)
    else:
        assert depth + 1 <= MAX_JSON_DEPTH


@settings(max_examples=15, **PROPERTY)
@given(repeats=st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=6))
def test_property_repeated_link_rows_count_once(tmp_path_factory, repeats):
    target = tmp_path_factory.mktemp("links") / "c"
    write_corpus(BASE, target)
    path = target / "links.csv"
    lines = path.read_bytes().split(b"\r\n")
    header, rows, end = lines[0], lines[1:-1], lines[-1]
    for which, where in repeats:
        rows.insert(where % (len(rows) + 1), rows[which % len(rows)])
    path.write_bytes(b"\r\n".join([header, *rows, end]))
    back = read_corpus(target)
    order = lambda links: sorted(links, key=lambda link: json.dumps(link.to_dict()))  # noqa: E731
    assert order(back.links) == order(BASE.links)  # a copy inserted above its original comes first
    assert len([w for w in back.warnings if w.file == "links.csv"]) == len(repeats)
