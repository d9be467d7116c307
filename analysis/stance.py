"""Evaluation stance: is an evaluation sentence about what was achieved, done, left as an issue or
carried over?  Cue words are data (``analysis/data/stance.toml``, where the decision rule is
documented); the words that decided are kept, as written in the source.

>>> from analysis.tokens import tokenize
>>> r = classify_stance(tokenize("住民主体の活動に取り組んだが、担い手の確保が課題となつた。")[0])
>>> r.stance, r.cues
('issue', ('課題となつた',))
>>> classify_stance(tokenize("研修会を開催し、連携の強化を図ることができた。")[0]).stance
'achieved'
>>> classify_stance(tokenize("災害時のネットワークづくりは次期計画へ持ち越しとした。")[0]).stance
'carried_over'
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .errors import SettingsError, check_choice, toml_error
from .themes import Rule, RuleSyntaxError, SentenceView, Word, evaluate_rule, find_line, parse_rule, rule_refs
from .tokens import Sentence, Tokens, default_variants

if TYPE_CHECKING:
    import pandas as pd

STANCES = ("achieved", "done", "issue", "carried_over")
Stance = Literal["achieved", "done", "issue", "carried_over"]


@dataclass(frozen=True)
class Cue:
    """One cue of the stance file: its stance (or "contrast"), kind, text as written and rule."""

    stance: str
    kind: Literal["predicate", "marker", "contrast"]
    text: str
    tree: Rule


@dataclass(frozen=True)
class StanceCues:
    """Parsed cue lists: predicates and markers per stance, contrast words, order and default."""

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


def parse_cues(text: str, *, source: str | None = None, variants: dict[str, str] | None = None) -> StanceCues:
    """Parse stance cues from TOML text (errors name ``source`` and the line)."""
    if variants is None:
        variants = default_variants()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, source=source, what="stance cues", text=text) from exc
    lines = text.splitlines()

    def where(needle: str) -> int | None:
        return find_line(lines, needle)

    known = {"order", "default", "contrast", "predicates", "markers"}
    for key in data:
        if key not in known:
            raise SettingsError(f"unknown key {key!r} in stance cues; expected {', '.join(sorted(known))}",
                                file=source, line=where(key))
    order = data.get("order", list(STANCES))
    if not isinstance(order, list) or sorted(order) != sorted(STANCES):
        raise SettingsError(f"order must list each of {', '.join(STANCES)} once", file=source, line=where("order"))
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

    cues: dict[str, list[Cue]] = {"predicates": [], "markers": []}
    for table, kind in (("predicates", "predicate"), ("markers", "marker")):
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise SettingsError(f"[{table}] must be a table", file=source, line=where(table))
        for stance, values in section.items():
            if stance not in STANCES:
                raise SettingsError(f"unknown stance {stance!r} in [{table}]; choose one of {', '.join(STANCES)}",
                                    file=source, line=where(stance))
            cues[table].extend(compile_list(values, stance, kind, table))
    contrast = compile_list(data.get("contrast", []), "contrast", "contrast", "contrast") if "contrast" in data else []
    return StanceCues(order=tuple(order), default=default, predicates=tuple(cues["predicates"]),
                      markers=tuple(cues["markers"]), contrast=tuple(contrast), source=source)


def load_cues(path: str | Path | None = None, *, settings=None) -> StanceCues:
    """Read stance cues (default: the ``[data] stance`` of ``settings``, the bundled file)."""
    if path is None:
        return _default_cues(settings.data_file("stance") if settings is not None else None)
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SettingsError("stance cue file not found", file=str(path)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"cannot read stance cues: {exc}", file=str(path)) from exc
    return parse_cues(text, source=str(path))


@functools.lru_cache(maxsize=4)
def _default_cues(path: Path | None) -> StanceCues:
    if path is None:
        from .settings import default_settings

        path = default_settings().data_file("stance")
    return load_cues(Path(path))


def _tail(sentence: Sentence, first: int) -> Sentence:
    """The part of ``sentence`` from token ``first`` on (offsets stay those of the unit text)."""
    tokens = sentence.tokens[first:]
    start = tokens[0].begin if tokens else sentence.end
    return Sentence(sentence.text[start - sentence.start:], start, sentence.end, tokens)


def _matches(cues, view: SentenceView) -> list[tuple[Cue, list[tuple[int, int]]]]:
    out = []
    for cue in cues:
        ok, spans = evaluate_rule(cue.tree, view)
        if ok:
            out.append((cue, spans))
    return out


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

    >>> from analysis.tokens import tokenize
    >>> stance_scope(tokenize("活動に取り組んだが、担い手の確保が課題となつた。")[0]).text
    '担い手の確保が課題となつた。'
    >>> stance_scope(tokenize("課題を共有することができた。")[0]).text
    '課題を共有することができた。'
    """
    if cues is None:
        cues = load_cues()
    view = SentenceView(sentence, variants=variants)
    last = None
    for cue in cues.contrast:
        for first, end in view_spans(cue, view):
            if end - first == 1:
                pos = sentence.tokens[first].pos
                if pos[0] == "助詞" and pos[1] != "接続助詞":
                    continue  # が as the subject marker is no contrast
            if end < len(sentence.tokens) and (last is None or end > last):
                last = end
    if last is None:
        return sentence
    while last < len(sentence.tokens) - 1 and sentence.tokens[last].pos[0] == "補助記号":
        last += 1  # the comma after the contrast word
    tail = _tail(sentence, last)
    tail_view = SentenceView(tail, variants=variants)
    if _matches(cues.predicates, tail_view) or _matches(cues.markers, tail_view):
        return tail
    return sentence


