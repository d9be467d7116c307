"""A tiny hand-made two-generation plan corpus for the report, plot and notebook tests.

``make_corpus(inject=...)`` appends ``inject`` to every text field (names, titles, initiatives,
evaluations, descriptions, goal labels, warnings), to prove the report shows it as text (HTML
markup and script, entities, quotes, and a ``$…$`` that matplotlib would take for broken math).
"""

from __future__ import annotations

from analysis.corpus import Corpus, Direction, Goal, ImportWarning, Link, Plan

HOSTILE = ('<script>document.title="PWNED";document.documentElement.setAttribute("data-pwned","1")</script>'
           '&amp;<b>太字</b>&lt;x "q" \'a\' <img src=x onerror="document.title=\'PWNED\'"> $\\frac{$')

PAST = {  # goal number -> (goal title, [(title, initiatives, evaluation)])
    1: ("つながる地域づくり", [
        ("見守り活動の推進", ["見守り訪問の実施", "サロン活動の支援"],
         "見守り訪問を継続することができた。担い手不足が課題となった。"),
        ("ボランティアの育成", ["ボランティア講座の開催"],
         "講座に取り組んだ。参加者の高齢化が課題である。"),
    ]),
    2: ("支え合う仕組みづくり", [
        ("相談支援体制の充実", ["総合相談窓口の運営"],
         "関係機関との連携により相談件数が増加した。"),
        ("災害時の支援体制", ["避難行動要支援者名簿の整備"],
         "名簿の更新が停滞しており、次期計画へ持ち越しとする。"),
    ]),
}
NEXT = {
    1: ("ともに支え合う地域", [
        ("見守り活動の推進", "見守り活動の担い手を育成し、地域の見守り体制を強化する。"),
        ("地域の担い手づくり", "ボランティアや地域福祉コーディネーターの担い手を増やす。"),
    ]),
    2: ("安心して暮らせる仕組み", [
        ("重層的な相談支援", "関係機関が連携し、相談支援体制を整備する。"),
        ("権利擁護の推進", "成年後見制度の利用を促進し、市民後見人を養成する。"),
    ]),
}
STATED = [("P2-1-1", "P3-1-1"), ("P2-1-2", "P3-1-2"), ("P2-2-1", "P3-2-1")]


def make_corpus(inject: str = "") -> Corpus:
    x = inject

    def plan(pid, generation, role, goals, period):
        p = Plan(id=pid, generation=generation, title=f"第{generation}次地域福祉活動計画{x}",
                 owner=f"ある市社会福祉協議会{x}", period=period + x, philosophy=f"誰もが安心して暮らせるまち{x}",
                 role=role, source_file=f"plan{x}.txt", source_line=1)
        line = 5 if generation == 2 else 40
        for number, (goal_title, directions) in goals.items():
            goal = Goal(plan_id=pid, number=number, title=goal_title + x, label=f"目標{number}{x}",
                        raw_label=goal_title + x, source_line=line)
            for k, item in enumerate(directions, 1):
                line += 3
                if role == "evaluated":
                    title, initiatives, evaluation = item
                    d = Direction(id=f"{pid}-{number}-{k}", plan_id=pid, goal_number=number, number=k,
                                  title=title + x, initiatives=[i + x for i in initiatives],
                                  evaluation=evaluation + x, priority=1 if k == 1 else None,
                                  source_file=f"plan{x}.txt", source_lines=[line, line + 1])
                else:
                    title, text = item
                    d = Direction(id=f"{pid}-{number}-{k}", plan_id=pid, goal_number=number, number=k,
                                  title=title + x, text=text + x, source_file=f"plan{x}.txt",
                                  source_lines=[line])
                goal.directions.append(d)
            p.goals.append(goal)
        return p

    return Corpus(
        name=f"ある市{x}",
        plans=[plan("P2", 2, "evaluated", PAST, "令和2年度～令和6年度"),
               plan("P3", 3, "next", NEXT, "令和7年度～令和11年度")],
        links=[Link(source=a, target=b, kind="stated", line=10) for a, b in STATED],
        warnings=[ImportWarning(line=7, message=f"目標番号が前と異なります{x}", file=f"plan{x}.txt")],
        sources=[{"file": f"plan{x}.txt", "sha256": "0" * 64, "format": "table"}],
    )
