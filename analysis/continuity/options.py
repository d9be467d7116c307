"""The ``[continuity]`` settings section, checked, and the vocabularies of the stage.

Every rule the stage applies is a setting (see ``analysis/data/settings.toml``); the tuples here
name the values a setting or a finding may take.
"""

from __future__ import annotations

from typing import Any

from ..errors import SettingsError, check_choice

SUCCESSOR_RULES = ("stated_then_content", "stated_refined", "stated", "content")
FINDING_KINDS = ("theme", "term", "problem", "direction")
THEME_STATUSES = ("continued", "new", "dropped")
PROBLEM_STATUSES = ("taken_up", "not_taken_up")
DIRECTION_STATUSES = ("same_title", "renamed", "merged", "split", "reorganised", "no_successor", "new")
PROBLEM_STANCES = ("issue", "carried_over")
PAST_FIELDS = ("title", "initiative", "evaluation")
NEXT_FIELDS = ("title", "initiative", "description")
#: What joins lists in one cell or attribute (shared terms, fields, direction ids).
JOIN = "、"


def continuity_options(settings: Any = None) -> dict[str, Any]:
    """The ``[continuity]`` section of ``settings``, checked.

    Parameters
    ----------
    settings : Settings, optional
        Default: the bundled settings.

    Returns
    -------
    dict
        A copy of the section: weights ≥ 0 and not all 0, ratios in [0, 1], counts ≥ 0.

    Examples
    --------
    >>> continuity_options()["successors"]
    'stated_then_content'
    """
    from ..settings import default_settings

    options = (default_settings() if settings is None else settings).section("continuity")
    check_choice("continuity.successors", options["successors"], SUCCESSOR_RULES)
    weights = [options["weight_tfidf"], options["weight_themes"], options["weight_terms"]]
    if min(weights) < 0 or sum(weights) <= 0:
        raise SettingsError("weights must be ≥ 0 and not all 0", field="continuity.weight_*")
    for key in ("min_content_score", "successor_ratio", "max_df", "problem_ratio", "reorganised_min_density"):
        if not 0 <= options[key] <= 1:
            raise SettingsError(f"must be between 0 and 1, got {options[key]!r}", field=f"continuity.{key}")
    for key in ("key_terms", "shared_terms", "evidence", "problem_min_shared", "problem_min_shared_other"):
        if options[key] < 0:
            raise SettingsError(f"must be ≥ 0, got {options[key]!r}", field=f"continuity.{key}")
    if options["key_term_min_parts"] < 1:
        raise SettingsError("must be ≥ 1", field="continuity.key_term_min_parts")
    check_choice("continuity.term_method", options["term_method"], ("flr", "cvalue"))
    return options
