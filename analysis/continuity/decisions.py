"""The hook through which a unit's decision (今後の方向性 and the like: 終了・廃止, 統合 …) states
where a direction went, ahead of the links and the texts.

The corpus model of today has no decisions; once a unit carries one (``decision`` as
``{"label", "class"}`` or an object with a ``class_`` / ``klass`` / ``cls`` attribute, the class
normalised through the editable vocabulary, e.g. ``end``, ``merge``), :func:`decision_class`
reads it and :func:`decided_status` turns it into a direction finding's status:

- ``end`` (終了・廃止・休止): ``no_successor``, stated by the decision, whatever the texts say;
- ``merge`` (統合): ``merged``.

Any other class (``continue``, ``improve`` …) or none leaves the status to the links and texts.
"""

from __future__ import annotations

from typing import Any

#: Decision class → the status it states for a past direction.
DECIDED_STATUS = {"end": "no_successor", "merge": "merged"}


def decision_class(unit: Any) -> str | None:
    """The normalised decision class of a unit (a Direction), or None when it has none.

    Parameters
    ----------
    unit : Direction or any object
        Read through its ``decision`` attribute: a mapping with ``class``, an object with
        ``class_`` (or ``klass``, ``cls``), or a plain class string.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> decision_class(SimpleNamespace(decision={"label": "３ 終了・廃止・休止", "class": "end"}))
    'end'
    >>> decision_class(SimpleNamespace(title="見守り活動")) is None
    True
    """
    decision = getattr(unit, "decision", None)
    if decision is None:
        return None
    if isinstance(decision, str):
        value = decision
    elif isinstance(decision, dict):
        value = decision.get("class")
    else:
        value = next((getattr(decision, name) for name in ("class_", "klass", "cls") if hasattr(decision, name)), None)
    return str(value) if value else None


def decided_status(unit: Any) -> str | None:
    """The status a unit's decision states for where it went (:data:`DECIDED_STATUS`), or None.

    Parameters
    ----------
    unit : Direction or any object

    Returns
    -------
    str or None
        ``"no_successor"`` for ``end``, ``"merged"`` for ``merge``, None otherwise.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> decided_status(SimpleNamespace(decision={"class": "merge"})), decided_status(SimpleNamespace(decision="continue"))
    ('merged', None)
    """
    return DECIDED_STATUS.get(decision_class(unit) or "")
