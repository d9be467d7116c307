"""The plan corpus: plans ▸ goals ▸ directions across generations, with links and provenance.

A direction is the *evaluated unit* (a 施策の方向, or a 事務事業 of an annual evaluation).  Beside
its title, initiatives, evaluation and description it may hold what evaluation workbooks hold:

* ``levels`` — the hierarchy above it, any depth (政策 > 施策 > 基本事業), each a :class:`Level`;
* ``texts`` — several evaluation texts, each a :class:`EvaluationText` keeping its label
  (担当課, 課長, 評価委員会, or the column header);
* ``decision`` — 今後の方向性 as written and its class from ``analysis/data/decisions.toml``
  (:class:`Decision`, see :mod:`analysis.importers.decisions`);
* ``ratings`` — categorical answers (A–D, ◎○△×, 1–5, 順調/遅れ …), each a :class:`Rating` with
  its question and its reason text;
* ``period`` — the fiscal year or plan period the row is about, when the source gives one;
* ``attributes`` — every source column not mapped to a role, ``{header: value}`` (department,
  budget, indicator values), usable as a grouping variable.

A :class:`Corpus` is what every later stage reads.  Texts are kept exactly as the source gave
them (minus the PDF's markup); every direction remembers the file and the 1-based lines it came
from, and everything odd the importer met is a :class:`ImportWarning` naming its line.

Ids are readable and stable: plan ``P2`` (generation 2), goal ``P2-G1``, direction ``P2-1-3``
(plan 2, goal 1, third direction of that goal).  A corpus of several owners prefixes each
owner's ids with its number in the corpus: ``O12-P2``, ``O12-P2-1-3``.

>>> d = Direction(id="P3-1-1", plan_id="P3", goal_number=1, number=1, title="小地域福祉活動の推進")
>>> d.to_dict()["title"]
'小地域福祉活動の推進'
>>> d.texts.append(EvaluationText(label="課長", text="事業を継続する。"))
>>> [(t.label, t.text) for t in d.evaluation_texts()]
[('課長', '事業を継続する。')]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterator, Literal

LinkKind = Literal["stated", "content"]
PlanRole = Literal["evaluated", "next"]


def owner_key(owner: str) -> str:
    """An owner as compared: NFKC-folded, without spaces (「東松山市 社協」 is 「東松山市社協」).

    >>> owner_key(" 東松山市　社会福祉協議会 ") == owner_key("東松山市社会福祉協議会")
    True
    """
    return "".join(unicodedata.normalize("NFKC", owner).split())


@dataclass
class Level:
    """One level of the hierarchy above an evaluated unit: the column's label and the cell."""

    label: str  # e.g. 政策名 (the header)
    value: str  # e.g. 健康で安心して暮らせるまち

    def to_dict(self) -> dict:
        return {"label": self.label, "value": self.value}


@dataclass
class EvaluationText:
    """One evaluation text of a unit with the label it was given (担当課, 課長, or the header)."""

    label: str
    text: str

    def to_dict(self) -> dict:
        return {"label": self.label, "text": self.text}


@dataclass
class Decision:
    """A decision such as 今後の方向性, kept as written (``label``) and normalised (``class_``).

    ``class_`` is one of the classes of ``analysis/data/decisions.toml`` (expand, continue,
    improve, reduce, merge, end) or ``unknown``; ``header`` is the column it came from.
    """

    label: str
    class_: str = "unknown"
    header: str = ""

    def to_dict(self) -> dict:
        return {"label": self.label, "class": self.class_, "header": self.header}


@dataclass
class Rating:
    """A categorical answer (A–D, ◎○△×, 1–5, 順調/遅れ …) to a question, with its reason text."""

    question: str
    value: str
    reason: str = ""

    def to_dict(self) -> dict:
        return {"question": self.question, "value": self.value, "reason": self.reason}


def _decision_from(data: dict | None) -> Decision | None:
    if data is None:
        return None
    return Decision(label=data["label"], class_=data.get("class", "unknown"), header=data.get("header", ""))


