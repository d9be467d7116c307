"""What the report shows: :class:`ReportData`, assembled by :func:`report_data` from one analysis.

Data walks one way (issue 10): the corpus is tokenized, coded and classified once, by
:func:`analysis.pipeline.analyze`; the theme counts, terms, continuity graph, comparison and
co-occurrence network are made from that one :class:`~analysis.pipeline.Analysis`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..corpus import Corpus

if TYPE_CHECKING:
    import pandas as pd

Progress = Callable[[str, int, int], None]

# The [cooccurrence] settings that cooccurrence_graph takes as keywords.
_COOCCURRENCE_OPTIONS = ("unit", "min_frequency", "min_jaccard", "top", "seed")


@dataclass
class ReportData:
    """Everything the report shows, as the stages returned it."""

    corpus: Corpus
    settings: Any  # analysis.settings.Settings
    version: str
    units: list = field(default_factory=list)
    tokens: Any = None
    themes_by_generation: Any = None  # DataFrame theme × generation
    themes_by_goal: Any = None  # DataFrame theme × goal key (P2-G1 …)
    terms: Any = None  # DataFrame term, score, frequency
    keyness: Any = None  # DataFrame term, target_count, reference_count, g2 …
    stances: list = field(default_factory=list)  # dicts: sentence, stance, cues, direction, line
    period: Any = None  # analysis.evaluations.PeriodFindings when the corpus holds decisions or ratings
    graph: Any = None  # continuity nx.DiGraph
    links: list = field(default_factory=list)  # dicts: from, to, kind, score, shared_terms
    findings: list = field(default_factory=list)  # dicts (Finding.to_dict())
    comparison: Any = None  # result of compare_generations
    cooccurrence: Any = None  # nx.Graph with node attribute community
    notes: list = field(default_factory=list)  # dicts {code, message}: what continuity cannot say
    comparison_notes: list = field(default_factory=list)  # dicts {code, message}: the same for compare
    owner_profiles: Any = None  # analysis.owners.OwnerProfiles (by theme) when the corpus has several owners
    owners: Any = None  # DataFrame of analysis.owners.nearest_owners, the same corpora only


def report_data(corpus: Corpus, *, settings=None, tokens=None, progress: Progress | None = None) -> ReportData:
    """Analyse ``corpus`` once and collect what the report shows.

    Parameters
    ----------
    corpus : Corpus
    settings : Settings, optional
        Default: the bundled settings.
    tokens : Tokens, optional
        The corpus's tokens when already made (tokenized here otherwise).
    progress : callable(step, done, total), optional
        Called with a Japanese step name during the long steps (tokenization first).

    Returns
    -------
    ReportData
        The continuity graph, links and findings only when two consecutive generations both hold
        directions with text, the comparison only when the last two do; ``notes`` and
        ``comparison_notes`` say why where they cannot be computed.  ``owner_profiles`` and
        ``owners`` (each owner's nearest owners by theme, :mod:`analysis.owners`) only when the
        corpus holds the plans of several owners.

    Examples
    --------
    >>> from analysis.corpus import Corpus, Plan, Goal, Direction
    >>> d = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り活動",
    ...               evaluation="見守りの担い手不足が課題となった。")
    >>> c = Corpus(name="例", plans=[Plan(id="P1", generation=1, title="第1次",
    ...                                   goals=[Goal("P1", 1, "見守る", directions=[d])])])
    >>> data = report_data(c)
    >>> [s["stance"] for s in data.stances], data.graph is None, [n["code"] for n in data.notes]
    (['issue'], True, ['single_period', 'problems_not_judged'])
    """
    from .. import __version__
    from ..textstat import cooccurrence_graph
    from ..pipeline import analyze
    from ..themes import theme_counts

    report_progress = progress or (lambda step, done, total: None)
    analysis = analyze(corpus, settings=settings, tokens=tokens, progress=progress)
    settings = analysis.settings
    data = ReportData(corpus=corpus, settings=settings, version=__version__, tokens=analysis.tokens,
                      units=list(analysis.tokens.units))

    report_progress("テーマを集計中", 0, 1)
    data.themes_by_generation = theme_counts(analysis.coded, by="generation")
    data.themes_by_goal = theme_counts(analysis.coded, by="goal")

    report_progress("重要語を計算中", 0, 1)
    data.terms = _terms_table(analysis.tokens, settings)
    data.keyness = _keyness(analysis.tokens, corpus)
    data.stances = analysis.stances
    from ..evaluations import holds_period_data, period_findings

    if holds_period_data(corpus):  # 単年度の評価から: decisions, ratings, cross tables
        data.period = period_findings(analysis)

    from ..continuity import comparable_pairs, comparison_note, continuity_notes, problems_of

    if comparable_pairs(corpus):
        report_progress("継続性グラフを作成中", 0, 1)
        _add_continuity(data, analysis)
    else:
        data.notes = [n.to_dict() for n in continuity_notes(corpus, problems=problems_of(analysis.stances))]
    note = comparison_note(corpus)
    if note is None:
        report_progress("計画世代を比較中", 0, 1)
        from ..compare import compare_generations

        generations = corpus.generations()
        data.comparison = compare_generations(corpus, generations[-2], generations[-1], analysis=analysis)
        data.comparison_notes = [n.to_dict() for n in data.comparison.notes]
    else:
        data.comparison_notes = [note.to_dict()]

    if len(corpus.chains()) > 1:
        report_progress("策定主体を比較中", 0, 1)
        from ..owners import nearest_owners, owner_profiles

        data.owner_profiles = owner_profiles(analysis, by="themes")
        data.owners = nearest_owners(data.owner_profiles)

    report_progress("共起ネットワークを作成中", 0, 1)
    options = settings.section("cooccurrence")
    data.cooccurrence = cooccurrence_graph(
        analysis.tokens, **{k: v for k, v in options.items() if k in _COOCCURRENCE_OPTIONS})
    return data


def _add_continuity(data: ReportData, analysis) -> None:
    """The continuity graph of the analysis, its links, its findings (as flat dicts) and notes."""
    from ..continuity import build_continuity_graph, continuity_state, findings, links

    data.graph = build_continuity_graph(data.corpus, analysis=analysis)
    data.notes = [n.to_dict() for n in continuity_state(data.graph).notes]
    data.links = links(data.graph)
    data.findings = [_finding_record(f.to_dict()) for f in findings(data.graph)]


def _finding_record(finding: dict) -> dict:
    """A finding as a flat dict: ``counts`` {past, next} also as ``past_count`` / ``next_count``."""
    out = dict(finding)
    counts = out.get("counts") or {}
    out.setdefault("past_count", counts.get("past"))
    out.setdefault("next_count", counts.get("next"))
    return out


def _terms_table(tokens, settings) -> "pd.DataFrame":
    """The ranked compound terms (term, key, score, frequency, …) as a DataFrame."""
    from ..terms import terms_frame

    return terms_frame(tokens, method=settings.get("terms", "method"), top=settings.get("report", "terms"),
                       min_frequency=settings.get("terms", "min_frequency"))


def _keyness(tokens, corpus: Corpus) -> "pd.DataFrame | None":
    """Past evaluations (target) against the next plan's directions: titles, initiatives and
    descriptions (reference)."""
    from ..continuity import NEXT_FIELDS
    from ..terms import keyness

    generations = corpus.generations()
    if len(generations) < 2:
        return None
    past, nxt = generations[-2], generations[-1]

    def target(unit) -> bool:
        return unit.generation == past and unit.field == "evaluation"

    def reference(unit) -> bool:
        return unit.generation == nxt and unit.field in NEXT_FIELDS  # as the continuity findings read it

    if not any(map(target, tokens.units)) or not any(map(reference, tokens.units)):
        return None
    return keyness(tokens, target, reference)


def corpus_tokens(corpus: Corpus, *, settings=None, progress: Callable[[int, int], None] | None = None):
    """The Tokens of every text unit of ``corpus`` (an older name of
    :func:`analysis.tokens.tokenize_corpus`, kept for the notebooks).

    Parameters
    ----------
    corpus : Corpus
    settings : Settings, optional
    progress : callable(done, total), optional

    Returns
    -------
    Tokens
    """
    from ..tokens import tokenize_corpus

    return tokenize_corpus(corpus, settings=settings, progress=progress)
