"""The closest known spelling of a name that matched nothing (for "did you mean" hints).

The suggestion is exactly the one of `difflib.get_close_matches(word, names, n=1, cutoff)`: the
name with the highest `SequenceMatcher.ratio()` at or above the cutoff (on a tie, the greatest
name), so the validation report says what it always said. difflib compares the word with every
name in Python, which takes seconds per name on a list of thousands of institutions; here
rapidfuzz's Indel similarity (2 × longest common subsequence / total length, computed in C for
the whole list at once) bounds difflib's ratio from above (difflib's matching blocks are one
common subsequence, never longer than the longest), so only the few names whose bound reaches the
cutoff and the best ratio found so far are compared by difflib.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from rapidfuzz import fuzz, process

_EPS = 1e-9  # rapidfuzz scores are floats on 0–100: never let rounding drop a candidate


class ClosestNames:
    """A list of names to suggest from; `closest(word)` is cached (a report asks the same name
    in English and in French, and once per row that writes it)."""

    def __init__(self, names: Iterable[str], cutoff: float) -> None:
        self._names = list(dict.fromkeys(names))
        self._cutoff = cutoff
        self._cache: dict[str, str | None] = {}

    def closest(self, word: str) -> str | None:
        """`difflib.get_close_matches(word, names, n=1, cutoff)[0]`, or None when it is empty."""
        if word not in self._cache:
            self._cache[word] = self._closest(word)
        return self._cache[word]

    def _closest(self, word: str) -> str | None:
        bounds = process.extract(
            word, self._names, scorer=fuzz.ratio, score_cutoff=max(0.0, 100 * self._cutoff - 1e-6), limit=None
        )
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best: tuple[float, str] | None = None
        for name, bound, _ in bounds:  # highest bound first
            if best is not None and bound / 100 + _EPS < best[0]:
                break  # no name left can reach the best ratio found
            matcher.set_seq1(name)
            ratio = matcher.ratio()
            if ratio >= self._cutoff and (best is None or (ratio, name) > best):
                best = (ratio, name)
        return best[1] if best else None
