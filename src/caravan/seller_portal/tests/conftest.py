import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions read the English texts; the Russian ones come from the message catalog."""
    settings.LANGUAGE_CODE = "en"
