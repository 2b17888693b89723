import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from caravan.kernel.money import Money
from caravan.payouts.files import PAIN_001_NAMESPACE
from caravan.payouts.models import Payout, PayoutBatch
from caravan.payouts.selectors import get_batch_file
from caravan.payouts.services import run_payouts

from .factories import (
    RU_BIK,
    RU_INN,
    cny_seller,
    credit_payable,
    eur_seller,
    ru_account,
    rub_seller,
)

AT = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)  # 12:30 in Moscow
NS = {"p": PAIN_001_NAMESPACE}


@pytest.fixture(autouse=True)
def payer(settings):
    settings.PAYOUT_PAYER = {
        "name": 'ООО "Караван"',
        "inn": "7701234567",
        "kpp": "770101001",
        "account_number": "40702810000000000042",
        "bank_name": "АО Банк",
        "bik": "044525999",
        "correspondent_account": "30101810400000000999",
        "iban": "DE02120300000000202051",
        "bic": "BYLADEM1001",
    }


def test_a_rouble_batch_is_a_1c_client_bank_exchange_file(db):
    seller = rub_seller(holder='ИП Иванов\nИ.И. "Ромашка"')
    credit_payable(seller=seller, amount=Money("1750.50", "RUB"))
    run_payouts(at=AT)
    payout = Payout.objects.get()
    batch = PayoutBatch.objects.get()

    download = get_batch_file(batch_id=batch.pk)

    assert download.filename == f"payouts-RUB-20261206-123000-{batch.pk}.txt"
    assert download.content_type == "text/plain; charset=windows-1251"
    assert b"\r\n" in download.content
    account = ru_account()
    assert download.content.decode("cp1251").split("\r\n") == [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows",
        "Отправитель=Caravan",
        "Получатель=",
        "ДатаСоздания=06.12.2026",
        "ВремяСоздания=12:30:00",
        "ДатаНачала=06.12.2026",
        "ДатаКонца=06.12.2026",
        "РасчСчет=40702810000000000042",
        "Документ=Платежное поручение",
        "СекцияДокумент=Платежное поручение",
        f"Номер={payout.pk}",
        "Дата=06.12.2026",
        "Сумма=1750.50",
        "ПлательщикСчет=40702810000000000042",
        'Плательщик=ИНН 7701234567 ООО "Караван"',
        "ПлательщикИНН=7701234567",
        "ПлательщикКПП=770101001",
        'Плательщик1=ООО "Караван"',
        "ПлательщикРасчСчет=40702810000000000042",
        "ПлательщикБанк1=АО Банк",
        "ПлательщикБИК=044525999",
        "ПлательщикКорсчет=30101810400000000999",
        f"ПолучательСчет={account}",
        f'Получатель=ИНН {RU_INN} ИП Иванов И.И. "Ромашка"',
        f"ПолучательИНН={RU_INN}",
        'Получатель1=ИП Иванов И.И. "Ромашка"',
        f"ПолучательРасчСчет={account}",
        "ПолучательБанк1=ПАО Сбербанк",
        f"ПолучательБИК={RU_BIK}",
        "ВидОплаты=01",
        "Очередность=5",
        f"НазначениеПлатежа=Выплата по договору оферты, выплата {payout.public_id}, без НДС",
        "КонецДокумента",
        "КонецФайла",
        "",
    ]


def test_a_foreign_currency_batch_is_a_pain_001_credit_transfer(db):
    chinese = cny_seller(holder='Shenzhen <Tech> & "Sons"')
    credit_payable(seller=chinese, amount=Money("300.00", "CNY"))
    other = cny_seller()
    credit_payable(seller=other, amount=Money("120.25", "CNY"))
    run_payouts(at=AT)
    batch = PayoutBatch.objects.get()
    first = Payout.objects.get(seller=chinese)
    second = Payout.objects.get(seller=other)

    download = get_batch_file(batch_id=batch.pk)

    assert download.filename == f"payouts-CNY-20261206-123000-{batch.pk}.xml"
    assert download.content_type == "application/xml"
    assert b'<Nm>Shenzhen &lt;Tech&gt; &amp; "Sons"</Nm>' in download.content
    root = ET.fromstring(download.content)
    assert root.tag == f"{{{PAIN_001_NAMESPACE}}}Document"
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.findtext("p:MsgId", namespaces=NS) == f"CARAVAN-{batch.pk}-20261206123000"
    assert header.findtext("p:CreDtTm", namespaces=NS) == "2026-12-06T12:30:00+03:00"
    assert header.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert header.findtext("p:CtrlSum", namespaces=NS) == "420.25"
    assert header.findtext("p:InitgPty/p:Nm", namespaces=NS) == 'ООО "Караван"'
    information = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert information.findtext("p:PmtMtd", namespaces=NS) == "TRF"
    assert information.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == (
        "DE02120300000000202051"
    )
    assert information.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "BYLADEM1001"
    transfers = [
        (
            transfer.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            transfer.find("p:Amt/p:InstdAmt", NS).get("Ccy"),
            transfer.findtext("p:Amt/p:InstdAmt", namespaces=NS),
            transfer.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS),
            transfer.findtext("p:Cdtr/p:Nm", namespaces=NS),
            transfer.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS),
            transfer.findtext("p:RmtInf/p:Ustrd", namespaces=NS),
        )
        for transfer in information.findall("p:CdtTrfTxInf", NS)
    ]
    assert transfers == [
        (
            first.public_id,
            "CNY",
            "300.00",
            "BKCHCNBJ45A",
            'Shenzhen <Tech> & "Sons"',
            "6217 8500 0000 1234",
            f"Marketplace payout {first.public_id} under the seller agreement",
        ),
        (
            second.public_id,
            "CNY",
            "120.25",
            "BKCHCNBJ45A",
            "Shenzhen Tech Co., Ltd.",
            "6217 8500 0000 1234",
            f"Marketplace payout {second.public_id} under the seller agreement",
        ),
    ]
    total = sum(Decimal(transfer[2]) for transfer in transfers)
    assert total == Decimal(header.findtext("p:CtrlSum", namespaces=NS))


def test_an_iban_account_is_sent_as_an_iban(db):
    german = eur_seller()
    credit_payable(seller=german, amount=Money("45.10", "EUR"))
    run_payouts(at=AT)

    download = get_batch_file(batch_id=PayoutBatch.objects.get().pk)

    transfer = ET.fromstring(download.content).find("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", NS)
    assert transfer.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == "DE89370400440532013000"
    assert transfer.find("p:CdtrAcct/p:Id/p:Othr", NS) is None
    assert transfer.findtext("p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "COBADEFFXXX"


def test_control_characters_never_reach_the_xml(db):
    chinese = cny_seller(holder="Tech\x07\x1b Co\r\nLtd")
    credit_payable(seller=chinese, amount=Money("300.00", "CNY"))
    run_payouts(at=AT)

    download = get_batch_file(batch_id=PayoutBatch.objects.get().pk)

    root = ET.fromstring(download.content)
    name = root.findtext("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf/p:Cdtr/p:Nm", namespaces=NS)
    assert name == "Tech Co Ltd"
