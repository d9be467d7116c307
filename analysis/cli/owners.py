"""``keikaku owners``: owners (cities and their 社協) compared by their themes or terms.

A thin wrapper over :mod:`analysis.owners`: every owner's profile, its plans and its nearest
owners with their similarity and the themes (or terms) they share.  A corpus of one owner gets
one line saying a comparison needs two or more (``notes`` in ``--json``), exit 0.  Nothing heavy
is imported at start-up.
"""

from __future__ import annotations

import argparse
import sys

CSV_FILE = "owner_similarity.csv"
BY_LABEL = {"themes": "テーマ", "terms": "語"}
PLANS_LABEL = {"all": "すべての計画", "latest": "最新の世代の計画"}


def positive_int(text: str) -> int:
    """An argparse ``type``: a whole number, 1 or more (anything else is a usage error, exit 2).

    >>> positive_int("3")
    3
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be 1 or more, not 0
    """
    from . import non_negative_int

    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def register(subparsers, parent) -> None:
    from .graph import FOLDER_RULE

    p = subparsers.add_parser(
        "owners", parents=[parent], help="策定主体（市町村・社協）どうしをテーマや語で比べ、近い策定主体を示す",
        description="複数の策定主体の計画を含むコーパスで、策定主体ごとにテーマ（または語）の出現を数え、"
                    "策定主体の間で TF-IDF の重みをつけたベクトルのコサイン類似度から、各策定主体に近い策定主体と"
                    "共通するテーマ（語）を示します。施策の方向どうしを総当たりで比べることはしません。")
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="コーパス（ディレクトリ、またはコーパス JSON）。省略時は同梱のコーパス")
    p.add_argument("--by", choices=("themes", "terms"), default="themes",
                   help="比べるもの: themes（テーマ、既定）または terms（内容語と複合語）")
    p.add_argument("--plans", choices=("all", "latest"), default="all",
                   help="数える計画: all（各策定主体のすべての計画、既定）または latest（最新の世代のみ）")
    p.add_argument("--top", type=positive_int, default=5, metavar="N", help="策定主体ごとに示す近い策定主体の数（既定: 5）")
    p.add_argument("--owner", metavar="NAME", help="この策定主体だけを示す")
    p.add_argument("--json", action="store_true", help="JSON で出力（notes, owners, settings）")
    p.add_argument("--csv", metavar="DIR", help=f"近い策定主体の表を {CSV_FILE}（UTF-8 BOM）に書き出す" + FOLDER_RULE)
    p.set_defaults(handler=run_owners)


def single_owner_note(count: int):
    """The note of a corpus with fewer than two owners: there is nothing to compare."""
    from ..notes import Note

    return Note("single_owner", f"この資料の計画の策定主体は {count} つです。"
                                "策定主体の比較には2つ以上の策定主体の計画が必要です")


def choose_owner(owners: tuple[str, ...], name: str) -> str:
    """The owner ``name`` names (matched as :func:`analysis.corpus.owner_key` folds it); an
    unknown one is an InputError naming the field and some of the owners."""
    from ..corpus import owner_key
    from ..errors import InputError
    from ..owners import owner_label

    key = owner_key(name)
    for owner in owners:
        if owner_key(owner) == key:
            return owner
    some = "、".join(owner_label(o) for o in owners[:5])
    more = f" ほか {len(owners) - 5}" if len(owners) > 5 else ""
    raise InputError(f"no owner {name!r} in the corpus; owners: {some}{more}", field="owner")


def _options(args) -> dict:
    options = {"by": args.by, "plans": args.plans, "top": args.top}
    if args.owner is not None:
        options["owner"] = args.owner
    return options


def owners_json(profiles, nearest, *, only: str | None = None) -> list[dict]:
    """Per owner (or only ``only``): its plans, how many features its profile holds and its
    neighbours ``{rank, owner, similarity, shared}``."""
    import numpy as np
    import pandas as pd

    held = np.diff(profiles.counts.indptr).tolist()
    by_owner: dict[str, list[dict]] = {}
    for r in nearest.to_dict("records"):
        row = by_owner.setdefault(r["owner"], [])
        if not pd.isna(r["rank"]):
            row.append({"rank": int(r["rank"]), "owner": r["neighbour"], "similarity": float(r["similarity"]),
                        "shared": r["shared"].split("、") if r["shared"] else []})
    return [{"owner": owner, "plans": list(plans), "features": held[i], "neighbours": by_owner.get(owner, [])}
            for i, (owner, plans) in enumerate(zip(profiles.owners, profiles.plans))
            if only is None or owner == only]


def owners_text(corpus, profiles, records: list[dict], *, top: int) -> str:
    """The Japanese listing: the number of owners, then per owner its plans and nearest owners."""
    from ..owners import owner_label

    what = BY_LABEL[profiles.by]
    lines = [f"策定主体の数: {len(profiles)}（{PLANS_LABEL[profiles.selection]}の{what}で比較、"
             f"近い策定主体を最大 {top} まで）",
             f"類似度: 策定主体ごとの{what}の出現数を策定主体の間の TF-IDF で重みづけたベクトルのコサイン類似度（0〜1）",
             ""]
    titles = {p.id: p.title for p in corpus.plans}
    for record in records:
        lines.append(f"## {owner_label(record['owner'])}")
        lines.append("  計画: " + ("、".join(f"{pid} {titles.get(pid, '')}".strip() for pid in record["plans"])
                                   or "なし"))
        if not record["neighbours"]:
            why = (f"計画に{what}を含むテキストがありません" if not record["features"]
                   else f"共通する{what}のある策定主体がありません")
            lines.append(f"  近い策定主体: なし（{why}）")
        else:
            lines.append("  近い策定主体:")
            for n in record["neighbours"]:
                shared = f"  共通する{what}: {'、'.join(n['shared'])}" if n["shared"] else ""
                lines.append(f"    {n['rank']}. {owner_label(n['owner'])}（類似度 {n['similarity']:.3f}）{shared}")
        lines.append("")
    return "\n".join(lines)


def run_owners(args) -> int:
    from ..outputs import json_dumps
    from ..owners import nearest_owners, owner_profiles
    from ..pipeline import analyze
    from .graph import check_files_target, load_inputs
    from .text import settings_record

    if args.csv:
        check_files_target(args.csv)
    inputs = load_inputs(args)
    chains = inputs.corpus.chains()
    only = choose_owner(tuple(chains), args.owner) if args.owner is not None else None
    if len(chains) < 2:  # nothing to compare: say why in one line, write no table, and succeed
        note = single_owner_note(len(chains))
        if args.json:
            sys.stdout.write(json_dumps({"notes": [note.to_dict()], "owners": [],
                                         "settings": settings_record(inputs, **_options(args))}))
        else:
            print(f"※ {note.message}")
        return 0
    analysis = analyze(inputs.corpus, settings=inputs.settings, tokens=inputs.tokens)
    profiles = owner_profiles(analysis, by=args.by, plans=args.plans)
    nearest = nearest_owners(profiles, top=args.top)
    if only is not None:
        nearest = nearest[nearest["owner"] == only].reset_index(drop=True)
    if args.csv:
        from ..outputs import atomic_files, write_frame_csv

        with atomic_files(args.csv) as staging:
            write_frame_csv(staging / CSV_FILE, nearest)
    records = owners_json(profiles, nearest, only=only)
    if args.json:
        sys.stdout.write(json_dumps({"notes": [], "by": args.by, "plans": args.plans, "owners": records,
                                     "settings": settings_record(inputs, **_options(args))}))
    else:
        sys.stdout.write(owners_text(inputs.corpus, profiles, records, top=args.top))
    return 0
