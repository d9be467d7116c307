"""Themes: code every text unit with the themes of an editable lexicon (KH Coder-style rules).

A theme is a name, a description, plain ``terms`` and boolean ``rules`` (grammar documented at the
top of ``analysis/data/themes.toml``).  Matching is on normalized forms and on variant-folded
surfaces, never on the original text, which is kept for evidence.

How a word matches a sentence: both the lexicon word and the sentence are cut into Sudachi's
shortest units (split mode A, inside each token of the sentence's own split mode), and the word
matches where the concatenation of its units' normalized forms (or of its folded surfaces) equals
a run of the sentence's units.  So 担い手不足 matches 担い手|不足, 相談 matches inside the mode-C
word 相談窓口, 見守り matches 見守る, and 取組 matches 取り組み; but 連携 never matches inside an
unrelated longer word that Sudachi does not split there.

A theme is decided per sentence (its ``not`` and ``near`` look at one sentence); a text unit
carries a theme when at least one of its sentences does.  Counts are numbers of text units.

The modules, one job each:

- :mod:`~analysis.themes.patterns`: words and tokens cut into the units matching compares;
- :mod:`~analysis.themes.rules`: the rule syntax tree and its parser;
- :mod:`~analysis.themes.lexicon`: :class:`Theme`, :class:`Lexicon` and the TOML loader;
- :mod:`~analysis.themes.match`: the plain definition of what a theme matches in a sentence;
- :mod:`~analysis.themes.scan`: the same, fast (a needle index and one prefix walk per sentence);
- :mod:`~analysis.themes.coding`: coded units and counts;
- :mod:`~analysis.themes.candidates`: themes the lexicon lacks.

>>> lexicon = parse_lexicon('''
... [[theme]]
... name = "担い手不足"
... terms = ["担い手不足"]
... rules = ["near(担い手, 確保, 3) & 課題"]
... ''')
>>> from analysis.tokens import tokenize
>>> [m.words for m in match_sentence(lexicon, tokenize("新たな担い手の確保が課題となった。")[0])["担い手不足"]]
[('担い手', '確保', '課題')]
>>> match_sentence(lexicon, tokenize("担い手の育成に取り組んだ。")[0])
{}
"""

from .candidates import theme_candidates
from .coding import (
    COUNT_BY, CodedUnit, CodedUnits, code_units, theme_count_dict, theme_counts, theme_units, themes_frame,
)
from .lexicon import Lexicon, Theme, find_line, load_lexicon, parse_lexicon
from .match import (
    SentenceView, ThemeMatch, evaluate_rule, match_sentence_plain, match_view, theme_match, theme_spans,
)
from .patterns import (
    Pattern, TokenMemo, TokenUnits, compile_pattern, fold, fold_fast, fold_many, sentence_columns, short_units,
    token_units, token_units_many, unit_memo,
)
from .rules import (
    DEFAULT_WINDOW, And, Near, Not, Or, Rule, RuleSyntaxError, ThemeRef, Word, parse_rule, rule_patterns, rule_refs,
)
from .scan import IndexedView, LexiconIndex, lexicon_index, match_sentence, sentence_matcher

__all__ = [
    # the lexicon and its rules
    "Lexicon", "Theme", "load_lexicon", "parse_lexicon", "find_line",
    "Rule", "Word", "Near", "ThemeRef", "Not", "And", "Or", "RuleSyntaxError", "DEFAULT_WINDOW",
    "parse_rule", "rule_refs", "rule_patterns",
    # matching
    "Pattern", "compile_pattern", "fold", "fold_fast", "fold_many", "short_units", "TokenUnits", "token_units", "token_units_many", "TokenMemo",
    "unit_memo", "sentence_columns",
    "SentenceView", "ThemeMatch", "evaluate_rule", "theme_spans", "theme_match", "match_view", "match_sentence_plain",
    "LexiconIndex", "lexicon_index", "IndexedView", "sentence_matcher", "match_sentence",
    # coding, counts and candidates
    "CodedUnit", "CodedUnits", "COUNT_BY", "code_units", "theme_count_dict", "theme_counts", "theme_units",
    "themes_frame", "theme_candidates",
]
