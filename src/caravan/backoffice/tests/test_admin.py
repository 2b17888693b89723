"""The operator sees every Caravan model in the admin, with working list pages."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from tests.factories import make_user

CARAVAN_APPS = {
    "accounts",
    "sellers",
    "catalog",
    "fx",
    "offers",
    "shipping",
    "cart",
    "orders",
    "payments",
}


def caravan_models():
    return [model for model in apps.get_models() if model._meta.app_label in CARAVAN_APPS]


def test_every_caravan_model_is_registered_in_the_admin():
    missing = [model._meta.label for model in caravan_models() if model not in admin.site._registry]

    assert missing == []


@pytest.mark.django_db
def test_every_admin_list_page_answers_with_search_and_filters(client, market):
    operator = make_user(email="operator@example.com")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client.force_login(operator)

    for model in caravan_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, {"q": "a"} if admin.site._registry[model].search_fields else {})
        assert response.status_code == 200, url
