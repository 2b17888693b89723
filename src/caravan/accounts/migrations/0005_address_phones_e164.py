"""Phones already saved become E.164 where they parse as a valid number (read as a number of
the address's country); the others are kept as typed and flagged (phone_parsed false). Keys
are computed again (the phone's digits are part of them), and a row that becomes the same
address as an older one of its user is removed, as in 0003 (orders copy addresses)."""

import hashlib
import re

import phonenumbers
from django.db import migrations


def _words(text):
    folded = text.casefold().replace("ё", "е")
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def _key(address):
    # A copy of accounts.addresses.address_key as it was when this migration was written.
    parts = (
        _words(address.full_name),
        re.sub(r"\D", "", address.phone),
        address.country.strip().upper(),
        _words(address.city),
        re.sub(r"[\W_]", "", address.postal_code).upper(),
        _words(address.street),
    )
    if address.region or address.city_area:
        parts += (_words(address.region), _words(address.city_area))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _e164(raw, country):
    try:
        number = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phones(apps, schema_editor):
    Address = apps.get_model("accounts", "Address")
    seen = set()
    duplicates = []
    for address in Address.objects.order_by("user_id", "created_at", "id").iterator():
        e164 = _e164(address.phone, address.country)
        address.phone_parsed = e164 is not None
        if e164 is not None:
            address.phone = e164
        address.key = _key(address)
        if (address.user_id, address.key) in seen:
            duplicates.append(address.id)
            continue
        seen.add((address.user_id, address.key))
    # Duplicates go first so that the survivors' new keys never meet them.
    Address.objects.filter(id__in=duplicates).delete()
    for address in Address.objects.order_by("user_id", "created_at", "id").iterator():
        e164 = _e164(address.phone, address.country)
        address.phone_parsed = e164 is not None
        if e164 is not None:
            address.phone = e164
        address.key = _key(address)
        address.save(update_fields=["phone", "phone_parsed", "key"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_address_region_phone")]

    operations = [migrations.RunPython(normalise_phones, migrations.RunPython.noop)]
