"""Owners compared across chains (:mod:`analysis.owners`), ``keikaku owners`` and the report's
section 「策定主体の比較」.

The small corpora are built so the answer is known: two owners whose evaluations are about 見守り
and 担い手, two about 防災, one whose text carries no theme.  The fast path (sparse products of
row blocks, top-k by argpartition) is checked against the plain definition written out here: all
pairs, the cosine of dense rows.
"""

from __future__ import annotations

import csv
import html
import json
import math
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
import scipy.sparse.linalg

from analysis.cli import main
from analysis.corpus import Corpus, Direction, Goal, Plan, owner_key
from analysis.errors import EXIT_INPUT, EXIT_OUTPUT, SettingsError
from analysis.outputs import json_dumps
from analysis.owners import NEAREST_COLUMNS, OwnerProfiles, nearest_owners, owner_profiles
from analysis.pipeline import analyze
from analysis.settings import default_settings
from analysis.terms import make_analyzer
from test_benchmarks import load  # loads a module of benchmarks/

# owner → generations → evaluation texts (one direction each)
OWNERS = {
    "甲市": [["高齢者の見守り活動を行った。", "見守りの担い手が不足している。"]],
    "乙町": [["見守りの担い手不足が課題となった。"]],
    "丙村": [["防災訓練を実施した。"]],
    "丁市": [["災害時の避難支援と防災訓練を行った。"]],
    "戊町": [["計画を策定した。"]],
}


def make_corpus(owners: dict[str, list[list[str]]], *, title: str = "地域の活動") -> Corpus:
    plans = []
    for i, (owner, generations) in enumerate(owners.items(), 1):
        for g, texts in enumerate(generations, 1):
            pid = f"O{i}-P{g}" if len(owners) > 1 else f"P{g}"
            directions = [Direction(id=f"{pid}-1-{n}", plan_id=pid, goal_number=1, number=n, title=title,
                                    evaluation=text, source_lines=[n]) for n, text in enumerate(texts, 1)]
            plans.append(Plan(id=pid, generation=g, title=f"第{g}次{owner}計画", owner=owner,
                              goals=[Goal(pid, 1, "目標", directions=directions)]))
    return Corpus(name="owners", plans=plans)


@pytest.fixture(scope="module")
def analysis():
    return analyze(make_corpus(OWNERS))


# -- the plain definitions -----------------------------------------------------------------

def plain_counts(analysis, by: str, plans: str = "all") -> tuple[list[str], list[Counter]]:
    """Owner by owner, unit by unit: themes carried (themes) or analyzer features (terms)."""
    chains = analysis.corpus.chains()
    analyzer = make_analyzer(stopwords=analysis.stopwords, split_mode=analysis.tokens.split_mode)
    coded = {c.unit.id: c for c in analysis.coded.units}
    out = []
    for chain in chains.values():
        last = max(p.generation for p in chain)
        ids = {p.id for p in chain if plans == "all" or p.generation == last}
        counter: Counter = Counter()
        for unit in analysis.tokens.units:
            if unit.plan_id in ids:
                counter.update(list(coded[unit.id].themes) if by == "themes" else analyzer(unit.text))
        out.append(counter)
    return list(chains), out


def plain_weights(counts: np.ndarray) -> np.ndarray:
    """TF-IDF across owners written out: idf = ln((1 + n) / (1 + df)) + 1, rows of unit length."""
    n = counts.shape[0]
    df = (counts > 0).sum(axis=0)
    weighted = counts * (np.log((1 + n) / (1 + df)) + 1)
    norms = np.linalg.norm(weighted, axis=1, keepdims=True)
    return np.divide(weighted, norms, out=np.zeros_like(weighted), where=norms > 0)


