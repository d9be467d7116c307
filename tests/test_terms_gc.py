"""analysis.terms.gc: a stage runs with the collector paused, and what it keeps skips the young
generations afterwards (no young collection walks it again)."""

from __future__ import annotations

import gc

from analysis.terms.gc import without_gc


@without_gc
def _stage():
    assert not gc.isenabled()
    return [[k] for k in range(1000)]  # tracked containers, kept by the caller


def test_what_a_paused_stage_keeps_is_in_the_oldest_generation():
    kept = _stage()
    assert gc.isenabled()
    young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
    assert id(kept) not in young and not any(id(x) in young for x in kept)
    assert any(o is kept for o in gc.get_objects(generation=2))


def test_a_nested_stage_leaves_the_collector_to_the_outer_one():
    @without_gc
    def outer():
        inner = _stage()
        return gc.isenabled(), inner

    enabled_inside, _ = outer()
    assert enabled_inside is False and gc.isenabled()


def test_a_stage_that_fails_resumes_the_collector():
    @without_gc
    def failing():
        raise ValueError("bad")

    try:
        failing()
    except ValueError:
        pass
    assert gc.isenabled()
