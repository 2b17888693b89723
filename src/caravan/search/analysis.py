"""Text analysis shared by every search backend: the same lexemes go into the SQLite FTS5
table and the PostgreSQL tsvector, and the same lexemes come out of a query, so the two
backends match the same products.

A lexeme is lower-case letters and digits only (no punctuation, no operator characters),
which is what makes it safe to place inside an FTS5 or tsquery expression.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer

from .cjk import HAN_LEXEME, bigrams, document_grams, is_han, query_grams, segment, split_han

# Longer input is cut before analysis: no real query needs more, and it bounds the work.
MAX_QUERY_LENGTH = 200
MAX_QUERY_TOKENS = 8
# A typo is corrected only in words this long (shorter words have too many neighbours).
TYPO_MIN_LETTERS = 5
# The last word of a query also matches as a prefix from this many letters of its stem on.
PREFIX_MIN_LETTERS = 4

_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
# Han characters are admitted only as the one- and two-character lexemes of search.cjk.
_LEXEME = re.compile(f"^(?:[0-9a-zа-я]+|{HAN_LEXEME})$")
# Decimal numbers keep their fraction: "6,1" and "6.1" become "6d1" (a separator would split
# them into two numbers in every tokenizer).
_DECIMAL = re.compile(r"(?<=\d)[.,](?=\d)")
_TOKEN = re.compile(r"[^\W_]+")
# A change of script inside a word (Latin letters run into Cyrillic ones) splits it.
_SCRIPT_BOUNDARY = re.compile(r"(?<=[a-z])(?=[а-я])|(?<=[а-я])(?=[a-z])")
_NUMBER_WITH_UNIT = re.compile(r"^(\d+(?:d\d+)?)([a-zа-я]+)$")
_NUMBER = re.compile(r"^\d+(?:d\d+)?$")
# What a size is written as: a number, or a letter size ("xl", "3xl").
_SIZE_VALUE = re.compile(r"^(?:\d+(?:d\d+)?|\d?x{0,3}[sl]|m)$")

# Words that only say "the number beside me is a size": "42 размер", "размер 42", "size 43",
# "eu 44". Beside a size they are dropped, so the number is matched against the attribute
# values (a shoe's size options hold "42"); anywhere else they are ordinary words.
SIZE_WORDS = frozenset(
    {
        "размер",
        "размера",
        "размеры",
        "размеров",
        "размере",
        "размером",
        "разм",
        "р",
        "рр",
        "size",
        "sizes",
        "sz",
        "eu",
        "eur",
        "ru",
        "us",
        "uk",
        "grosse",
        "gr",
    }
)

# Spelled units in their one indexed form: "128 ГБ", "128gb" and "128 GB" are all "128gb".
UNITS = {
    "gb": "gb",
    "гб": "gb",
    "tb": "tb",
    "тб": "tb",
    "mb": "mb",
    "мб": "mb",
    "mm": "mm",
    "мм": "mm",
    "cm": "cm",
    "см": "cm",
    "kg": "kg",
    "кг": "kg",
    "g": "g",
    "г": "g",
    "гр": "g",
    "l": "l",
    "л": "l",
    "ml": "ml",
    "мл": "ml",
    "w": "w",
    "вт": "w",
    "mah": "mah",
    "мач": "mah",
    "hz": "hz",
    "гц": "hz",
    "ghz": "ghz",
    "ггц": "ghz",
    "mp": "mp",
    "мп": "mp",
    "in": "in",
    "inch": "in",
    "дюйм": "in",
    "дюйма": "in",
    "дюймов": "in",
    "k": "k",
    "к": "k",
}

STOP_WORDS = frozenset(
    {
        # ru
        "и",
        "в",
        "во",
        "на",
        "с",
        "со",
        "для",
        "из",
        "по",
        "к",
        "от",
        "до",
        "без",
        "а",
        "или",
        "при",
        "под",
        "над",
        "же",
        # en
        "a",
        "an",
        "the",
        "and",
        "or",
        "with",
        "for",
        "of",
        "in",
        "to",
        "on",
        "by",
        "made",
        # de (after folding: "für" is "fur")
        "und",
        "mit",
        "fur",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "ein",
        "eine",
        "einen",
        "von",
        "zu",
        "im",
        "oder",
    }
)

# Words buyers type that no transliteration rule derives: brand names spelled the Russian
# way, and German words for the catalog's goods (the catalog is written in ru and en).
# Keys are folded words; values are words analysed like any other text.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "айфон": ("iphone",),
    "айпад": ("ipad",),
    "эпл": ("apple",),
    "эппл": ("apple",),
    "самсунг": ("samsung",),
    "сяоми": ("xiaomi",),
    "ксиоми": ("xiaomi",),
    "найк": ("nike",),
    "найки": ("nike",),
    "адидас": ("adidas",),
    # German goods words, keyed by their German stem (see german_stem).
    "handy": ("smartphone",),
    "smartphon": ("smartphone",),
    "laufschuh": ("sneakers", "trainers"),
    "turnschuh": ("sneakers", "trainers"),
    "sneak": ("sneakers",),
    "kopfhor": ("headphones", "earphones", "earbuds", "headset"),
    "ohrhor": ("earphones", "earbuds"),
    "notebook": ("laptop",),
    "laptop": ("laptop",),
    "rucksack": ("backpack",),
    "jack": ("jacket",),
    "zelt": ("tent",),
    "fahrrad": ("bike",),
    "rad": ("bike",),
    "pfann": ("pan", "wok"),
    "kiss": ("pillow",),
    "bettdeck": ("duvet",),
    "lamp": ("lamp",),
    "leucht": ("lamp", "light"),
    "parfum": ("perfume", "parfum"),
    "spielzeug": ("toy",),
    "bausatz": ("building",),
    "uhr": ("watch", "smartwatch"),
    "schwarz": ("black",),
    "weiss": ("white",),
    "rot": ("red",),
    "grun": ("green",),
    "blau": ("blue",),
    "herr": ("men",),
    "dam": ("women",),
    "kind": ("kids",),
}

_STEMMERS = {
    language: snowballstemmer.stemmer(language) for language in ("russian", "english", "german")
}

_LATIN_FOLDING_LIMIT = 0x250  # Latin-1, Latin Extended-A and -B
# Full-width ASCII letters and digits (U+FF01-FF5E, typed on Chinese keyboards) are folded
# to ASCII by NFKC.
_FULL_WIDTH = range(0xFF01, 0xFF5F)


def fold(text: str) -> str:
    """Case, ё and Latin accents folded; Cyrillic letters kept whole (й is not и); full-width
    letters and digits made ASCII."""
    normalized = unicodedata.normalize("NFC", text)
    if not normalized.isascii():
        normalized = "".join(
            unicodedata.normalize("NFKC", character) if ord(character) in _FULL_WIDTH else character
            for character in normalized
        )
    folded = normalized.casefold().replace("ё", "е")
    if folded.isascii():
        return folded
    characters = []
    for character in folded:
        if 0x7F < ord(character) < _LATIN_FOLDING_LIMIT:
            base = unicodedata.normalize("NFKD", character)
            character = "".join(part for part in base if not unicodedata.combining(part))
        characters.append(character)
    return "".join(characters)


def tokenize(text: str) -> list[str]:
    """Folded words and numbers in order; a number followed by a unit is merged ("128gb").
    A run of Han characters is one token, split from letters and digits beside it."""
    folded = _DECIMAL.sub("d", fold(text.replace("\x00", " ")))
    words: list[str] = []
    for match in _TOKEN.finditer(folded):
        for part in _SCRIPT_BOUNDARY.split(match.group()):
            words.extend(split_han(part))
    tokens: list[str] = []
    for word in words:
        if tokens and word in UNITS and _NUMBER.match(tokens[-1]):
            tokens[-1] += UNITS[word]
            continue
        unit_match = _NUMBER_WITH_UNIT.match(word)
        if unit_match and unit_match.group(2) in UNITS:
            word = unit_match.group(1) + UNITS[unit_match.group(2)]
        tokens.append(word)
    return tokens


def script(word: str) -> str:
    if _CYRILLIC.search(word):
        return "cyrillic"
    if _LATIN.search(word):
        return "latin"
    return "digits"


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Russian stem of a Cyrillic word, English stem of a Latin one; words holding digits
    ("s3", "128gb") are codes and stay whole, and so do Han words (search.cjk)."""
    if not word.isalpha() or is_han(word):
        return word
    language = "russian" if script(word) == "cyrillic" else "english"
    return str(_STEMMERS[language].stemWord(word))


