"""``keikaku tokens``: how Sudachi cut each sentence, the view a planner checks a word list with
(in the spirit of KH Coder's morphological-analysis view)."""

from __future__ import annotations

import argparse
import sys
from typing import Iterator

from .text import FIELD_LABELS, load_inputs, settings_record


def register(subparsers, parent: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "tokens", parents=[parent], help="各文の形態素の切れ目を表示する（語のリストの確認に）",
        description="各文を Sudachi で形態素に分け、表層形・正規化形・品詞を表示する。"
                    "--user-dict で語のリストを与えると、その語がひとまとまりになるか確かめられる。")
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="コーパスのディレクトリまたはファイル（省略時は同梱のコーパス）")
    p.add_argument("--json", action="store_true", help="結果を JSON で出力する")
    p.add_argument("--word", metavar="WORD", default=None,
                   help="この語を含む文だけを表示する（原文での一致）")
    p.set_defaults(handler=run_tokens)


def pos_tag(pos: tuple[str, ...]) -> str:
    """A part of speech as one tag: its fields joined with ``-``, unset fields (``*``) left out.

    >>> pos_tag(("名詞", "普通名詞", "一般", "*", "*", "*"))
    '名詞-普通名詞-一般'
    """
    return "-".join(p for p in pos if p and p != "*")


def iter_token_rows(tokens, *, word: str | None = None) -> Iterator[dict]:
    """One dict per sentence, one at a time: ``unit``, ``direction``, ``field``, ``line``, ``text``
    and ``tokens`` (each ``surface``, ``normalized``, ``pos``); only sentences holding ``word`` when
    given.  No sentence's tokens are held after its row (a national corpus's rows would not fit in
    memory at once)."""
    for unit, sentences in tokens:
        for sentence in sentences:
            if word and word not in sentence.text:
                continue
            yield {
                "unit": unit.id, "direction": unit.direction_id, "field": unit.field, "line": unit.line,
                "text": sentence.text,
                "tokens": [{"surface": t.surface, "normalized": t.norm, "pos": pos_tag(t.pos)}
                           for t in sentence.tokens],
            }
            sentence.forget_tokens()


def run_tokens(args: argparse.Namespace) -> int:
    inputs = load_inputs(args)
    if args.json:  # written a sentence at a time: a national corpus's rows do not fit in memory at once
        from ..outputs import json_chunks

        rows = iter_token_rows(inputs.tokens, word=args.word)
        sys.stdout.writelines(json_chunks({"sentences": rows, "settings": settings_record(inputs, word=args.word)},
                                          stream="sentences"))
        return 0
    used = inputs.tokens.settings.get("tokens", {}).get("user_dictionary")
    words = f"、語のリスト {used['words']} 語" if used else ""
    count = sum(1 for _, sentences in inputs.tokens for s in sentences if not args.word or args.word in s.text)
    print(f"形態素解析（分割モード {inputs.tokens.split_mode}{words}）: {count} 文")
    for row in iter_token_rows(inputs.tokens, word=args.word):
        field = FIELD_LABELS.get(row["field"], row["field"])
        line = row["line"] if row["line"] is not None else "?"
        print(f"\n{row['direction']} {field} {line}行: {row['text']}")
        print(" | ".join(f"{t['surface']}/{t['pos']}" for t in row["tokens"]))
    return 0
