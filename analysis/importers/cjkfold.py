"""Characters as a reader sees them: fold the forms a PDF text layer gives for ordinary kanji.

A PDF's fonts often map a kanji's glyph to a Kangxi radical (⽬ U+2F6C for 目), a CJK Radicals
Supplement form (⺠ U+2EA0 for 民) or a compatibility ideograph: the page looks right, but the
extracted text does not match a dictionary, a theme rule or a search.  :func:`fold_cjk` maps them
to the ordinary characters with the table in ``analysis/data/cjk_fold.tsv`` (NFKC where it
applies, plus the supplement's explicit pairs) and counts what it folded, so the importer can
record the fold beside the verbatim text.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources

from ..errors import SettingsError

TABLE = "cjk_fold.tsv"


@lru_cache(maxsize=1)
def fold_table() -> dict[str, str]:
    """The fold table of ``analysis/data/cjk_fold.tsv``: {extracted character: ordinary character}.

    >>> fold_table()["⽬"], fold_table()["⺠"]
    ('目', '民')
    """
    text = resources.files("analysis").joinpath("data", TABLE).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    header = True
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header:
            header = False
            continue
        if len(cells) != 4 or len(cells[1]) != 1 or len(cells[2]) != 1 \
                or cells[0] != f"U+{ord(cells[1]):04X}":
            raise SettingsError("expected code, from, to, source (one character each, code U+XXXX "
                                "naming the first)", file=f"analysis/data/{TABLE}", line=number)
        table[cells[1]] = cells[2]
    return table


def fold_cjk(text: str) -> tuple[str, Counter]:
    """``text`` with radicals and compatibility ideographs folded, and a count per fold.

    >>> fold_cjk("基本⽬標の⽅向、⼈材の確保、住⺠")
    ('基本目標の方向、人材の確保、住民', Counter({'⽬→目': 1, '⽅→方': 1, '⼈→人': 1, '⺠→民': 1}))
    >>> fold_cjk("⺅は部首の形のまま")[0]
    '⺅は部首の形のまま'
    """
    table = fold_table()
    counts: Counter = Counter()
    out = []
    for char in text:
        folded = table.get(char)
        if folded is None:
            out.append(char)
        else:
            out.append(folded)
            counts[f"{char}→{folded}"] += 1
    return "".join(out), counts
