"""Stance of annual-evaluation writing (事務事業評価): a table of sentences in the style of
課長総括, 担当課の課題 and 今後の方向性の理由, each with the stance a careful reader gives it.

The classifier must agree with the reader on at least 85 % of them; the disagreements are listed
in the test output (``pytest -rP``) so that the cue file can be improved where it errs.  Every
cue class (predicates, present-tense plans, markers of each stance, the default) has cases.
"""

from __future__ import annotations

import pytest

from analysis.stance import STANCES, classify_stance, evaluation_stances, load_cues, stance_summary
from analysis.tokens import tokenize, tokenize_units

# (sentence, the stance a careful reader gives it, what decides it for that reader)
EVALUATION_CASES = [
    # 課長総括: results, written in the past or the present
    ("地域の見守り活動の担い手が増え、見守り体制の充実につながった。", "achieved", "predicate"),
    ("講座の開催により、受講者の認知症への理解が深まり、一定の効果が得られている。", "achieved", "predicate"),
    ("本事業は高齢者の社会参加の促進に寄与している。", "achieved", "predicate"),
    ("利用者数は前年度から増加しており、事業の周知が進んだ。", "achieved", "predicate"),
    ("成果指標である登録者数は目標値を達成している。", "achieved", "predicate"),
    ("計画どおり事業を実施し、おおむね順調に推移している。", "achieved", "predicate"),
    ("相談窓口の周知により、早期の相談につなげることができた。", "achieved", "predicate"),
    ("サロン活動が各地区に定着している。", "achieved", "predicate"),
    ("各事業とも、おおむね計画どおりの進捗。", "achieved", "marker"),
    # work done, past or present
    ("民生委員と連携し、高齢者宅への訪問を実施した。", "done", "predicate"),
    ("年4回、広報紙を発行した。", "done", "predicate"),
    ("生活困窮者への相談支援を行っている。", "done", "predicate"),
    ("毎年度、地区ごとに懇談会を開催している。", "done", "predicate"),
    ("関係機関と連携し、個別ケース会議を開催。", "done", "marker"),
    ("ボランティアの養成講座を年2回実施。", "done", "marker"),
    # 担当課の課題: problems, rising problems, needs
    ("相談件数は年々増加かつ複雑化している。", "issue", "predicate"),
    ("高齢化の進行により、今後も支援を要する高齢者の増加が見込まれる。", "issue", "predicate"),
    ("単身高齢者の孤立が懸念される。", "issue", "predicate"),
    ("相談内容が多様化しており、職員の対応に苦慮している。", "issue", "predicate"),
    ("制度の周知が十分でないため、利用が伸び悩んでいる。", "issue", "predicate"),
    ("事業の認知度が低く、若い世代の参加が進んでいない。", "issue", "predicate"),
    ("活動団体の高齢化と担い手不足が続いている。", "issue", "marker"),
    ("対象者の増加に伴い、事業費の負担が大きくなっている。", "issue", "marker"),
    ("利用者の固定化が見られる。", "issue", "marker"),
    ("事業の効果を検証し、より効率的な実施方法を検討する必要がある。", "issue", "predicate"),
    ("地域の実情に応じた柔軟な支援が求められる。", "issue", "predicate"),
    ("支援者の確保と育成が急務である。", "issue", "predicate"),
    ("関係機関との情報共有の仕組みづくりが必要である。", "issue", "predicate"),
    ("災害時の要支援者名簿の更新が課題である。", "issue", "predicate"),
    ("新型コロナウイルス感染症の影響により、予定していた研修会を中止した。", "issue", "predicate"),
    # 今後の方向性の理由: plans
    ("今後も継続して実施する。", "planned", "predicate"),
    ("市民ニーズが高いことから、引き続き現状の規模で事業を実施する。", "planned", "predicate"),
    ("他の類似事業との統合を含め、事業のあり方を見直す。", "planned", "predicate"),
    ("対象者の拡大に向けて、関係課と調整を図っていく。", "planned", "predicate"),
    ("地域包括支援センターと連携し、相談支援体制の強化に努める。", "planned", "predicate"),
    ("事業の効果が認められるため、現状維持とする。", "planned", "predicate"),
    ("より多くの市民が参加できるよう、周知方法を工夫していきたい。", "planned", "predicate"),
    ("令和7年度からは、オンラインでの講座も開催する予定である。", "planned", "predicate"),
    ("国の制度改正を踏まえ、令和6年度末をもって事業を廃止する。", "planned", "predicate"),
    ("今後とも、地域の支え合い活動の支援。", "planned", "marker"),
    # carried over
    ("見守りネットワークの全市展開は、次期計画へ持ち越しとした。", "carried_over", "predicate"),
    ("利用者負担のあり方については、引き続き検討する。", "carried_over", "predicate"),
    ("個人情報の取扱いは今後の課題とする。", "carried_over", "predicate"),
    # the contrast scope: the part after the last contrast word decides
    ("講座を開催したが、参加者が固定化しており、新たな参加者の確保が課題となっている。", "issue", "predicate"),
    ("参加者は減少したものの、参加者の満足度は向上している。", "achieved", "predicate"),
    ("一定の成果は得られているが、対象者の把握方法を見直す必要がある。", "issue", "predicate"),
    ("相談件数は増加している一方、解決に至る件数も増えており、支援の効果が出ている。", "achieved", "predicate"),
    # Written before the cue file was tuned for them (a first held-out check: 20 of 30, then 12
    # of 15 agreed); the cue file was improved on what they showed, and the ones still missed stay.
    # Expect agreement on new text nearer those first figures than the one asserted here.
    ("地域住民の福祉意識の醸成が図られた。", "achieved", None),
    ("参加者アンケートでは9割が満足と回答しており、事業の目的は達成されている。", "achieved", None),
    ("補助金の交付により、地区社協の活動が活性化した。", "achieved", None),
    ("延べ1,200人が利用した。", "done", None),
    ("各地区で説明会を開き、制度の周知を行った。", "done", None),
    ("市内12か所でふれあいサロンを運営している。", "done", None),
    ("コロナ禍以降、参加者数が回復していない。", "issue", None),
    ("自治会加入率の低下により、地域のつながりが希薄化している。", "issue", None),
    ("支援を必要とする人の把握が難しい。", "issue", None),
    ("ひきこもりの相談が増えており、支援体制の整備が求められている。", "issue", None),
    ("事業の担い手となるボランティアの高齢化が進んでいる。", "issue", None),
    ("職員の業務量が増大している。", "issue", None),
    ("今後、認知症高齢者のさらなる増加が予想される。", "issue", None),
    ("多機関協働による包括的な支援体制を構築していく必要がある。", "issue", None),
    ("効果的な周知方法について検討が必要。", "issue", None),
    ("引き続き、関係機関と連携しながら事業を推進する。", "planned", None),
    ("利用実績が少ないため、事業内容を見直し、縮小する。", "planned", None),
    ("次年度も同規模で実施する。", "planned", None),
    ("今後は、ICTを活用した見守りの導入を検討していく。", "planned", None),
    ("事業の目的は達成されたため、令和6年度で終了とする。", "planned", None),
    ("地域の担い手の育成に力を入れていく。", "planned", None),
    ("関係団体と協議し、実施体制の充実を図ります。", "planned", None),
    ("市民の利便性向上のため、申請手続きの電子化を進める。", "planned", None),
    ("他市の事例を参考に、より効果的な手法を研究する。", "planned", None),
    ("担い手の確保については次期計画でも継続して取り組む。", "carried_over", None),
    ("具体的な方策は来年度以降に持ち越すこととした。", "carried_over", None),
    ("研修を実施したが、受講者は少なかった。", "issue", None),
    ("参加者は少なかったものの、参加者からの評価は高かった。", "achieved", None),
    ("事業は概ね計画どおり進んでいるが、地域差が大きい。", "issue", None),
    ("計画どおりに進捗している。", "achieved", None),
    ("地域での支え合いの意識が高まってきている。", "achieved", None),
    ("事業開始から10年が経過し、当初の目的は一定程度達成した。", "achieved", None),
    ("相談員2名を配置し、電話や来所による相談に対応した。", "done", None),
    ("8050問題など複合的な課題を抱える世帯が増えている。", "issue", None),
    ("担い手の負担が特定の人に偏っている。", "issue", None),
    ("事業を知らない市民が多い。", "issue", None),
    ("今後も市民ニーズを把握しながら、事業を継続していく。", "planned", None),
    ("費用対効果を検証したうえで、事業の方向性を判断する。", "planned", None),
    ("受益者負担の適正化を図る。", "planned", None),
    ("より多くの方に利用してもらうため、制度の周知を強化する必要がある。", "issue", None),
    ("新たな支援策の創設は次期計画での検討事項とした。", "carried_over", None),
    ("相談支援を行った結果、就労につながった人もいた。", "achieved", None),
    ("昨年度より利用者が減少しており、事業の在り方を検討する時期に来ている。", "issue", None),
    ("会議を年3回開催し、情報共有を図った。", "done", None),
    ("目標値に届かなかった。", "issue", None),
    # A third batch, written before the cue file was tuned for it (15 of 25 agreed at first).
    ("講演会には延べ350人の参加があり、認知症への関心の高さがうかがえた。", "achieved", None),
    ("ボランティアセンターの登録団体数は前年度比で5団体増加した。", "achieved", None),
    ("年度当初の計画に沿って、予定していた事業をすべて実施した。", "done", None),
    ("民生委員・児童委員の欠員地区がある。", "issue", None),
    ("担い手の確保は依然として厳しい状況にある。", "issue", None),
    ("地域によって活動の温度差がある。", "issue", None),
    ("支援が必要な人に情報が届いていない。", "issue", None),
    ("ひとり暮らし高齢者の増加に伴い、見守りの対象者は今後も増えていくと考えられる。", "issue", None),
    ("事業の成果を測る指標の設定が求められている。", "issue", None),
    ("制度の狭間にある人への支援のあり方を整理する必要がある。", "issue", None),
    ("関係部署と連携し、より効果的な事業実施に努めていく。", "planned", None),
    ("令和7年度は、対象年齢を70歳以上に引き上げる。", "planned", None),
    ("事業の縮小を含めて検討する。", "planned", None),
    ("今後は地区社協が主体となって実施する方向で調整する。", "planned", None),
    ("成果が上がっていることから、現行の内容で継続する。", "planned", None),
    ("類似事業と統合し、効率化を図る。", "planned", None),
    ("引き続き、広報紙やホームページを活用して周知を図っていく。", "planned", None),
    ("市民の理解を得ながら、段階的に受益者負担を見直していく。", "planned", None),
    ("地域の実情に合った支援策の検討は、次期計画に引き継ぐ。", "carried_over", None),
    ("具体的な取組は次年度以降の課題として残った。", "carried_over", None),
    ("事業開始以来、利用件数は横ばいで推移している。", "issue", None),
    ("申請手続きが煩雑であるとの意見が寄せられている。", "issue", None),
    ("アンケートでは「参加してよかった」との回答が多く寄せられた。", "achieved", None),
    ("感染症対策を講じながら、サロン活動を再開した。", "done", None),
    ("新たに3地区で見守り活動が始まった。", "achieved", None),
    # no cue at all: the documented default, and a careful reader agrees it reports the year's work
    ("本事業は、市の地域福祉計画に位置付けられた事業である。", "done", "default"),
    ("対象は市内に住む65歳以上の単身高齢者。", "done", "default"),
]

