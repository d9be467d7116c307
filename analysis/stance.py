"""Evaluation stance: is an evaluation sentence about what was achieved, done, left as an issue
(a problem, a rising problem or a need), carried over, or planned for the years ahead?  Cue words
are data (``analysis/data/stance.toml``, where the classes and the decision rule are documented);
the words that decided are kept, as written in the source, and so is whether no cue was found (the
default stance): :func:`stance_summary` counts those, so that every place that shows stances can
say how many rest on no cue.

>>> from analysis.tokens import tokenize
>>> r = classify_stance(tokenize("住民主体の活動に取り組んだが、担い手の確保が課題となつた。")[0])
>>> r.stance, r.cues
('issue', ('課題となつた',))
>>> classify_stance(tokenize("研修会を開催し、連携の強化を図ることができた。")[0]).stance
'achieved'
>>> classify_stance(tokenize("災害時のネットワークづくりは次期計画へ持ち越しとした。")[0]).stance
'carried_over'
>>> classify_stance(tokenize("相談件数は年々増加かつ複雑化している。")[0]).stance
'issue'
>>> classify_stance(tokenize("今後も継続して実施する。")[0]).stance
'planned'
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

from .errors import SettingsError, check_choice, read_data_text, toml_error
from .themes import Rule, RuleSyntaxError, SentenceView, Word, evaluate_rule, find_line, parse_rule, rule_refs
from .tokens import Sentence, Tokens, default_variants, settings_variants, variants_table

if TYPE_CHECKING:
    import pandas as pd

STANCES = ("achieved", "done", "issue", "carried_over", "planned")
Stance = Literal["achieved", "done", "issue", "carried_over", "planned"]


@dataclass(frozen=True)
class Cue:
    """One cue of the stance file: its stance (or "contrast"), kind, text as written and rule.
    A "nonpast" cue is a predicate that counts only where it ends the sentence in the present tense."""

    stance: str
    kind: Literal["predicate", "nonpast", "marker", "contrast"]
    text: str
    tree: Rule


@dataclass(frozen=True)
class StanceCues:
    """Parsed cue lists: predicates (``nonpast`` among them), markers per stance, contrast words,
    order and default."""

    order: tuple[str, ...]
    default: str
    predicates: tuple[Cue, ...]
    markers: tuple[Cue, ...]
    contrast: tuple[Cue, ...]
    source: str | None = None


@dataclass(frozen=True)
class StanceResult:
    """A sentence's stance, the cue words (as written) that decided it, and how it was decided:
    ``basis`` is "predicate", "marker" or "default" (no cue: the documented default stance)."""

    stance: str
    cues: tuple[str, ...]
    basis: str = "predicate"


class StanceRow(TypedDict):
    """One evaluation sentence with its stance (a row of :func:`evaluation_stances`; plain data,
    so that JSON output is the dict as it is)."""

    sentence: str
    stance: str
    cues: list[str]
    basis: str
    direction: str
    line: int | None
    unit: str
    generation: int
    index: int  # the sentence's index within its text unit


def parse_cues(text: str, *, source: str | None = None, variants: dict[str, str] | None = None) -> StanceCues:
    """Parse stance cues from TOML text.

    Parameters
    ----------
    text : str
        The TOML text: ``order``, ``default``, ``contrast`` and the ``[predicates]``,
        ``[nonpast]`` and ``[markers]`` tables (documented in ``analysis/data/stance.toml``).
    source : str or None, default None
        The file it came from (named in errors and kept on the cues).
    variants : dict[str, str] or None, default None
        The variant table cues are compiled with (``None``: the default table).

    Returns
    -------
    StanceCues
        The parsed cues.

    Raises
    ------
    SettingsError
        On invalid TOML, an unknown key or stance, a bad cue or a ``theme:`` reference; with
        ``source`` and the line.

    >>> cues = parse_cues('default = "done"\\n[markers]\\nissue = ["課題"]\\n')
    >>> [(c.stance, c.text) for c in cues.markers], cues.default
    ([('issue', '課題')], 'done')
    """
    if variants is None:
        variants = default_variants()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, source=source, what="stance cues", text=text) from exc
    lines = text.splitlines()

    def where(needle: str) -> int | None:
        return find_line(lines, needle)

    known = {"order", "default", "contrast", "predicates", "nonpast", "markers"}
    for key in data:
        if key not in known:
            raise SettingsError(f"unknown key {key!r} in stance cues; expected {', '.join(sorted(known))}",
                                file=source, line=where(key))
    order = data.get("order", list(STANCES))
    if not isinstance(order, list) or sorted(order) != sorted(STANCES):
        missing = [s for s in STANCES if not isinstance(order, list) or s not in order]
        hint = (" (planned, 今後の方針, is a new stance: add it, e.g. after issue)"
                if missing == ["planned"] else "")
        raise SettingsError(f"order must list each of {', '.join(STANCES)} once{hint}", file=source,
                            line=where("order"))
    default = data.get("default", "done")
    if default not in STANCES:
        raise SettingsError(f"default {default!r} is not a stance; choose one of {', '.join(STANCES)}",
                            file=source, line=where("default"))

    def compile_list(values, stance: str, kind: str, table: str) -> list[Cue]:
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise SettingsError(f"{table}.{stance} must be a list of strings", file=source, line=where(stance))
        out = []
        for value in values:
            try:
                tree = parse_rule(value, variants=variants)
            except RuleSyntaxError as exc:
                raise SettingsError(f"cue {value!r} in {table}.{stance}: {exc}", file=source, line=where(value)) from None
            if any(True for _ in rule_refs(tree)):
                raise SettingsError(f"cue {value!r} in {table}.{stance}: theme: references are not allowed in stance cues",
                                    file=source, line=where(value))
            out.append(Cue(stance, kind, value, tree))
        return out

    cues: dict[str, list[Cue]] = {"predicates": [], "nonpast": [], "markers": []}
    for table, kind in (("predicates", "predicate"), ("nonpast", "nonpast"), ("markers", "marker")):
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise SettingsError(f"[{table}] must be a table", file=source, line=where(table))
        for stance, values in section.items():
            if stance not in STANCES:
                raise SettingsError(f"unknown stance {stance!r} in [{table}]; choose one of {', '.join(STANCES)}",
                                    file=source, line=where(stance))
            cues[table].extend(compile_list(values, stance, kind, table))
    contrast = compile_list(data.get("contrast", []), "contrast", "contrast", "contrast") if "contrast" in data else []
    return StanceCues(order=tuple(order), default=default, predicates=tuple(cues["predicates"] + cues["nonpast"]),
                      markers=tuple(cues["markers"]), contrast=tuple(contrast), source=source)


def load_cues(path: str | Path | None = None, *, settings=None) -> StanceCues:
    """Read stance cues.

    Parameters
    ----------
    path : str, Path or None, default None
        The TOML file (``None``: the ``[data] stance`` of ``settings``, the bundled file; read
        once per process).
    settings : analysis.settings.Settings or None, default None
        Settings naming the file when ``path`` is ``None``, and the variant table the cues are
        compiled with (``None``: the defaults).

    Returns
    -------
    StanceCues
        The parsed cues, ``source`` the file's path.

    Raises
    ------
    SettingsError
        When the file is missing, unreadable or invalid (see :func:`parse_cues`).

    >>> sorted(load_cues().order) == sorted(STANCES)  # the bundled file's order of precedence
    True
    """
    if path is None:
        if settings is None:
            return _default_cues(None, None)
        return _default_cues(settings.data_file("stance"), settings.data_file("variants"))
    variants = None if settings is None else settings_variants(settings)
    path = Path(path)
    text = read_data_text(path, what="stance cue file")
    return parse_cues(text, source=str(path), variants=variants)


@functools.lru_cache(maxsize=4)
def _default_cues(path: Path | None, variants_path: Path | None) -> StanceCues:
    """The cues of ``path`` compiled with the variant table of ``variants_path`` (None: the
    bundled file, the default table), read once per pair of files."""
    from .settings import default_settings

    if path is None:
        path = default_settings().data_file("stance")
    text = read_data_text(Path(path), what="stance cue file")
    variants = None if variants_path is None else variants_table(variants_path)
    return parse_cues(text, source=str(path), variants=variants)


def _tail(sentence: Sentence, first: int) -> Sentence:
    """The part of ``sentence`` from token ``first`` on (offsets stay those of the unit text)."""
    tokens = sentence.tokens[first:]
    start = tokens[0].begin if tokens else sentence.end
    return Sentence(sentence.text[start - sentence.start:], start, sentence.end, tokens)


def _needles(tree: Rule) -> tuple[str, ...] | None:
    """The strings (normalized and surface forms of a cue's patterns) one of which must occur in a
    sentence for the cue to hold; ``None`` when the rule can hold without any (a negation)."""
    from .themes import Not, ThemeRef, rule_patterns

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (Not, ThemeRef)):
            return None
        stack.extend(getattr(node, "operands", ()))
    return tuple(sorted({text for p in rule_patterns(tree) for text in (p.norm, p.surface) if text}))


class _CuePlan:
    """A cue list prepared for :func:`_matches`: each cue with its needles (:func:`_needles`), and
    each needle filed under one of its characters, so that the cues a sentence may hold are found
    from the characters it has rather than by trying every cue (~100 per sentence) in turn."""

    __slots__ = ("cues", "needles", "always", "by_char")

    def __init__(self, cues) -> None:
        self.cues = tuple(cues)
        self.needles = [_needles(cue.tree) for cue in self.cues]
        self.always = [i for i, needles in enumerate(self.needles) if needles is None]
        holders: dict[str, list[int]] = {}
        for i, needles in enumerate(self.needles):
            for needle in needles or ():
                holders.setdefault(needle, []).append(i)
        self.by_char: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for needle, held_by in sorted(holders.items()):
            # any character of the needle is exact; the highest code point is most often a kanji,
            # the rarest kind of character in a sentence, so that fewer needles are tried
            self.by_char.setdefault(max(needle), []).append((needle, tuple(held_by)))

    def possible(self, view: SentenceView) -> list[int]:
        """The positions of the cues :func:`_may_hold` keeps for ``view``, in order (the same)."""
        norm, surface = view.norm, view.surface
        found = set(self.always)
        by_char = self.by_char
        for char in view.chars:
            for needle, held_by in by_char.get(char, ()):
                if needle in norm or needle in surface:
                    found.update(held_by)
        return sorted(found)


_PLANS: dict[int, tuple] = {}


def _plan(cues) -> _CuePlan:
    """The :class:`_CuePlan` of a cue list, made once per list."""
    hit = _PLANS.get(id(cues))
    if hit is None or hit[0] is not cues:
        hit = _PLANS[id(cues)] = (cues, _CuePlan(cues))
    return hit[1]


def _may_hold(needles: tuple[str, ...] | None, view: SentenceView, seen: dict[str, bool]) -> bool:
    """False only when none of a cue's words occurs anywhere in the sentence: then the rule cannot
    hold and its exact (slower) evaluation is skipped, so the result never changes.  ``seen``
    remembers each string's answer for this sentence.  (The definition :meth:`_CuePlan.possible`
    computes for all cues at once.)"""
    if needles is None:
        return True
    for needle in needles:
        found = seen.get(needle)
        if found is None:
            found = seen[needle] = needle in view.norm or needle in view.surface
        if found:
            return True
    return False


def _matches(cues, view: SentenceView) -> list[tuple[Cue, list[tuple[int, int]]]]:
    out = []
    plan = _plan(cues)
    for i in plan.possible(view):
        cue = plan.cues[i]
        if cue.kind == "nonpast":  # every place the cue occurs, kept where it ends the sentence in the present
            spans = [span for span in view_spans(cue, view) if _ends_in_present(view.tokens, span)]
            ok = bool(spans)
        else:
            ok, spans = evaluate_rule(cue.tree, view)
        if ok:
            out.append((cue, spans))
    return out


_PROGRESSIVE = ("居る", "おる")  # 〜ている, 〜ておる: a state or work under way, not a plan
_NOT_PRESENT = ("た", "れる", "られる")  # the past, and the passive (増加が予想される is no plan)


def _ends_in_present(tokens, span: tuple[int, int]) -> bool:
    """Whether a cue's span, with the auxiliaries that finish it, ends the sentence (only symbols
    follow) in the present tense: its last morpheme in the terminal form (終止形) or a noun
    (「検討が必要。」), and no past た, passive れる or 〜ている among them.  A clause in the middle
    (〜を開催するとともに、…できた) takes the tense of the sentence's end, so it never counts."""
    first, end = _inflected(tokens, span)
    finish = tokens[first:end]
    if any(t.pos[0] not in ("補助記号", "空白") for t in tokens[end:]):
        return False
    if any(t.norm in _NOT_PRESENT and t.pos[0] == "助動詞" for t in finish):
        return False
    if any(t.norm in _PROGRESSIVE and t.pos[:2] == ("動詞", "非自立可能") for t in finish[1:]):
        return False
    last = tokens[end - 1].pos
    return last[0] == "名詞" or (len(last) > 5 and last[5].startswith("終止形"))


