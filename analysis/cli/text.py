"""``keikaku terms``, ``keikaku themes`` and ``keikaku kwic``: the text stages from the terminal.

Also the small shared plumbing other commands may reuse: :func:`load_inputs` (settings, corpus,
text units and tokens from parsed arguments), :func:`settings_record` (what goes under
``settings`` in every JSON), :func:`print_json` and :func:`format_table` (aligned columns that
count full-width characters as two).

Nothing heavy is imported at module level: ``keikaku --help`` must start fast.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

from . import non_negative_int

FIELD_LABELS = {"title": "施策名", "initiative": "取組内容", "evaluation": "評価", "description": "方向性"}


# ------------------------------------------------------------------------------ shared plumbing

@dataclass
class Inputs:
    """What a text command works on."""

    settings: Any  # analysis.settings.Settings
    corpus: Any  # analysis.corpus.Corpus
    units: list
    tokens: Any  # analysis.tokens.Tokens
    path: str | None


def load_settings(args: argparse.Namespace):
    """The settings of ``--settings`` (default: the bundled ones), with ``--user-dict`` applied."""
    import os

    from ..settings import Settings, default_settings

    path = getattr(args, "settings", None)
    settings = Settings.load(path) if path else default_settings()
    words = getattr(args, "user_dict", None)
    if words:  # a path on the command line is relative to the current folder, not the settings file
        settings = settings.replace(tokens={"user_dictionary": os.path.abspath(words)})
    return settings


def load_inputs(args: argparse.Namespace, *, fields: tuple[str, ...] | None = None) -> Inputs:
    """Settings (``--settings``), the corpus (``args.path``, default the bundled one), its text
    units and their tokens (split mode and variant table from the settings)."""
    from ..corpus_io import load_corpus
    from ..tokens import tokenize_corpus

    settings = load_settings(args)
    path = getattr(args, "path", None)
    corpus = load_corpus(path)
    tokens = tokenize_corpus(corpus, settings=settings, fields=fields)
    units = tokens.units
    return Inputs(settings=settings, corpus=corpus, units=units, tokens=tokens, path=path)


def settings_record(inputs: Inputs, **options: Any) -> dict:
    """``settings`` of a JSON result: every setting, the split mode, the dictionary version, the
    corpus and the command's own options."""
    from ..tokens import dictionary_version

    record = inputs.settings.to_dict()
    record["split_mode"] = inputs.tokens.split_mode
    record["dictionary_version"] = dictionary_version()
    record["corpus"] = inputs.path if inputs.path is not None else "(bundled)"
    record["settings_file"] = inputs.settings.source
    record["options"] = {k: v for k, v in sorted(options.items())}
    return record


def print_json(obj: Any) -> None:
    from ..outputs import json_dumps

    sys.stdout.write(json_dumps(obj))


def display_width(text: str) -> int:
    """Terminal columns: full-width and wide characters count two.

    >>> display_width("担い手a")
    7
    """
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 0 if unicodedata.combining(c) else 1
               for c in text)


def _pad(text: str, width: int, align: str) -> str:
    gap = max(width - display_width(text), 0)
    return (" " * gap + text) if align == "r" else (text + " " * gap)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, align: str | None = None) -> str:
    """Rows as aligned columns (``align``: one of "l"/"r" per column; numbers default to right).

    >>> print(format_table(["語", "回数"], [["担い手不足", 3], ["連携", 12]]))
    語          回数
    担い手不足     3
    連携          12
    """
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    if align is None:
        align = "".join("r" if rows and all(isinstance(r[i], (int, float)) for r in rows) else "l"
                        for i in range(len(headers)))
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(_pad(cell, widths[i], align[i]) for i, cell in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    out, used = [], 0
    for ch in text:
        used += display_width(ch)
        if used > width - 1:
            out.append("…")
            break
        out.append(ch)
    return "".join(out)


def _add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", metavar="PATH",
                        help="コーパスのディレクトリまたはファイル（省略時は同梱のコーパス）")
    parser.add_argument("--json", action="store_true", help="結果を JSON で出力する")


# ------------------------------------------------------------------------------ commands

