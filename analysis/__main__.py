"""``python -m analysis`` is the ``keikaku`` command."""

from .cli import run

run()
