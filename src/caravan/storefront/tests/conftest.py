import pytest
from django.test import Client

from caravan.accounts.models import User


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the English texts and number formats (ru comes from the catalog)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def signed_in():
    """A client signed in as the user, through the real sign-in page (cart and flags set)."""

    def sign_in(user: User, client: Client | None = None) -> Client:
        from tests.factories import PASSWORD

        browser = client or Client()
        response = browser.post("/account/login/", {"username": user.email, "password": PASSWORD})
        assert response.status_code == 302
        return browser

    return sign_in
