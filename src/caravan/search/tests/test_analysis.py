import pytest

from caravan.search.analysis import (
    MAX_QUERY_LENGTH,
    deletes,
    document_lexemes,
    document_text,
    fold,
    is_lexeme,
    query_words,
    stem,
    to_cyrillic,
    to_latin,
    tokenize,
    within_one_edit,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ЧЁРНЫЙ", "черный"),
        ("Café Crème", "cafe creme"),
        ("Straße", "strasse"),
        ("Kopfhörer", "kopfhorer"),
        ("йогурт", "йогурт"),
    ],
)
def test_fold_lowers_case_and_accents_but_keeps_cyrillic_letters(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("128 ГБ", ["128gb"]),
        ("128GB", ["128gb"]),
        ("128 gb", ["128gb"]),
        ("1 ТБ", ["1tb"]),
        ("6,1 дюйма", ["6d1in"]),
        ("6.1 in", ["6d1in"]),
        ("50 мл", ["50ml"]),
        ("Размер 43", ["размер", "43"]),
        ("TWS-наушники", ["tws", "наушники"]),
        ("smartфон", ["smart", "фон"]),
        ("a\x00b", ["a", "b"]),
        ('"*" NEAR: & | ! --', ["near"]),
    ],
)
def test_tokenize_merges_numbers_with_units_and_drops_punctuation(text, tokens):
    assert tokenize(text) == tokens


def test_documents_index_a_number_with_and_without_its_unit():
    assert document_lexemes("128 ГБ") == ["128", "128gb"]
    assert document_lexemes("Беспроводные наушники для спорта") == [
        "беспроводн",
        "наушник",
        "спорт",
    ]
    assert document_text(["Sneakers", "sneaker", "Кроссовки"]) == "sneaker кроссовк"


def test_stems_follow_the_script():
    assert [stem(word) for word in ("кроссовки", "смартфоны", "laptops", "s3", "128gb")] == [
        "кроссовк",
        "смартфон",
        "laptop",
        "s3",
        "128gb",
    ]


def test_transliteration_both_ways_puts_the_usual_spelling_first():
    assert to_cyrillic("krossovki")[0] == "кроссовки"
    assert to_cyrillic("ryukzak")[0] == "рюкзак"
    assert to_cyrillic("naushniki")[0] == "наушники"
    assert to_latin("кроссовки")[0] == "krossovki"
    assert to_latin("зентра")[0] == "zentra"
    assert "smartphon" in to_latin("смартфон")


def test_transliterations_are_bounded():
    assert len(to_cyrillic("y" * 40)) <= 24
    assert len(to_latin("й" * 40)) <= 24


@pytest.mark.parametrize(
    ("first", "second", "near"),
    [
        ("кроссовк", "кросовк", True),  # deletion
        ("laptop", "laptpo", True),  # swap of neighbours
        ("zentra", "zentre", True),  # substitution
        ("velocita", "velosita", True),
        ("novaphon", "novafon", False),  # two edits
        ("shirt", "short", True),
        ("abc", "abc", True),
        ("abcdef", "abc", False),
    ],
)
def test_within_one_edit(first, second, near):
    assert within_one_edit(first, second) is near
    assert within_one_edit(second, first) is near


def test_deletes_are_the_word_less_one_letter():
    assert deletes("abc") == {"bc", "ac", "ab"}


def test_query_words_carry_their_other_spellings():
    words = query_words("Айфон krossovki Kopfhörer")

    assert [word.text for word in words] == ["айфон", "krossovki", "kopfhorer"]
    assert "iphon" in words[0].variants
    assert "кроссовк" in words[1].variants
    assert {"headphon", "earphon", "earbud", "headset"} <= set(words[2].variants)


def test_only_the_last_word_of_four_letters_or_more_is_a_prefix():
    assert [word.prefix for word in query_words("наушники wirele")] == [None, "wirel"]
    assert [word.prefix for word in query_words("наушники 43")] == [None, None]
    assert [word.prefix for word in query_words("кот")] == [None]