def _inflected(tokens, span: tuple[int, int]) -> tuple[int, int]:
    """Extend a cue's span over the auxiliaries that finish its predicate (課題となっ → 課題となった)."""
    first, end = span
    if tokens[end - 1].pos[0] not in ("動詞", "助動詞", "形容詞"):
        return span
    while end < len(tokens):
        if tokens[end].pos[0] == "助動詞":
            end += 1
        elif (end + 1 < len(tokens) and tokens[end].pos[:2] == ("助詞", "接続助詞") and tokens[end].norm in ("て", "で")
              and tokens[end + 1].pos[:2] == ("動詞", "非自立可能")):
            end += 2  # 〜ている, 〜ておる
        else:
            break
    return first, end


def stance_scope(sentence: Sentence, *, cues: StanceCues | None = None,
                 variants: dict[str, str] | None = None) -> Sentence:
    """The part of ``sentence`` that decides its stance: after the last contrast word (and the
    punctuation right after it) when that part holds a cue; otherwise the whole sentence.

    Parameters
    ----------
    sentence : analysis.tokens.Sentence
        A tokenized evaluation sentence.
    cues : StanceCues or None, default None
        The cues (``None``: :func:`load_cues`).
    variants : dict[str, str] or None, default None
        The variant table (``None``: the default table).

    Returns
    -------
    analysis.tokens.Sentence
        The deciding part (offsets stay those of the unit text), or ``sentence`` itself.

    >>> from analysis.tokens import tokenize
    >>> stance_scope(tokenize("活動に取り組んだが、担い手の確保が課題となつた。")[0]).text
    '担い手の確保が課題となつた。'
    >>> stance_scope(tokenize("課題を共有することができた。")[0]).text
    '課題を共有することができた。'
    """
    if cues is None:
        cues = load_cues()
    return _scoped(sentence, cues, variants)[0]


