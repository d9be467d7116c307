"""The continuity graph: past-plan directions and their evaluations, linked to the next plan's
directions, with the findings a planner asks for (what is continued, new, dropped, taken up).

Stage: :class:`~analysis.pipeline.Analysis` (tokens, theme coding, stances, stop list)
──continuity──▶ ``nx.DiGraph`` + findings.

Modules, one job each: :mod:`.options` (the ``[continuity]`` settings), :mod:`.features`
(per-sentence nouns, compounds, themes), :mod:`.scoring` (:func:`score_pair`), :mod:`.notes`
(the plan pairs that can be compared and the notes where they cannot), :mod:`.decisions` (the
hook for a unit's decision), :mod:`.graph` (:func:`build_continuity_graph` and the
:class:`ContinuityState` findings read), :mod:`.findings` and :mod:`.frames` (tables and JSON
forms).

The graph (:func:`build_continuity_graph`)
------------------------------------------
Nodes (attribute ``kind``; ``label`` is the Japanese text a reader sees):

- ``plan`` (id ``P2``), ``goal`` (``P2-G1``), ``direction`` (``P2-1-3``) per generation;
- ``theme`` (id ``theme:<name>``) and ``term`` (id ``term:<key>``, the corpus's key compound terms).

Edges (attribute ``kind``):

- ``contains``: plan → goal → direction;
- ``link``: a direction of one generation → a direction of the next.  ``stated`` (the document
  places it there; ``relisted`` when the row says 再掲, ``line`` the source line), ``content``
  (the texts alone say so: ``score`` ≥ ``[continuity] min_content_score``), ``score`` (always
  computed, also where the document states the link) and ``shared_terms`` (the words behind the
  score, joined with ``"、"``).  A link edge exists when it is stated or content.
- ``mentions``: direction → theme / term, with ``count`` (sentences) and ``fields``.

Every edge has a ``weight`` for Gephi and Cytoscape layouts (1 for ``contains`` and for stated
links, the score for content-only links, the count for mentions).  Every attribute is a
``str``, ``int``, ``float`` or ``bool`` so GraphML and GEXF keep it; ``0`` means "none" for
``priority`` and ``line``.

Content score
-------------
A past direction's title + initiatives + evaluation against a next direction's title +
description (+ initiatives, when a next plan has them), only between consecutive generations of
the corpus (so the work grows linearly with the number of plans)::

    score = (w_tfidf · cosine(TF-IDF) + w_themes · Jaccard(themes) + w_terms · Jaccard(terms))
            / (w_tfidf + w_themes + w_terms)

TF-IDF is fitted with scikit-learn on the project's own tokens (``analyzer=`` over content
nouns and compound terms already computed; nothing is tokenized again).  Terms shared by more
than ``max_df`` of a generation pair's directions are too common to count as shared (地域,
活動 …): this is a property of each corpus, not a word list.

Where a direction went
----------------------
Successors of a past direction are its stated links, or — when the document states none — its
content links (``successors = "stated_then_content"``, the default; ``"stated"`` and
``"content"`` use one kind only; ``"stated_refined"`` is the default except that, where the
document links one past direction to several next ones — a merged table cell often does — only
the stated links scoring within ``successor_ratio`` of its best stated link are kept).  Content successors are the best-scoring next direction and any
other within ``successor_ratio`` of the best, all at least ``min_content_score``.  A connected
component of these successor links with at least two past and two next directions, holding at
least ``reorganised_min_density`` of the possible links (a merged cell listing two next
directions beside three past ones), is a reorganisation: every member is ``reorganised`` (再編)
and lists the group (:func:`reorganised_groups`).  Otherwise, for a past direction: no
successor → ``no_successor``; several → ``split``; one with the same title (compared in match
form) → ``same_title``; one that has several predecessors → ``merged``; otherwise ``renamed``.
For a next direction: no predecessor → ``new``; several → ``merged``; one with the same title →
``same_title``; one that has several successors → ``split``; otherwise ``renamed``.  A unit's
decision, once the corpus carries one, comes first (:mod:`.decisions`): ``end`` →
``no_successor``, ``merge`` → ``merged``.

Only consecutive generations whose plans both hold directions with text are compared
(:func:`comparable_pairs`); what cannot be computed is a :class:`Note` (``code``, Japanese
``message``) in the graph's state, shown by ``gaps``, ``compare`` and the report.

Problems
--------
Every evaluation sentence whose stance is ``issue`` or ``carried_over`` is a problem.  Its
features are the themes, content nouns and compound terms of the part that states the problem
(after the last contrast word, 〜に取り組んだが、…, when that part holds the stance cue, as the
stance stage scopes it), minus the cue's own words (課題 …) and the too-common words.  A next
direction takes it up when it shares at least ``problem_min_shared`` features with it and is a
successor of the problem's direction (the document's link or the content link), or — any other
next direction — at least ``problem_min_shared_other`` features whose summed IDF (over the next
plan's directions) is at least ``problem_ratio`` of the best such overlap.  A match never rests
on generic words alone (:func:`generic_nouns`: single nouns that are no part of any key
compound term of the corpus, and words too common in the pair): a successor must share a theme,
a compound term or a non-generic noun; any other direction a theme or a non-generic compound
term (センター and 廃止 together take nothing up).  The shared features are kept in ``shared``.  No such direction →
``not_taken_up``.  Problems of a plan with no next generation in the corpus are not judged
(there is nothing to take them up).  The evidence is the problem sentence and, per taking
direction, its sentence sharing most features.

Themes and terms
----------------
Per theme and per key term (whole or nested in a longer compound), sentences of the past
plan's evaluations against sentences of the next plan's directions (their titles, initiatives
and descriptions, :data:`NEXT_FIELDS`, as problem uptake reads them): ``continued``
(both), ``new`` (next only), ``dropped`` (past only), with the counts of both sides and up to
``evidence`` example sentences per side.  ``past_titles_count`` says how often the past plan's
titles and initiatives carried it, so a "new" theme that the old plan named but never evaluated
is visible as such.

What the document states against what the texts say
----------------------------------------------------
:func:`agreement_frame`: per past direction, its stated links, its content links and the best
content match; ``agree`` when that best match is a stated link, ``disagree`` when the texts point
elsewhere first, ``stated_only`` / ``content_only`` / ``none`` otherwise.
"""