@dataclass
class Direction:
    """A policy direction (施策の方向) of one plan."""

    id: str
    plan_id: str
    goal_number: int | None
    number: int | None  # the document's own number, e.g. （1）; None where it has none
    title: str
    initiatives: list[str] = field(default_factory=list)  # 取組内容
    evaluation: str = ""  # 評価 of an evaluated plan
    text: str = ""  # description (方向性の説明) of a next plan
    priority: int | None = None  # 重点取組 number
    relisted_lines: list[int] = field(default_factory=list)  # lines where it is listed again (再掲)
    goal_label_raw: str = ""  # the goal cell as the source gave it for this row
    philosophy_raw: str = ""  # the 基本理念 cell as the source gave it for this row
    source_file: str = ""
    source_lines: list[int] = field(default_factory=list)
    levels: list[Level] = field(default_factory=list)  # hierarchy above the unit, top first
    texts: list[EvaluationText] = field(default_factory=list)  # evaluation texts with labels
    decision: Decision | None = None  # 今後の方向性 and the like
    ratings: list[Rating] = field(default_factory=list)
    period: str = ""  # the fiscal year or period the row is about, when the source gives one
    attributes: dict[str, str] = field(default_factory=dict)  # unmapped columns {header: value}

    def evaluation_texts(self) -> list[EvaluationText]:
        """Every evaluation text of the unit: ``evaluation`` (label 評価) first, then ``texts``."""
        first = [EvaluationText(label="評価", text=self.evaluation)] if self.evaluation.strip() else []
        return first + [t for t in self.texts if t.text.strip()]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "plan_id": self.plan_id,
            "goal_number": self.goal_number,
            "number": self.number,
            "title": self.title,
            "initiatives": list(self.initiatives),
            "evaluation": self.evaluation,
            "text": self.text,
            "priority": self.priority,
            "relisted_lines": list(self.relisted_lines),
            "goal_label_raw": self.goal_label_raw,
            "philosophy_raw": self.philosophy_raw,
            "source_file": self.source_file,
            "source_lines": list(self.source_lines),
            "levels": [level.to_dict() for level in self.levels],
            "texts": [t.to_dict() for t in self.texts],
            "decision": self.decision.to_dict() if self.decision else None,
            "ratings": [r.to_dict() for r in self.ratings],
            "period": self.period,
            "attributes": dict(self.attributes),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Direction":
        nested = ("levels", "texts", "decision", "ratings", "attributes")
        direction = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data and k not in nested})
        direction.levels = [Level(label=x["label"], value=x["value"]) for x in data.get("levels", [])]
        direction.texts = [EvaluationText(label=x["label"], text=x["text"]) for x in data.get("texts", [])]
        direction.decision = _decision_from(data.get("decision"))
        direction.ratings = [Rating(question=x["question"], value=x["value"], reason=x.get("reason", ""))
                             for x in data.get("ratings", [])]
        direction.attributes = dict(data.get("attributes", {}))
        return direction


@dataclass
class Goal:
    """A basic goal (基本目標) and its directions."""

    plan_id: str
    number: int | None
    title: str
    label: str = ""  # short label such as つなげる
    raw_label: str = ""  # the goal cell as first given
    source_line: int | None = None
    directions: list[Direction] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.plan_id}-G{self.number if self.number is not None else 0}"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "label": self.label,
            "raw_label": self.raw_label,
            "source_line": self.source_line,
            "directions": [d.to_dict() for d in self.directions],
        }

    @classmethod
    def from_dict(cls, plan_id: str, data: dict) -> "Goal":
        return cls(
            plan_id=plan_id,
            number=data.get("number"),
            title=data.get("title", ""),
            label=data.get("label", ""),
            raw_label=data.get("raw_label", ""),
            source_line=data.get("source_line"),
            directions=[Direction.from_dict(d) for d in data.get("directions", [])],
        )