MIN_AGREEMENT = 0.85


def test_annual_evaluation_sentences_agree_with_a_careful_reader():
    cues = load_cues()
    disagreements = []
    for text, expected, _ in EVALUATION_CASES:
        [sentence] = tokenize(text)
        result = classify_stance(sentence, cues=cues)
        if result.stance != expected:
            disagreements.append(f"  {text}  reader: {expected}  keikaku: {result.stance} "
                                 f"({result.basis}: {'、'.join(result.cues) or '-'})")
    agreement = 1 - len(disagreements) / len(EVALUATION_CASES)
    print(f"agreement {agreement:.1%} on {len(EVALUATION_CASES)} sentences; disagreements:")
    print("\n".join(disagreements) or "  none")
    assert agreement >= MIN_AGREEMENT, "\n".join(disagreements)


def test_the_table_covers_every_stance_and_every_kind_of_cue():
    """Each stance is decided by a predicate on some case the reader agrees with, each stance with
    markers by a marker, and the default by no cue: the cases exercise every cue class."""
    assert len(EVALUATION_CASES) >= 40
    assert {stance for _, stance, _ in EVALUATION_CASES} == set(STANCES)
    cues = load_cues()
    decided = set()
    for text, expected, basis in EVALUATION_CASES:
        result = classify_stance(tokenize(text)[0], cues=cues)
        if result.stance == expected and basis in (None, result.basis):
            decided.add((result.stance, result.basis))
    for stance in STANCES:
        assert (stance, "predicate") in decided, stance
    for stance in {c.stance for c in cues.markers}:
        assert (stance, "marker") in decided, stance
    assert (cues.default, "default") in decided
    assert any(c.kind == "nonpast" for c in cues.predicates)


