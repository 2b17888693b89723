from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caravan.fx.feeds import (
    FeedError,
    FeedSnapshot,
    derive_rates,
    parse_cbr,
    parse_ecb,
    round_rate,
)

from .samples import (
    CBR_RATES_IN_ROUBLES,
    ECB_RATES_PER_EURO,
    cbr_sample,
    ecb_sample,
    sample,
)


def decimals(rates: dict[str, str]) -> dict[str, Decimal]:
    return {currency: Decimal(rate) for currency, rate in rates.items()}


def test_the_cbr_sample_is_windows_1251_with_a_decimal_comma():
    content = cbr_sample()

    assert content.startswith(b'<?xml version="1.0" encoding="windows-1251"?>')
    assert "<Name>Юань</Name>".encode("cp1251") in content
    assert b"<Value>11,0542</Value>" in content
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")


def test_cbr_rates_are_roubles_per_one_unit_value_divided_by_nominal():
    snapshot = parse_cbr(cbr_sample())

    assert (snapshot.source, snapshot.base, snapshot.quotation, snapshot.rate_date) == (
        "cbr",
        "RUB",
        "base_per_unit",
        date(2026, 12, 5),
    )
    # Only marketplace currencies: AUD, XDR, UZS and the rest of the file are left out.
    assert snapshot.rates == decimals(CBR_RATES_IN_ROUBLES)


def test_ecb_rates_are_units_per_euro_for_the_files_one_day():
    snapshot = parse_ecb(ecb_sample())

    assert (snapshot.source, snapshot.base, snapshot.quotation, snapshot.rate_date) == (
        "ecb",
        "EUR",
        "units_per_base",
        date(2026, 12, 4),
    )
    assert snapshot.rates == decimals(ECB_RATES_PER_EURO)


def test_a_bad_figure_for_a_currency_the_marketplace_does_not_use_is_ignored():
    content = cbr_sample().replace(b"<Value>51,6732</Value>", b"<Value>n/a</Value>")  # AUD

    assert parse_cbr(content).rates == decimals(CBR_RATES_IN_ROUBLES)


CNY_VALUE = b"<Value>11,0542</Value>"
KZT_NOMINAL = b"<CharCode>KZT</CharCode><Nominal>100</Nominal>"


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", "feed_empty", "The Central Bank of Russia feed is empty."),
        (b"  \n", "feed_empty", "The Central Bank of Russia feed is empty."),
        (sample("cbr_empty.xml"), "feed_empty", "The Central Bank of Russia feed has no rates."),
        (
            b"<html><body>Service Unavailable</body></html>",
            "feed_malformed",
            "This is not a Central Bank of Russia daily rates file (no ValCurs element).",
        ),
        (
            cbr_sample().replace(b' Date="05.12.2026"', b""),
            "feed_date_missing",
            "The Central Bank of Russia feed does not say which day its rates are for.",
        ),
        (
            cbr_sample().replace(b'Date="05.12.2026"', b'Date="2026-12-05"'),
            "feed_date_invalid",
            "The Central Bank of Russia feed's date 2026-12-05 is not a date.",
        ),
        (
            cbr_sample().replace(CNY_VALUE, b"<Value>0,0000</Value>"),
            "feed_value_invalid",
            "The Central Bank of Russia feed's figure for CNY is not a positive number: '0,0000'",
        ),
        (
            cbr_sample().replace(CNY_VALUE, b"<Value>-11,0542</Value>"),
            "feed_value_invalid",
            "The Central Bank of Russia feed's figure for CNY is not a positive number: '-11,0542'",
        ),
        (
            cbr_sample().replace(CNY_VALUE, "<Value>нет</Value>".encode("cp1251")),
            "feed_value_invalid",
            "The Central Bank of Russia feed's figure for CNY is not a positive number: 'нет'",
        ),
        (
            cbr_sample().replace(CNY_VALUE, b"<Value></Value>"),
            "feed_value_invalid",
            "The Central Bank of Russia feed's figure for CNY is not a positive number: ''",
        ),
        (
            cbr_sample().replace(KZT_NOMINAL, b"<CharCode>KZT</CharCode><Nominal>0</Nominal>"),
            "feed_value_invalid",
            "The Central Bank of Russia feed's figure for KZT is not a positive number: '0'",
        ),
        (
            cbr_sample().replace(b"<CharCode>AUD</CharCode>", b"<CharCode>CNY</CharCode>"),
            "feed_malformed",
            "The Central Bank of Russia feed lists CNY twice.",
        ),
        (
            sample("cbr_partial.xml"),
            "feed_partial",
            "The Central Bank of Russia feed for 2026-12-05 is partial: no rate for CNY, EUR, USD.",
        ),
    ],
)
def test_a_cbr_feed_that_cannot_be_used_is_refused_with_its_reason(content, code, message):
    with pytest.raises(FeedError) as caught:
        parse_cbr(content)

    assert (caught.value.code, caught.value.message) == (code, message)


def test_a_cut_off_cbr_download_is_malformed_xml():
    with pytest.raises(FeedError) as caught:
        parse_cbr(sample("cbr_malformed.xml"))

    assert caught.value.code == "feed_malformed"
    assert caught.value.message.startswith(
        "The Central Bank of Russia feed is not well-formed XML: unclosed token"
    )


def test_an_xml_entity_bomb_is_refused_not_expanded():
    content = (
        b'<?xml version="1.0"?><!DOCTYPE ValCurs [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><ValCurs Date="&b;"/>'
    )

    with pytest.raises(FeedError) as caught:
        parse_cbr(content)

    assert caught.value.code == "feed_malformed"


