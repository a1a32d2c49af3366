"""The paper catalog: loading TSV/CSV files and matching page abstracts to catalog papers."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.bundled import bundled_program, data_file
from planner.core.errors import ProgramError
from planner.importers import catalog as cat
from tests.work import count_calls

BUNDLED = data_file("iclr2021_papers.tsv")
SEED_LINES = bundled_program().read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def iclr() -> cat.Catalog:
    return cat.load_catalog(BUNDLED)


def paper(catalog: cat.Catalog, paper_id: str) -> cat.CatalogPaper:
    return next(p for p in catalog.papers if p.id == paper_id)


# -- loading ----------------------------------------------------------------------------------
def test_load_bundled_catalog_has_860_papers_with_ids_and_links(iclr: cat.Catalog) -> None:
    assert len(iclr) == 860
    anoce = paper(iclr, "7I12hXRi8F")
    assert anoce.title == ("ANOCE: Analysis of Causal Effects with Multiple Mediators via "
                           "Constrained Structural Learning")
    assert anoce.link == "https://openreview.net/forum?id=7I12hXRi8F"
    assert anoce.line == 527  # its row in the file (grep -n)
    assert cat.load_catalog(BUNDLED) is iclr  # cached


def test_bundled_catalog_table_is_explicit() -> None:
    assert cat.bundled_catalog("iclr-2021") == BUNDLED
    assert cat.bundled_catalog("iclr-2020") is None
    assert cat.bundled_catalog("") is None


def test_parse_catalog_csv_with_quoted_commas_newlines_and_aliases() -> None:
    text = ('paper_title,summary,forum\n'
            '"Zones, Offsets and You","We study zones, offsets\nand clocks.",'
            'https://openreview.net/forum?id=Abc_12-x\n'
            '\n'
            'Plain Title,Another abstract here.,\n')
    papers = cat.parse_catalog(text, "mini.csv")
    assert [(p.id, p.title, p.abstract, p.line) for p in papers] == [
        ("Abc_12-x", "Zones, Offsets and You", "We study zones, offsets\nand clocks.", 2),
        (papers[1].id, "Plain Title", "Another abstract here.", 5)]
    assert papers[1].id == cat.parse_catalog(text, "again.csv")[1].id  # stable


def test_parse_catalog_detects_tab_and_semicolon() -> None:
    tsv = cat.parse_catalog("id\ttitle\tabstract\nx1\tT, one\tA; b, c.\n")
    ssv = cat.parse_catalog("title;abstract;url\nT one;A, b.;https://e.org\n")
    assert (tsv[0].id, tsv[0].title, tsv[0].abstract) == ("x1", "T, one", "A; b, c.")
    assert (ssv[0].title, ssv[0].abstract, ssv[0].link) == ("T one", "A, b.", "https://e.org")


def test_load_catalog_reads_miniconf_iclr2020_csv(shared_data: Path) -> None:
    papers = cat.load_catalog(shared_data / "ml-conf" / "miniconf_iclr2020_papers.csv")
    assert len(papers) == 687
    assert papers.papers[0].id == "B1xSperKvH"
    assert papers.papers[0].title.startswith("Enabling Deep Spiking Neural Networks")


@pytest.mark.parametrize(("content", "line", "message"), [
    ("title\tlink\nT\thttps://e.org\n", 1, "no abstract column"),
    ("name,url\nT,https://e.org\n", 1, "no abstract column"),
    ("\n\ntitle,abstract\n", 1, "no header line"),
    ("title,abstract\n", 2, "no rows"),
    ("id,title,abstract\n1,A,text\n2,B\n", 3, "row has 2 fields; expected 3"),
    ("title,abstract\n,no title here\n", 2, "empty title"),
    ("title,abstract\nA,x\x00y\n", 2, "binary"),
])
def test_load_catalog_bad_file_names_file_and_line(tmp_path: Path, content: str, line: int,
                                                   message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ProgramError, match=message) as caught:
        cat.load_catalog(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line


def test_load_catalog_not_utf8_names_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.tsv"
    path.write_bytes(b"title\tabstract\nCaf\xe9\tabc\n")
    with pytest.raises(ProgramError, match="not UTF-8") as caught:
        cat.load_catalog(path)
    assert (caught.value.path, caught.value.line) == (str(path), 2)


def test_load_catalog_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match="no such file; expected a paper catalog") as caught:
        cat.load_catalog(tmp_path / "none.tsv")
    assert caught.value.path == str(tmp_path / "none.tsv")
    with pytest.raises(ProgramError, match="is a folder"):
        cat.load_catalog(tmp_path)


# -- matching ---------------------------------------------------------------------------------
def test_match_exact_abstract(iclr: cat.Catalog) -> None:
    abstract = paper(iclr, "QtTKTdVrFBB").abstract
    found = iclr.match(abstract)
    assert found is not None and found.paper.id == "QtTKTdVrFBB" and found.score > 0.99


def test_match_tolerates_spacing_quotes_ellipsis_and_truncation(iclr: cat.Catalog) -> None:
    abstract = paper(iclr, "g11CZSghXyY").abstract  # has "model’s"
    assert "’" in abstract
    mangled = abstract.replace("’", "'").replace(". ", ".  \n ")
    cut = mangled[: len(mangled) * 2 // 5].rsplit(" ", 1)[0] + " …"
    for text in (mangled, cut, '"' + cut.replace("'", "’") + '"'):
        found = iclr.match(text)
        assert found is not None and found.paper.id == "g11CZSghXyY"


def test_match_tolerates_small_edits(iclr: cat.Catalog) -> None:
    words = paper(iclr, "VVdmjgu7pKM").abstract.split()
    for position in range(3, len(words), 12):
        words[position] = "edited"
    found = iclr.match(" ".join(words))
    assert found is not None and found.paper.id == "VVdmjgu7pKM"


def test_match_revised_camera_ready_abstract(iclr: cat.Catalog) -> None:
    # The page's CO2 abstract is a rewrite of the OpenReview one.
    found = iclr.match(SEED_LINES[10])
    assert found is not None and found.paper.id == "U4XLJhqwNF1"


@pytest.mark.parametrize("line", [3, 204, 208, 228, 273])  # talk and workshop descriptions
def test_match_unrelated_text_is_none(iclr: cat.Catalog, line: int) -> None:
    assert iclr.match(SEED_LINES[line - 1]) is None


def test_match_short_or_generic_text_is_none(iclr: cat.Catalog) -> None:
    assert iclr.match("Deep learning is great.") is None
    assert iclr.match("In this paper we propose a novel method for deep neural networks.") is None
    assert iclr.match("") is None


def test_match_looks_at_the_index_not_every_paper(iclr: cat.Catalog) -> None:
    """A bound on work, not time: about 5,000 calls a query through the bigram index today;
    scoring the 860 papers one by one is over 500,000 for a single query."""
    queries = [line for line in SEED_LINES if len(line) > 300]
    with count_calls() as calls:
        for query in queries:
            iclr.match(query)
    assert calls.count < 20_000 * len(queries), f"{calls.count} calls for {len(queries)}"


# -- splitting blocks -------------------------------------------------------------------------
def test_split_block_two_catalog_papers_in_one_block(iclr: cat.Catalog) -> None:
    block = SEED_LINES[176:179]  # PAD, then the two paragraphs of the offline-RL paper
    assert iclr.split_block(block) == [block[:1], block[1:]]


def test_split_block_paragraphs_of_one_paper_stay_together(iclr: cat.Catalog) -> None:
    for first, last in ((81, 82), (130, 132), (145, 153), (163, 164)):
        block = SEED_LINES[first - 1:last]
        assert iclr.split_block(block) == [block]


def test_split_block_unknown_lines_stay_together(iclr: cat.Catalog) -> None:
    block = ["We study a made-up problem about calendars and clocks in some detail here.",
             "A second paragraph about the same made-up problem, still not in any catalog."]
    assert iclr.split_block(block) == [block]


# -- headlines --------------------------------------------------------------------------------
@pytest.mark.parametrize(("abstract", "expected"), [
    ("Short first sentence. Then more.", "Short first sentence"),
    ("We use e.g. clocks. Then more.", "We use e.g. clocks"),
    ("No full stop at all", "No full stop at all"),
    ("This paper theoretically investigates the following empirical phenomenon: given a "
     "high-complexity network with poor generalization bounds, one can distill it.",
     "This paper theoretically investigates the following empirical phenomenon: given a…"),
    ("Supercalifragilisticexpialidocious" * 4, ("Supercalifragilisticexpialidocious" * 4)[:90]
     + "…"),
])
def test_headline_first_sentence_clipped_on_word(abstract: str, expected: str) -> None:
    result = cat.headline(abstract)
    assert result == expected
    assert len(result) <= 91
