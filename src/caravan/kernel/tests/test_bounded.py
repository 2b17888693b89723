from caravan.kernel.bounded import Bounded


def test_values_are_kept_until_the_limit_and_then_all_go_at_once():
    kept: Bounded[str, int] = Bounded(limit=3)
    kept.keep({"a": 1, "b": 2})
    kept.keep({"c": 3})

    kept.keep({"d": 4})

    assert (len(kept), kept.get("a"), kept.get("d")) == (1, None, 4)


def test_a_value_popped_or_never_kept_is_none():
    kept: Bounded[str, int] = Bounded(limit=3)
    kept.keep({"a": 1})

    kept.pop("a")
    kept.pop("never")

    assert (kept.get("a"), kept.get("never"), len(kept)) == (None, None, 0)
