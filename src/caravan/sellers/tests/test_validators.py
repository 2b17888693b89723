"""Tax ids, phone numbers, bank details and documents: good values pass in their stored
form, bad ones are refused with a stable code."""

import io

import pytest
from PIL import Image

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.tests.pictures import png_declaring
from caravan.sellers import validators
from caravan.sellers.tests.helpers import pdf_bytes


@pytest.mark.parametrize(
    ("country", "business_type", "value", "stored"),
    [
        ("RU", "company", "7707083893", "7707083893"),
        ("RU", "individual", "500100732259", "500100732259"),
        ("DE", "company", "DE 136 695 976", "DE136695976"),
        ("DE", "company", "136695976", "DE136695976"),
        ("FR", "company", "FR 40 303 265 045", "FR40303265045"),
        ("CN", "company", "91110000802100433B", "91110000802100433B"),
        ("TR", "company", "4540536920", "4540536920"),
        ("KZ", "company", "123456789012", "123456789012"),
    ],
)
def test_a_valid_tax_id_is_stored_compact(country, business_type, value, stored):
    assert (
        validators.validate_tax_id(country=country, business_type=business_type, value=value)
        == stored
    )


@pytest.mark.parametrize(
    ("country", "business_type", "value"),
    [
        ("RU", "company", "7707083894"),  # wrong checksum
        ("RU", "company", "500100732259"),  # a 12-digit INN is an individual's
        ("RU", "individual", "7707083893"),  # a 10-digit INN is a company's
        ("RU", "company", "77070838"),
        ("DE", "company", "DE136695977"),
        ("FR", "company", "DE136695976"),  # another country's VAT number
        ("CN", "company", "91110000802100433C"),
        ("TR", "company", "4540536921"),
        ("KZ", "company", "12345"),
    ],
)
def test_an_invalid_tax_id_is_refused(country, business_type, value):
    with pytest.raises(ValidationFailed) as caught:
        validators.validate_tax_id(country=country, business_type=business_type, value=value)

    assert caught.value.code == "invalid_tax_id"


def test_ogrn_and_ogrnip_match_the_kind_of_business():
    assert (
        validators.validate_registration_number(
            country="RU", business_type="company", value="1027700132195"
        )
        == "1027700132195"
    )
    assert (
        validators.validate_registration_number(
            country="RU", business_type="individual", value="304500116000157"
        )
        == "304500116000157"
    )
    for business_type, value in (("individual", "1027700132195"), ("company", "1027700132196")):
        with pytest.raises(ValidationFailed) as caught:
            validators.validate_registration_number(
                country="RU", business_type=business_type, value=value
            )
        assert caught.value.code == "invalid_registration_number"


@pytest.mark.parametrize(
    ("country", "value", "stored"),
    [
        ("RU", "8 (900) 123-45-67", "+79001234567"),
        ("RU", "+7 900 123 45 67", "+79001234567"),
        ("DE", "030 901820", "+4930901820"),
        ("CN", "+86 138 0013 8000", "+8613800138000"),
    ],
)
def test_a_phone_is_stored_in_e164(country, value, stored):
    assert validators.normalize_phone(country=country, value=value) == stored


@pytest.mark.parametrize("value", ["12345", "hello", "+7 000 000 00 00"])
def test_an_impossible_phone_is_refused(value):
    with pytest.raises(ValidationFailed) as caught:
        validators.normalize_phone(country="RU", value=value)

    assert caught.value.code == "invalid_phone"


def test_iban_good_and_bad():
    assert (
        validators.validate_iban(country="DE", value="DE89 3704 0044 0532 0130 00")
        == "DE89370400440532013000"
    )
    assert (
        validators.validate_iban(country="GB", value="GB33BUKB20201555555555")
        == "GB33BUKB20201555555555"
    )
    for country, value in (
        ("DE", "DE89 3704 0044 0532 0130 01"),  # check digits
        ("DE", "DE89 3704 0044 0532 0130"),  # length
        ("FR", "DE89 3704 0044 0532 0130 00"),  # a German account for a French bank
    ):
        with pytest.raises(ValidationFailed) as caught:
            validators.validate_iban(country=country, value=value)
        assert caught.value.code == "invalid_iban"