def plain_nearest(owners, features, dense: np.ndarray, *, top: int, shared: int = 5) -> pd.DataFrame:
    """All pairs: the cosine of dense rows, best first, ties by owner order, never oneself."""
    rows = []
    norms = np.linalg.norm(dense, axis=1)
    for a in range(len(owners)):
        pairs = []
        for b in range(len(owners)):
            if b == a or norms[a] == 0 or norms[b] == 0:
                continue
            cosine = round(float(dense[a] @ dense[b] / (norms[a] * norms[b])), 12)
            if cosine > 0:
                pairs.append((-cosine, b))
        best = sorted(pairs)[:top]
        if not best:
            rows.append((owners[a], pd.NA, "", np.nan, ""))
        for rank, (negative, b) in enumerate(best, 1):
            products = [(-round(float(dense[a, j] * dense[b, j]), 12), j) for j in range(dense.shape[1])
                        if dense[a, j] * dense[b, j] > 0]
            names = [features[j] for _, j in sorted(products)[:shared]]
            rows.append((owners[a], rank, owners[b], -negative, "、".join(names)))
    return pd.DataFrame(rows, columns=list(NEAREST_COLUMNS)).astype({"rank": "Int64", "similarity": "float64"})


def assert_same(fast: pd.DataFrame, plain: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast[["owner", "rank", "neighbour", "shared"]],
                                  plain[["owner", "rank", "neighbour", "shared"]])
    np.testing.assert_allclose(fast["similarity"].to_numpy(), plain["similarity"].to_numpy(), rtol=1e-9)


def profiles_of(counts: np.ndarray, owners=None, features=None) -> OwnerProfiles:
    owners = tuple(owners or (f"O{i}" for i in range(counts.shape[0])))
    features = tuple(features or (f"f{j}" for j in range(counts.shape[1])))
    return OwnerProfiles(owners=owners, plans=tuple(() for _ in owners), features=features,
                         counts=scipy.sparse.csr_matrix(counts),
                         matrix=scipy.sparse.csr_matrix(plain_weights(counts.astype(float))))


@pytest.fixture(scope="module")
def generated():
    """A generated corpus of 5 owners × 3 generations."""
    corpus = load("generate_plans").generate_corpus(15, generations=3)
    assert len(corpus.chains()) == 5
    return analyze(corpus)


# -- profiles --------------------------------------------------------------------------------

def test_profiles_hold_the_owners_and_their_plans(analysis):
    profiles = owner_profiles(analysis)
    assert profiles.owners == tuple(OWNERS)
    assert profiles.plans == tuple((f"O{i}-P1",) for i in range(1, 6))
    assert profiles.features == tuple(analysis.lexicon.names)
    assert profiles.empty() == [False, False, False, False, True]


@pytest.mark.parametrize("by", ["themes", "terms"])
def test_counts_and_weights_are_the_plain_definition(analysis, by):
    profiles = owner_profiles(analysis, by=by)
    owners, counters = plain_counts(analysis, by)
    assert profiles.owners == tuple(owners)
    features = list(profiles.features)
    expected = np.array([[c.get(f, 0) for f in features] for c in counters])
    assert set().union(*counters) <= set(features)
    np.testing.assert_array_equal(profiles.counts.toarray(), expected)
    np.testing.assert_allclose(profiles.matrix.toarray(), plain_weights(expected.astype(float)), atol=1e-12)


@pytest.mark.parametrize("owner, theme, units", [
    ("甲市", "見守り", 2), ("甲市", "担い手不足", 1), ("乙町", "見守り", 1), ("丙村", "災害・防災", 1),
    ("丁市", "災害・防災", 1), ("戊町", "見守り", 0),
])
def test_theme_counts_are_units_carrying_the_theme(analysis, owner, theme, units):
    profiles = owner_profiles(analysis)
    assert profiles.counts[profiles.owners.index(owner), profiles.features.index(theme)] == units


def test_a_theme_more_owners_share_weighs_less():
    # 連携 in the title of four owners' units, 見守り in two owners' evaluations, once each
    corpus = make_corpus({**OWNERS, "戊町": [["特になし。"]]}, title="関係機関との連携")
    corpus.plans[-1].goals[0].directions[0].title = "計画の策定"
    profiles = owner_profiles(analyze(corpus))
    row, common, rare = 1, profiles.features.index("連携・協働"), profiles.features.index("見守り")
    assert profiles.counts[row, common] == profiles.counts[row, rare] == 1
    assert profiles.matrix[row, common] < profiles.matrix[row, rare]
    assert math.isclose(scipy.sparse.linalg.norm(profiles.matrix[row]), 1.0)