USD_CUBE = b"<Cube currency='USD' rate='1.1662'/>"


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", "feed_empty", "The ECB feed is empty."),
        (sample("ecb_empty.xml"), "feed_empty", "The ECB feed has no rates."),
        (
            b'<?xml version="1.0"?><rates/>',
            "feed_malformed",
            "This is not an ECB euro reference rates file (no Cube element).",
        ),
        (
            ecb_sample().replace(b"<Cube time='2026-12-04'>", b"<Cube>"),
            "feed_date_missing",
            "The ECB feed does not say which day its rates are for.",
        ),
        (
            ecb_sample().replace(USD_CUBE, b"<Cube currency='USD' rate='1,1662'/>"),
            "feed_value_invalid",
            # the ECB writes a decimal point; a comma there is a broken file
            "The ECB feed's figure for USD is not a positive number: '1,1662'",
        ),
        (
            ecb_sample().replace(USD_CUBE, b"<Cube currency='USD' rate='NaN'/>"),
            "feed_value_invalid",
            "The ECB feed's figure for USD is not a positive number: 'NaN'",
        ),
        (
            ecb_sample().replace(USD_CUBE, b"<Cube currency='USD'/>"),
            "feed_value_invalid",
            "The ECB feed's figure for USD is not a positive number: None",
        ),
        (
            ecb_sample()
            .replace(USD_CUBE, b"")
            .replace(b"<Cube currency='KRW' rate='1702.38'/>", b""),
            "feed_partial",
            "The ECB feed for 2026-12-04 is partial: no rate for KRW, USD.",
        ),
        (
            ecb_sample().replace(
                b"\t\t</Cube>\n\t</Cube>",
                b"\t\t</Cube>\n\t\t<Cube time='2026-12-03'>" + USD_CUBE + b"</Cube>\n\t</Cube>",
            ),
            "feed_malformed",
            "The ECB file holds 2 days; import the daily file, which holds one.",
        ),
    ],
)
def test_an_ecb_feed_that_cannot_be_used_is_refused_with_its_reason(content, code, message):
    with pytest.raises(FeedError) as caught:
        parse_ecb(content)

    assert (caught.value.code, caught.value.message) == (code, message)


def test_a_cut_off_ecb_download_is_malformed_xml():
    content = ecb_sample()[:700]

    with pytest.raises(FeedError) as caught:
        parse_ecb(content)

    assert caught.value.code == "feed_malformed"


def test_cbr_rates_derive_every_pair_each_rounded_once_to_ten_significant_digits():
    derived = {(rate.base, rate.quote): rate for rate in derive_rates(parse_cbr(cbr_sample()))}

    assert len(derived) == 10 * 9
    assert sum(not rate.is_cross for rate in derived.values()) == 2 * 9
    expected = {
        # direct: the published figure divided by its nominal, exact
        ("CNY", "RUB"): ("11.0542", False),
        ("KRW", "RUB"): ("0.0541268", False),
        # direct inverses: 1000 / 54.1268 and 100 / 52.3417
        ("RUB", "KRW"): ("18.47513616", False),
        ("RUB", "JPY"): ("1.910522585", False),
        # cross, one division of published figures: 11.0542 / 92.1345
        ("CNY", "EUR"): ("0.1199789438", True),
        # 0.523417 / 92.1345, and 0.0541268 / 105.8423: small rates keep ten digits
        ("JPY", "EUR"): ("0.005681009828", True),
        ("KRW", "GBP"): ("0.0005113910034", True),
        ("GBP", "KRW"): ("1955.450904", True),
        ("USD", "CNY"): ("7.143999566", True),
    }
    assert {pair: (derived[pair].rate, derived[pair].is_cross) for pair in expected} == {
        pair: (Decimal(rate), is_cross) for pair, (rate, is_cross) in expected.items()
    }


def test_ecb_rates_derive_inverses_and_crosses_through_the_euro():
    derived = {(rate.base, rate.quote): rate for rate in derive_rates(parse_ecb(ecb_sample()))}

    assert len(derived) == 7 * 6
    assert "RUB" not in {currency for pair in derived for currency in pair}
    assert {
        pair: derived[pair].rate
        for pair in [("EUR", "USD"), ("USD", "EUR"), ("CNY", "USD"), ("KRW", "JPY")]
    } == {
        ("EUR", "USD"): Decimal("1.1662"),
        ("USD", "EUR"): Decimal("0.8574858515"),  # 1 / 1.1662
        ("CNY", "USD"): Decimal("0.1399294473"),  # 1.1662 / 8.3342
        ("KRW", "JPY"): Decimal("0.1034022956"),  # 176.03 / 1702.38
    }


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("11.0542", "11.0542"),
        ("0.123456789049", "0.1234567890"),
        ("0.123456789050", "0.1234567891"),
        ("1955.4509036", "1955.450904"),
        ("0.0000000000000123", "0.00000000000001"),
    ],
)
def test_rates_round_half_up_to_ten_significant_digits_within_fourteen_places(value, rounded):
    assert round_rate(Decimal(value)) == Decimal(rounded)


@given(
    figures=st.dictionaries(
        st.sampled_from(sorted(CBR_RATES_IN_ROUBLES)),
        # From a fraction of a kopeck to a thousand roubles a unit: rates down to 1e-5, where
        # the 14 decimal places still hold ten significant digits (KRW -> GBP is 5e-4).
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=4),
        min_size=2,
    )
)
def test_a_rate_and_its_reverse_agree_to_ten_significant_digits(figures):
    snapshot = FeedSnapshot(
        source="cbr",
        base="RUB",
        quotation="base_per_unit",
        rate_date=date(2026, 12, 5),
        rates=figures,
    )
    derived = {(rate.base, rate.quote): rate.rate for rate in derive_rates(snapshot)}

    for (base, quote), forward in derived.items():
        assert abs(forward * derived[(quote, base)] - 1) < Decimal("2e-9"), (base, quote)
