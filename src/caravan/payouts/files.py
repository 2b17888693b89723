"""Bank files for a payout batch: what the operator uploads to the bank to pay sellers.

- RUB: the "1CClientBankExchange" text format (version 1.03) that Russian client-bank
  systems import, one "Платежное поручение" section per payout, windows-1251 on disk.
- Every other currency: ISO 20022 pain.001.001.03 (customer credit transfer initiation), one
  credit transfer per payout with the payout's public id as its end-to-end id.

The paying side (the operator's own account) comes from `settings.PAYOUT_PAYER`; the
beneficiary is the snapshot frozen on each payout. Seller-typed text reaches both formats, so
it is cleaned: no line breaks in the line-oriented 1C file, no control characters in XML, and
the XML is built with ElementTree, which escapes markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from caravan.kernel.money import Money

from .models import Payout, PayoutBatch

PAIN_001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
# Russian payment orders allow 210 characters of purpose; ISO 20022 Max140Text elsewhere.
RU_PURPOSE_LENGTH = 210
ISO_TEXT_LENGTH = 140
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Payer:
    """The operator's account that pays sellers out."""

    name: str = "Caravan Marketplace"
    inn: str = ""
    kpp: str = ""
    account_number: str = ""
    bank_name: str = ""
    bik: str = ""
    correspondent_account: str = ""
    iban: str = ""
    bic: str = ""
    country: str = "RU"


def configured_payer() -> Payer:
    """`settings.PAYOUT_PAYER` (a dict of Payer's fields); unset fields stay empty."""
    configured = getattr(settings, "PAYOUT_PAYER", None) or {}
    known = set(Payer.__dataclass_fields__)
    return Payer(**{key: str(value) for key, value in configured.items() if key in known})


def clean_text(value: str, *, max_length: int) -> str:
    """One line of printable text: control characters (line breaks included) become spaces."""
    return " ".join(_CONTROL.sub(" ", value).split())[:max_length]


def format_amount(money: Money) -> str:
    """Digits and a point, in the currency's minor unit: 1500.00, 1500 for yen."""
    return format(money.rounded().amount, "f")


def file_name_for(*, batch: PayoutBatch) -> str:
    moment = timezone.localtime(batch.created_at)
    suffix = "txt" if batch.file_format == PayoutBatch.Format.CLIENT_BANK_1C else "xml"
    return f"payouts-{batch.currency}-{moment:%Y%m%d-%H%M%S}-{batch.pk}.{suffix}"


def format_for(currency: str) -> str:
    if currency == "RUB":
        return PayoutBatch.Format.CLIENT_BANK_1C
    return PayoutBatch.Format.PAIN_001


def render_batch(*, batch: PayoutBatch, payouts: Sequence[Payout], payer: Payer) -> str:
    if batch.file_format == PayoutBatch.Format.CLIENT_BANK_1C:
        return render_client_bank_exchange(batch=batch, payouts=payouts, payer=payer)
    return render_pain_001(batch=batch, payouts=payouts, payer=payer)


def encode_batch(*, batch: PayoutBatch) -> tuple[bytes, str]:
    """The file's bytes and content type, as the bank expects them."""
    if batch.file_format == PayoutBatch.Format.CLIENT_BANK_1C:
        # "Кодировка=Windows": the client-bank programs read windows-1251 with CRLF lines.
        text = batch.file_content.replace("\n", "\r\n")
        return text.encode("cp1251", errors="replace"), "text/plain; charset=windows-1251"
    return batch.file_content.encode("utf-8"), "application/xml"


# --- 1CClientBankExchange -------------------------------------------------------------------


def _ru_date(moment: datetime) -> str:
    return f"{moment:%d.%m.%Y}"


