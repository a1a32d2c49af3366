"""Both search indexes answer exactly as planner.core.search does: the text scan the window
uses a moment after a program opens, and the word index it swaps in later."""

from __future__ import annotations

from array import array

import pytest

from planner.core.model import Paper, Program, SessionKind
from planner.core.search import query_terms, search_sessions
from planner.core.search_index import SessionSearch, TextScan, WordIndex, folded_bytes
from tests.factories import session


def tricky_program() -> Program:
    """Accents, ligatures, punctuation inside words, upper case, a paper in two sessions, a
    session whose paper is missing, and text only in one field."""
    papers = [
        Paper("p-mol", "MARS: Markov Molecular Sampling", "Searching for novel molecules.",
              authors=["Jürgen Müller", "Ana Núñez"]),
        Paper("p-co2", "CO2: Consistent Contrast", "Contrastive learning; self-supervised.",
              authors=["Zoë O'Brien"]),
        Paper("p-fi", "Eﬃcient ﬁne-tuning", "Ｆｕｌｌwidth letters and e-x dashes",
              authors=["Li Wei"]),
    ]
    sessions = [
        session("poster-12", "2021-05-07 02:00", 120, kind=SessionKind.POSTER,
                papers=["p-mol", "p-co2"], room="Hall A", description="Posters."),
        session("oral-12", "2021-05-07 04:00", 60, kind=SessionKind.ORAL,
                papers=["p-mol", "p-gone"], speakers=["Grace Hopper"]),
        session("fine", "2021-05-07 05:00", 60, papers=["p-fi"], track="Café Track",
                subtitle="Über alles", location="Zürich"),
        session("plain", "2021-05-07 07:00", 30, kind=SessionKind.REMARKS,
                description="THE_END of day; rust, trust & rustc"),
    ]
    return Program(name="Tricky", source_zone="Europe/Vienna", sessions=sessions,
                   papers={p.id: p for p in papers}, key="tricky")


def indexes(program: Program) -> list[SessionSearch]:
    scan = TextScan.build(program)
    return [scan, WordIndex.build(scan)]


def every_word(program: Program) -> list[str]:
    words: set[str] = set()
    for s in program.sessions:
        words.update(folded_bytes(s, program.papers_of(s)).decode().split())
    return sorted(words)


def test_folded_bytes_has_the_words_fold_text_gives() -> None:
    program = tricky_program()
    fine = program.find_session("fine")
    assert fine is not None
    words = folded_bytes(fine, program.papers_of(fine)).decode().split()
    assert {"efficient", "fine", "tuning", "fullwidth", "cafe", "uber", "zurich"} <= set(words)
    plain = program.find_session("plain")
    assert plain is not None
    assert folded_bytes(plain, []).decode().split()[-7:] == [
        "the", "end", "of", "day", "rust", "trust", "rustc"]


@pytest.mark.parametrize("which", ["scan", "words"])
def test_an_index_matches_as_the_core_search_does(which: str) -> None:
    """Every query, parts of words, several terms, fields, and narrowing a previous answer."""
    program = tricky_program()
    index = indexes(program)[0 if which == "scan" else 1]
    words = every_word(program)
    queries = ["", "m", "mol", "molecul", "zzz", "a b", "hall a", "Müller", "e-x", "rust",
               "rus", "ust", "THE_END", "title:mars", "speaker:grace", "room:hall",
               "abstract:contrast", "title:contrastive", "speakers:müll mol", "Ｆｕｌｌ"]
    queries += [w[1:4] for w in words] + [w[:2] for w in words]
    queries += [f"{a} {b[:2]}" for a, b in zip(words[:-3], words[3:], strict=True)]
    previous: set[str] | None = None
    for query in queries:
        expected = {s.id for s in search_sessions(program, query)}
        terms = query_terms(query)
        assert index.sessions_matching(terms, None, program) == expected, query
        if previous is not None:
            assert index.sessions_matching(terms, previous, program) == expected & previous, \
                query
        previous = expected


def test_both_indexes_agree_on_which_papers_match() -> None:
    program = tricky_program()
    scan, words = indexes(program)
    for query in ["mol", "contrast", "müller", "hall", "title:consistent", "posters mars"]:
        terms = query_terms(query)
        for s in program.sessions:
            for p in program.papers_of(s):
                assert scan.paper_matches(s, p, terms) == words.paper_matches(s, p, terms)
    poster = program.find_session("poster-12")
    assert poster is not None
    mol, co2 = program.papers_of(poster)
    assert scan.paper_matches(poster, mol, query_terms("molecules"))
    assert not scan.paper_matches(poster, co2, query_terms("molecules"))
    assert scan.paper_matches(poster, co2, query_terms("posters"))  # the session's own text


def test_word_index_with_rare_and_common_words_matches_the_core_search() -> None:
    """Enough sessions that rare words keep ordinals and common ones bitmaps, and that short
    terms are answered by their prefix bitmaps: every answer as the core search gives it."""
    import random

    rng = random.Random(11)
    vocabulary = ["".join(rng.choices("abcdefgh", k=rng.randint(2, 6))) for _ in range(400)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    papers = [Paper(f"p{i}", " ".join(rng.choices(vocabulary, weights, k=5)),
                    " ".join(rng.choices(vocabulary, weights, k=20))) for i in range(600)]
    sessions = [session(f"s{i}", "2021-05-07 02:00", 30, papers=[f"p{i}", f"p{(i * 7) % 600}"])
                for i in range(300)]
    program = Program(name="Random", source_zone="UTC", sessions=sessions,
                      papers={p.id: p for p in papers}, key="random")
    index = WordIndex.build(TextScan.build(program))
    kinds = {type(postings) for postings in index.words.values()}
    assert kinds == {int, array}  # both layouts are exercised
    words = sorted(index.words)
    queries = [w[:n] for w in words for n in (1, 2, 3, 4)] + words
    queries += [f"{a[:3]} {b[:2]}" for a, b in zip(words[::3], words[1::3], strict=False)]
    for query in queries:
        terms = query_terms(query)
        assert index.sessions_matching(terms, None, program) == {
            s.id for s in search_sessions(program, query)}, query