def test_bic_good_and_bad():
    assert validators.validate_bic(value="DEUTDEFF") == "DEUTDEFF"
    assert validators.validate_bic(value="deutdeff500") == "DEUTDEFF500"
    for value in ("DEUTDEF", "DEUTXXFF", "12345678"):
        with pytest.raises(ValidationFailed) as caught:
            validators.validate_bic(value=value)
        assert caught.value.code == "invalid_bic"


def test_bik_and_russian_account_key():
    assert validators.validate_bik(value="044525225") == "044525225"
    assert (
        validators.validate_ru_account(bik="044525225", value="4070 2810 9380 0001 2345")
        == "40702810938000012345"
    )
    for value in ("44525225", "144525225", "04452522X"):
        with pytest.raises(ValidationFailed) as caught:
            validators.validate_bik(value=value)
        assert caught.value.code == "invalid_bik"
    for value in ("40702810938000012346", "4070281093800001234"):
        with pytest.raises(ValidationFailed) as caught:
            validators.validate_ru_account(bik="044525225", value=value)
        assert caught.value.code == "invalid_account"


def test_the_bank_country_decides_how_an_account_is_written():
    assert [validators.bank_scheme(code) for code in ("RU", "DE", "TR", "GB", "CN", "US")] == [
        "bik",
        "iban",
        "iban",
        "iban",
        "bic",
        "bic",
    ]


def _bytes(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def _picture(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format=image_format)
    return buffer.getvalue()


def test_documents_are_typed_by_their_content():
    for data, content_type in (
        (pdf_bytes(), "application/pdf"),
        (_picture("PNG"), "image/png"),
        (_picture("JPEG"), "image/jpeg"),
    ):
        checked = validators.check_document(stream=_bytes(data), size=len(data))

        assert checked.content_type == content_type


def test_a_pdf_is_stored_as_uploaded_and_a_picture_re_encoded():
    pdf = validators.check_document(stream=_bytes(pdf_bytes()), size=len(pdf_bytes()))
    picture = _picture("PNG") + b"appended after the image data"
    scan = validators.check_document(stream=_bytes(picture), size=len(picture))

    assert (pdf.content, pdf.extension) == (None, "pdf")
    assert scan.extension == "png"
    assert scan.content is not None
    assert b"appended after the image data" not in scan.content
    assert Image.open(io.BytesIO(scan.content)).size == (10, 10)


@pytest.mark.parametrize(
    ("data", "size", "code"),
    [
        (b"MZ\x90\x00 an executable renamed to scan.pdf", 40, "document_type"),
        (b"<html><script>alert(1)</script>", 31, "document_type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", 59, "document_type"),
        (_picture("GIF"), 100, "document_type"),
        (b"", 0, "document_empty"),
        (b"%PDF-1.4", 10 * 1024 * 1024 + 1, "document_too_large"),
        (b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>", 60, "document_not_pdf"),
        (b"%PDF-1.7\n...", 12, "document_not_pdf"),
        (png_declaring(30000, 30000), 60, "image_too_many_pixels"),
    ],
)
def test_a_document_that_is_not_a_pdf_or_picture_or_too_large_is_refused(data, size, code):
    with pytest.raises(ValidationFailed) as caught:
        validators.check_document(stream=_bytes(data), size=size)

    assert caught.value.code == code


def test_a_logo_declaring_too_many_pixels_is_refused_with_one_message():
    data = png_declaring(30000, 30000)

    with pytest.raises(ValidationFailed) as caught:
        validators.check_logo(stream=_bytes(data), size=len(data))

    assert caught.value.code == "image_too_many_pixels"
    assert "too many pixels" in caught.value.message
