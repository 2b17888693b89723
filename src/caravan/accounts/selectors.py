from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound

from .models import Address, User


def list_addresses(*, user: User) -> QuerySet[Address]:
    return Address.objects.filter(user=user)


def get_address(*, user: User, address_id: int) -> Address:
    try:
        return Address.objects.get(user=user, id=address_id)
    except Address.DoesNotExist as error:
        raise NotFound(_("address not found")) from error