from __future__ import annotations

from ..labels import FINDING_STATUS as STATUS_JA
from .features import (SentenceInfo, TextFeatures, content_nouns, has_term, problem_stances, problems_of,
                       resolve_analysis, sentence_words, text_features)
from .decisions import DECIDED_STATUS, decided_status, decision_class
from .findings import (Finding, findings, generic_nouns, pair_successors, problem_focus, reorganised_groups,
                       stated_targets, successor_map)
from .frames import (AGREEMENT_COLUMNS, AGREEMENTS, FINDING_COLUMNS, LINK_COLUMNS, agreement_frame,
                     continuity_settings, edges_frame, findings_frame, links, links_frame, nodes_frame)
from .graph import (STATE_KEY, ContinuityData, ContinuityState, StatedLink, build_continuity_graph,
                    content_links, content_successors, continuity_state, plan_pairs, stated_links)
from .notes import (NOTE_CODES, Note, comparable_pairs, comparison_note, continuity_notes, holds_directions_with_text,
                    holds_evaluations, several_owners_note)
from .options import (DIRECTION_STATUSES, FINDING_KINDS, JOIN, NEXT_FIELDS, PAST_FIELDS, PROBLEM_STANCES,
                      PROBLEM_STATUSES, SUCCESSOR_RULES, THEME_STATUSES, continuity_options)
from .scoring import DirectionBag, LinkScore, PairData, PlanPair, score_pair

__all__ = [
    # settings and vocabularies
    "continuity_options", "SUCCESSOR_RULES", "FINDING_KINDS", "THEME_STATUSES", "PROBLEM_STATUSES",
    "DIRECTION_STATUSES", "PROBLEM_STANCES", "PAST_FIELDS", "NEXT_FIELDS", "JOIN", "STATUS_JA",
    # text features
    "resolve_analysis", "content_nouns", "sentence_words", "SentenceInfo", "has_term", "TextFeatures",
    "text_features", "problems_of", "problem_stances",
    # scoring
    "PlanPair", "LinkScore", "DirectionBag", "PairData", "score_pair",
    # the graph and its state
    "build_continuity_graph", "plan_pairs", "StatedLink", "stated_links", "content_links", "content_successors",
    "ContinuityState", "ContinuityData", "continuity_state", "STATE_KEY",
    # findings and tables
    "Finding", "findings", "successor_map", "problem_focus", "reorganised_groups", "generic_nouns",
    "pair_successors", "stated_targets",
    # what the corpus cannot support; decisions
    "Note", "NOTE_CODES", "continuity_notes", "comparison_note", "comparable_pairs", "holds_directions_with_text",
    "several_owners_note",
    "holds_evaluations",
    "decision_class", "decided_status", "DECIDED_STATUS",
    "findings_frame", "links", "links_frame", "agreement_frame", "nodes_frame", "edges_frame",
    "continuity_settings", "FINDING_COLUMNS", "LINK_COLUMNS", "AGREEMENT_COLUMNS", "AGREEMENTS",
]