# (sentence, stance): a plan is a present-tense ending of the sentence, nothing else
PRESENT_TENSE_CASES = [
    ("今後も継続して実施する。", "planned"),
    ("今後も継続して実施していきます。", "planned"),
    ("事業を継続して実施した。", "done"),  # the past
    ("毎年度継続して実施している。", "done"),  # work under way
    ("研修会を実施するとともに、担い手の育成につなげることができた。", "achieved"),  # a clause in the middle
    ("事業を実施するため、予算を確保した。", "done"),
    ("今後、対象者の増加が予想される。", "issue"),  # the passive is no plan
    ("令和7年度をもって事業を終了とする。", "planned"),
    ("事業の見直しも必要。", "issue"),  # a need ending in a noun
    ("支援が必要な世帯に支援を行った。", "done"),  # 必要な is no need
    ("事業の必要性は高く、見直しの必要はない。", "done"),  # nor 必要性, 必要はない (no cue: the default)
]


@pytest.mark.parametrize("text, stance", PRESENT_TENSE_CASES)
def test_plans_are_present_tense_endings(text, stance):
    assert classify_stance(tokenize(text)[0]).stance == stance


# (sentence, the part that decides, its stance): the contrast scope with the new cues
CONTRAST_CASES = [
    ("一定の成果は得られているが、対象者の把握方法を見直す必要がある。", "対象者の把握方法を見直す必要がある。", "issue"),
    ("相談件数は年々増加しているが、今後も現行の体制で対応する。", "今後も現行の体制で対応する。", "planned"),
    ("講座は中止したものの、オンラインで相談会を開催することができた。", "オンラインで相談会を開催することができた。",
     "achieved"),
    ("事業を継続して実施したが、利用者の増加が見込まれる。", "利用者の増加が見込まれる。", "issue"),
]


