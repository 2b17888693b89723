from django.urls import reverse
from tests.factories import make_user
from tests.finance_factories import make_operator

from caravan.customs.rule_data import IMPORT_RULES
from caravan.customs.services import load_customs_rules


def test_the_operator_sees_every_rule_with_its_source_and_dates(client, db):
    load_customs_rules()
    client.force_login(make_operator())

    response = client.get(reverse("backoffice:customs_rules"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == len(IMPORT_RULES)
    page = response.content.decode()
    assert page.count('data-testid="customs-rule"') == len(IMPORT_RULES)
    assert "https://www.interfax.ru/world/1067139" in page
    flat = next(row for row in rows if row.rule.regime == "ioss-flat-duty")
    assert (str(flat.per_heading.amount), flat.duty_rate, flat.vat_rate) == ("3.00", "0 %", "—")
    old = next(row for row in rows if row.rule.regime == "personal-parcels")
    assert (old.duty_rate, str(old.minimum_per_kg.amount), old.allowance.currency) == (
        "15 %",
        "2.00",
        "EUR",
    )


def test_one_destination_at_a_time(client, db):
    load_customs_rules()
    client.force_login(make_operator())

    response = client.get(reverse("backoffice:customs_rules"), {"destination": "EU"})

    assert [row.rule.regime for row in response.context["rows"]] == [
        "ioss",
        "standard",
        "ioss-flat-duty",
    ]


def test_customs_rules_are_for_operator_staff_only(client, db):
    url = reverse("backoffice:customs_rules")

    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 403
