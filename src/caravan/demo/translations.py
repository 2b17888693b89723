"""Catalog text in German and Chinese for the demo (catalog.translations): every category,
and a handful of products, so switching the language visibly changes names, while the
products nobody translated show their seller's original with a note."""

from __future__ import annotations

from collections.abc import Mapping

from caravan.catalog.models import Category, Product
from caravan.catalog.services import (
    TranslationInput,
    set_category_translation,
    set_original_language,
    set_product_translations,
)

# The language a demo product was written in: its first seller's (the one who listed it).
LANGUAGE_OF_COUNTRY = {"RU": "ru", "KZ": "ru", "CN": "zh-hans", "DE": "de"}

CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    "electronics": ("Elektronik", "电子产品"),
    "fashion": ("Mode", "服装鞋履"),
    "home": ("Haus & Küche", "家居厨房"),
    "beauty": ("Schönheit", "美妆"),
    "sports": ("Sport & Freizeit", "运动户外"),
    "kids": ("Kinder", "母婴玩具"),
    "smartphones": ("Smartphones", "智能手机"),
    "headphones": ("Kopfhörer", "耳机"),
    "laptops": ("Laptops", "笔记本电脑"),
    "smartwatches": ("Smartwatches", "智能手表"),
    "sneakers": ("Sneaker", "运动鞋"),
    "jackets": ("Jacken", "夹克"),
    "backpacks": ("Rucksäcke", "背包"),
    "cookware": ("Kochgeschirr", "锅具"),
    "bedding": ("Bettwäsche", "床上用品"),
    "lighting": ("Beleuchtung", "灯具"),
    "skincare": ("Hautpflege", "护肤"),
    "perfume": ("Parfum", "香水"),
    "fitness": ("Fitness", "健身"),
    "cycling": ("Radsport", "骑行"),
    "camping": ("Camping & Wandern", "露营徒步"),
    "toys": ("Spielzeug", "玩具"),
    "construction-sets": ("Baukästen", "拼搭积木"),
}

# By the demo product's number (demo.generator, the default seed): the Shenzhen seller's
# products in Chinese (their original) and German, two of the Kazan shop's in German and
# Chinese. Their English and Russian are the product's own columns.
PRODUCT_TEXT: dict[int, dict[str, TranslationInput]] = {
    2: {
        "zh-hans": TranslationInput(
            "Lumo Book S 二合一笔记本电脑", "触控屏可翻转，平板与笔记本两用，适合出差和上课。"
        ),
        "de": TranslationInput(
            "Lumo Book S 2-in-1-Laptop",
            "Der drehbare Touchscreen macht ihn zum Tablet oder Laptop, für Reise und Studium.",
        ),
    },
    19: {
        "zh-hans": TranslationInput("Northbook Station X1 超极本（背光键盘）"),
        "de": TranslationInput("Northbook Station X1 Ultrabook mit beleuchteter Tastatur"),
    },
    34: {
        "zh-hans": TranslationInput("Quanta Lite 5 智能手机"),
        "de": TranslationInput("Quanta Lite 5 Smartphone"),
    },
    52: {
        "zh-hans": TranslationInput("Sonora Air X 游戏耳机"),
        "de": TranslationInput("Sonora Air X Gaming-Headset"),
    },
    35: {
        "de": TranslationInput("Klang Buds 3 kabellose Kopfhörer"),
        "zh-hans": TranslationInput("Klang Buds 3 无线耳机"),
    },
    18: {
        "de": TranslationInput("Sonora Wave 3 TWS-Ohrhörer mit Mikrofon"),
        "zh-hans": TranslationInput("Sonora Wave 3 真无线耳机（带麦克风）"),
    },
}


def seed_catalog_translations(
    *,
    categories: Mapping[str, Category],
    products: Mapping[int, Product],
    seller_countries: Mapping[int, str],
) -> int:
    """Translate the categories and the chosen products; record each product's original
    language from its first seller's country (`seller_countries` by product number).
    Returns how many products got translations."""
    for slug, (german, chinese) in CATEGORY_NAMES.items():
        if slug in categories:
            set_category_translation(category=categories[slug], language="de", name=german)
            set_category_translation(category=categories[slug], language="zh-hans", name=chinese)
    for number, product in products.items():
        language = LANGUAGE_OF_COUNTRY.get(seller_countries.get(number, ""), "en")
        if language != product.original_language:
            set_original_language(product=product, language=language)
    translated = 0
    for number, texts in PRODUCT_TEXT.items():
        if number in products:
            set_product_translations(product=products[number], translations=texts)
            translated += 1
    return translated
