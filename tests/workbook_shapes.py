"""Small sources in the shapes real evaluation documents take (issue 11), written by the tests.

* :func:`evaluation_workbook` — one sheet of 事務事業評価: a filler row 1, headers with line breaks
  on row 2, the hierarchy 政策名 > 施策名 > 基本事業名 > 事務事業名, a 事業費 and an 指標 column per
  fiscal year with identical header texts, two categorical questions each followed by its 理由,
  a categorical 今後の方向性, and two comment roles (担当課, 課長); one fiscal year.
* :func:`big_workbook` — the same shape at scale (rows × columns).
* CSV helpers for a one-period table, a next plan in its own file and a three-generation chain.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

FILLER = "調整用（このセルには必ず何か入力していること。削除しないこと）"
HEADER = ["政策名", "施策名", "基本事業名", "事務事業名", "事務事業\nの概要", "担当課",
          "事業費", "指標", "事業費", "指標",
          "① 政策体系との\n整合性", "理由", "④ 成果の\n向上余地", "理由",
          "今後の\n方向性", "解決すべき課題\n（担当課）", "全体総括\n（課長）"]
# (政策, 施策, 基本事業, 事務事業, 概要, 担当課, 事業費R4, 指標R4, 事業費R5, 指標R5,
#  ①, 理由, ④, 理由, 今後の方向性, 課題, 総括)
PROJECTS = [
    ("1 健康で安心して暮らせるまち", "1-1 地域福祉の推進", "見守り", "見守り訪問事業", "高齢者宅を訪問する。",
     "福祉課", "1200", "80", "1300", "85", "結びついている", "計画の柱である。", "向上余地がある",
     "訪問回数を増やせる。", "１ 現状維持", "担い手が不足している。", "継続して実施する。"),
    ("", "", "", "配食サービス事業", "食事を届ける。", "福祉課", "800", "50", "700", "40",
     "結びついている", "見守りを兼ねる。", "向上余地がない", "", "２ 改革改善（縮小・統合含む）",
     "利用者が減少している。", "民間事業との統合を検討する。"),
    ("", "", "居場所", "サロン支援事業", "サロンに補助する。", "社協", "300", "12", "300", "15",
     "結びついている", "居場所づくりに資する。", "向上余地がある", "立ち上げ支援を強める。",
     "１ 現状維持", "", "拡充が必要である。"),
    ("", "1-2 相談支援の充実", "相談", "福祉センター運営事業", "センターを運営する。", "福祉課", "5000",
     "900", "0", "", "結びついている", "", "向上余地がない", "施設が老朽化した。", "３ 終了・廃止・休止",
     "施設の老朽化が進んでいる。", "令和6年度で廃止する。"),
    ("2 学びのまち", "2-1 生涯学習", "講座", "市民講座事業", "講座を開く。", "生涯学習課", "400",
     "30", "420", "28", "結びついていない", "福祉との関係は薄い。", "向上余地がある", "",
     "２ 改革改善（縮小・統合含む）", "参加者が固定している。", "内容を見直す。"),
    ("", "", "", "図書館運営事業", "図書館を運営する。", "生涯学習課", "9000", "120000", "9100",
     "118000", "結びついている", "", "向上余地がない", "", "１ 現状維持", "", "現状どおり運営する。"),
]
MAPPING_TOML = """\
[columns]
level = ["政策名", "施策名", "基本事業名"]
unit = "事務事業名"
description = "事務事業の概要"
text = ["解決すべき課題（担当課）:担当課", "全体総括（課長）:課長"]
rating = ["① 政策体系との整合性", "④ 成果の向上余地"]
decision = "今後の方向性"

[plan]
title = "令和5年度 事務事業評価"
period = "令和5年度"
"""


def evaluation_workbook(path: Path, *, rows=PROJECTS, header=HEADER, sheet: str = "評価") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append([FILLER])
    ws.append(list(header))
    for row in rows:
        ws.append([int(c) if c.isdigit() else (c or None) for c in row])
    workbook.save(path)
    return path


def big_workbook(path: Path, *, rows: int = 400, columns: int = 210) -> Path:
    """A workbook of ``rows`` projects and ``columns`` columns: the mapped ones of
    :data:`HEADER`, then year groups (事業費, 指標, 目標値 …, identical header texts)."""
    from openpyxl import Workbook

    extra = columns - len(HEADER)
    header = list(HEADER) + [("事業費", "指標", "目標値", "実績値", "達成率")[i % 5] for i in range(extra)]
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("評価")
    ws.append([FILLER])
    ws.append(header)
    for r in range(rows):
        base = list(PROJECTS[r % len(PROJECTS)])
        base[3] = f"{base[3]}{r + 1}"
        base[0] = f"政策{r + 1}" if base[0] else ""  # a new policy each time one is given
        ws.append(base + [str((r * 7 + c) % 1000) for c in range(extra)])
    workbook.save(path)
    return path


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_csv(path: Path, rows) -> Path:
    path.write_bytes(csv_bytes(rows))
    return path