def _scoped(sentence: Sentence, cues: StanceCues, variants: dict[str, str] | None) -> tuple[Sentence, SentenceView]:
    """:func:`stance_scope` and the view of it (which :func:`classify_stance` matches again)."""
    view = SentenceView(sentence, variants=variants)
    last = None
    contrast = _plan(cues.contrast)
    for cue in map(contrast.cues.__getitem__, contrast.possible(view)):  # a cue whose words are absent has no span
        for first, end in view_spans(cue, view):
            if end - first == 1:
                pos = sentence.tokens[first].pos
                if pos[0] == "助詞" and pos[1] != "接続助詞":
                    continue  # が as the subject marker is no contrast
            if end < len(sentence.tokens) and (last is None or end > last):
                last = end
    if last is None:
        return sentence, view
    while last < len(sentence.tokens) - 1 and sentence.tokens[last].pos[0] == "補助記号":
        last += 1  # the comma after the contrast word
    tail = _tail(sentence, last)
    tail_view = SentenceView(tail, variants=variants)
    if _matches(cues.predicates, tail_view) or _matches(cues.markers, tail_view):
        return tail, tail_view
    return sentence, view


def classify_stance(sentence: Sentence, *, cues: StanceCues | None = None,
                    variants: dict[str, str] | None = None) -> StanceResult:
    """The stance of one evaluation sentence, with the cue words that decided it.

    The rule (documented in stance.toml): in the scope (:func:`stance_scope`), the predicates
    decide (a ``nonpast`` predicate only where it ends the sentence in the present tense), the first
    stance of ``order`` among those found; without a predicate, the markers likewise; without
    either, the default stance.

    Parameters
    ----------
    sentence : analysis.tokens.Sentence
        A tokenized evaluation sentence.
    cues : StanceCues or None, default None
        The cues (``None``: :func:`load_cues`).
    variants : dict[str, str] or None, default None
        The variant table (``None``: the default table).

    Returns
    -------
    StanceResult
        The stance, the deciding cue words as written (a predicate with the auxiliaries that
        finish it), and the basis ("predicate", "marker" or "default").

    >>> from analysis.tokens import tokenize
    >>> classify_stance(tokenize("懇談会を開催した。")[0])
    StanceResult(stance='done', cues=('開催した',), basis='predicate')
    >>> classify_stance(tokenize("利用者への周知を図る必要がある。")[0]).stance
    'issue'
    >>> classify_stance(tokenize("市の状況。")[0]).basis
    'default'
    """
    if cues is None:
        cues = load_cues()
    # 1. Scope: after the last contrast word, if that part holds any cue.
    scope, scope_view = _scoped(sentence, cues, variants)
    rank = {stance: i for i, stance in enumerate(cues.order)}
    # 2. Predicates, by order.  3. Markers, by order.
    for kind, group in (("predicate", cues.predicates), ("marker", cues.markers)):  # nonpast cues are predicates
        found = _matches(group, scope_view)
        if not found:
            continue
        best = min(rank[c.stance] for c, _ in found)
        stance = cues.order[best]
        spans = {_inflected(scope.tokens, span) for c, spans in found if c.stance == stance for span in spans}
        # a cue inside another one's words (できなかった in 達成できなかった) is not named again
        spans = sorted(span for span in spans
                       if not any(o != span and o[0] <= span[0] and span[1] <= o[1] for o in spans))
        words = (scope_view.words(span) for span in spans)
        return StanceResult(stance, tuple(dict.fromkeys(w for w in words if w)), kind)
    return StanceResult(cues.default, (), "default")


