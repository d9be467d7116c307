"""Generate a corpus of synthetic plans for scaling the graph, gaps and report stages.

Plan sentences (goal and direction titles, initiatives, evaluation and description sentences) are
taken from the bundled corpus (``corpus/higashimatsuyama``) when it can be read, else from the
seed table in ``../shared/seeds``, and recombined at random (seeded) into ``N`` plan tables: plan
``k`` is generation ``k + 1`` of one long chain, each plan evaluated by the next, with stated
links from every direction to one of the next plan's directions of the same goal.

    python benchmarks/generate_plans.py 1000 --out /tmp/plans-1000   # writes a corpus directory
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


def generate_corpus(n_plans: int, *, seed: int = 0, goals: int = 4, directions: tuple[int, int] = (3, 5)):
    """A :class:`~analysis.corpus.Corpus` of ``n_plans`` synthetic plans (deterministic for a seed)."""
    from analysis.corpus import Corpus, Direction, Goal, Link, Plan

    rng = random.Random(seed)
    pools = plan_pools()
    plans, links = [], []
    previous: dict[int, list[str]] = {}
    for k in range(n_plans):
        generation = k + 1
        plan_id = f"P{generation}"
        last = k == n_plans - 1
        plan = Plan(id=plan_id, generation=generation, title=f"第{generation}次地域福祉活動計画",
                    role="next" if last else "evaluated", source_file="synthetic", source_line=1)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plans", type=int, nargs="?", default=1000, help="how many plans (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", metavar="DIR", help="write the corpus here (else print a summary)")
    args = parser.parse_args(argv)
    corpus = generate_corpus(args.plans, seed=args.seed)
    directions = sum(len(list(p.directions())) for p in corpus.plans)
    if args.out:
        from analysis.corpus_io import write_corpus

        write_corpus(corpus, args.out)
        print(f"wrote {len(corpus.plans)} plans, {directions} directions, {len(corpus.links)} links to {args.out}")
    else:
        print(f"{len(corpus.plans)} plans, {directions} directions, {len(corpus.links)} links")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
