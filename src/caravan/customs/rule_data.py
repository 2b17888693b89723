"""The import rules and VAT rates Caravan ships, with their sources (researched 2026-12-06).

Plain data, read by the data migration and by `load_customs_rules` (run by seed-demo): a
change of law is a new entry here and a migration that loads it again, never new code.
Where a figure could not be verified from the sources, the entry's note says so.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

D = Decimal

_EEC_107 = {
    "source_title": (
        "Decision of the EEC Council No. 107 of 20 December 2017 (as amended): EUR 200 and "
        "31 kg per parcel; EUR 1 000 temporarily until 1 April 2024"
    ),
    "source_url": "https://rskrf.ru/news/ponizhen-porog-besposhlinnogo-vvoza-tovara-pochtovymi-sluzhbami-",
    "source_date": date(2017, 12, 20),
}
_EEC_ECOMMERCE = {
    "source_title": (
        "Decisions of the EEC Council on e-commerce goods bought by individuals on foreign "
        "platforms (announced by the EEC on 12 January 2026; apply with the amendments to the "
        "EAEU Customs Code of December 2023)"
    ),
    "source_url": "https://www.interfax.ru/world/1067139",
    "source_date": date(2026, 1, 12),
}
_IOSS = {
    "source_title": (
        "EU VAT e-commerce package (Council Directives (EU) 2017/2455 and 2019/1995): import "
        "one-stop shop for consignments not exceeding EUR 150, from 1 July 2021"
    ),
    "source_url": "https://www.whistl.co.uk/parcels/import-one-stop-shop",
    "source_date": date(2021, 7, 1),
}
_EU_FLAT_DUTY = {
    "source_title": (
        "Council of the EU, final approval of 11 February 2026: interim flat customs duty of "
        "EUR 3 per item category (tariff sub-heading) in parcels under EUR 150, 1 July 2026 to "
        "1 July 2028"
    ),
    "source_url": "https://regfollower.com/?p=78434",
    "source_date": date(2026, 2, 11),
}
_GB_OMP = {
    "source_title": (
        "HMRC: VAT and overseas goods sold to customers in the UK using online marketplaces "
        "(VAT Act 1994 s. 5A, 7; consignments of GBP 135 or less)"
    ),
    "source_url": (
        "https://gov.uk/guidance/"
        "vat-and-overseas-goods-sold-to-customers-in-great-britain-using-online-marketplaces-"
        "from-1-january-2021"
    ),
    "source_date": date(2021, 1, 1),
}
_GB_ABOVE = {
    "source_title": "HMRC VAT Registration Manual VATREG37210: consignments above GBP 135",
    "source_url": "https://www.gov.uk/hmrc-internal-manuals/vat-registration-manual/vatreg37210",
    "source_date": date(2021, 1, 1),
}
_US_EO_14324 = {
    "source_title": (
        "Executive Order 14324 of 30 July 2025, Suspending Duty-Free De Minimis Treatment for "
        "All Countries (19 U.S.C. 1321(a)(2)(C)), from 29 August 2025"
    ),
    "source_url": "https://www.govinfo.gov/content/pkg/FR-2025-08-05/html/2025-14897.htm",
    "source_date": date(2025, 7, 30),
}
_NO_TARIFF_LINES = (
    " The duty depends on the tariff line (and for the US on the origin): add TariffRate rows "
    "for the HS headings sold; none are shipped, so a quote without one is refused "
    "(duty_rate_missing), never guessed."
)

IMPORT_RULES: list[dict[str, Any]] = [
    {
        "destination": "EAEU",
        "regime": "personal-parcels",
        "title": "EAEU: goods for personal use in international parcels",
        "effective_from": date(2024, 4, 1),
        "effective_to": date(2026, 6, 30),
        "currency": "EUR",
        "rate_source": "cbr",
        "max_goods_value": None,
        "duty_free_value": D("200"),
        "duty_free_weight_grams": 31_000,
        "duty_base": "excess",
        "duty_rate": D("0.15"),
        "duty_minimum_per_kg": D("2"),
        "duty_per_heading": D("0"),
        "duty_collection": "delivery",
        "vat_rate": D("0"),
        "vat_above_allowance_only": True,
        "vat_includes_delivery": False,
        "vat_collection": "delivery",
        "note": (
            "The 15 % is the single rate of customs duties and taxes: it includes import VAT, "
            "so no VAT is added. When both the value and the weight allowance are exceeded "
            "the larger of the two figures is due. The law weighs the parcel gross; Caravan "
            "sums the lines' net weights (packaging is not known before packing). The URL "
            "is a secondary report (Roskachestvo); the decision's text was not read."
        ),
        **_EEC_107,
    },
    {
        "destination": "EAEU",
        "regime": "e-commerce",
        "title": "EAEU: e-commerce goods bought by individuals on foreign platforms",
        "effective_from": date(2026, 7, 1),
        "effective_to": None,
        "currency": "EUR",
        "rate_source": "cbr",
        "max_goods_value": None,
        "duty_free_value": D("200"),
        "duty_free_weight_grams": None,
        "duty_base": "whole",
        "duty_rate": D("0.05"),
        "duty_minimum_per_kg": D("1"),
        "duty_per_heading": D("0"),
        "duty_collection": "delivery",
        "vat_rate": None,
        "vat_above_allowance_only": True,
        "vat_includes_delivery": False,
        "vat_collection": "delivery",
        "note": (
            "Verified from press reports of the EEC's announcement (Interfax 12 January 2026, "
            "24.kg 13 January 2026), not from the decisions' text. Stated: EUR 200 duty-free; "
            "above it 5 % of the whole purchase, at least EUR 1 per kg, plus the national VAT "
            "rate; from 1 July 2026. Not verified, and applied as follows: the decisions' "
            "numbers; whether a weight allowance remains (none applied); whether the "
            "threshold is per parcel or per purchase (per parcel); the VAT base (goods + "
            "duty, delivery excluded); whether a platform may collect at checkout (collected "
            "at delivery). Special rates for some goods (vehicles) are not modelled."
        ),
        **_EEC_ECOMMERCE,
    },
    {
        "destination": "EU",
        "regime": "ioss",
        "title": "EU: import one-stop shop, consignments up to EUR 150",
        "effective_from": date(2021, 7, 1),
        "effective_to": date(2026, 6, 30),
        "currency": "EUR",
        "rate_source": "ecb",
        "max_goods_value": D("150"),
        "duty_free_value": D("150"),
        "duty_free_weight_grams": None,
        "duty_base": "excess",
        "duty_rate": D("0"),
        "duty_minimum_per_kg": D("0"),
        "duty_per_heading": D("0"),
        "duty_collection": "checkout",
        "vat_rate": None,
        "vat_above_allowance_only": False,
        "vat_includes_delivery": True,
        "vat_collection": "checkout",
        "note": (
            "VAT at the rate of the member state of delivery, on the price including "
            "delivery, collected by the marketplace (deemed supplier) at checkout. The "
            "threshold is the intrinsic value: goods without transport. The URL is a "
            "carrier's summary; the directives' text was not read."
        ),
        **_IOSS,
    },
    {
        "destination": "EU",
        "regime": "ioss-flat-duty",
        "title": "EU: IOSS consignments up to EUR 150 with the EUR 3 interim duty",
        "effective_from": date(2026, 7, 1),
        "effective_to": date(2028, 6, 30),
        "currency": "EUR",
        "rate_source": "ecb",
        "max_goods_value": D("150"),
        "duty_free_value": D("150"),
        "duty_free_weight_grams": None,
        "duty_base": "excess",
        "duty_rate": D("0"),
        "duty_minimum_per_kg": D("0"),
        "duty_per_heading": D("3"),
        "duty_collection": "checkout",
        "vat_rate": None,
        "vat_above_allowance_only": False,
        "vat_includes_delivery": True,
        "vat_collection": "checkout",
        "note": (
            "EUR 3 per distinct tariff sub-heading in the parcel (one silk and two wool "
            "blouses: EUR 6), taken here as the HS 6-digit code. The Council's text says "
            "'under EUR 150' for the duty and IOSS covers 'not exceeding EUR 150': a parcel "
            "of exactly EUR 150 pays it here. 'Until 1 July 2028, may be extended': the "
            "row ends on 30 June 2028. Secondary source (regfollower, EU Council release)."
        ),
        **_EU_FLAT_DUTY,
    },
    {
        "destination": "EU",
        "regime": "standard",
        "title": "EU: consignments above EUR 150",
        "effective_from": date(2021, 7, 1),
        "effective_to": None,
        "currency": "EUR",
        "rate_source": "ecb",
        "max_goods_value": None,
        "duty_free_value": D("0"),
        "duty_free_weight_grams": None,
        "duty_base": "excess",
        "duty_rate": None,
        "duty_minimum_per_kg": D("0"),
        "duty_per_heading": D("0"),
        "duty_collection": "delivery",
        "vat_rate": None,
        "vat_above_allowance_only": False,
        "vat_includes_delivery": True,
        "vat_collection": "delivery",
        "note": (
            "Above EUR 150 IOSS does not apply: import VAT and customs duty at the tariff "
            "rate are paid at import, usually by the buyer to the carrier." + _NO_TARIFF_LINES
        ),
        **_IOSS,
    },
    {
        "destination": "GB",
        "regime": "low-value",
        "title": "United Kingdom: consignments of GBP 135 or less",
        "effective_from": date(2021, 1, 1),
        "effective_to": None,
        "currency": "GBP",
        "rate_source": "ecb",
        "max_goods_value": D("135"),
        "duty_free_value": D("135"),
        "duty_free_weight_grams": None,
        "duty_base": "excess",
        "duty_rate": D("0"),
        "duty_minimum_per_kg": D("0"),
        "duty_per_heading": D("0"),
        "duty_collection": "checkout",
        "vat_rate": D("0.20"),
        "vat_above_allowance_only": False,
        "vat_includes_delivery": True,
        "vat_collection": "checkout",
        "note": (
            "Supply VAT at the point of sale instead of import VAT. Sold through an online "
            "marketplace, the marketplace is liable and collects it at checkout; a seller "
            "selling directly charges it itself. GBP 135 aligns with the customs duty "
            "threshold. HMRC's monthly exchange rates are not in caravan.fx: the ECB rate "
            "converts the threshold."
        ),
        **_GB_OMP,
    },
    {
        "destination": "GB",
        "regime": "standard",
        "title": "United Kingdom: consignments above GBP 135",
        "effective_from": date(2021, 1, 1),
        "effective_to": None,
        "currency": "GBP",
        "rate_source": "ecb",
        "max_goods_value": None,
        "duty_free_value": D("0"),
        "duty_free_weight_grams": None,
        "duty_base": "excess",
        "duty_rate": None,
        "duty_minimum_per_kg": D("0"),
        "duty_per_heading": D("0"),
        "duty_collection": "delivery",
        "vat_rate": D("0.20"),
        "vat_above_allowance_only": False,
        "vat_includes_delivery": True,
        "vat_collection": "delivery",
        "note": "Import VAT and customs duty, usually paid by the recipient." + _NO_TARIFF_LINES,
        **_GB_ABOVE,
    },
    {
        "destination": "US",
        "regime": "de-minimis",
        "title": "United States: de minimis entry up to USD 800",
        "effective_from": date(2016, 3, 10),
        "effective_to": date(2025, 8, 28),
        "currency": "USD",
        "rate_source": "ecb",
        "max_goods_value": D("800"),
        "duty_free_value": D("800"),
        "duty_free_weight_grams": None,
        "duty_base": "excess",
        "duty_rate": D("0"),
        "duty_minimum_per_kg": D("0"),
        "duty_per_heading": D("0"),
        "duty_collection": "delivery",
        "vat_rate": D("0"),
        "vat_above_allowance_only": False,
        "vat_includes_delivery": False,
        "vat_collection": "delivery",
        "note": (
            "Kept for parcels dated before the suspension. The USD 800 figure dates from the "
            "Trade Facilitation and Trade Enforcement Act of 2015; the start date is that "
            "act's and was not verified from its text. Parcels above USD 800 in that period "
            "are not modelled."
        ),
        **_US_EO_14324,
    },
    {
        "destination": "US",
        "regime": "no-de-minimis",
        "title": "United States: de minimis suspended, every parcel dutiable",
        "effective_from": date(2025, 8, 29),
        "effective_to": None,
        "currency": "USD",
        "rate_source": "ecb",
        "max_goods_value": None,
        "duty_free_value": D("0"),
        "duty_free_weight_grams": None,
        "duty_base": "excess",
        "duty_rate": None,
        "duty_minimum_per_kg": D("0"),
        "duty_per_heading": D("0"),
        "duty_collection": "delivery",
        "vat_rate": D("0"),
        "vat_above_allowance_only": False,
        "vat_includes_delivery": False,
        "vat_collection": "delivery",
        "note": (
            "No federal VAT; state sales tax is not modelled. The suspension was re-affirmed "
            "by the executive order of 20 February 2026 after the Supreme Court struck down "
            "the IEEPA tariffs (Learning Resources v. Trump; reported by Supply Chain Dive), "
            "and the One Big Beautiful Bill Act ends de minimis by statute from 1 July 2027 "
            "(reported, not read). Postal per-package duties are not modelled." + _NO_TARIFF_LINES
        ),
        **_US_EO_14324,
    },
]

VAT_RATES: list[dict[str, Any]] = [
    {
        "country": "RU",
        "rate": D("0.22"),
        "effective_from": date(2026, 1, 1),
        "effective_to": None,
        "source_title": "Federal Law No. 425-FZ of 28 November 2025: VAT 22 % from 1 January 2026",
        "source_url": "https://info.sibnet.ru/article/688711/",
        "source_date": date(2025, 11, 28),
        "note": "Standard rate; the 10 % reduced rate (food, children's goods) is not modelled.",
    },
    {
        "country": "RU",
        "rate": D("0.20"),
        "effective_from": date(2019, 1, 1),
        "effective_to": date(2025, 12, 31),
        "source_title": "Tax Code of the Russian Federation, art. 164(3), before 425-FZ",
        "source_url": "https://info.sibnet.ru/article/688711/",
        "source_date": date(2025, 11, 20),
        "note": "The rate 425-FZ raised from 20 % to 22 %.",
    },
    {
        "country": "KZ",
        "rate": D("0.16"),
        "effective_from": date(2026, 1, 1),
        "effective_to": None,
        "source_title": "Tax Code of Kazakhstan, Law No. 214-VIII of 18 July 2025: VAT 16 %",
        "source_url": "https://regfollower.com/?p=70923",
        "source_date": date(2025, 7, 18),
        "note": "Raised from 12 %; reduced rates (medicines) are not modelled.",
    },
    {
        "country": "BY",
        "rate": D("0.20"),
        "effective_from": date(2010, 1, 1),
        "effective_to": None,
        "source_title": "Tax Code of the Republic of Belarus, Special Part: VAT 20 % since 2010",
        "source_url": "http://www.dicsa.net/news_en/66/back.html",
        "source_date": date(2009, 12, 31),
        "note": "Secondary source; not re-checked against the code's current text.",
    },
    *(
        {
            "country": country,
            "rate": rate,
            "effective_from": date(2021, 7, 1),
            "effective_to": None,
            "source_title": "Standard VAT rates of the EU member states (Directive 2006/112/EC)",
            "source_url": "https://mindlink.lv/useful/vat-rates-in-eu",
            "source_date": date(2021, 7, 1),
            "note": "Secondary list; the Commission's own table was not read.",
        }
        for country, rate in (("DE", D("0.19")), ("FR", D("0.20")), ("IT", D("0.22")))
    ),
]