@lru_cache(maxsize=16384)
def german_stem(word: str) -> str:
    return str(_STEMMERS["german"].stemWord(word))


def is_lexeme(text: str) -> bool:
    return bool(_LEXEME.match(text))


def document_lexemes(text: str) -> list[str]:
    """The lexemes a piece of product text is indexed under; a number with a unit is indexed
    with and without it, so "128" finds "128 GB" and "128gb" finds only the memory size."""
    lexemes: list[str] = []
    for token in tokenize(text):
        if token in STOP_WORDS:
            continue
        if is_han(token):
            lexemes.extend(document_grams(token))
            continue
        unit_match = _NUMBER_WITH_UNIT.match(token)
        if unit_match and unit_match.group(2) in UNITS.values():
            lexemes.append(unit_match.group(1))
        lexemes.append(stem(token))
    return lexemes


def document_text(values: Iterable[str]) -> str:
    """Lexemes of several values as one space-separated string, each lexeme once."""
    seen: dict[str, None] = {}
    for value in values:
        for lexeme in document_lexemes(value):
            seen.setdefault(lexeme, None)
    return " ".join(seen)


# --- transliteration ----------------------------------------------------------------------

_CYRILLIC_TO_LATIN: dict[str, tuple[str, ...]] = {
    "а": ("a",),
    "б": ("b",),
    "в": ("v", "w"),
    "г": ("g",),
    "д": ("d",),
    "е": ("e",),
    "ж": ("zh", "j"),
    "з": ("z",),
    "и": ("i",),
    "й": ("y", "i", "j"),
    "к": ("k", "c"),
    "л": ("l",),
    "м": ("m",),
    "н": ("n",),
    "о": ("o",),
    "п": ("p",),
    "р": ("r",),
    "с": ("s", "c"),
    "т": ("t",),
    "у": ("u",),
    "ф": ("f", "ph"),
    "х": ("kh", "h"),
    "ц": ("ts", "c"),
    "ч": ("ch",),
    "ш": ("sh",),
    "щ": ("sch", "shch"),
    "ъ": ("",),
    "ы": ("y",),
    "ь": ("",),
    "э": ("e",),
    "ю": ("yu", "u"),
    "я": ("ya", "ia"),
}

