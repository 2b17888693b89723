"""The sentence under a parcel's landed cost names its duty-free allowance, or says there is none."""

from django.template.loader import render_to_string

from .helpers import LAST_DAY_OLD_EAEU, line, quote, rules_and_rates
from .test_landed_cost_eu_gb_us import add_tariff


def _sentence(cost) -> str:
    html = render_to_string("customs/_landed_cost.html", {"landed": cost})
    return html.split('<p class="muted small">')[1].split("</p>")[0].split(" The carrier")[0]


def test_a_parcel_under_a_regime_without_allowance_says_so(db):
    rules_and_rates(on=LAST_DAY_OLD_EAEU)
    add_tariff(destination="EU", regime="standard", hs_prefix="6109", rate="0.12")
    cost = quote(line("150.01", "EUR"), delivery="10", destination="DE", on=LAST_DAY_OLD_EAEU)

    sentence = _sentence(cost)

    assert sentence == "No duty-free allowance applies to this parcel."


def test_a_parcel_within_its_allowance_names_it(db):
    rules_and_rates(on=LAST_DAY_OLD_EAEU)
    cost = quote(line("100.00", "EUR"), delivery="10", destination="DE", on=LAST_DAY_OLD_EAEU)

    sentence = _sentence(cost)

    assert sentence == "Within the duty-free allowance of 150 € per parcel."
