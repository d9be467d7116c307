"""The continuity diagram: past directions (left) → next directions (right)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal

from ..errors import check_choice
from .setup import (CONTENT_COLOUR, DROPPED_COLOUR, NEUTRAL_COLOUR, NEW_COLOUR, STATED_COLOUR, empty_axes,
                    generation_label, new_figure, wrap_label)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def continuity_diagram(corpus: Any, links: Any, *, findings: Any = None, past: int | None = None,
                       next: int | None = None, title_width: int = 15,
                       content: Literal["best", "all", "none"] = "best", owner: str | None = None) -> "Figure":
    """Past directions (left) → next directions (right), links coloured by kind.

    Parameters
    ----------
    corpus : Corpus
    links : iterable of dict or DataFrame
        ``from``, ``to``, ``kind`` (``stated`` / ``content``) and optionally ``score``.
    findings : iterable of dict or DataFrame, optional
        ``kind``, ``subject``, ``status`` (and ``past`` / ``next`` direction ids): past
        directions with status ``no_successor`` (or no link at all) are marked 後継なし, next
        directions with status ``new`` (or no link) 新規, and dropped / new themes are listed
        under the diagram.
    past, next : int, optional
        Generation numbers (default: the two latest generations of the corpus).
    title_width : int, default 15
        Characters a line of a direction's title.
    content : {"best", "all", "none"}, default "best"
        The computed links drawn besides the stated ones: ``"best"`` (readable at a glance), for
        each past direction its strongest content link the document does not state; ``"all"``
        every content link not stated; ``"none"`` none.
    owner : str, optional
        Whose chain of plans is drawn (:meth:`Corpus.chains`); a corpus of several owners draws
        nothing but a line saying so unless one is named.

    Returns
    -------
    matplotlib Figure
    """
    check_choice("content", content, ("best", "all", "none"))
    if owner is None and len(corpus.chains()) > 1:
        fig = new_figure(8.0, 3.0)
        empty_axes(fig.add_subplot(), "策定主体が複数あります：図は策定主体を一つ選んで描きます")
        return fig
    plans = corpus.chain(owner) if owner is not None else corpus.plans
    generations = sorted({p.generation for p in plans})
    if past is None or next is None:
        if len(generations) < 2:
            fig = new_figure(8.0, 3.0)
            empty_axes(fig.add_subplot(), "比較できる2つの計画世代がありません")
            return fig
        past, next = generations[-2], generations[-1]
    left_plan = corpus.plan_by_generation(past, owner=owner)
    right_plan = corpus.plan_by_generation(next, owner=owner)
    finding_rows = _records(findings)
    left_ids = {d.id for d in left_plan.directions()}
    right_ids = {d.id for d in right_plan.directions()}
    link_rows = [r for r in _records(links) if r.get("from") in left_ids and r.get("to") in right_ids]
    # A past direction with no successor finding or no link at all is marked; likewise a new one.
    marked_left = _finding_ids(finding_rows, "no_successor", "past") | (left_ids - {r["from"] for r in link_rows})
    marked_right = _finding_ids(finding_rows, "new", "next") | (right_ids - {r["to"] for r in link_rows})

    left, right = _column(left_plan), _column(right_plan)
    span = max(len(left), len(right), 1) * 0.5
    note_text = _theme_notes(finding_rows)
    fig = new_figure(10.0, span + 1.6 + 0.22 * note_text.count("\n") + (0.4 if note_text else 0))
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(-span - 0.05, 0.45)
    ax.text(3.9, 0.2, generation_label(past) + "の施策の方向（評価）", ha="right", va="center", fontsize=11)
    ax.text(6.1, 0.2, generation_label(next) + "の方向性", ha="left", va="center", fontsize=11)
    y_left = _draw_column(ax, left, side="left", span=span, marked=marked_left, title_width=title_width)
    y_right = _draw_column(ax, right, side="right", span=span, marked=marked_right, title_width=title_width)
    _draw_links(ax, _drawn_links(link_rows, content=content), y_left, y_right)
    fig.legend(handles=_legend_handles(content), loc="outside lower center", ncols=4, fontsize=8.5, frameon=False)
    if note_text:
        ax.text(0.0, -span - 0.1, note_text, ha="left", va="top", fontsize=9, color=NEUTRAL_COLOUR,
                linespacing=1.4)
        ax.set_ylim(-span - 0.15 - 0.25 * (note_text.count("\n") + 1), 0.45)
    fig.suptitle("継続性の図：前計画の施策の方向 → 次期計画の方向性", fontsize=12)
    return fig


def _column(plan) -> list[tuple[str, Any]]:
    """A plan's goals, each followed by its directions: ("goal", goal) or ("direction", direction)."""
    items: list[tuple[str, Any]] = []
    for goal in plan.goals:
        items.append(("goal", goal))
        items.extend(("direction", d) for d in goal.directions)
    return items


def _theme_notes(finding_rows: list[dict]) -> str:
    """The dropped and new themes, as the lines under the diagram (empty without any)."""
    notes = []
    for status, heading in (("dropped", "消えたテーマ："), ("new", "新しいテーマ：")):
        themes = sorted({str(r.get("subject")) for r in finding_rows
                         if r.get("kind") == "theme" and r.get("status") == status})
        if themes:
            notes.append(heading + "、".join(themes))
    return "\n".join(wrap_label(n, 60, max_lines=3) for n in notes)


