import pytest
from tests.factories import make_user


@pytest.fixture
def operator(db):
    """Operator staff: the people who moderate the catalog."""
    user = make_user(email="operator@example.com", full_name="Olga Operator")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user