def register(subparsers, parent: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("terms", parents=[parent], help="重要語（単語と複合語）を順位づけて表示する",
                              description="名詞の連続から単語と複合語を取り出して順位づける。既定の keyterms は、"
                                          "単語（√(単独の出現数×文書数)）と複合語（それに FLR の連接の重みを掛けたもの）を"
                                          "それぞれ順位づけ、交互に並べる。1 回しか出ない語は 2 回以上出る語の後に置く。")
    _add_path(p)
    p.add_argument("--method", choices=("keyterms", "flr", "cvalue", "frequency"), default=None,
                   help="順位づけの方法: keyterms（単語と複合語）、flr・cvalue（複合語）、frequency（出現数）"
                        "（既定: 設定 [terms] method）")
    p.add_argument("--top", type=non_negative_int, default=None, metavar="N", help="表示する語の数（既定: 設定 [terms] top）")
    p.set_defaults(handler=run_terms)

    p = subparsers.add_parser("themes", parents=[parent], help="テーマの出現と評価文の立場を表示する",
                              description="テーマ辞書（themes.toml）で各テキストをコード化し、世代ごとに数える。"
                                          "評価の各文を 達成・取組・課題・持ち越し に分類する。")
    _add_path(p)
    p.add_argument("--candidates", type=non_negative_int, default=None, metavar="N",
                   help="辞書にないテーマ候補の数（既定: 設定 [themes] candidates、0 で省略）")
    p.add_argument("--theme", metavar="NAME", default=None,
                   help="このテーマを含むテキストを根拠の語と文とともに一覧する")
    p.set_defaults(handler=run_themes)

    p = subparsers.add_parser("kwic", parents=[parent], help="語の前後の文脈（KWIC）を表示する",
                              description="語を正規化形で探し、原文の前後の文脈とともに表示する。")
    p.add_argument("word", metavar="WORD", help="探す語（例: 担い手不足）")
    _add_path(p)
    p.add_argument("--window", type=non_negative_int, default=5, metavar="N", help="前後に表示する形態素の数（既定: 5）")
    p.set_defaults(handler=run_kwic)


def run_terms(args: argparse.Namespace) -> int:
    from ..errors import SettingsError, check_choice
    from ..terms import METHODS, term_table
    from ..terms.keyterms import COLUMN_LABELS, KIND_LABELS, METHOD_LABELS

    inputs = load_inputs(args)
    method = args.method or inputs.settings.get("terms", "method")
    check_choice("method", method, METHODS)
    top = args.top if args.top is not None else int(inputs.settings.get("terms", "top"))
    if top < 0:
        raise SettingsError("--top must be 0 or more", field="top")
    min_frequency = int(inputs.settings.get("terms", "min_frequency"))
    min_parts = int(inputs.settings.get("terms", "min_parts")) if method in ("flr", "cvalue") else None
    table = term_table(inputs.tokens, method=method, top=top, min_frequency=min_frequency, min_parts=min_parts)
    if args.json:
        print_json({"terms": [t.to_dict() for t in table],
                    "settings": settings_record(inputs, method=method, top=top, min_frequency=min_frequency)})
        return 0
    print(f"{METHOD_LABELS[method]}の順位（上位 {len(table)} 語、テキスト {len(inputs.units)} 件）")
    if not table:
        print("（語は見つかりませんでした）")
        return 0
    columns = ["term", "kind", "score", "total_frequency", "frequency", "document_frequency"]
    rows = [[rank, t.term, KIND_LABELS[t.kind], f"{t.score:.2f}", t.total_frequency, t.frequency,
             t.document_frequency] for rank, t in enumerate(table, 1)]
    print(format_table(["順位", *(COLUMN_LABELS[c] for c in columns)], rows, align="rllrrrr"))
    return 0


def themes_result(inputs: Inputs, *, candidates: int) -> dict:
    """The JSON object of ``keikaku themes`` (also used by the terminal output)."""
    from ..settings import file_record
    from ..stance import evaluation_stances, load_cues, stance_summary
    from ..themes import code_units, load_lexicon, theme_candidates, theme_count_dict, theme_units

    lexicon = load_lexicon(settings=inputs.settings)
    cues = load_cues(settings=inputs.settings)
    coded = code_units(inputs.tokens, lexicon)
    counts = theme_count_dict(coded, by="generation")
    by_field = theme_count_dict(coded, by="field")
    sentences = theme_count_dict(coded, by="generation", count="sentences")
    themes = []
    for theme in lexicon.themes:
        units = theme_units(coded, theme.name)
        themes.append({
            "name": theme.name, "description": theme.description, "counts": counts[theme.name],
            "counts_by_field": by_field[theme.name], "sentence_counts": sentences[theme.name], "units": units,
        })
    stances = evaluation_stances(inputs.tokens, cues=cues)
    section = inputs.settings.section("themes")
    proposed = theme_candidates(
        inputs.tokens, lexicon, top=candidates, background=float(section["candidate_background"]),
        min_units=int(section["candidate_min_units"]), seed=int(inputs.settings.get("cooccurrence", "seed")),
        cooccurrence={"min_jaccard": float(inputs.settings.get("cooccurrence", "min_jaccard")),
                      "min_frequency": int(inputs.settings.get("cooccurrence", "min_frequency"))},
    ) if candidates > 0 else []
    return {
        "themes": themes, "stances": stances, "stance_summary": stance_summary(stances, default=cues.default),
        "candidates": proposed,
        "generations": sorted({str(u.generation) for u in inputs.units}, key=int),
        "settings": settings_record(inputs, candidates=candidates, lexicon=file_record(lexicon.source),
                                    stance_cues=file_record(cues.source),
                                    count="text units carrying the theme"),
    }


def run_themes(args: argparse.Namespace) -> int:
    from ..errors import SettingsError

    inputs = load_inputs(args)
    candidates = args.candidates if args.candidates is not None else int(inputs.settings.get("themes", "candidates"))
    if candidates < 0:
        raise SettingsError("--candidates must be 0 or more", field="candidates")
    if args.theme is not None:
        from ..themes import load_lexicon

        load_lexicon(settings=inputs.settings).get(args.theme)  # an unknown name is an error
        candidates = 0
    result = themes_result(inputs, candidates=candidates)
    if args.theme is not None:
        result["themes"] = [t for t in result["themes"] if t["name"] == args.theme]
    if args.json:
        print_json(result)
        return 0
    if args.theme is not None:
        [theme] = result["themes"]
        counts = "、".join(f"第{g}次 {theme['counts'].get(g, 0)}" for g in result["generations"])
        print(f"テーマ「{theme['name']}」: {theme['description']}（{counts}）")
        if not theme["units"]:
            print("（このテーマを含むテキストはありません）")
            return 0
        rows = [[u["direction"], FIELD_LABELS.get(u["field"], u["field"]), u["line"] if u["line"] is not None else "",
                 "、".join(u["words"]), _short(" ".join(u["sentences"]), 70)] for u in theme["units"]]
        print(format_table(["施策", "欄", "行", "根拠の語", "文"], rows, align="llrll"))
        return 0
    generations = result["generations"]
    print(f"テーマの出現（テキスト単位 {len(inputs.units)} 件。数はそのテーマを含むテキスト単位の数）")
    rows = []
    for theme in result["themes"]:
        words: dict[str, int] = {}
        for unit in theme["units"]:
            for word in unit["words"]:
                words[word] = words.get(word, 0) + 1
        top_words = "、".join(w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
        rows.append([theme["name"], *[theme["counts"].get(g, 0) for g in generations],
                     theme["counts_by_field"].get("evaluation", 0), top_words])
    print(format_table(["テーマ", *[f"第{g}次" for g in generations], "うち評価", "主な語"], rows,
                       align="l" + "r" * (len(generations) + 1) + "l"))
    _print_stances(result["stances"], result["stance_summary"])
    if result["candidates"]:
        print()
        print("辞書にないテーマの候補（themes.toml に加えるか検討してください）")
        print(format_table(["候補", "語", "理由"],
                           [[c["name"], _short("、".join(c["terms"]), 30), c["why"]] for c in result["candidates"]],
                           align="lll"))
    return 0


def _print_stances(stances: list[dict], summary: dict) -> None:
    """The stance part of ``keikaku themes``: counts, how many rest on no cue, the problem sentences."""
    from ..labels import STANCE, STANCE_ORDER

    print()
    print(f"評価の文の立場（評価の文 {summary['sentences']} 件）")
    print("  " + "  ".join(f"{STANCE[s]} {summary['counts'].get(s, 0)}" for s in STANCE_ORDER))
    if summary["sentences"]:
        print(f"  手がかり語のない文 {summary['default']} 件（全体の {summary['default_share']:.0%}）は"
              f"『{STANCE.get(summary['default_stance'], summary['default_stance'])}』としています")
    flagged = [r for r in stances if r["stance"] in ("issue", "carried_over")]
    if flagged:
        print()
        print("課題・持ち越しとされた文")
        print(format_table(
            ["施策", "行", "立場", "手がかり", "文"],
            [[r["direction"], r["line"] if r["line"] is not None else "", STANCE.get(r["stance"], r["stance"]),
              "、".join(r["cues"]), _short(r["sentence"])] for r in flagged],
            align="lrlll"))


def run_kwic(args: argparse.Namespace) -> int:
    from ..errors import SettingsError
    from ..terms import kwic

    if args.window < 0:
        raise SettingsError("--window must be 0 or more", field="window")
    inputs = load_inputs(args)
    hits = kwic(inputs.tokens, args.word, window=args.window)
    if args.json:
        print_json({"word": args.word, "window": args.window, "hits": hits,
                    "settings": settings_record(inputs, word=args.word, window=args.window)})
        return 0
    print(f"「{args.word}」の文脈（{len(hits)} 件、前後 {args.window} 形態素）")
    if not hits:
        return 0
    left_width = max(display_width(_flat(h["left"])) for h in hits)
    for h in hits:
        where = f"{h['direction_id']} {FIELD_LABELS.get(h['field'], h['field'])} 行{h['line'] if h['line'] is not None else '?'}"
        print(f"{_pad(_flat(h['left']), left_width, 'r')} 【{_flat(h['keyword'])}】 {_flat(h['right'])}    ({where})")
    return 0


def _flat(text: str) -> str:
    return " ".join(text.split())