# Longest first, so "shch" wins over "sh" + "ch".
_LATIN_TO_CYRILLIC: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("щ",)),
    ("sch", ("щ", "ш")),
    ("zh", ("ж",)),
    ("kh", ("х",)),
    ("ts", ("ц", "тс")),
    ("ch", ("ч",)),
    ("sh", ("ш",)),
    ("yu", ("ю",)),
    ("ya", ("я",)),
    ("yo", ("е",)),
    ("ye", ("е",)),
    ("ph", ("ф",)),
    ("ck", ("к",)),
    ("a", ("а",)),
    ("b", ("б",)),
    ("c", ("к", "ц")),
    ("d", ("д",)),
    ("e", ("е", "э")),
    ("f", ("ф",)),
    ("g", ("г",)),
    ("h", ("х",)),
    ("i", ("и",)),
    ("j", ("й", "дж")),
    ("k", ("к",)),
    ("l", ("л",)),
    ("m", ("м",)),
    ("n", ("н",)),
    ("o", ("о",)),
    ("p", ("п",)),
    ("q", ("к",)),
    ("r", ("р",)),
    ("s", ("с",)),
    ("t", ("т",)),
    ("u", ("у",)),
    ("v", ("в",)),
    ("w", ("в",)),
    ("x", ("кс",)),
    ("y", ("ы", "й", "и")),
    ("z", ("з",)),
)

MAX_TRANSLITERATIONS = 24


def _combine(pieces: list[tuple[str, ...]]) -> list[str]:
    """Spellings from per-letter choices, first choices first, at most MAX_TRANSLITERATIONS."""
    spellings = [""]
    for choices in pieces:
        spellings = [spelling + choice for spelling in spellings for choice in choices]
        spellings = spellings[: MAX_TRANSLITERATIONS * 4]
    return list(dict.fromkeys(spellings))[:MAX_TRANSLITERATIONS]


def to_latin(word: str) -> list[str]:
    """Latin spellings of a Cyrillic word, the usual one first ("кроссовки" -> "krossovki")."""
    return _combine([_CYRILLIC_TO_LATIN.get(letter, (letter,)) for letter in word])


def to_cyrillic(word: str) -> list[str]:
    """Cyrillic spellings of a Latin word, the usual one first ("krossovki" -> "кроссовки")."""
    pieces: list[tuple[str, ...]] = []
    position = 0
    while position < len(word):
        for latin, cyrillic in _LATIN_TO_CYRILLIC:
            if word.startswith(latin, position):
                pieces.append(cyrillic)
                position += len(latin)
                break
        else:
            pieces.append((word[position],))
            position += 1
    return _combine(pieces)


# --- typos -------------------------------------------------------------------------------


def deletes(word: str) -> set[str]:
    """The word with one letter removed, every way: two words within one edit of each other
    share a delete (or one is a delete of the other), SymSpell's trick for finding them."""
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


