"""Chinese (Han) text as overlapping character bigrams, the way Elasticsearch's cjk analyzer
indexes it: Chinese has no spaces between words and no segmenter is shipped, so "无线耳机"
(wireless earphones) is indexed as 无线, 线耳, 耳机 and a query run must hold all its
bigrams. A bigram that spans two words (线耳) costs a little precision and needs no
dictionary. Both engines receive these lexemes as they are (FTS5's unicode61 and
PostgreSQL's `simple` configuration keep a Han pair one token), so they match alike.

No segmenter either, with one exception: the longer Chinese words of the operator's synonym
table (search.synonyms) split a query run where they occur ("黑色运动鞋" with 黑色 and 运动鞋
in the table is those two words), so that each word brings its own synonyms. A run the
table does not cover is searched as before, all its bigrams.

Han lexemes get none of the Latin/Cyrillic treatment: no stemming, no typo correction (a
one-character edit of a bigram is another word), no keyboard-layout switch, no
transliteration and no prefix matching (a bigram is already the smallest unit searched).
"""

from __future__ import annotations

import re
from collections.abc import Collection

# CJK Unified Ideographs: Extension A, the main block, Compatibility Ideographs, and the
# supplementary-plane extensions B-I with their compatibility supplement.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U0003134f"
# A Han lexeme is one character (a run of one, or a document's unigram) or a bigram.
HAN_LEXEME = f"[{HAN}]{{1,2}}"
# The longest Chinese word the synonym table holds (and a query run is split by).
MAX_HAN_WORD = 8
_HAN_RUN = re.compile(f"([{HAN}]+)")
_HAN_ONLY = re.compile(f"^[{HAN}]+$")


def is_han(word: str) -> bool:
    return bool(_HAN_ONLY.match(word))


def split_han(word: str) -> list[str]:
    """The word split where Han characters meet anything else ("tws耳机" -> tws, 耳机)."""
    return [part for part in _HAN_RUN.split(word) if part]


def bigrams(run: str) -> list[str]:
    return [run[index : index + 2] for index in range(len(run) - 1)]


def document_grams(run: str) -> list[str]:
    """What a Han run in product text is indexed under: each character and each overlapping
    pair. The unigrams are what lets a one-character query (鞋 shoes, 包 bag, 表 watch: common
    whole words in Chinese) find 运动鞋; they cost one short lexeme per character."""
    if len(run) == 1:
        return [run]
    return [*dict.fromkeys(run), *bigrams(run)]


def query_grams(run: str) -> list[str]:
    """What a Han run in a query must match, every one of them: a single character as itself,
    a longer run as its bigrams (not its unigrams, which would only add noise)."""
    return [run] if len(run) == 1 else bigrams(run)


def segment(run: str, words: Collection[str]) -> list[tuple[str, bool]]:
    """The run cut into the table's words, longest first from the left (forward maximum
    matching), and the stretches between them: (piece, whether it is a table word). Only
    words of two characters or more cut: a one-character word ("鞋") would cut 运动鞋 apart."""
    if not words or len(run) < 2:
        return [(run, False)]
    pieces: list[tuple[str, bool]] = []
    rest = ""
    position = 0
    while position < len(run):
        for length in range(min(MAX_HAN_WORD, len(run) - position), 1, -1):
            if run[position : position + length] in words:
                if rest:
                    pieces.append((rest, False))
                    rest = ""
                pieces.append((run[position : position + length], True))
                position += length
                break
        else:
            rest += run[position]
            position += 1
    if rest:
        pieces.append((rest, False))
    return pieces
