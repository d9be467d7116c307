"""One analysis of a corpus: each stage computed once and handed on.

The continuity graph, the comparison of generations and the report all need the corpus's tokens,
its theme coding, the evaluation stances and the stop list.  :class:`Analysis` holds them and
computes each on first use, so a stage further down consumes results instead of running the
stages above it again (data walks one way: corpus → tokens → coded units / stances →
continuity / compare → report).  With ``[tokens] cache`` on, the coded units, TF-IDF and the
continuity features' sentence words also come from the stage cache (:mod:`analysis.stagecache`)
when the same tokens were coded with the same lexicon (or weighed with the same stop list) before.

>>> from analysis.corpus import Corpus, Plan, Goal, Direction
>>> d = Direction(id="P1-1-1", plan_id="P1", goal_number=1, number=1, title="見守り活動",
...               evaluation="見守りの担い手不足が課題となった。")
>>> c = Corpus(name="例", plans=[Plan(id="P1", generation=1, title="第1次",
...                                   goals=[Goal("P1", 1, "見守る", directions=[d])])])
>>> a = analyze(c)
>>> [s["stance"] for s in a.stances]
['issue']
>>> sorted(a.coded.units[-1].themes)
['担い手不足', '見守り']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from .corpus import Corpus


@dataclass
class Analysis:
    """A corpus and its settings, with the results of the stages every consumer shares.

    Give ``tokens`` or ``lexicon`` when already made; everything else is computed on first use
    (and only once).  ``progress(step, done, total)`` hears about tokenization.
    """

    corpus: Corpus
    settings: Any = None
    tokens: Any = None
    lexicon: Any = None
    progress: Callable[[str, int, int], None] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        from .settings import default_settings
        from .tokens import tokenize_corpus

        self.settings = self.settings or default_settings()
        if self.tokens is None:
            report = self.progress
            self.tokens = tokenize_corpus(
                self.corpus, settings=self.settings,
                progress=(lambda done, total: report("トークン化中", done, total)) if report else None)
        if self.lexicon is None:
            from .themes import load_lexicon

            self.lexicon = load_lexicon(settings=self.settings)

    @cached_property
    def variants(self) -> dict[str, str]:
        """The variant table of the settings (folded for matching only)."""
        from .tokens import settings_variants

        return settings_variants(self.settings)

    @cached_property
    def stopwords(self) -> frozenset[str]:
        """The stop list of the settings."""
        from .terms import load_stopwords

        return frozenset(load_stopwords(self.settings.data_file("stopwords")))

    @cached_property
    def cache(self) -> bool:
        """Whether stage results are cached on disk (:mod:`analysis.stagecache`): ``[tokens] cache``."""
        return bool(self.settings.get("tokens", "cache"))

    @cached_property
    def coded(self):
        """The text units coded with the lexicon's themes (:func:`analysis.themes.code_units`)."""
        from .themes import code_units

        return code_units(self.tokens, self.lexicon, variants=self.variants, cache=self.cache)

    @cached_property
    def tfidf(self) -> dict[str, list[tuple[str, float]]]:
        """Key terms of each direction by TF-IDF with the stop list (:func:`analysis.textstat.tfidf_by_direction`)."""
        from .textstat import tfidf_by_direction

        return tfidf_by_direction(self.tokens, stopwords=self.stopwords, cache=self.cache)

    @cached_property
    def cues(self):
        """The stance cues of the settings."""
        from .stance import load_cues

        return load_cues(settings=self.settings)

    @cached_property
    def stances(self) -> list[dict]:
        """Every evaluation sentence with its stance (:func:`analysis.stance.evaluation_stances`)."""
        from .stance import evaluation_stances

        return evaluation_stances(self.tokens, cues=self.cues, variants=self.variants)


def analyze(corpus: Corpus, *, settings=None, tokens=None, lexicon=None,
            progress: Callable[[str, int, int], None] | None = None) -> Analysis:
    """Start the analysis of ``corpus``: tokenized now (unless ``tokens`` is given), every other
    stage on first use.

    Parameters
    ----------
    corpus : Corpus
    settings : Settings, optional
    tokens : Tokens, optional
        The corpus's tokens when already made (by :func:`analysis.tokens.tokenize_corpus`).
    lexicon : Lexicon, optional
        Default: the settings' theme lexicon.
    progress : callable(step, done, total), optional

    Returns
    -------
    Analysis
    """
    return Analysis(corpus=corpus, settings=settings, tokens=tokens, lexicon=lexicon, progress=progress)


__all__ = ["Analysis", "analyze"]
