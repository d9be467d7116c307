"""Reading source bytes as text: which encoding, and which line is wrong when none fits."""

from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.importers.encoding import decode_source

LINES = ["基本目標,施策の方向", "基本目標1 見守り,見守りの推進", "ascii,only", "基本目標2 安心,相談窓口の整備",
         "基本目標3 参加,担い手の育成"]


@pytest.mark.parametrize("first, other", [("utf-8", "cp932"), ("cp932", "utf-8")])
@pytest.mark.parametrize("bad", [2, 4, 5])
def test_mixed_encodings_name_the_first_line_in_the_other_encoding(first, other, bad):
    """Issue 12 case 13: the error names the first line that differs, not line 1."""
    data = b"\r\n".join(line.encode(other if number >= bad else first)
                        for number, line in enumerate(LINES, 1))
    with pytest.raises(InputError) as caught:
        decode_source(data, "plan.csv")
    assert caught.value.line == bad, str(caught.value)
    assert "line 1" in caught.value.message  # where the file's own encoding was seen


def test_ascii_lines_fit_either_encoding():
    data = "基本目標\r\nabc\r\n見守り".encode("cp932")
    assert decode_source(data, "plan.csv") == ("基本目標\r\nabc\r\n見守り", "cp932")
