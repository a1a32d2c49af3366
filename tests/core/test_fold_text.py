"""fold_text's quick path for ASCII text gives what the full fold (NFKD, drop what is not ASCII,
lower case, split on anything but letters and digits) gives."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from planner.core.ids import fold_text


def full_fold(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.split(r"[^a-z0-9]+", ascii_text)).strip()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_folds_as_the_full_fold_does(text: str) -> None:
    assert fold_text(text) == full_fold(text)


@given(st.text())
def test_any_text_folds_as_the_full_fold_does(text: str) -> None:
    assert fold_text(text) == full_fold(text)


def test_examples() -> None:
    assert fold_text("  MARS: Markov\tMolecular--Sampling_2021 ") == (
        "mars markov molecular sampling 2021")
    assert fold_text("Jürgen Müller, Eﬃcient") == "jurgen muller efficient"
    assert fold_text("") == fold_text("!!!") == ""
