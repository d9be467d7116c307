"""Tiny corpora and a Tokens builder shared by the tests of analysis/terms and analysis/textstat."""

from __future__ import annotations

from analysis.tokens import Tokens, tokenize
from analysis.units import TextUnit


def make_tokens(texts, *, generations=None, directions=None) -> Tokens:
    units = []
    for i, text in enumerate(texts):
        direction = directions[i] if directions else f"P2-1-{i + 1}"
        generation = generations[i] if generations else 2
        units.append(TextUnit(id=f"{direction}:evaluation:{i}", plan_id=f"P{generation}",
                              generation=generation, goal_number=1, direction_id=direction,
                              field="evaluation", text=text, line=10 + i))
    return Tokens(units=units, sentences=[tokenize(u.text) for u in units])


# A tiny evaluation corpus.  Noun runs (tokens as Sudachi C gives them):
#   U1: 担い手|不足, 深刻, 担い手|不足, 解消, 地域|福祉|コーディネーター, 連携
#   U2: 地域|福祉|コーディネーター, 担い手|育成
#   U3: 第|2|層|協議|体, 担い手|不足
CORPUS = [
    "担い手不足が深刻である。担い手不足の解消に向けて地域福祉コーディネーターと連携する。",
    "地域福祉コーディネーターが担い手育成を進めた。",
    "第2層協議体で担い手不足を話し合った。",
]


# Varied text for checking the column pass against the token-by-token definitions.
VARIED = [
    "各地域の住民等が第2層協議体で見守り活動と助け合い活動を行う。担い手不足が深刻である。",
    "ﾎﾞﾗﾝﾃｨｱの担い手不足　随時、今後も市民後見人の養成を図る。",
    "令和5年度に１２回、サロン・カフェ運営を実施した。地域福祉コーディネーターの配置を推進する。",
    "",
    "担い手不足の解消と担い手不足への対応。地域福祉活動計画の推進、地域福祉の充実。",
    "見守り",
    "第2層協議体の運営。\n\n権利擁護支援と成年後見制度の利用促進を図った。",
]
