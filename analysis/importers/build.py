"""From table rows to a :class:`~analysis.corpus.Corpus`: shared by both importers.

A :class:`Row` is one row of a plan table as the source gave it (cells verbatim, its 1-based
line).  :func:`build_corpus` carries merged cells forward, creates the evaluated plan's goals and
directions, parses the next plan's cells into a plan of its own and links them, and reports every
contradiction as an :class:`~analysis.corpus.ImportWarning` naming the line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..corpus import Corpus, Direction, Goal, ImportWarning, Link, Plan
from ..errors import SettingsError
from . import patterns as pt


@dataclass
class Row:
    line: int
    philosophy: str = ""
    goal: str = ""
    direction: str = ""
    initiatives: str = ""
    evaluation: str = ""
    next: str = ""
    priority: str = ""
    next_description: str = ""
    description: str = ""  # the direction's own text (a next plan given as its own table)
    period: str = ""
    levels: list[tuple[str, str]] = field(default_factory=list)  # (label, value), top first
    texts: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    decision: tuple[str, str] | None = None  # (header, cell)
    ratings: list[tuple[str, str, str]] = field(default_factory=list)  # (question, value, reason)
    attributes: dict[str, str] = field(default_factory=dict)  # {column name: cell}

    def has_unit_content(self) -> bool:
        """Whether the row holds anything for a unit beyond its title."""
        return bool(pt.strip_markup(self.initiatives).strip() or pt.strip_markup(self.evaluation).strip()
                    or pt.strip_markup(self.priority).strip() or self.description.strip()
                    or any(t.strip() for _, t in self.texts) or self.decision is not None
                    or self.ratings or self.attributes)


@dataclass
class PlanInfo:
    title: str
    generation: int
    next_generation: int
    next_title: str
    owner: str = ""
    period: str = ""
    next_period: str = ""
    title_line: int | None = None
    next_line: int | None = None
    role: str = "evaluated"  # "next" for a next plan given as its own table


# Japanese names of the columns, used in warnings (the field a planner would look at).
FIELD_NAMES = {"philosophy": "基本理念", "goal": "基本目標", "direction": "施策の方向",
               "initiatives": "取組内容", "evaluation": "評価", "next": "次期計画の方向性",
               "priority": "重点取組", "next_description": "次期計画の説明",
               "description": "方向性の説明", "decision": "今後の方向性", "period": "期間"}


@dataclass
class _State:
    corpus: Corpus
    file: str
    past: Plan
    future: Plan
    goals: dict = field(default_factory=dict)
    next_goals: dict = field(default_factory=dict)
    next_directions: dict = field(default_factory=dict)  # key -> Direction
    linked: set = field(default_factory=set)  # (from, to) of the stated links made
    decisions: dict = field(default_factory=dict)  # decision vocabulary {word: class}
    words: pt.TableWords = field(default_factory=pt.TableWords)  # analysis/data/table_words.toml
    decisions_loaded: bool = False

    def decision_words(self) -> dict:
        """The decision vocabulary, read when first needed (a next cell may say 廃止)."""
        if not self.decisions and not self.decisions_loaded:
            from .decisions import load_decisions

            self.decisions = load_decisions()
        self.decisions_loaded = True
        return self.decisions

    def warn(self, line: int | None, column: str, message: str) -> None:
        self.corpus.warnings.append(ImportWarning(line=line, message=message, file=self.file,
                                                  field=FIELD_NAMES.get(column, column)))


# A 重点取組 cell: a small whole number written as such (1, 重点1, ①, （重点2）, 三), or a mark
# meaning "a priority, without a number" (○, 重点 …).  Anything else is not guessed at.
PRIORITY_CELL = re.compile(rf"^[(]?\s*※?\s*(?P<word>重点(?:取組|取り組み|施策|事業|項目)?)?\s*"
                           rf"(?P<num>{pt.NUM})?\s*[)]?$")
PRIORITY_MARKS = frozenset("○◎●〇◯★☆✓✔レ")
MAX_PRIORITY = 99


def _priority(cell: str) -> tuple[int | None, bool]:
    """``(number, understood)`` of a 重点取組 cell: None for an empty cell, 0 for a mark without a
    number; ``understood`` is False for any other text (the caller warns and keeps it)."""
    cell = unicodedata.normalize("NFKC", pt.strip_markup(cell)).strip()
    if not cell:
        return None, True
    if cell in PRIORITY_MARKS:
        return 0, True
    match = PRIORITY_CELL.match(cell)
    if not match or not (match.group("word") or match.group("num")):
        return None, False
    if match.group("num") is None:
        return 0, True
    number = pt.kanji_number(match.group("num"))
    return (number, True) if number <= MAX_PRIORITY else (None, False)


def build_corpus(rows: list[Row], info: PlanInfo, *, name: str, file: str,
                 carry: tuple[str, ...] = ("philosophy", "goal", "next"),
                 corpus: Corpus | None = None, variants: dict[str, str] | None = None,
                 decisions: dict[str, str] | None = None,
                 words: pt.TableWords | None = None) -> Corpus:
    """Build plans, goals, directions, links and warnings from ``rows`` (in source order).

    ``variants`` (VARIANT → STANDARD characters) defaults to analysis/data/variants.tsv; texts
    holding one get a warning, and are kept as written.  ``decisions`` (the decision vocabulary,
    default analysis/data/decisions.toml) classifies decision cells, and says which next-plan
    cells mean 終了・廃止.  ``words`` (default analysis/data/table_words.toml) names the totals
    rows (skipped, with a warning) and the next-plan cells meaning "no successor".
    """
    if info.next_generation == info.generation:
        raise SettingsError(f"the next plan's generation must differ from {info.generation}",
                            field="next_generation")
    corpus = corpus or Corpus(name=name)
    past_id, next_id = f"P{info.generation}", f"P{info.next_generation}"
    past = Plan(id=past_id, generation=info.generation, title=info.title, owner=info.owner,
                period=info.period, role=info.role, source_file=file, source_line=info.title_line)
    future = Plan(id=next_id, generation=info.next_generation, title=info.next_title,
                  owner=info.owner, period=info.next_period, role="next", source_file=file,
                  source_line=info.next_line)
    state = _State(corpus=corpus, file=file, past=past, future=future,
                   words=pt.load_table_words() if words is None else words)
    if decisions is not None:
        state.decisions, state.decisions_loaded = decisions, True
    elif any(row.decision for row in rows):
        state.decision_words()

    philosophy, philosophy_line = "", None
    goal_number, goal_cell, goal_line = None, "", None
    max_goal = 0
    next_ids: list[tuple[str, bool]] = []  # next directions of the current next cell
    ended: str | None = None  # the current next cell when it says 終了・廃止 (no successor)
    next_goal_number = None
    previous: Direction | None = None

    for row in rows:
        if _totals_row(state, row):
            continue
        # -- 基本理念 ------------------------------------------------------------------
        cell = pt.strip_markup(row.philosophy).strip()
        if cell:
            if not past.philosophy:
                past.philosophy = cell
                philosophy_line = row.line
            elif pt.normalize_space(cell) != pt.normalize_space(past.philosophy):
                state.warn(row.line, "philosophy",
                           f"基本理念「{cell}」が{philosophy_line}行目の「{past.philosophy}」と異なります。"
                           "書かれているとおり、この行からの施策に原文（philosophy_raw）を残しました")
            philosophy = cell
        elif "philosophy" not in carry:
            philosophy = ""
        # -- 基本目標 ------------------------------------------------------------------
        cell = pt.strip_markup(row.goal).strip()
        goal_given = bool(cell)
        if cell:
            number, label, title = pt.parse_goal_cell(cell)
            if number is None:
                known = [g for g in state.goals.values() if g.title == title]
                number = known[0].number if known else max_goal + 1
            goal = state.goals.get(number)
            if goal is None:
                if number <= max_goal:
                    state.warn(row.line, "goal",
                               f"基本目標{number}が順序どおりではありません（基本目標{max_goal}の後）")
                elif number > max_goal + 1:
                    state.warn(row.line, "goal",
                               f"基本目標の番号が飛んでいます（基本目標{max_goal}の次が基本目標{number}）")
                goal = Goal(plan_id=past.id, number=number, title=title, label=label,
                            raw_label=cell, source_line=row.line)
                state.goals[number] = goal
                past.goals.append(goal)
            else:
                if title and pt.normalize_space(title) != pt.normalize_space(goal.title):
                    state.warn(row.line, "goal",
                               f"基本目標{number}の名称「{title}」が{goal.source_line}行目の"
                               f"「{goal.title}」と異なります。書かれているとおり基本目標{number}として"
                               "読み込み、原文を goal_label_raw に残しました")
                if number != goal_number and number < max_goal:
                    state.warn(row.line, "goal",
                               f"基本目標{number}が順序どおりではありません（基本目標{max_goal}の後に"
                               "再び現れました）")
            goal_number, goal_cell, goal_line = number, cell, row.line
            max_goal = max(max_goal, number)
        elif "goal" not in carry:
            goal_number, goal_cell, goal_line = None, "", None
        # -- 次期計画の方向性 -------------------------------------------------------------
        cell = row.next.strip()
        next_given = bool(pt.strip_markup(cell).strip())
        ended_here = None  # the 終了・廃止 cell given on this row, warned once below
        if next_given:
            next_ids, next_goal_number, ended = _next_cell(state, row, cell, next_goal_number,
                                                           goal_number)
            ended_here = ended
            # a 再掲 is by definition listed again under another goal: no contradiction there
            if (not goal_given and goal_number is not None and next_ids
                    and not all(relisted for _, relisted in next_ids)
                    and next_goal_number is not None and next_goal_number != goal_number):
                state.warn(row.line, "goal",
                           f"基本目標は{goal_line}行目から引き継いで{goal_number}としましたが、"
                           f"この行の次期計画の方向性は基本目標{next_goal_number}の下にあります")
        elif "next" not in carry:
            next_ids, ended = [], None
        if not next_given and pt.strip_markup(row.next_description).strip():
            # a description with no next-plan direction on its row: never dropped silently
            state.warn(row.line, "next_description", "次期計画の方向性のない行の説明を読み込みませんでした:"
                       f"「{pt.strip_markup(row.next_description).strip()}」")
        # -- 施策の方向 ----------------------------------------------------------------
        title_cell = pt.strip_markup(row.direction).strip()
        initiatives = pt.split_initiatives(row.initiatives)
        evaluation = pt.strip_markup(row.evaluation).strip()
        if not title_cell:
            if row.has_unit_content():
                if previous is None:
                    state.warn(row.line, "direction", "施策の方向が空で、続けられる前の施策もありません"
                               f"（取組内容「{' '.join(initiatives)}」評価「{evaluation}」"
                               f"{_row_rest(row)}）")
                    _ended(state, None, ended_here, row.line)
                    continue
                previous.initiatives.extend(
                    pt.split_initiatives(row.initiatives, start=len(previous.initiatives) + 1))
                if evaluation:
                    previous.evaluation = (previous.evaluation + "\n" + evaluation).strip()
                _unit_content(state, previous, row, continued=True)
                previous.source_lines.append(row.line)
                state.warn(row.line, "direction",
                           f"施策の方向が空の行です。前の施策（{previous.id}）の続きとして読み込みました")
                _link(state, previous, next_ids, row.line)
                _ended(state, previous, ended, row.line, warn=ended_here is not None)
            else:
                _ended(state, None, ended_here, row.line)
            continue
        if goal_number is None:
            state.warn(row.line, "goal", "基本目標のない施策です（基本目標0として読み込みました）")
            goal_number = 0
            if 0 not in state.goals:  # one goal 0 for all such rows: its directions numbered on, ids unique
                goal = Goal(plan_id=past.id, number=0, title="", source_line=row.line)
                state.goals[0] = goal
                past.goals.append(goal)
        goal = state.goals[goal_number]
        title, priority, relisted, _ = pt.title_markers(title_cell)
        given, understood = _priority(row.priority)
        if given is not None:
            priority = given
        elif not understood:
            state.warn(row.line, "priority", f"重点取組の欄「{pt.strip_markup(row.priority).strip()}」は"
                       f"{MAX_PRIORITY}以下の番号（1、重点1、①）や印（○）として読めないため、"
                       "重点取組としては読み込まず、ここに原文を残しました")
        sequence = number = len(goal.directions) + 1
        heading = pt.TITLE_NUMBER.match(title)
        if heading and not title[heading.end():].strip():
            state.warn(row.line, "direction", f"施策の方向の欄「{title_cell}」には番号しかありません。"
                       "書かれているとおり題名として読み込みました")
        elif heading:
            # （1）title: the number is never part of the title, as in the next plan's column
            given_number = pt.kanji_number(heading.group("num") or heading.group("n") or heading.group("w"))
            title = title[heading.end():].strip()
            if info.role == "next":  # a next plan's own table: numbered as the document numbers it
                number = sequence = given_number
            elif given_number != number:  # the evaluated plan's number is the order in its goal
                state.warn(row.line, "direction", f"施策の方向「{title_cell}」の番号（{given_number}）が"
                           f"基本目標{goal_number}の中の順番（{number}番目）と異なります。番号は順番の"
                           f"{number}とし、題名「{title}」から番号を除きました")
        while any(d.id == f"{past.id}-{goal_number}-{sequence}" for d in goal.directions):
            sequence += 1  # ids stay unique whatever the document's numbering
        direction = Direction(
            id=f"{past.id}-{goal_number}-{sequence}", plan_id=past.id, goal_number=goal_number,
            number=number, title=title, initiatives=initiatives, evaluation=evaluation,
            priority=priority, relisted_lines=[row.line] if relisted else [],
            goal_label_raw=goal_cell, philosophy_raw=philosophy, source_file=file,
            source_lines=[row.line])
        _unit_content(state, direction, row, continued=False)
        goal.directions.append(direction)
        previous = direction
        _link(state, direction, next_ids, row.line)
        _ended(state, direction, ended, row.line, warn=ended_here is not None)

    corpus.plans.append(past)
    if any(g.directions for g in future.goals):
        corpus.plans.append(future)
    _variant_warnings(state, [past, future], variants)
    return corpus


def _row_cells(row: Row) -> list[str]:
    """The non-empty cells of a row as the importer read them, in a fixed order."""
    cells = [value for _, value in row.levels]
    cells += [row.philosophy, row.goal, row.direction, row.initiatives, row.evaluation,
              row.priority, row.next, row.next_description, row.description, row.period]
    cells += [text for _, text in row.texts] + ([row.decision[1]] if row.decision else [])
    cells += [part for _, value, reason in row.ratings for part in (value, reason)]
    cells += list(row.attributes.values())
    return [cell for cell in cells if cell.strip()]


def _totals_row(state: _State, row: Row) -> bool:
    """Skip a totals row (基本目標, level or 施策の方向 cell 「合計」「小計」 … as a whole, from
    table_words.toml): listed in skipped.csv, with one warning naming its line and column."""
    if not state.words.totals:
        return False
    cells = [("goal", row.goal)] + [(label, value) for label, value in row.levels]
    cells.append(("direction", row.direction))
    for column, value in cells:
        if pt.fold_cell(value) in state.words.totals:
            word = value.strip()
            name = FIELD_NAMES.get(column, column)
            state.corpus.skipped.append({"file": state.file, "line": row.line,
                                         "reason": f"合計の行（{name}「{word}」）",
                                         "text": "\t".join(_row_cells(row))})
            state.warn(row.line, column, f"{name}の欄が「{word}」の行は合計の行として読み込みませんでした"
                       f"（skipped.csv に残しました: {' / '.join(c.strip() for c in _row_cells(row))}）")
            return True
    return False


def _ended(state: _State, direction: Direction | None, cell: str | None, line: int, *,
           warn: bool = True) -> None:
    """A next cell saying 終了・廃止 (``cell``): the direction of its row has no successor, and
    that is its decision (class end) unless it has a decision of its own.  One warning on the
    row giving the cell."""
    if cell is None:
        return
    from ..corpus import Decision
    from .decisions import CLASS_NAMES

    recorded = direction is not None and direction.decision is None
    if recorded:
        direction.decision = Decision(label=cell, class_="end", header=FIELD_NAMES["next"])
    if not warn:
        return
    if recorded:
        what = (f"{direction.id}の今後の方向性「{CLASS_NAMES['end']}」（分類 end）として記録しました")
    elif direction is not None:
        what = f"{direction.id}には今後の方向性「{direction.decision.label}」があるため、そちらを残しました"
    else:
        what = "この行には施策の方向がありません"
    state.warn(line, "next", f"次期計画の方向性の欄「{cell}」は後継なしとして扱い、方向性もつながりも"
               f"作りませんでした（{what}）")


def _row_rest(row: Row) -> str:
    """The other contents of a row, quoted for a warning (nothing is dropped silently)."""
    parts = [f"{label}「{text}」" for label, text in row.texts if text.strip()]
    if row.description.strip():
        parts.append(f"説明「{row.description.strip()}」")
    if row.decision is not None:
        parts.append(f"{row.decision[0]}「{row.decision[1]}」")
    parts += [f"{q}「{v}」{('（' + r + '）') if r else ''}" for q, v, r in row.ratings]
    parts += [f"{h}「{v}」" for h, v in row.attributes.items()]
    return "".join("、" + p for p in parts)


def _unit_content(state: _State, d: Direction, row: Row, *, continued: bool) -> None:
    """Levels, texts, description, decision, ratings, period and attributes of ``row`` onto ``d``
    (a continuation row adds to the unit above it)."""
    from ..corpus import Decision, EvaluationText, Level, Rating
    from .decisions import CLASS_NAMES, UNKNOWN, decision_class, decision_note

    if not continued:
        d.levels = [Level(label=label, value=value) for label, value in row.levels]
        d.period = row.period.strip()
    description = pt.strip_markup(row.description).strip()
    if description:
        d.text = (d.text + "\n" + description).strip()
    for label, text in row.texts:
        if pt.strip_markup(text).strip():
            d.texts.append(EvaluationText(label=label, text=pt.strip_markup(text).strip()))
    for question, value, reason in row.ratings:
        d.ratings.append(Rating(question=question, value=value.strip(), reason=pt.strip_markup(reason).strip()))
    if row.decision is not None:
        header, cell = row.decision
        cell = cell.strip()
        kind = decision_class(cell, state.decisions)
        if d.decision is not None:
            state.warn(row.line, "decision", f"{d.id}の{header}は{d.source_lines[0]}行目の「{d.decision.label}」"
                       f"とし、この行の「{cell}」はここに残しました")
        else:
            d.decision = Decision(label=cell, class_=kind, header=header)
            if kind == UNKNOWN:
                note = decision_note(cell, state.decisions)  # a check-box cell: which options are checked
                if note:
                    state.warn(row.line, "decision", f"{header}「{cell}」は分類 unknown として原文のまま"
                               f"読み込みました（{note}）")
                else:
                    state.warn(row.line, "decision", f"{header}「{cell}」は decisions.toml のどの分類（"
                               f"{'、'.join(v for k, v in CLASS_NAMES.items() if k != UNKNOWN)}）にも当たらないため、"
                               "分類 unknown として原文のまま読み込みました")
    for header, value in row.attributes.items():
        old = d.attributes.get(header)
        if old is None:
            d.attributes[header] = value
        elif old != value:
            key = f"{header}（{row.line}行目）"
            d.attributes[key] = value
            state.warn(row.line, header, f"{d.id}の続きの行の「{header}」が上の行と異なるため、"
                       f"属性「{key}」として読み込みました")


def default_variants() -> dict[str, str]:
    """The bundled variant-character table (analysis/data/variants.tsv)."""
    from ..settings import data_path
    from ..textnorm import load_variants

    return load_variants(data_path("variants.tsv"))


def _variant_warnings(state: _State, plans: list[Plan], variants: dict[str, str] | None) -> None:
    """One warning per direction text holding a variant character (kept verbatim, folded later)."""
    table = default_variants() if variants is None else variants
    if not table:
        return
    for plan in plans:
        for d in plan.directions():
            texts = [("direction", d.title), ("initiatives", " ".join(d.initiatives)),
                     ("evaluation", d.evaluation), ("next", d.text)]
            texts += [(t.label, t.text) for t in d.texts] + [(r.question, r.reason) for r in d.ratings]
            for column, text in texts:
                found = sorted({c for c in text if c in table})
                if found:
                    pairs = "、".join(f"「{c}」（{table[c]}）" for c in found)
                    column = "next" if plan is not state.past and column == "direction" else column
                    state.warn(d.source_lines[0] if d.source_lines else None, column,
                               f"異体字 {pairs} を原文のまま残しました（{d.id}。照合では括弧内の字として扱います）")


def _link(state: _State, direction: Direction, next_ids: list[tuple[str, bool]], line: int) -> None:
    for target, relisted in next_ids:
        if (direction.id, target) in state.linked:
            continue  # a continuation row under a carried cell: the pair is linked already
        state.linked.add((direction.id, target))
        state.corpus.links.append(Link(source=direction.id, target=target, kind="stated",
                                       relisted=relisted, line=line))


# A note in brackets closing a cell (なし（事業終了）), set aside when it is matched as a word.
NOTE_AFTER = re.compile(r"[(][^()]*[)]$")


def _no_successor(state: _State, row: Row, cell: str, headings: list[pt.Heading]
                  ) -> tuple[list[pt.Heading], str | None]:
    """The headings of a next cell that name a direction, and the cell itself when every one
    of them said 終了・廃止 (the caller records it).  A heading with nothing but numbering,
    brackets, dashes and 再掲 / ※ marks, or a word of table_words.toml's ``no_successor``, names
    no direction: one warning each (a 終了・廃止 word is warned where it is recorded)."""
    from .decisions import decision_class

    shown = pt.normalize_space(pt.strip_markup(cell))
    kept: list[pt.Heading] = []
    ended = False
    for heading in headings:
        raw = heading.raw or heading.title
        quoted = shown if len(headings) == 1 else pt.normalize_space(raw) or shown
        if not pt.title_residue(heading.title):
            state.warn(row.line, "next", f"次期計画の方向性の欄「{quoted}」には方向性の名称がない"
                       "（番号・記号・再掲の印だけの）ため、方向性もつながりも作りませんでした")
            continue
        # the word alone, and without a note in brackets after it (なし（事業終了）)
        folded = pt.fold_cell(heading.title)
        words = {pt.fold_word(folded), pt.fold_word(NOTE_AFTER.sub("", folded))} - {""}
        if words & state.words.no_successor:
            state.warn(row.line, "next", f"次期計画の方向性の欄「{quoted}」は後継なしとして扱い、"
                       "方向性もつながりも作りませんでした")
            continue
        if any(decision_class(word, state.decision_words()) == "end" for word in words):
            ended = True
            continue
        kept.append(heading)
    return kept, (shown if ended and not kept else None)


def _next_cell(state: _State, row: Row, cell: str, last_goal: int | None,
               past_goal: int | None) -> tuple[list[tuple[str, bool]], int | None, str | None]:
    parsed = pt.parse_direction_cell(cell)
    for note in parsed.notes:
        state.warn(row.line, "next", note)
    goal_number = parsed.goal_number
    if goal_number is None:
        goal_number = past_goal if past_goal is not None else (last_goal or 0)
    headings = parsed.headings
    if not headings:
        title, priority, relisted, _ = pt.title_markers(parsed.rest)
        headings = [pt.Heading(number=0, title=title, priority=priority,
                               relisted=relisted or parsed.relisted,
                               text=pt.strip_markup(row.next_description).strip())]
        given = False
    else:
        given = True
    headings, ended = _no_successor(state, row, cell, headings)
    if not headings:
        if pt.strip_markup(row.next_description).strip():
            state.warn(row.line, "next_description", "次期計画の方向性のない行の説明を読み込みませんでした:"
                       f"「{pt.strip_markup(row.next_description).strip()}」")
        return [], goal_number, ended
    goal = state.next_goals.get(goal_number)
    if goal is None:
        goal = Goal(plan_id=state.future.id, number=goal_number, title=parsed.goal_label,
                    label=parsed.goal_label, raw_label=parsed.goal_raw, source_line=row.line)
        state.next_goals[goal_number] = goal
        state.future.goals.append(goal)
    elif parsed.goal_label and parsed.goal_label != goal.label:
        if goal.label:
            state.warn(row.line, "next", f"次期計画の基本目標{goal_number}の名称「{parsed.goal_label}」が"
                       f"{goal.source_line}行目の「{goal.label}」と異なります")
        else:
            goal.label = goal.title = parsed.goal_label
            goal.raw_label = parsed.goal_raw
    if given and pt.strip_markup(row.next_description).strip():
        description = pt.strip_markup(row.next_description).strip()
        if not any(h.text for h in headings):
            notes: list[str] = []
            pt.attribute(headings, list(range(len(headings))), description, notes)
            for note in notes:
                state.warn(row.line, "next_description", note)
        else:
            state.warn(row.line, "next_description", "方向性のセルにも説明があるため、説明の列"
                       f"「{description}」は最初の方向性の説明に加えました")
            headings[0].text = (headings[0].text + "\n" + description).strip()
    ids: list[tuple[str, bool]] = []
    for heading in headings:
        number = heading.number or None
        key = (goal_number, number) if number else (goal_number, pt.normalize_space(heading.title))
        existing = state.next_directions.get(key)
        if existing is None:
            if heading.relisted:
                state.warn(row.line, "next", f"再掲とありますが、先に挙げられた方向性「{heading.title}」が"
                           "見つかりません。新しい方向性として読み込みました")
            if number is None:
                number_for_id = len(goal.directions) + 1
            else:
                number_for_id = number
            direction_id = f"{state.future.id}-{goal_number}-{number_for_id}"
            while any(d.id == direction_id for d in goal.directions):
                number_for_id += 1
                direction_id = f"{state.future.id}-{goal_number}-{number_for_id}"
            existing = Direction(
                id=direction_id, plan_id=state.future.id, goal_number=goal_number, number=number,
                title=heading.title, text=heading.text, priority=heading.priority,
                relisted_lines=[row.line] if heading.relisted else [],
                goal_label_raw=parsed.goal_raw, source_file=state.file, source_lines=[row.line])
            goal.directions.append(existing)
            state.next_directions[key] = existing
        else:
            first = existing.source_lines[0]
            # 方向性(2), or 方向性「title」 when the document gives it no number (never "(None)")
            name = f"方向性({number})" if number else f"方向性「{existing.title}」"
            if row.line not in existing.source_lines:
                existing.source_lines.append(row.line)
            if heading.relisted and row.line not in existing.relisted_lines:
                existing.relisted_lines.append(row.line)
            if pt.normalize_space(heading.title) != pt.normalize_space(existing.title):
                state.warn(row.line, "next", f"{name}の題名「{heading.title}」が{first}行目の"
                           f"「{existing.title}」と異なります")
            if heading.priority != existing.priority and heading.priority is not None:
                state.warn(row.line, "next", f"{name}の重点取組{heading.priority}が{first}行目"
                           f"（{existing.priority}）と異なります")
            if heading.text:
                if not existing.text:
                    existing.text = heading.text
                elif pt.normalize_space(heading.text) != pt.normalize_space(existing.text):
                    state.warn(row.line, "next", f"{name}の説明が{first}行目と異なります。"
                               f"{first}行目の説明を使い、この行の説明はここに残します:「{heading.text}」")
        ids.append((existing.id, heading.relisted))
    return ids, goal_number, None


def merge_next_column(part: Corpus, stub: Plan, plan: Plan, stub_file: str, plan_file: str) -> None:
    """Fold the next plan ``stub`` that ``part``'s 次期計画の方向性 column made into ``plan``, the
    same plan as a later source evaluates it: ``stub`` leaves ``part``, and each stated link to one
    of its directions goes to ``plan``'s direction of the same title, or, where ``plan`` has none,
    is dropped with a warning naming both files (never a link to a direction that is not there)."""
    from ..textnorm import match_form

    by_title: dict[str, str] = {}
    for d in plan.directions():
        by_title.setdefault(match_form(d.title), d.id)
    stub_ids = {d.id: d for d in stub.directions()}
    kept = []
    for link in part.links:
        if link.target not in stub_ids:
            kept.append(link)
            continue
        title = stub_ids[link.target].title
        target = by_title.get(match_form(title))
        if target is None:
            part.warnings.append(ImportWarning(
                line=link.line, file=stub_file, field="next",
                message=f"次期計画の方向性「{title}」は {plan_file} の施策の方向に同じ名称がないため、"
                        "つながりとして読み込みませんでした（内容のつながりは分析で計算します）"))
            continue
        link.target = target
        kept.append(link)
    part.links[:] = kept
    part.plans.remove(stub)
