"""A decorator that pauses the cyclic garbage collector while a stage runs.

The term stages make many small acyclic objects (tuples, strings); collections triggered by them
would rescan every one, so pausing the collector only saves time (results are the same).  When
the collector resumes, what the stage made and kept is put into the oldest generation at once
(``freeze`` then ``unfreeze``: the lists of tracked objects are spliced, nothing is walked), as
:mod:`analysis.tokens` does for tokens: otherwise the next young collection would walk all of it
(~0.03 s per M characters after the terms pass) and the one after that again.
"""

from __future__ import annotations

import functools
import gc
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)


def without_gc(fn: F) -> F:
    """Wrap ``fn`` so that it runs with the cyclic garbage collector paused.

    Parameters
    ----------
    fn : callable
        The function to wrap.  Nested wrapped calls leave the collector as the outer one set it.

    Returns
    -------
    callable
        ``fn`` with the same signature and docstring.

    Examples
    --------
    >>> @without_gc
    ... def paused():
    ...     return gc.isenabled()
    >>> paused(), gc.isenabled()
    (False, True)
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.freeze()
            gc.unfreeze()
            gc.enable()

    return wrapper  # type: ignore[return-value]
