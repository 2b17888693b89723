import pytest

from caravan.imports.lineindex import LineIndex, text_key


def test_a_key_keeps_the_line_it_was_first_seen_on():
    index = LineIndex(capacity=100)

    first = index.setdefault(text_key("HP-1"), 2)
    other = index.setdefault(text_key("HP-2"), 3)
    again = index.setdefault(text_key("HP-1"), 9)

    assert (first, other, again, len(index)) == (2, 3, 2, 2)


def test_sequential_ids_all_fit_and_come_back():
    index = LineIndex(capacity=1000)

    lines = [index.setdefault(key, key + 1) for key in range(1, 1001)]

    assert lines == list(range(2, 1002))
    assert sorted(index.keys()) == list(range(1, 1001))
    assert [index.setdefault(key, 0) for key in (1, 500, 1000)] == [2, 501, 1001]


def test_a_full_index_refuses_a_new_key_but_still_answers_known_ones():
    index = LineIndex(capacity=3)
    for key in (10, 20, 30):
        index.setdefault(key, key)

    with pytest.raises(OverflowError):
        index.setdefault(40, 40)

    assert (index.setdefault(20, 0), len(index)) == (20, 3)