def within_one_edit(first: str, second: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours (optimal string alignment)."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        differences = [index for index in range(len(first)) if first[index] != second[index]]
        if len(differences) == 1:
            return True
        return (
            len(differences) == 2
            and differences[1] == differences[0] + 1
            and first[differences[0]] == second[differences[1]]
            and first[differences[1]] == second[differences[0]]
        )
    shorter, longer = sorted((first, second), key=len)
    return any(longer[:index] + longer[index + 1 :] == shorter for index in range(len(longer)))


def correctable(word: str) -> bool:
    return word.isalpha() and len(word) >= TYPO_MIN_LETTERS and not is_han(word)


# --- queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryWord:
    """One word of a query and every lexeme that may stand for it."""

    text: str
    lexeme: str
    # Other spellings: transliterations and synonyms, analysed into lexemes.
    variants: tuple[str, ...]
    # Whether the word is long enough for typo correction.
    correctable: bool
    # Set on the last word of a query: it also matches lexemes starting with this.
    prefix: str | None
    # For a bigram of a longer Chinese word of the operator's table ("运动" of 运动鞋): that
    # word, whose synonyms stand in for each of its bigrams (search.synonyms.expand).
    phrase: str = ""

    def candidates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.lexeme, *self.variants)))


def _variants(word: str) -> list[str]:
    if is_han(word):
        # No built-in Chinese synonyms or transliteration (operators' synonyms still apply).
        return []
    spellings: list[str] = list(SYNONYMS.get(word, ()))
    kind = script(word)
    if kind == "latin" and word.isalpha():
        spellings += list(SYNONYMS.get(german_stem(word), ()))
        spellings += to_cyrillic(word)
    elif kind == "cyrillic" and word.isalpha():
        spellings += to_latin(word)
    lexemes: list[str] = []
    for spelling in spellings:
        lexemes.extend(document_lexemes(spelling))
    return lexemes


def query_words(text: str, *, han_words: Collection[str] = ()) -> list[QueryWord]:
    """The words of a query with their alternatives; stop words are dropped unless the query
    has nothing else. Anything that is not a letter or a digit is ignored. han_words: the
    Chinese words of the synonym table a Han run is split by (search.cjk.segment)."""
    tokens = tokenize(text[: MAX_QUERY_LENGTH * 4][:MAX_QUERY_LENGTH])
    tokens = without_size_words([token[:MAX_QUERY_LENGTH] for token in tokens])
    # A Han run becomes the bigrams that must all match, each a word of its own (so a long
    # run is cut, like any query, at MAX_QUERY_TOKENS words).
    pieces: list[tuple[str, str]] = []
    for token in tokens:
        if not is_han(token):
            pieces.append((token, ""))
            continue
        for piece, in_table in segment(token, han_words):
            if in_table and len(piece) > 2:
                # A product matches each bigram or the word's synonyms: so it holds the
                # whole word or one of its synonyms.
                pieces.extend((gram, piece) for gram in bigrams(piece))
            else:
                pieces.extend((gram, "") for gram in query_grams(piece))
    meaningful = [piece for piece in pieces if piece[0] not in STOP_WORDS] or pieces
    phrases: dict[str, str] = {}
    for token, phrase in meaningful:
        phrases.setdefault(token, phrase)
    words: list[QueryWord] = []
    for token, phrase in list(phrases.items())[:MAX_QUERY_TOKENS]:
        words.append(
            QueryWord(
                text=token,
                lexeme=stem(token),
                variants=tuple(
                    lexeme for lexeme in dict.fromkeys(_variants(token)) if lexeme != stem(token)
                ),
                correctable=correctable(token),
                prefix=None,
                phrase=phrase,
            )
        )
    if words:
        last = words[-1]
        if last.text.isalpha() and not is_han(last.text) and len(last.lexeme) >= PREFIX_MIN_LETTERS:
            words[-1] = replace(last, prefix=last.lexeme)
    return words


def without_size_words(tokens: list[str]) -> list[str]:
    """The tokens without the size words that stand beside a size ("42 размер" is "42")."""

    def is_size(index: int) -> bool:
        return 0 <= index < len(tokens) and bool(_SIZE_VALUE.match(tokens[index]))

    return [
        token
        for index, token in enumerate(tokens)
        if not (token in SIZE_WORDS and (is_size(index - 1) or is_size(index + 1)))
    ]


def iter_lexemes(words: Iterable[QueryWord]) -> Iterator[str]:
    for word in words:
        yield from word.candidates()