def test_latest_plans_only():
    owners = {"甲市": [["見守り活動を行った。", "見守りの担い手を育てた。"], ["防災訓練を行った。"]],
              "乙町": [["見守り活動を行った。"]], "丙村": [["防災訓練を実施した。"]]}
    a = analyze(make_corpus(owners))
    every, latest = owner_profiles(a), owner_profiles(a, plans="latest")
    assert every.plans[0] == ("O1-P1", "O1-P2") and latest.plans[0] == ("O1-P2",)
    assert nearest_owners(every, top=1)["neighbour"].tolist()[0] == "乙町"
    assert nearest_owners(latest, top=1)["neighbour"].tolist()[0] == "丙村"


def test_spellings_of_one_owner_are_one_profile():
    corpus = make_corpus(OWNERS)
    corpus.plans.append(Plan(id="O1-P2", generation=2, title="第2次", owner="甲　市", goals=[
        Goal("O1-P2", 1, "目標", directions=[Direction(id="O1-P2-1-1", plan_id="O1-P2", goal_number=1, number=1,
                                                      title="防災", evaluation="防災訓練を行った。")])]))
    profiles = owner_profiles(analyze(corpus))
    assert profiles.owners == tuple(OWNERS) and profiles.plans[0] == ("O1-P1", "O1-P2")


# -- nearest owners --------------------------------------------------------------------------

@pytest.mark.parametrize("owner, neighbours", [
    ("甲市", ["乙町"]), ("乙町", ["甲市"]), ("丙村", ["丁市"]), ("丁市", ["丙村"]), ("戊町", [""]),
])
def test_nearest_by_theme(analysis, owner, neighbours):
    near = nearest_owners(owner_profiles(analysis))
    assert near[near["owner"] == owner]["neighbour"].tolist() == neighbours


def test_shared_themes_weigh_most_in_both_first(analysis):
    near = nearest_owners(owner_profiles(analysis))
    first = near[near["owner"] == "甲市"].iloc[0]
    assert first["shared"] == "見守り、担い手不足"  # 見守り: 2 units of 甲市, 担い手不足: 1
    # both themes have the same idf, so the cosine is that of (2, 1) and (1, 1)
    assert math.isclose(first["similarity"], 3 / math.sqrt(10), rel_tol=1e-9)
    assert near[near["owner"] == "丙村"].iloc[0]["similarity"] == pytest.approx(1.0)


def test_an_empty_profile_has_no_neighbours_and_is_nobodys(analysis):
    near = nearest_owners(owner_profiles(analysis), top=10)
    row = near[near["owner"] == "戊町"]
    assert len(row) == 1 and pd.isna(row["rank"].iloc[0]) and math.isnan(row["similarity"].iloc[0])
    assert "戊町" not in near["neighbour"].tolist()


def test_nearest_by_terms(analysis):
    near = nearest_owners(owner_profiles(analysis, by="terms"))
    best = {r["owner"]: r["neighbour"] for r in near.to_dict("records") if r["rank"] == 1}
    assert best == {"甲市": "乙町", "乙町": "甲市", "丙村": "丁市", "丁市": "丙村", "戊町": "甲市"}
    shared = near[(near["owner"] == "丙村") & (near["rank"] == 1)]["shared"].iloc[0].split("、")
    assert {"防災", "訓練", "防災訓練"} <= set(shared)


