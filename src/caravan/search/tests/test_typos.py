import pytest

from caravan.search.analysis import query_words, without_size_words
from caravan.search.typos import cheap_edits, edit_distance, switch_layout, typo_cost


def test_a_neighbouring_key_costs_half_an_edit():
    # и and т are side by side on ЙЦУКЕН; k and l on QWERTY.
    assert typo_cost("кроссовкт", "кроссовки") == 0.5
    assert typo_cost("laptol", "laptok") == 0.5


def test_a_sound_alike_letter_costs_half_an_edit():
    assert typo_cost("крассовки", "кроссовки") == 0.5
    assert typo_cost("кроссофки", "кроссовки") == 0.5


def test_a_letter_far_away_costs_a_whole_edit():
    assert typo_cost("кроссовкд", "кроссовки") == 1.0


def test_a_doubled_letter_typed_or_left_out_costs_half_an_edit():
    assert typo_cost("велосипедд", "велосипед") == 0.5
    assert typo_cost("кросовки", "кроссовки") == 0.5
    assert typo_cost("велосипеды", "велосипед") == 1.0


def test_swapped_neighbours_cost_one_edit():
    assert typo_cost("laptpo", "laptop") == 1.0
    assert edit_distance("laptpo", "laptop") == 1


def test_two_sound_alike_slips_cost_one_edit_in_all():
    assert edit_distance("крассофк", "кроссовк") == 2
    assert typo_cost("крассофк", "кроссовк") == 1.0
    assert edit_distance("вилосепед", "велосипед") == 2
    assert typo_cost("вилосепед", "велосипед") == 1.0


def test_edit_distance_counts_every_edit_as_one():
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("abc", "") == 3
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("ca", "ac") == 1


def test_cheap_edits_reach_the_meant_word_in_one_more_edit():
    neighbours = cheap_edits("крассофк")

    assert "кроссофк" in neighbours
    assert "крассовк" in neighbours
    assert "крассофк" not in neighbours
    assert any(edit_distance(neighbour, "кроссовк") == 1 for neighbour in neighbours)


def test_switch_layout_retypes_the_keys_on_the_other_layout():
    assert switch_layout("rhjccjdrb") == "кроссовки"
    assert switch_layout("Cvfhnajy") == "смартфон"
    assert switch_layout("дфзещз") == "laptop"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("42 размер", ["42"]),
        ("размер 42", ["42"]),
        ("кроссовки 42 размера", ["кроссовки", "42"]),
        ("size 38 sneakers", ["38", "sneakers"]),
        ("куртка размер XL", ["куртка", "xl"]),
        ("eu 44", ["44"]),
    ],
)
def test_a_size_word_beside_a_size_is_dropped(text, words):
    assert [word.text for word in query_words(text)] == words


def test_a_size_word_away_from_a_size_is_an_ordinary_word():
    assert [word.text for word in query_words("размер обуви")] == ["размер", "обуви"]
    assert without_size_words(["size"]) == ["size"]