@pytest.mark.parametrize("text, scope, stance", CONTRAST_CASES)
def test_the_contrast_scope_still_decides(text, scope, stance):
    from analysis.stance import stance_scope

    [sentence] = tokenize(text)
    assert stance_scope(sentence).text == scope
    assert classify_stance(sentence).stance == stance


def test_default_share_on_a_hand_made_set():
    from analysis.corpus import Corpus, Direction, Goal, Plan
    from analysis.units import text_units

    # 5 sentences: 2 without any cue (the first and the fourth), 3 with one
    text = ("本事業は市の重点事業である。相談件数は年々増加している。今後も継続して実施する。"
            "対象は市内の高齢者。懇談会を開催した。")
    direction = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="相談支援", evaluation=text,
                          source_lines=[2])
    corpus = Corpus(name="t", plans=[Plan(id="P1", generation=1, title="t",
                                          goals=[Goal(plan_id="P1", number=1, title="g", directions=[direction])])])
    rows = evaluation_stances(tokenize_units(text_units(corpus), cache=False))
    assert [(r["stance"], r["basis"]) for r in rows] == [
        ("done", "default"), ("issue", "marker"), ("planned", "predicate"), ("done", "default"), ("done", "predicate")]
    summary = stance_summary(rows, default="done")
    assert summary["counts"] == {"achieved": 0, "done": 3, "issue": 1, "carried_over": 0, "planned": 1}
    assert summary["sentences"] == 5 and summary["default"] == 2 and summary["default_stance"] == "done"
    assert summary["default_share"] == 0.4
    assert stance_summary([], default="done")["default_share"] == 0.0