@pytest.mark.parametrize("counts, top, expected", [
    # four equal profiles: ties go by owner order, at the k-th place too
    ([[1, 1], [1, 1], [1, 1], [1, 1]], 2, {"O0": ["O1", "O2"], "O3": ["O0", "O1"]}),
    # nothing shared: no neighbours, even with room for them
    ([[1, 0], [0, 1]], 3, {"O0": [""], "O1": [""]}),
    # one shared feature: only the owner holding it is a neighbour
    ([[1, 1, 0], [0, 1, 0], [0, 0, 1]], 5, {"O0": ["O1"], "O1": ["O0"], "O2": [""]}),
    # an owner of zeros among others
    ([[0, 0], [2, 1], [1, 2]], 1, {"O0": [""], "O1": ["O2"], "O2": ["O1"]}),
])
def test_ties_and_empty_rows(counts, top, expected):
    near = nearest_owners(profiles_of(np.array(counts)), top=top, chunk=1)
    for owner, neighbours in expected.items():
        assert near[near["owner"] == owner]["neighbour"].tolist() == neighbours


def generated_counts(seed: int, n: int = 60, m: int = 25) -> np.ndarray:
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 6, size=(n, m)) * (rng.random((n, m)) < 0.12)
    counts[rng.choice(n, 4, replace=False)] = 0  # empty profiles
    counts[10] = counts[11] = counts[12]  # equal profiles: ties
    return counts


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("top, chunk", [(1, 512), (3, 1), (5, 7), (100, 16)])
def test_fast_path_equals_plain_definition_on_generated_profiles(seed, top, chunk):
    counts = generated_counts(seed)
    profiles = profiles_of(counts)
    plain = plain_nearest(profiles.owners, profiles.features, plain_weights(counts.astype(float)), top=top)
    assert_same(nearest_owners(profiles, top=top, chunk=chunk), plain)


@pytest.mark.parametrize("by", ["themes", "terms"])
def test_fast_path_equals_plain_definition_on_a_generated_corpus(generated, by):
    profiles = owner_profiles(generated, by=by)
    owners, counters = plain_counts(generated, by)
    dense = plain_weights(np.array([[c.get(f, 0) for f in profiles.features] for c in counters], dtype=float))
    for top in (1, 3):
        assert_same(nearest_owners(profiles, top=top, chunk=2),
                    plain_nearest(tuple(owners), profiles.features, dense, top=top))


def test_deterministic_whatever_the_block_size(generated):
    frames = [nearest_owners(owner_profiles(generated, by="terms"), chunk=chunk) for chunk in (1, 2, 3, 512)]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])
    again = nearest_owners(owner_profiles(analyze(generated.corpus), by="terms"))
    pd.testing.assert_frame_equal(again, frames[0])


def test_a_generated_owner_is_never_its_own_neighbour(generated):
    near = nearest_owners(owner_profiles(generated), top=10)
    assert not (near["owner"] == near["neighbour"]).any()
    assert near.groupby("owner")["rank"].max().tolist() == [4] * 5  # every other owner, once


@pytest.mark.parametrize("call, field", [
    (lambda a: owner_profiles(a, by="words"), "by"),
    (lambda a: owner_profiles(a, plans="first"), "plans"),
    (lambda a: nearest_owners(owner_profiles(a), top=0), "top"),
    (lambda a: nearest_owners(owner_profiles(a), top=True), "top"),
    (lambda a: nearest_owners(owner_profiles(a), chunk=0), "chunk"),
    (lambda a: nearest_owners(owner_profiles(a), shared=-1), "shared"),
])
def test_bad_options_name_the_field(analysis, call, field):
    with pytest.raises(SettingsError) as info:
        call(analysis)
    assert info.value.field == field


