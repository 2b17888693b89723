"""How a buyer mistypes: edit distances weighted by the keyboard and by sound, the words two
edits away, and text typed with the wrong keyboard layout on.

A typo on a neighbouring key ("кроссовкт") or a letter that sounds alike ("крассофки": an
unstressed vowel written as it sounds, a voiced consonant devoiced) is the likeliest
mistake, so it costs half an edit: of the terms two edits from a word, the ones made of
such mistakes are kept, and among several corrections the cheapest come first.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .analysis import script

# Letter rows of the Russian ЙЦУКЕН and the US QWERTY layouts, as the keys lie: a row is
# offset half a key to the right of the row above it.
_ROWS = {
    "cyrillic": ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"),
    "latin": ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
}
# Letters Russian spelling confuses by sound (unstressed vowels, voiced and voiceless
# pairs), and their Latin counterparts in transliterated words.
_SOUND_ALIKE = (
    "оа",
    "еи",
    "еэ",
    "яа",
    "юу",
    "иы",
    "вф",
    "бп",
    "дт",
    "зс",
    "гк",
    "жш",
    "oa",
    "ei",
    "vf",
    "bp",
    "dt",
    "zs",
    "gk",
    "ck",
    "yi",
)
NEAR = 0.5


def _neighbours() -> frozenset[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for rows in _ROWS.values():
        for row_index, row in enumerate(rows):
            for index, key in enumerate(row):
                around = [(row_index, index - 1), (row_index, index + 1)]
                around += [(row_index - 1, index), (row_index - 1, index + 1)]
                around += [(row_index + 1, index - 1), (row_index + 1, index)]
                for other_row, other_index in around:
                    if 0 <= other_row < len(rows) and 0 <= other_index < len(rows[other_row]):
                        pairs.add((key, rows[other_row][other_index]))
    for pair in _SOUND_ALIKE:
        pairs |= {(pair[0], pair[1]), (pair[1], pair[0])}
    return frozenset(pairs)


_NEAR_PAIRS = _neighbours()


def substitution_cost(typed: str, meant: str) -> float:
    if typed == meant:
        return 0.0
    return NEAR if (typed, meant) in _NEAR_PAIRS else 1.0


@lru_cache(maxsize=65536)
def typo_cost(typed: str, meant: str) -> float:
    """Optimal string alignment distance (insertions, deletions, substitutions, swaps of
    neighbours), a substitution by a neighbouring key or a sound-alike letter costing half,
    and so does a doubled letter typed or left out ("велосипедд")."""
    rows, columns = len(typed), len(meant)
    previous_previous: list[float] = []
    previous = [float(column) for column in range(columns + 1)]
    for row in range(1, rows + 1):
        current = [float(row)] + [0.0] * columns
        for column in range(1, columns + 1):
            extra = typed[row - 1]
            missing = meant[column - 1]
            insertion_cost = NEAR if row > 1 and typed[row - 2] == extra else 1.0
            deletion_cost = NEAR if column > 1 and meant[column - 2] == missing else 1.0
            best = min(
                previous[column] + insertion_cost,
                current[column - 1] + deletion_cost,
                previous[column - 1] + substitution_cost(extra, missing),
            )
            if (
                row > 1
                and column > 1
                and extra == meant[column - 2]
                and typed[row - 2] == missing
                and extra != missing
            ):
                best = min(best, previous_previous[column - 2] + 1.0)
            current[column] = best
        previous_previous, previous = previous, current
    return previous[columns]


@lru_cache(maxsize=65536)
def edit_distance(first: str, second: str) -> int:
    """Optimal string alignment distance, every edit costing one."""
    rows, columns = len(first), len(second)
    previous_previous: list[int] = []
    previous = list(range(columns + 1))
    for row in range(1, rows + 1):
        current = [row] + [0] * columns
        for column in range(1, columns + 1):
            different = first[row - 1] != second[column - 1]
            best = min(
                previous[column] + 1, current[column - 1] + 1, previous[column - 1] + different
            )
            if (
                row > 1
                and column > 1
                and first[row - 1] == second[column - 2]
                and first[row - 2] == second[column - 1]
            ):
                best = min(best, previous_previous[column - 2] + 1)
            current[column] = best
        previous_previous, previous = previous, current
    return previous[columns]


_NEAR_LETTERS: dict[str, tuple[str, ...]] = {}
for _typed, _meant in sorted(_NEAR_PAIRS):
    _NEAR_LETTERS[_typed] = (*_NEAR_LETTERS.get(_typed, ()), _meant)


def cheap_edits(word: str) -> set[str]:
    """The strings one half-cost edit from the word: a letter put right by a neighbouring
    key or a sound-alike letter, a doubled letter undoubled or a letter doubled. A term two
    edits away that costs at most 1.5 is one edit from one of these."""
    found = set()
    for index, letter in enumerate(word):
        for other in _NEAR_LETTERS.get(letter, ()):
            found.add(word[:index] + other + word[index + 1 :])
        found.add(word[: index + 1] + letter + word[index + 1 :])
        if index and word[index - 1] == letter:
            found.add(word[:index] + word[index + 1 :])
    found.discard(word)
    return found


def cheapest(typed: str, terms: Iterable[str]) -> list[str]:
    """The terms in order of their typo cost from the typed lexeme, then alphabetically."""
    return sorted(terms, key=lambda term: (typo_cost(typed, term), term))


# --- the wrong keyboard layout -----------------------------------------------------------

# The same keys on the Russian and the US keyboard: "rhjccjdrb" is "кроссовки" typed with
# the wrong layout on.
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_CYRILLIC_KEYS = "йцукенгшщзхъфывапролджэячсмитьбюё"
_TO_CYRILLIC_LAYOUT = str.maketrans(_LATIN_KEYS, _CYRILLIC_KEYS)
_TO_LATIN_LAYOUT = str.maketrans(_CYRILLIC_KEYS, _LATIN_KEYS)


def switch_layout(chunk: str) -> str:
    """The text as the same keys type it on the other keyboard layout."""
    folded = chunk.casefold()
    if script(folded) == "cyrillic":
        return folded.translate(_TO_LATIN_LAYOUT)
    return folded.translate(_TO_CYRILLIC_LAYOUT)