def test_typo_correction_is_for_words_of_five_letters_or_more():
    assert [word.correctable for word in query_words("iphon nike s23 кросовки")] == [
        True,
        False,
        False,
        True,
    ]


def test_stop_words_are_dropped_unless_nothing_else_is_left():
    assert [word.text for word in query_words("чехол для телефона")] == ["чехол", "телефона"]
    assert [word.text for word in query_words("для")] == ["для"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "!!!",
        '"',
        "*",
        "NEAR",
        ":",
        "&",
        "|",
        "!",
        "\x00",
        "'; DROP TABLE catalog_product; --",
        "name:foo AND bar*",
        "x" * 10_000,
        "слово " * 2_000,
        '耳机"* NEAR(无线 OR 蓝牙):',
        "耳" * 10_000,
    ],
)
def test_malformed_text_yields_only_safe_lexemes(text):
    words = query_words(text)

    assert len(words) <= 8
    for word in words:
        assert len(word.text) <= MAX_QUERY_LENGTH
        assert all(is_lexeme(lexeme) for lexeme in word.candidates())


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("无线耳机", ["无线耳机"]),
        ("TWS耳机", ["tws", "耳机"]),
        ("耳机TWS", ["耳机", "tws"]),
        ("128GB耳机", ["128gb", "耳机"]),
        ("Wave 3真无线耳机（带麦克风）", ["wave", "3", "真无线耳机", "带麦克风"]),
        ("耳机、充电器，音箱。", ["耳机", "充电器", "音箱"]),
        ("ＴＷＳ １２８ＧＢ 耳机", ["tws", "128gb", "耳机"]),
        ("наушники耳机", ["наушники", "耳机"]),
    ],
)
def test_han_runs_are_split_from_other_scripts_and_punctuation(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    ("text", "lexemes"),
    [
        ("鞋", ["鞋"]),
        ("耳机", ["耳", "机", "耳机"]),
        ("无线耳机", ["无", "线", "耳", "机", "无线", "线耳", "耳机"]),
        ("TWS耳机", ["tws", "耳", "机", "耳机"]),
        ("耳机、耳", ["耳", "机", "耳机", "耳"]),
        ("㐀㐁", ["㐀", "㐁", "㐀㐁"]),
    ],
)
def test_han_text_is_indexed_as_its_characters_and_overlapping_bigrams(text, lexemes):
    assert document_lexemes(text) == lexemes


@pytest.mark.parametrize(
    ("text", "lexemes"),
    [
        ("鞋", ["鞋"]),
        ("耳机", ["耳机"]),
        ("无线耳机", ["无线", "线耳", "耳机"]),
        ("耳机 TWS", ["耳机", "tws"]),
        ("无线，耳机", ["无线", "耳机"]),
        ("耳机耳机", ["耳机", "机耳"]),
    ],
)
def test_a_han_query_run_must_hold_every_bigram(text, lexemes):
    assert [word.lexeme for word in query_words(text)] == lexemes


def test_han_query_words_are_not_stemmed_corrected_transliterated_or_prefixed():
    words = query_words("蓝牙耳机")

    assert [(word.text, word.lexeme) for word in words] == [
        ("蓝牙", "蓝牙"),
        ("牙耳", "牙耳"),
        ("耳机", "耳机"),
    ]
    assert [(word.variants, word.correctable, word.prefix) for word in words] == [
        ((), False, None)
    ] * 3


@pytest.mark.parametrize(
    ("lexeme", "valid"),
    [
        ("耳", True),
        ("耳机", True),
        ("无线耳", False),
        ("耳a", False),
        ("耳 机", False),
        ('耳"', False),
    ],
)
def test_han_is_a_lexeme_only_as_one_character_or_a_bigram(lexeme, valid):
    assert is_lexeme(lexeme) is valid


def test_a_long_han_query_is_cut_at_the_query_word_limit():
    words = query_words("超长的中文搜索词会被截断吗")

    assert [word.lexeme for word in words] == [
        "超长",
        "长的",
        "的中",
        "中文",
        "文搜",
        "搜索",
        "索词",
        "词会",
    ]