def view_spans(cue: Cue, view: SentenceView) -> list[tuple[int, int]]:
    """Every span where a contrast cue occurs in a sentence.

    Parameters
    ----------
    cue : Cue
        A contrast cue (a plain word or phrase; any other rule gives its deciding spans).
    view : analysis.themes.SentenceView
        The sentence.

    Returns
    -------
    list[tuple[int, int]]
        Token spans ``(first, last + 1)``, in order.

    >>> from analysis.themes import SentenceView
    >>> from analysis.tokens import tokenize
    >>> [c.text for c in load_cues().contrast if view_spans(c, SentenceView(tokenize("行ったが、残った。")[0]))]
    ['が']
    """
    if isinstance(cue.tree, Word):
        return view.find(cue.tree.pattern)
    ok, spans = evaluate_rule(cue.tree, view)
    return spans if ok else []


def evaluation_stances(tokens: Tokens, *, cues: StanceCues | None = None,
                       variants: dict[str, str] | None = None) -> list[StanceRow]:
    """Every evaluation sentence (units with field "evaluation") with its stance.

    Sentences of only symbols (no word) are skipped: they state nothing.

    Parameters
    ----------
    tokens : analysis.tokens.Tokens
        The tokenized text units.
    cues : StanceCues or None, default None
        The cues (``None``: :func:`load_cues`).
    variants : dict[str, str] or None, default None
        The variant table (``None``: the one the tokens were folded with, else the default).

    Returns
    -------
    list[StanceRow]
        One dict per sentence, in corpus order (the rows of ``keikaku`` JSON output).
    """
    if cues is None:
        cues = load_cues()
    if variants is None:  # the table the texts were folded with
        variants = tokens.variants if tokens.variants is not None else default_variants()
    out = []
    for unit, sentences in tokens:
        if unit.field != "evaluation":
            continue
        for index, sentence in enumerate(sentences):
            if not any(t.pos[0] not in ("補助記号", "空白", "記号") for t in sentence.tokens):
                sentence.forget_tokens()
                continue
            result = classify_stance(sentence, cues=cues, variants=variants)
            sentence.forget_tokens()  # a pass over the whole corpus: hold no Token objects after it
            out.append({
                "sentence": sentence.text, "stance": result.stance, "cues": list(result.cues),
                "basis": result.basis, "direction": unit.direction_id, "line": unit.line,
                "unit": unit.id, "generation": unit.generation, "index": index,
            })
    return out