def _direction_label(d, title_width: int) -> str:
    number = f"{d.goal_number}-{d.number} " if d.goal_number is not None and d.number is not None else ""
    return number + wrap_label(d.title, title_width, max_lines=2).replace("\n", "\n" + " " * len(number))


def _draw_column(ax, items: list[tuple[str, Any]], *, side: str, span: float, marked: set,
                 title_width: int) -> dict[str, float]:
    """Goal headings and direction boxes of one side, spread over ``span``; direction id → y."""
    x, align = (3.9, "right") if side == "left" else (6.1, "left")
    gap = span / max(len(items), 1)
    ys: dict[str, float] = {}
    for i, (kind, item) in enumerate(items):
        y = -(i + 0.5) * gap
        if kind == "goal":
            goal_label = f"基本目標{item.number}　" if item.number is not None else ""
            ax.text(x, y, wrap_label(goal_label + item.title, 24, max_lines=1), ha=align, va="center",
                    fontsize=8.5, color=NEUTRAL_COLOUR)
            continue
        ys[item.id] = y
        is_marked = item.id in marked
        colour = (DROPPED_COLOUR if side == "left" else NEW_COLOUR) if is_marked else "#888888"
        ax.text(x, y, _direction_label(item, title_width), ha=align, va="center", fontsize=8.5, linespacing=1.1,
                multialignment="left",
                bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor=colour,
                          linewidth=1.6 if is_marked else 0.6))
        if is_marked and side == "left":
            ax.text(x + 0.1, y, "×後継なし", ha="left", va="center", fontsize=8, color=DROPPED_COLOUR)
        elif is_marked:
            ax.text(x - 0.1, y, "★新規", ha="right", va="center", fontsize=8, color=NEW_COLOUR)
    return ys


def _draw_links(ax, rows: list[dict], y_left: dict[str, float], y_right: dict[str, float]) -> None:
    """One arrow a link: stated ones solid, computed ones dashed and as thick as they are strong."""
    for row in sorted(rows, key=lambda r: (r.get("kind") != "stated", str(r["from"]), str(r["to"]))):
        stated = row.get("kind") == "stated"
        score = 1.0 if stated else float(row.get("score") or 0.0)
        ax.annotate("", xy=(6.0, y_right[row["to"]]), xytext=(4.0, y_left[row["from"]]),
                    arrowprops=dict(arrowstyle="-|>", color=STATED_COLOUR if stated else CONTENT_COLOUR,
                                    linewidth=1.8 if stated else 0.8 + 1.6 * min(score, 1.0),
                                    linestyle="-" if stated else (0, (4, 2)), alpha=0.9,
                                    shrinkA=0, shrinkB=0, mutation_scale=9))


def _legend_handles(content: str) -> list:
    from matplotlib.lines import Line2D

    return [Line2D([], [], color=STATED_COLOUR, linewidth=1.8, label="文書が示すつながり"),
            Line2D([], [], color=CONTENT_COLOUR, linewidth=1.4, linestyle=(0, (4, 2)),
                   label={"best": "内容の類似のみ（計算、各方向で最も強いもの）",
                          "all": "内容の類似のみ（計算、太いほど強い）"}.get(content, "")),
            Line2D([], [], color=DROPPED_COLOUR, marker="s", markersize=9, linestyle="",
                   markerfacecolor="white", label="後継なし"),
            Line2D([], [], color=NEW_COLOUR, marker="s", markersize=9, linestyle="",
                   markerfacecolor="white", label="新規")]


def _drawn_links(rows: list[dict], *, content: str) -> list[dict]:
    """Stated links, and the content links the document does not state (see continuity_diagram)."""
    stated = [r for r in rows if r.get("kind") == "stated"]
    pairs = {(r["from"], r["to"]) for r in stated}
    extra = [r for r in rows if r.get("kind") == "content" and (r["from"], r["to"]) not in pairs]
    if content == "none":
        extra = []
    elif content == "best":
        best: dict = {}
        for r in extra:
            key = r["from"]
            if key not in best or (float(r.get("score") or 0), str(best[key]["to"])) > (
                    float(best[key].get("score") or 0), str(r["to"])):
                best[key] = r
        extra = list(best.values())
    return stated + extra


def _finding_ids(rows: list[dict], status: str, side: str) -> set:
    """Direction ids (and titles) named by direction findings with ``status``."""
    out = set()
    for r in rows:
        if r.get("kind") == "direction" and r.get("status") == status:
            out.add(r.get("subject"))
            ids = r.get(side)
            if isinstance(ids, str):
                ids = [i for i in re.split(r"[;,、 ]+", ids) if i]
            out.update(ids or [])
    return out


def _records(rows: Any) -> list[dict]:
    if rows is None:
        return []
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):
        return rows.to_dict("records")
    return [r if isinstance(r, dict) else (r.to_dict() if hasattr(r, "to_dict") else vars(r)) for r in rows]
