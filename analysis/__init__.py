"""keikaku: Japanese text analysis for regional welfare plans.

The public API is re-exported here and loaded lazily, so that importing the package (and starting
the ``keikaku`` command) does not pay for pandas, scikit-learn or matplotlib until they are used.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> module that defines it.  Each stage is one module, named for what it makes.
_EXPORTS = {
    # errors and settings
    "KeikakuError": "errors", "InputError": "errors", "SettingsError": "errors",
    "Settings": "settings", "default_settings": "settings",
    # corpus
    "Corpus": "corpus", "Plan": "corpus", "Goal": "corpus", "Direction": "corpus", "Link": "corpus",
    "Level": "corpus", "EvaluationText": "corpus", "Decision": "corpus", "Rating": "corpus", "import_sources": "importers",
    "ImportWarning": "corpus",
    "read_corpus": "corpus_io", "write_corpus": "corpus_io", "load_corpus": "corpus_io",
    "bundled_corpus_path": "corpus_io",
    "import_source": "importers", "import_evaluation_table": "importers", "import_table": "importers",
    # units and tokens
    "TextUnit": "units", "text_units": "units", "units_frame": "units",
    "Token": "tokens", "Sentence": "tokens", "Tokens": "tokens", "tokenize": "tokens",
    "tokenize_units": "tokens", "tokenize_corpus": "tokens", "Analysis": "pipeline", "analyze": "pipeline",
    "TokenColumns": "tokens", "pos_ids": "tokens", "pos_table": "tokens", "dictionary_version": "tokens",
    "clear_token_cache": "tokencache", "clear_stage_cache": "stagecache",
    # continuity graph, findings, comparison of generations, graph I/O
    "build_continuity_graph": "continuity", "findings": "continuity", "Finding": "continuity",
    "findings_frame": "continuity", "links_frame": "continuity", "agreement_frame": "continuity",
    "successor_map": "continuity", "nodes_frame": "continuity", "edges_frame": "continuity",
    # one-period findings (decisions, ratings, cross tables)
    "period_findings": "evaluations", "period_frames": "evaluations", "period_summary": "evaluations",
    "PeriodFindings": "evaluations", "holds_period_data": "evaluations", "cross_table": "evaluations",
    "CrossTable": "evaluations", "rating_distributions": "evaluations", "DECISION_NAMES": "evaluations",
    "compare_generations": "compare", "comparison_note": "continuity", "continuity_notes": "continuity", "Comparison": "compare",
    "write_graph": "graphio", "read_graph": "graphio",
    # themes and stance
    "Lexicon": "themes", "Theme": "themes", "CodedUnits": "themes", "load_lexicon": "themes",
    "parse_lexicon": "themes", "code_units": "themes", "theme_counts": "themes", "theme_units": "themes",
    "theme_candidates": "themes", "themes_frame": "themes", "theme_count_dict": "themes",
    "match_sentence": "themes",
    "StanceResult": "stance", "load_cues": "stance", "classify_stance": "stance",
    "evaluation_stances": "stance", "stances_frame": "stance", "stance_scope": "stance",
    "stance_summary": "stance",
    # terms and statistics
    "Term": "terms", "Candidates": "terms", "load_stopwords": "terms", "compound_candidates": "terms",
    "unit_compounds": "terms", "adjacency": "terms", "flr_scores": "terms", "cvalue_scores": "terms",
    "term_table": "terms", "terms_frame": "terms", "make_analyzer": "terms", "unit_features": "terms",
    "frequency_table": "textstat", "tfidf_by_direction": "textstat", "tfidf_frame": "textstat",
    "keyness": "textstat", "keyness_statistics": "textstat", "g2": "textstat",
    "kwic": "textstat", "kwic_frame": "textstat",
    "cooccurrence_graph": "textstat", "communities": "textstat", "cooccurrence_edges_frame": "textstat",
    "cooccurrence_nodes_frame": "textstat", "jaccard_matrix": "textstat",
    # report and figures
    "ReportData": "report", "report_data": "report", "report_tables": "report",
    "report_figures": "report", "render_html": "report", "write_report": "report",
    "build_report": "report", "write_workbook": "report", "plans_frame": "report",
    "directions_frame": "report", "corpus_tokens": "report", "goal_labels": "report",
    "theme_bars": "plots", "theme_heatmap": "plots", "keyness_chart": "plots",
    "cooccurrence_network": "plots", "continuity_diagram": "plots", "packed_layout": "plots",
    "figure_svg": "plots", "figure_png": "plots", "save_figure": "plots",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = sorted(_EXPORTS)