# -- keikaku owners --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_json(tmp_path_factory):
    path = tmp_path_factory.mktemp("owners") / "owners.json"
    path.write_text(json_dumps(make_corpus(OWNERS).to_dict()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def one_owner_json(tmp_path_factory):
    path = tmp_path_factory.mktemp("one") / "one.json"
    path.write_text(json_dumps(make_corpus({"甲市": OWNERS["甲市"] * 2}).to_dict()), encoding="utf-8")
    return path


def blocks(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = out.setdefault(line[3:], [])
        elif current is not None and line.strip():
            current.append(line.strip())
    return out


def test_cli_text(corpus_json, capsys):
    assert main(["owners", str(corpus_json)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("策定主体の数: 5（")
    found = blocks(out)
    assert list(found) == list(OWNERS)
    assert found["甲市"][0] == "計画: O1-P1 第1次甲市計画"
    assert re.fullmatch(r"1\. 乙町（類似度 0\.949）  共通するテーマ: 見守り、担い手不足", found["甲市"][2])
    assert len(found["甲市"]) == 3  # only 乙町 shares a theme with 甲市
    assert found["戊町"][1] == "近い策定主体: なし（計画にテーマを含むテキストがありません）"


def test_cli_json(corpus_json, capsys):
    assert main(["owners", str(corpus_json), "--json", "--top", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == [] and data["by"] == "themes"
    records = {r["owner"]: r for r in data["owners"]}
    assert list(records) == list(OWNERS)
    assert records["甲市"]["plans"] == ["O1-P1"] and records["甲市"]["features"] == 2
    [first] = records["甲市"]["neighbours"]
    assert first == {"rank": 1, "owner": "乙町", "similarity": pytest.approx(3 / math.sqrt(10)),
                     "shared": ["見守り", "担い手不足"]}
    assert records["戊町"]["neighbours"] == [] and records["戊町"]["features"] == 0
    assert data["settings"]["options"] == {"by": "themes", "plans": "all", "top": 2}
    assert data["settings"]["report"]["list_rows"] == default_settings().get("report", "list_rows")


def test_cli_by_terms(corpus_json, capsys):
    assert main(["owners", str(corpus_json), "--json", "--by", "terms", "--top", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    best = {r["owner"]: r["neighbours"][0]["owner"] for r in data["owners"]}
    assert best["甲市"] == "乙町" and best["丙村"] == "丁市"
    assert data["settings"]["options"]["by"] == "terms"


def test_cli_csv(corpus_json, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["owners", str(corpus_json), "--csv", str(out)]) == 0
    raw = (out / "owner_similarity.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == list(NEAREST_COLUMNS)
    assert [(r["owner"], r["rank"], r["neighbour"]) for r in rows] == [
        ("甲市", "1", "乙町"), ("乙町", "1", "甲市"), ("丙村", "1", "丁市"), ("丁市", "1", "丙村"), ("戊町", "", "")]
    assert (out / ".keikaku-output").is_dir()
    assert main(["owners", str(corpus_json), "--csv", str(out)]) == 0  # its own folder again: fine


def test_cli_csv_refuses_a_folder_it_did_not_write(corpus_json, tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("私のメモ", encoding="utf-8")
    assert main(["owners", str(corpus_json), "--csv", str(out)]) == EXIT_OUTPUT
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("name", ["乙町", "乙　町", " 乙町 "])
def test_cli_one_owner(corpus_json, capsys, name):
    assert main(["owners", str(corpus_json), "--owner", name]) == 0
    found = blocks(capsys.readouterr().out)
    assert list(found) == ["乙町"] and found["乙町"][2].startswith("1. 甲市")
    assert main(["owners", str(corpus_json), "--owner", name, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["owner"] for r in data["owners"]] == ["乙町"]
    assert data["settings"]["options"]["owner"] == name


def test_cli_unknown_owner(corpus_json, capsys):
    assert main(["owners", str(corpus_json), "--owner", "己村"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "owner:" in err and "'己村'" in err and "甲市" in err


def test_cli_one_owner_corpus_is_a_note(one_owner_json, tmp_path, capsys):
    out = tmp_path / "csv"
    assert main(["owners", str(one_owner_json), "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert text.count("\n") == 1 and "2つ以上の策定主体" in text
    assert not (out / "owner_similarity.csv").exists()
    assert main(["owners", str(one_owner_json), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [n["code"] for n in data["notes"]] == ["single_owner"] and data["owners"] == []
    assert "settings" in data


@pytest.mark.parametrize("top", ["0", "-1", "x"])
def test_cli_bad_top(corpus_json, capsys, top):
    with pytest.raises(SystemExit) as info:
        main(["owners", str(corpus_json), "--top", top])
    assert info.value.code == 2
    assert "--top" in capsys.readouterr().err


# -- the report -------------------------------------------------------------------------------

FAST = default_settings().replace(report={"png": False})


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    from analysis import report

    data = report.report_data(make_corpus(OWNERS), settings=FAST)
    directory = report.write_report(data, tmp_path_factory.mktemp("report") / "report", generated_at=False)
    return data, directory, (directory / "index.html").read_text(encoding="utf-8")


def section(page: str, key: str) -> str | None:
    found = re.search(rf'<section id="{key}">(.*?)</section>', page, re.S)
    return found.group(1) if found else None


def body_rows(markup: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", markup, re.S).group(1)
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_report_section_with_several_owners(report_page):
    _, _, page = report_page
    owners = section(page, "owners")
    assert owners is not None and "策定主体の比較" in owners
    assert '<a href="#owners">策定主体の比較</a>' in page
    rows = body_rows(owners[owners.index('<table class="owners">'):])
    assert [r[0] for r in rows] == list(OWNERS)  # one row per owner
    assert rows[0][1] == "O1-P1"
    assert rows[0][2] == "乙町（0.949）：見守り、担い手不足"
    assert rows[2][2] == "丁市（1）：災害・防災"
    assert rows[-1][2] == "—"


def test_report_table_and_sheet(report_page):
    from openpyxl import load_workbook

    _, directory, _ = report_page
    rows = list(csv.reader((directory / "tables" / "owner_similarity.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["策定主体", "計画", "順位", "近い策定主体", "類似度", "共通するテーマ"]
    assert rows[1][:4] == ["甲市", "O1-P1", "1", "乙町"]
    assert "策定主体の比較" in load_workbook(directory / "keikaku.xlsx").sheetnames


def test_report_rows_are_capped_by_list_rows():
    from analysis import report

    data = report.report_data(make_corpus(OWNERS), settings=FAST.replace(report={"list_rows": 2}))
    owners = section(report.render_html(data, generated_at=False, figures={}), "owners")
    assert [r[0] for r in body_rows(owners[owners.index('<table class="owners">'):])] == ["甲市", "乙町"]
    assert "5 件のうち最初の 2 件" in owners and "tables/owner_similarity.csv" in owners


def test_one_owner_report_has_no_owner_section():
    from analysis import report

    data = report.report_data(make_corpus({"甲市": OWNERS["甲市"] * 2}), settings=FAST)
    assert data.owners is None and data.owner_profiles is None
    assert "owner_similarity" not in report.report_tables(data)
    assert section(report.render_html(data, generated_at=False, figures={}), "owners") is None


def test_owner_keys_fold_as_the_corpus_does():
    assert owner_key("乙　町") == owner_key("乙町")


def test_plans_without_an_owner_are_a_profile_of_their_own(capsys, tmp_path):
    corpus = make_corpus({**OWNERS, "": [["見守り活動の担い手を募った。"]]})
    profiles = owner_profiles(analyze(corpus))
    assert profiles.owners[-1] == "" and profiles.plans[-1] == ("O6-P1",)
    path = tmp_path / "c.json"
    path.write_text(json_dumps(corpus.to_dict()), encoding="utf-8")
    assert main(["owners", str(path), "--top", "1"]) == 0
    found = blocks(capsys.readouterr().out)
    assert "（策定主体の記載なし）" in found and found["（策定主体の記載なし）"][0] == "計画: O6-P1 第1次計画"


def test_owner_names_are_escaped_in_the_report():
    from analysis import report

    hostile = '<script>alert("x")</script>'
    corpus = make_corpus({hostile + "甲市": OWNERS["甲市"], "乙町": OWNERS["乙町"]})
    page = report.render_html(report.report_data(corpus, settings=FAST), generated_at=False, figures={})
    owners = section(page, "owners")
    assert "<script" not in owners.lower() and html.escape(hostile + "甲市", quote=True) in owners