def classify_stance(sentence: Sentence, *, cues: StanceCues | None = None,
                    variants: dict[str, str] | None = None) -> StanceResult:
    """The stance of one evaluation sentence, with the cue words that decided it (rule: stance.toml)."""
    if cues is None:
        cues = load_cues()
    # 1. Scope: after the last contrast word, if that part holds any cue.
    scope = stance_scope(sentence, cues=cues, variants=variants)
    scope_view = SentenceView(scope, variants=variants)
    rank = {stance: i for i, stance in enumerate(cues.order)}
    # 2. Predicates, by order.  3. Markers, by order.
    for kind, group in (("predicate", cues.predicates), ("marker", cues.markers)):
        found = _matches(group, scope_view)
        if not found:
            continue
        best = min(rank[c.stance] for c, _ in found)
        stance = cues.order[best]
        words = sorted({span: scope_view.words(_inflected(scope.tokens, span)) for c, spans in found
                        if c.stance == stance for span in spans}.items())
        return StanceResult(stance, tuple(dict.fromkeys(w for _, w in words if w)), kind)
    return StanceResult(cues.default, (), "default")


def view_spans(cue: Cue, view: SentenceView) -> list[tuple[int, int]]:
    """Every span where a contrast word occurs (a contrast cue is a plain word or phrase)."""
    if isinstance(cue.tree, Word):
        return view.find(cue.tree.pattern)
    ok, spans = evaluate_rule(cue.tree, view)
    return spans if ok else []


def evaluation_stances(tokens: Tokens, *, cues: StanceCues | None = None,
                       variants: dict[str, str] | None = None) -> list[dict]:
    """Every evaluation sentence (units with field "evaluation") with its stance.

    Keys: sentence, stance, cues, basis, direction, line, unit, generation, index (sentence index
    within the unit).  Sentences of only symbols (no word) are skipped: they state nothing.
    """
    if cues is None:
        cues = load_cues()
    out = []
    for unit, sentences in tokens:
        if unit.field != "evaluation":
            continue
        for index, sentence in enumerate(sentences):
            if not any(t.pos[0] not in ("補助記号", "空白", "記号") for t in sentence.tokens):
                continue
            result = classify_stance(sentence, cues=cues, variants=variants)
            out.append({
                "sentence": sentence.text, "stance": result.stance, "cues": list(result.cues),
                "basis": result.basis, "direction": unit.direction_id, "line": unit.line,
                "unit": unit.id, "generation": unit.generation, "index": index,
            })
    return out


def stances_frame(tokens_or_rows, *, cues: StanceCues | None = None):
    """Evaluation stances as a DataFrame (accepts Tokens or the rows of :func:`evaluation_stances`)."""
    import pandas as pd

    rows = tokens_or_rows if isinstance(tokens_or_rows, list) else evaluation_stances(tokens_or_rows, cues=cues)
    columns = ["unit", "generation", "direction", "line", "index", "sentence", "stance", "basis", "cues"]
    frame = pd.DataFrame([{**r, "cues": "、".join(r["cues"])} for r in rows], columns=columns)
    return frame.astype({"line": "Int64"})


def stance_counts(rows: list[dict]) -> dict[str, int]:
    """Number of sentences per stance (every stance present, zero included)."""
    counts = {s: 0 for s in STANCES}
    for row in rows:
        counts[row["stance"]] += 1
    return counts


def check_stance(value: str) -> None:
    check_choice("stance", value, STANCES)
