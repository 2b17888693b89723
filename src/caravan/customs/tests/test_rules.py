from datetime import date

import pytest
from django.core.exceptions import ValidationError

from caravan.customs.models import ImportRule, VatRate
from caravan.customs.rule_data import IMPORT_RULES, VAT_RATES
from caravan.customs.selectors import rules_in_force
from caravan.customs.services import load_customs_rules


def test_loading_twice_keeps_one_row_per_rule_and_restores_edited_figures(db):
    load_customs_rules()
    ImportRule.objects.filter(destination="EU", regime="ioss-flat-duty").update(duty_per_heading=5)

    result = load_customs_rules()

    assert (result.rules, result.vat_rates) == (len(IMPORT_RULES), len(VAT_RATES))
    assert ImportRule.objects.count() == len(IMPORT_RULES)
    assert VatRate.objects.count() == len(VAT_RATES)
    flat = ImportRule.objects.get(destination="EU", regime="ioss-flat-duty")
    assert flat.duty_per_heading == 3


def test_every_shipped_row_names_its_source_and_date(db):
    load_customs_rules()

    for rule in ImportRule.objects.all():
        assert rule.source_title and rule.source_url.startswith("http") and rule.source_date
    for rate in VatRate.objects.all():
        assert rate.source_title and rate.source_url.startswith("http") and rate.source_date


def test_rules_of_one_destination_and_ceiling_never_overlap_in_time(db):
    load_customs_rules()
    rows = list(ImportRule.objects.order_by("effective_from"))

    for first in rows:
        for second in rows:
            if first.pk >= second.pk or first.destination != second.destination:
                continue
            if first.max_goods_value != second.max_goods_value:
                continue
            first_end = first.effective_to or date.max
            second_end = second.effective_to or date.max
            overlap = first.effective_from <= second_end and second.effective_from <= first_end
            assert not overlap, (first, second)


def test_the_rules_in_force_change_on_1_july_2026(db):
    load_customs_rules()

    def regimes(country: str, on: date) -> list[str]:
        return [rule.regime for rule in rules_in_force(country=country, on=on)]

    assert regimes("RU", date(2026, 6, 30)) == ["personal-parcels"]
    assert regimes("KZ", date(2026, 7, 1)) == ["e-commerce"]
    assert regimes("DE", date(2026, 6, 30)) == ["ioss", "standard"]
    assert regimes("IT", date(2026, 7, 1)) == ["ioss-flat-duty", "standard"]
    assert regimes("GB", date(2026, 7, 1)) == ["low-value", "standard"]
    assert regimes("US", date(2026, 7, 1)) == ["no-de-minimis"]
    assert regimes("CN", date(2026, 7, 1)) == []


def test_a_new_row_overlapping_one_in_force_is_refused_until_the_old_one_ends(db):
    load_customs_rules()
    current = ImportRule.objects.get(destination="EAEU", regime="e-commerce")
    successor = ImportRule(
        **{
            field.name: getattr(current, field.name)
            for field in ImportRule._meta.concrete_fields
            if field.name != "id"
        }
    )
    successor.regime, successor.effective_from = "e-commerce-2027", date(2027, 1, 1)

    with pytest.raises(ValidationError):
        successor.full_clean()
    current.effective_to = date(2026, 12, 31)
    current.full_clean()
    current.save()
    successor.full_clean()