def stances_frame(tokens_or_rows: "Tokens | list[StanceRow]", *, cues: StanceCues | None = None) -> "pd.DataFrame":
    """Evaluation stances as a table.

    Parameters
    ----------
    tokens_or_rows : analysis.tokens.Tokens or list[StanceRow]
        The tokenized text units, or the rows of :func:`evaluation_stances`.
    cues : StanceCues or None, default None
        The cues, when ``tokens_or_rows`` is tokens (``None``: :func:`load_cues`).

    Returns
    -------
    pandas.DataFrame
        Columns unit, generation, direction, line (nullable integer), index, sentence, stance,
        basis, cues (joined with 、).
    """
    import pandas as pd

    rows = tokens_or_rows if isinstance(tokens_or_rows, list) else evaluation_stances(tokens_or_rows, cues=cues)
    columns = ["unit", "generation", "direction", "line", "index", "sentence", "stance", "basis", "cues"]
    frame = pd.DataFrame([{**r, "cues": "、".join(r["cues"])} for r in rows], columns=columns)
    return frame.astype({"line": "Int64"})


def stance_counts(rows: "list[StanceRow]") -> dict[str, int]:
    """Count the sentences of each stance.

    Parameters
    ----------
    rows : list[StanceRow]
        The rows of :func:`evaluation_stances`.

    Returns
    -------
    dict[str, int]
        ``{stance: number}``, every stance present (zero included), in :data:`STANCES` order.

    >>> stance_counts([{"stance": "issue"}, {"stance": "issue"}])
    {'achieved': 0, 'done': 0, 'issue': 2, 'carried_over': 0, 'planned': 0}
    """
    counts = {s: 0 for s in STANCES}
    for row in rows:
        counts[row["stance"]] += 1
    return counts


