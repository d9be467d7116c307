"""The text rules of the PDF importer (issue 13), table-driven: Kangxi radicals and compatibility
ideographs folded to the characters a reader sees, wrapped cell text joined, page numbers, text
that is not characters."""

from __future__ import annotations

import unicodedata
from importlib import resources

import pytest

from analysis.importers.cjkfold import fold_cjk, fold_table
from analysis.importers.cells import join_wrapped
from analysis.importers.pdf import is_page_number, unreadable_count


@pytest.mark.parametrize("extracted, reader", [
    ("基本⽬標", "基本目標"),            # U+2F6C KANGXI RADICAL EYE
    ("施策の⽅向", "施策の方向"),        # U+2F45
    ("⼈材の確保", "人材の確保"),        # U+2F08
    ("住⺠参加", "住民参加"),            # U+2EA0, CJK Radicals Supplement: not NFKC
    ("⻑期的な⻘少年⽀援", "長期的な青少年支援"),  # U+2ED1, U+2ED8 (supplement), U+2F40
    ("\uf9dc域", "隆域"),                # U+F9DC CJK COMPATIBILITY IDEOGRAPH → 隆
    ("\U0002f80f", "兔"),                # U+2F80F compatibility supplement
    ("⺅や⻌は部首の形", "⺅や⻌は部首の形"),  # radical shapes that are no character stay
    ("ふつうの文", "ふつうの文"),
    # NFKC gives 戶 黑 靑 黃; a Japanese text layer means 戸 黒 青 黄 (KWIC for 戸別 must find 戸別訪問)
    ("⼾別訪問、⿊字、⾭年、⿈⾊", "戸別訪問、黒字、青年、黄色"),
])
def test_fold(extracted, reader):
    assert fold_cjk(extracted)[0] == reader


def test_fold_counts_each_character():
    assert fold_cjk("⽬標と⽬的、⽅向")[1] == {"⽬→目": 2, "⽅→方": 1}


def test_the_table_is_nfkc_where_nfkc_applies():
    table = fold_table()
    text = resources.files("analysis").joinpath("data", "cjk_fold.tsv").read_text(encoding="utf-8")
    sources = {line.split("\t")[1]: line.split("\t")[3] for line in text.splitlines()
               if line.startswith("U+")}
    for char, folded in table.items():
        nfkc = unicodedata.normalize("NFKC", char)
        assert (nfkc == folded) == (sources[char] == "NFKC"), char
    # every Kangxi radical is there
    assert all(chr(cp) in table for cp in range(0x2F00, 0x2FD6))


@pytest.mark.parametrize("wrapped, joined", [
    ("地域福祉\n活動の推進", "地域福祉活動の推進"),
    ("【基本⽬標\n1】 地域社\n会", "【基本⽬標1】 地域社会"),
    ("NPO\nEPA", "NPO EPA"),
    ("EPA介護\n福祉士", "EPA介護福祉士"),
    ("令和6\n年度", "令和6年度"),
    ("1. 緊急小口資金貸付等による支援\n2. 子どもへの支援", "1. 緊急小口資金貸付等による支援 2. 子どもへの支援"),
    ("（1）相談\n（2）支援", "（1）相談 （2）支援"),
    ("① 見守り\n② サロン", "① 見守り ② サロン"),
    ("一行だけ", "一行だけ"),
])
def test_join_wrapped(wrapped, joined):
    assert join_wrapped(wrapped) == joined


@pytest.mark.parametrize("line, number", [
    ("- 3 -", True), ("3", True), ("（12）", True), ("p.4", True), ("2/10", True), ("－ 5 －", True),
    ("第3章", False), ("令和6年度", False), ("基本目標1", False), ("", False),
])
def test_page_number(line, number):
    assert is_page_number(line) is number


@pytest.mark.parametrize("text, count", [
    ("(cid:12)(cid:7)普通", 2), ("\ue000\ue001", 2), ("普通の文字", 0), ("(cid:x)", 0),
])
def test_unreadable_count(text, count):
    assert unreadable_count(text) == count


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A one-page PDF written by hand: catalog, pages, page, font, content, then ``objects``."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer
            + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def page(content: bytes, font: bytes, *extra: bytes) -> list[bytes]:
    return [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            font, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream", *extra]


# a CID font without a ToUnicode map: the text extracts as (cid:N)
CID_FONT = b"<< /Type /Font /Subtype /Type0 /BaseFont /Hidden /Encoding /Identity-H /DescendantFonts [6 0 R] >>"
CID_DESCENDANT = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Hidden /CIDSystemInfo "
                  b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# the standard security handler with a user password (its /U matches no empty password)
ENCRYPT = (b"<< /Filter /Standard /V 1 /R 2 /Length 40 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32
           + b"> /P -4 >>")


@pytest.mark.parametrize("objects, trailer, message", [
    (page(b"BT /F1 12 Tf 72 700 Td <0041004200430044> Tj ET", CID_FONT, CID_DESCENDANT), b"",
     "4 of 4 are (cid:N) codes"),
    (page(b"BT /F1 12 Tf 72 700 Td (secret) Tj ET", HELVETICA, ENCRYPT),
     b"/Encrypt 6 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] ", "encrypted"),
    (page(b"", HELVETICA), b"", "has no text layer"),
])
def test_pdfs_without_usable_text_stop_with_one_line(tmp_path, capsys, objects, trailer, message):
    from analysis.cli import main
    from analysis.errors import EXIT_INPUT

    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf_bytes(objects, trailer))
    out = tmp_path / "out"
    assert main(["import", str(path), "-o", str(out)]) == EXIT_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert ("OCR" in err[0]) != ("encrypted" in err[0])
    assert not out.exists()
