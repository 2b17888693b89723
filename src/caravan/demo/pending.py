"""Work waiting for the operator in the demo: a seller application and product proposals,
so the back office's moderation queues are not empty on first look."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from caravan.accounts.models import User
from caravan.catalog.models import Category
from caravan.catalog.services import AttributeInput, ProductInput, VariantInput
from caravan.offers.proposals import propose_product
from caravan.sellers.models import Seller, SellerDocument
from caravan.sellers.services.onboarding import ApplicationInput, DocumentUpload, submit_application

APPLICANT_EMAIL = "applicant.kazan@caravan.demo"

# A Kazan company with a valid INN, OGRN and a BIK-matched account.
KAZAN_APPLICATION = ApplicationInput(
    legal_name='OOO "Kazan Craft"',
    trading_name="Kazan Craft",
    country="RU",
    business_type="company",
    tax_id="7707083893",
    registration_number="1027700132195",
    phone="+7 843 200-00-00",
    return_street="Baumana 10",
    return_city="Kazan",
    return_postal_code="420111",
    return_country="RU",
    price_currency="RUB",
    payout_currency="RUB",
    bank_country="RU",
    account_holder='OOO "Kazan Craft"',
    bank_name="Sberbank",
    bik="044525225",
    account_number="40702810938000012345",
)

PROPOSAL_BRAND = "Volga Home"
PROPOSALS = (
    ("Электрический чайник Volga Home 1,7 л", "Volga Home 1.7 L Electric Kettle", "cookware"),
    ("Плед из шерсти Volga Home 140x200", "Volga Home Wool Throw 140x200", "bedding"),
)


def _registration_pdf() -> SimpleUploadedFile:
    # A real (blank, one-page) PDF: documents must parse as PDF (kernel.uploads.check_pdf).
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Kazan Craft registration extract (demo)"})
    body = BytesIO()
    writer.write(body)
    return SimpleUploadedFile("registration.pdf", body.getvalue(), content_type="application/pdf")


def create_pending_application(*, password: str) -> Seller:
    applicant = User.objects.create_user(
        email=APPLICANT_EMAIL, password=password, full_name="Rustam Khairullin"
    )
    return submit_application(
        user=applicant,
        data=KAZAN_APPLICATION,
        documents=[DocumentUpload(kind=SellerDocument.Kind.REGISTRATION, file=_registration_pdf())],
    )


def create_pending_proposals(*, seller: Seller, categories: dict[str, Category]) -> int:
    """New products from an active seller, waiting for the operator's decision."""
    created = 0
    for name_ru, name_en, category_slug in PROPOSALS:
        category = categories.get(category_slug)
        if category is None:
            continue
        propose_product(
            seller=seller,
            data=ProductInput(
                category=category,
                name_ru=name_ru,
                name_en=name_en,
                brand=PROPOSAL_BRAND,
                description_ru="Новинка от продавца, ждёт проверки оператором.",
                description_en="A new product from the seller, waiting for the operator's review.",
                variants=[VariantInput(options=[AttributeInput("colour", "Серый", "Grey")])],
            ),
        )
        created += 1
    return created
