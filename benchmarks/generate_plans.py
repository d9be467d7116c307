"""Generate a corpus of synthetic plans for scaling the graph, gaps and report stages.

Plan sentences (goal and direction titles, initiatives, evaluation and description sentences) are
taken from the bundled corpus (``corpus/higashimatsuyama``) when it can be read, else from the
seed table in ``../shared/seeds``, and recombined at random (seeded) into ``N`` plans of many
owners, three generations each (``--generations``), each plan evaluated by the next, with stated
links from every direction to one of the next plan's directions of the same goal.

    python benchmarks/generate_plans.py 1000 --out /tmp/plans-1000   # writes a corpus directory
    python benchmarks/generate_plans.py 1000 --tables /tmp/tables    # CSV tables to keikaku import
    python benchmarks/generate_plans.py 300 --generations 300 --out /tmp/chain   # one owner's chain
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SEEDS_DIR = REPO.parent / "shared" / "seeds"


def _pools_from_corpus() -> dict[str, list[str]] | None:
    try:
        from analysis.corpus_io import load_corpus

        corpus = load_corpus()
    except Exception:  # noqa: BLE001 - fall back to the seed file
        return None
    from analysis.textnorm import sentences

    pools: dict[str, list[str]] = {"goal": [], "title": [], "initiative": [], "evaluation": [], "text": []}
    for plan in corpus.plans:
        for goal in plan.goals:
            pools["goal"].append(goal.title)
            for d in goal.directions:
                pools["title"].append(d.title)
                pools["initiative"].extend(d.initiatives)
                pools["evaluation"].extend(s for s, _, _ in sentences(d.evaluation))
                pools["text"].extend(s for s, _, _ in sentences(d.text))
    return pools if all(pools.values()) else None


def _pools_from_seed() -> dict[str, list[str]]:
    from analysis.textnorm import sentences

    pools: dict[str, list[str]] = {"goal": [], "title": [], "initiative": [], "evaluation": [], "text": []}
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
            cells = (line.split("\t") + [""] * 6)[:6]
            _, goal, title, initiatives, evaluation, nxt = (c.strip() for c in cells)
            if goal:
                pools["goal"].append(goal)
            if title:
                pools["title"].append(title)
            pools["initiative"].extend(x for x in initiatives.replace("・", "\n").splitlines() if x.strip())
            pools["evaluation"].extend(s for s, _, _ in sentences(evaluation))
            pools["text"].extend(s for s, _, _ in sentences(nxt))
    for key, fallback in (("goal", "title"), ("initiative", "title"), ("text", "evaluation")):
        if not pools[key]:
            pools[key] = list(pools[fallback])
    if not all(pools.values()):
        raise SystemExit(f"no plan sentences found in the bundled corpus nor in {SEEDS_DIR}")
    return pools


def plan_pools() -> dict[str, list[str]]:
    """Sentences to recombine, by kind (deduplicated, in a stable order)."""
    pools = _pools_from_corpus() or _pools_from_seed()
    return {k: sorted(set(v)) for k, v in pools.items()}


#: Characters recombined into the synthetic owners' place names (two each, then 市 or 町).
PLACE_CHARACTERS = "東西南北上下中本新古大小高山川田野原森林松杉竹梅桜岡島浜崎沢谷村里宮城"
PLACE_KINDS = "市町"


def owner_name(index: int) -> str:
    """The ``index``-th synthetic municipality (0-based, distinct for < 2 × 36² owners): 東西市 …"""
    n = len(PLACE_CHARACTERS)
    first, rest = divmod(index, n * len(PLACE_KINDS))
    second, kind = divmod(rest, len(PLACE_KINDS))
    return PLACE_CHARACTERS[first % n] + PLACE_CHARACTERS[second] + PLACE_KINDS[kind] + (
        "" if index < n * n * len(PLACE_KINDS) else str(index // (n * n * len(PLACE_KINDS))))


def generate_corpus(n_plans: int, *, seed: int = 0, generations: int = 3, goals: int = 4,
                    directions: tuple[int, int] = (3, 5)):
    """A :class:`~analysis.corpus.Corpus` of ``n_plans`` synthetic plans (deterministic for a seed).

    Owners (a 社協 of a synthetic municipality each) have chains of ``generations`` plans (the
    last owner's chain may be shorter), each plan evaluated by the next, with stated links from
    every direction to one of the next plan's directions of the same goal; ids ``O1-P1`` …  With
    ``generations >= n_plans`` the corpus is one long chain of one owner, ids ``P1`` …
    """
    from analysis.corpus import Corpus, Direction, Goal, Link, Plan

    rng = random.Random(seed)
    pools = plan_pools()
    plans, links = [], []
    chain = max(1, generations)
    owners = -(-n_plans // chain)
    for k in range(n_plans):
        owner, step = divmod(k, chain)
        generation = step + 1
        last = step == chain - 1 or k == n_plans - 1
        prefix = f"O{owner + 1}-" if owners > 1 else ""
        place = owner_name(owner) if owners > 1 else ""
        plan_id = f"{prefix}P{generation}"
        plan = Plan(id=plan_id, generation=generation, title=f"第{generation}次{place}地域福祉活動計画",
                    owner=f"{place}社会福祉協議会" if place else "",
                    role="next" if last else "evaluated", source_file="synthetic", source_line=1)
        if step == 0:
            previous: dict[int, list[str]] = {}
        current: dict[int, list[str]] = {}
        for g in range(1, goals + 1):
            goal = Goal(plan_id=plan_id, number=g, title=rng.choice(pools["goal"]), label=f"目標{g}")
            for n in range(1, rng.randint(*directions) + 1):
                direction_id = f"{plan_id}-{g}-{n}"
                d = Direction(
                    id=direction_id, plan_id=plan_id, goal_number=g, number=n,
                    title=rng.choice(pools["title"]),
                    initiatives=rng.sample(pools["initiative"], k=min(len(pools["initiative"]), rng.randint(1, 3))),
                    evaluation="" if last else "".join(rng.choices(pools["evaluation"], k=rng.randint(2, 4))),
                    text="".join(rng.choices(pools["text"], k=rng.randint(1, 3))),
                    source_file="synthetic", source_lines=[k * 100 + g * 10 + n],
                )
                goal.directions.append(d)
                current.setdefault(g, []).append(direction_id)
            plan.goals.append(goal)
        for g, sources in previous.items():
            targets = current.get(g) or [i for ids in current.values() for i in ids]
            for source in sources:
                links.append(Link(source=source, target=rng.choice(targets), kind="stated", line=k * 100 + g))
        previous = current
        plans.append(plan)
    return Corpus(name=f"synthetic-{n_plans}", plans=plans, links=links)


def write_tables(corpus, out: str | Path) -> list[Path]:
    """Write ``corpus`` as the sources a planner would import: per plan one CSV table (an
    evaluated plan: 基本目標, 施策の方向, 取組内容, 評価; a next plan: 基本目標, 方向性, 説明) with
    its sibling ``NAME.mapping.toml`` giving the plan's title.  Returns the tables in order
    (owner by owner, generation by generation), ready for ``keikaku import``."""
    import csv

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, plan in enumerate(corpus.plans):
        path = out / f"{i + 1:05d}-{plan.id}.csv"  # numbered: a shell's glob lists them in order
        evaluated = plan.role == "evaluated"
        header = ["基本目標", "施策の方向", "取組内容", "評価"] if evaluated else ["基本目標", "方向性", "説明"]
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            for goal in plan.goals:
                for i, d in enumerate(goal.directions):
                    cell = f"基本目標{goal.number} {goal.title}" if i == 0 else ""
                    writer.writerow([cell, d.title, "\n".join(d.initiatives), d.evaluation] if evaluated
                                    else [cell, d.title, d.text])
        columns = ('goal = "基本目標"\ndirection = "施策の方向"\ninitiatives = "取組内容"\nevaluation = "評価"\n'
                   if evaluated else 'goal = "基本目標"\ndirection = "方向性"\ndescription = "説明"\n')
        path.with_name(path.stem + ".mapping.toml").write_text(
            f'[columns]\n{columns}\n[plan]\ntitle = "{plan.title}"\n', encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plans", type=int, nargs="?", default=1000, help="how many plans (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--generations", type=int, default=3,
                        help="plans per owner's chain (default 3; as many as plans: one owner)")
    parser.add_argument("--out", metavar="DIR", help="write the corpus here (else print a summary)")
    parser.add_argument("--tables", metavar="DIR", help="write one CSV table + mapping per plan here, to import")
    args = parser.parse_args(argv)
    corpus = generate_corpus(args.plans, seed=args.seed, generations=args.generations)
    directions = sum(len(list(p.directions())) for p in corpus.plans)
    summary = f"{len(corpus.plans)} plans of {len(corpus.chains())} owners, {directions} directions, {len(corpus.links)} links"
    if args.out:
        from analysis.corpus_io import write_corpus

        write_corpus(corpus, args.out)
        print(f"wrote {summary} to {args.out}")
    if args.tables:
        paths = write_tables(corpus, args.tables)
        print(f"wrote {len(paths)} tables (and their mappings) to {args.tables}")
    if not (args.out or args.tables):
        print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