class StanceSummary(TypedDict):
    """How many sentences got each stance, and how many of them rest on no cue at all (the
    ``stance_summary`` of ``keikaku themes --json``)."""

    counts: dict[str, int]
    sentences: int
    default: int  # sentences with basis "default": no cue found
    default_stance: str  # the stance they were given
    default_share: float  # default / sentences (0.0 without sentences), rounded to 4 places


def stance_summary(rows: "list[StanceRow]", *, default: str | None = None) -> StanceSummary:
    """Count the stances and the sentences that got the default stance because no cue was found.

    Parameters
    ----------
    rows : list[StanceRow]
        The rows of :func:`evaluation_stances`.
    default : str or None, default None
        The default stance of the cues that made ``rows`` (``None``: that of :func:`load_cues`).

    Returns
    -------
    StanceSummary
        ``counts`` (:func:`stance_counts`), ``sentences``, ``default`` (rows of basis "default"),
        ``default_stance`` and ``default_share``.

    >>> rows = [{"stance": "done", "basis": "default"}, {"stance": "done", "basis": "predicate"},
    ...         {"stance": "issue", "basis": "marker"}, {"stance": "done", "basis": "default"}]
    >>> s = stance_summary(rows, default="done")
    >>> s["counts"]["done"], s["default"], s["default_share"]
    (3, 2, 0.5)
    """
    if default is None:
        default = load_cues().default
    check_stance(default)
    defaults = sum(1 for row in rows if row.get("basis") == "default")
    return {"counts": stance_counts(rows), "sentences": len(rows), "default": defaults, "default_stance": default,
            "default_share": round(defaults / len(rows), 4) if rows else 0.0}


def check_stance(value: str) -> None:
    """Raise :class:`~analysis.errors.SettingsError` unless ``value`` is one of :data:`STANCES`.

    Parameters
    ----------
    value : str
        A stance name given by the user.

    Returns
    -------
    None

    >>> check_stance("issue")
    """
    check_choice("stance", value, STANCES)