@dataclass
class Plan:
    """One generation of a plan: evaluated (past, with evaluations) or next (with descriptions)."""

    id: str
    generation: int
    title: str
    owner: str = ""
    period: str = ""
    philosophy: str = ""  # 基本理念
    role: PlanRole = "evaluated"
    source_file: str = ""
    source_line: int | None = None
    goals: list[Goal] = field(default_factory=list)

    def directions(self) -> Iterator[Direction]:
        for goal in self.goals:
            yield from goal.directions

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "generation": self.generation,
            "title": self.title,
            "owner": self.owner,
            "period": self.period,
            "philosophy": self.philosophy,
            "role": self.role,
            "source_file": self.source_file,
            "source_line": self.source_line,
            "goals": [g.to_dict() for g in self.goals],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Plan":
        plan = cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data and k != "goals"})
        plan.goals = [Goal.from_dict(plan.id, g) for g in data.get("goals", [])]
        return plan


@dataclass
class Link:
    """A link from a direction of one generation to a direction of the next."""

    source: str  # direction id ("from" in JSON)
    target: str  # direction id ("to" in JSON)
    kind: LinkKind = "stated"
    relisted: bool = False  # the document marks the target 再掲 (listed again) on this row
    line: int | None = None

    def to_dict(self) -> dict:
        return {"from": self.source, "to": self.target, "kind": self.kind,
                "relisted": self.relisted, "line": self.line}

    @classmethod
    def from_dict(cls, data: dict) -> "Link":
        return cls(source=data["from"], target=data["to"], kind=data.get("kind", "stated"),
                   relisted=bool(data.get("relisted", False)), line=data.get("line"))


@dataclass
class ImportWarning:
    """Something in the source a reader should know about (a contradiction, a typo, a guess)."""

    line: int | None
    message: str
    file: str = ""
    field: str = ""

    def to_dict(self) -> dict:
        return {"line": self.line, "message": self.message, "file": self.file, "field": self.field}

    @classmethod
    def from_dict(cls, data: dict) -> "ImportWarning":
        return cls(line=data.get("line"), message=data["message"], file=data.get("file", ""),
                   field=data.get("field", ""))


