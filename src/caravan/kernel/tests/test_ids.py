"""Public ids and order numbers."""

import string

from caravan.kernel.ids import order_number, public_id


def test_public_ids_are_twelve_url_safe_characters_starting_with_a_letter_or_digit():
    ids = [public_id() for _ in range(2000)]

    assert all(len(value) == 12 and value[0].isalnum() for value in ids)
    assert all(set(value) <= set(string.ascii_letters + string.digits + "-_") for value in ids)
    assert len(set(ids)) == 2000


def test_order_numbers_avoid_look_alike_characters():
    numbers = [order_number() for _ in range(500)]

    assert all(len(number) == 12 and number.startswith("CV-") for number in numbers)
    assert not any(set(number) & set("01IO") for number in numbers)