def render_client_bank_exchange(
    *, batch: PayoutBatch, payouts: Sequence[Payout], payer: Payer
) -> str:
    moment = timezone.localtime(batch.created_at)

    def line(key: str, value: str = "") -> str:
        return f"{key}={clean_text(value, max_length=RU_PURPOSE_LENGTH)}"

    lines = [
        "1CClientBankExchange",
        line("ВерсияФормата", "1.03"),
        line("Кодировка", "Windows"),
        line("Отправитель", "Caravan"),
        line("Получатель"),
        line("ДатаСоздания", _ru_date(moment)),
        line("ВремяСоздания", f"{moment:%H:%M:%S}"),
        line("ДатаНачала", _ru_date(moment)),
        line("ДатаКонца", _ru_date(moment)),
        line("РасчСчет", payer.account_number),
        line("Документ", "Платежное поручение"),
    ]
    for payout in payouts:
        holder = clean_text(payout.account_holder, max_length=160)
        payer_name = clean_text(payer.name, max_length=160)
        lines += [
            line("СекцияДокумент", "Платежное поручение"),
            line("Номер", str(payout.pk)),
            line("Дата", _ru_date(moment)),
            line("Сумма", format_amount(payout.money)),
            line("ПлательщикСчет", payer.account_number),
            line("Плательщик", f"ИНН {payer.inn} {payer_name}".strip()),
            line("ПлательщикИНН", payer.inn),
            line("ПлательщикКПП", payer.kpp),
            line("Плательщик1", payer_name),
            line("ПлательщикРасчСчет", payer.account_number),
            line("ПлательщикБанк1", payer.bank_name),
            line("ПлательщикБИК", payer.bik),
            line("ПлательщикКорсчет", payer.correspondent_account),
            line("ПолучательСчет", payout.account_number),
            line("Получатель", f"ИНН {payout.inn} {holder}"),
            line("ПолучательИНН", payout.inn),
            line("Получатель1", holder),
            line("ПолучательРасчСчет", payout.account_number),
            line("ПолучательБанк1", payout.bank_name),
            line("ПолучательБИК", payout.bik),
            line("ВидОплаты", "01"),
            line("Очередность", "5"),
            line("НазначениеПлатежа", payout.purpose),
            "КонецДокумента",
        ]
    lines.append("КонецФайла")
    return "\n".join(lines) + "\n"


# --- ISO 20022 pain.001.001.03 ------------------------------------------------------------


def _text(parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = value
    return element


def _account(parent: ET.Element, tag: str, *, iban: str, number: str) -> None:
    identification = ET.SubElement(ET.SubElement(parent, tag), "Id")
    if iban:
        _text(identification, "IBAN", iban)
    else:
        _text(ET.SubElement(identification, "Othr"), "Id", clean_text(number, max_length=34))


def _agent(parent: ET.Element, tag: str, *, bic: str, name: str = "", country: str = "") -> None:
    institution = ET.SubElement(ET.SubElement(parent, tag), "FinInstnId")
    _text(institution, "BIC", bic)
    if name:
        _text(institution, "Nm", clean_text(name, max_length=ISO_TEXT_LENGTH))
    if country:
        _text(ET.SubElement(institution, "PstlAdr"), "Ctry", country)


def render_pain_001(*, batch: PayoutBatch, payouts: Sequence[Payout], payer: Payer) -> str:
    moment = timezone.localtime(batch.created_at)
    count = str(len(payouts))
    control_sum = format(sum((payout.amount for payout in payouts), Decimal(0)), "f")
    message_id = f"CARAVAN-{batch.pk}-{moment:%Y%m%d%H%M%S}"
    payer_name = clean_text(payer.name, max_length=ISO_TEXT_LENGTH)

    document = ET.Element("Document", {"xmlns": PAIN_001_NAMESPACE})
    initiation = ET.SubElement(document, "CstmrCdtTrfInitn")
    header = ET.SubElement(initiation, "GrpHdr")
    _text(header, "MsgId", message_id)
    _text(header, "CreDtTm", moment.replace(microsecond=0).isoformat())
    _text(header, "NbOfTxs", count)
    _text(header, "CtrlSum", control_sum)
    _text(ET.SubElement(header, "InitgPty"), "Nm", payer_name)

    information = ET.SubElement(initiation, "PmtInf")
    _text(information, "PmtInfId", f"{message_id}-{batch.currency}")
    _text(information, "PmtMtd", "TRF")
    _text(information, "BtchBookg", "false")
    _text(information, "NbOfTxs", count)
    _text(information, "CtrlSum", control_sum)
    _text(information, "ReqdExctnDt", f"{moment:%Y-%m-%d}")
    _text(ET.SubElement(information, "Dbtr"), "Nm", payer_name)
    _account(information, "DbtrAcct", iban=payer.iban, number=payer.account_number)
    _agent(information, "DbtrAgt", bic=payer.bic)
    # Shared charges: each side pays its own bank, the usual rule for cross-border transfers.
    _text(information, "ChrgBr", "SHAR")

    for payout in payouts:
        transfer = ET.SubElement(information, "CdtTrfTxInf")
        _text(ET.SubElement(transfer, "PmtId"), "EndToEndId", payout.public_id)
        _text(
            ET.SubElement(transfer, "Amt"),
            "InstdAmt",
            format_amount(payout.money),
            Ccy=payout.currency,
        )
        _agent(
            transfer, "CdtrAgt", bic=payout.bic, name=payout.bank_name, country=payout.bank_country
        )
        creditor = ET.SubElement(transfer, "Cdtr")
        _text(creditor, "Nm", clean_text(payout.account_holder, max_length=ISO_TEXT_LENGTH))
        _account(transfer, "CdtrAcct", iban=payout.iban, number=payout.account_number)
        _text(
            ET.SubElement(transfer, "RmtInf"),
            "Ustrd",
            clean_text(payout.purpose, max_length=ISO_TEXT_LENGTH),
        )

    ET.indent(document)
    body = ET.tostring(document, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