@dataclass
class Corpus:
    """Plans across generations: of one owner (a city or its 社協), or of many, each owner's
    plans a chain of their own (:meth:`chains`)."""

    name: str
    plans: list[Plan] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    # Lines of the source deliberately not imported (repeated page titles, header rows), so that
    # nothing is dropped silently: each {"file", "line", "reason"}.
    skipped: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # each {"file", "sha256", "format"}
    # The bytes each source was imported from, by file name: write_corpus copies these into the
    # corpus directory, so a source is read once (a FIFO or a pipe cannot be read twice).
    # Not serialised and not compared.
    source_data: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)
    _place_index: tuple | None = field(default=None, init=False, repr=False, compare=False)

    # -- navigation -------------------------------------------------------------------------
    def plan(self, plan_id: str) -> Plan:
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        raise KeyError(plan_id)

    def plan_by_generation(self, generation: int, *, owner: str | None = None) -> Plan:
        """The first plan of ``generation`` (of ``owner``'s chain, when given)."""
        plans = self.plans if owner is None else self.chain(owner)
        for plan in plans:
            if plan.generation == generation:
                return plan
        raise KeyError(generation)

    def owners(self) -> list[str]:
        """The distinct owners named by the plans, in corpus order (spelled as first given;
        spellings differing only in width or spacing are one owner, see :func:`owner_key`)."""
        seen: dict[str, str] = {}
        for plan in self.plans:
            key = owner_key(plan.owner)
            if key and key not in seen:
                seen[key] = plan.owner.strip()
        return list(seen.values())

    def chains(self) -> dict[str, list[Plan]]:
        """The plans as chains of generations, one per owner, each in generation order (then
        corpus order); continuity pairs plans only within a chain.

        A corpus naming at most one owner is one chain (plans without an owner belong to it);
        a corpus of several owners has one chain per owner, and its plans without an owner form
        a chain of their own, keyed ``""``.  Keys are owners as :meth:`owners` spells them.

        >>> plans = [Plan(id=i, generation=g, title=i, owner=o)
        ...          for i, g, o in (("A-P1", 1, "甲市"), ("B-P1", 1, "乙町"), ("A-P2", 2, "甲 市"))]
        >>> {k: [p.id for p in v] for k, v in Corpus(name="c", plans=plans).chains().items()}
        {'甲市': ['A-P1', 'A-P2'], '乙町': ['B-P1']}
        >>> list(Corpus(name="c", plans=[Plan(id="P1", generation=1, title="第1次")]).chains())
        ['']
        """
        owners = self.owners()
        if len(owners) <= 1:
            plans = sorted(self.plans, key=lambda p: p.generation)
            return {owners[0] if owners else "": plans} if plans else {}
        spelled = {owner_key(o): o for o in owners}
        out: dict[str, list[Plan]] = {}
        for plan in self.plans:
            out.setdefault(spelled.get(owner_key(plan.owner), ""), []).append(plan)
        return {k: sorted(v, key=lambda p: p.generation) for k, v in out.items()}

    def chain(self, owner: str) -> list[Plan]:
        """The chain of ``owner`` (matched by :func:`owner_key`); KeyError when none."""
        key = owner_key(owner)
        for name, plans in self.chains().items():
            if owner_key(name) == key:
                return plans
        raise KeyError(owner)

    def directions(self) -> Iterator[Direction]:
        for plan in self.plans:
            yield from plan.directions()

    def direction(self, direction_id: str) -> Direction:
        for direction in self.directions():
            if direction.id == direction_id:
                return direction
        raise KeyError(direction_id)

    def generations(self) -> list[int]:
        return sorted({plan.generation for plan in self.plans})

    def place(self, line: int | None, *, file: str | None = None) -> str:
        """Where source row ``line`` is, as a reader finds it: 「p.3 表2 5行」 for a PDF or Word
        source (its record's ``locations``), else 「5行」; ``""`` when the line is unknown.
        ``file`` picks the source when the corpus has several.

        >>> Corpus(name="c", sources=[{"file": "a.pdf", "locations": {"5": "p.3 表2 5行"}}]).place(5)
        'p.3 表2 5行'
        >>> Corpus(name="c").place(5), Corpus(name="c").place(None)
        ('5行', '')
        """
        if line in (None, "", 0):
            return ""
        return self._locations(file).get(str(line)) or f"{line}行"

    def _locations(self, file: str | None) -> dict[str, str]:
        """Row → place of source ``file`` (None: of the first source that has the row), indexed
        once per list of sources: the report asks for thousands of rows of thousands of sources."""
        key = (id(self.sources), len(self.sources))
        if self._place_index is None or self._place_index[0] != key:
            merged: dict[str, str] = {}
            by_file: dict[str, dict[str, str]] = {}
            for source in self.sources:
                own = by_file.setdefault(source.get("file"), {})
                for k, v in (source.get("locations") or {}).items():
                    if v:
                        own.setdefault(k, v)
                        merged.setdefault(k, v)
            self._place_index = (key, merged, by_file)
        return self._place_index[1] if file is None else self._place_index[2].get(file, {})

    # -- serialisation ----------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "plans": [p.to_dict() for p in self.plans],
            "links": [link.to_dict() for link in self.links],
            "warnings": [w.to_dict() for w in self.warnings],
            "skipped": list(self.skipped),
            "sources": list(self.sources),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Corpus":
        return cls(
            name=data.get("name", ""),
            plans=[Plan.from_dict(p) for p in data.get("plans", [])],
            links=[Link.from_dict(link) for link in data.get("links", [])],
            warnings=[ImportWarning.from_dict(w) for w in data.get("warnings", [])],
            skipped=list(data.get("skipped", [])),
            sources=list(data.get("sources", [])),
        )
