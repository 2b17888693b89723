"""Catalog text in German and Chinese for the demo (catalog.translations): every category
and attribute name, and a handful of products with their specifications and options, so
switching the language visibly changes names, while the products nobody translated show
their seller's English with a note."""

from __future__ import annotations

import re
from collections.abc import Mapping

from caravan.catalog.models import Attribute, AttributeValue, Category, Product
from caravan.catalog.services import (
    TranslationInput,
    set_attribute_translation,
    set_attribute_value_translations,
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

# The operator's names of the shared attributes (demo.vocabulary.ATTRIBUTES).
ATTRIBUTE_NAMES: dict[str, tuple[str, str]] = {
    "colour": ("Farbe", "颜色"),
    "memory": ("Speicher", "存储容量"),
    "size": ("Größe", "尺码"),
    "shoe-size": ("Schuhgröße (EU)", "鞋码（欧码）"),
    "volume": ("Volumen", "容量"),
    "bedding-size": ("Set-Größe", "套件尺寸"),
    "frame-size": ("Rahmengröße", "车架尺寸"),
    "screen": ("Bildschirmdiagonale", "屏幕尺寸"),
    "processor": ("Prozessor", "处理器"),
    "ram": ("Arbeitsspeicher", "运行内存"),
    "battery": ("Akku", "电池容量"),
    "camera": ("Hauptkamera", "主摄像头"),
    "battery-life": ("Akkulaufzeit", "续航时间"),
    "connection": ("Verbindung", "连接方式"),
    "weight": ("Gewicht", "重量"),
    "material": ("Material", "材质"),
    "lining": ("Futter", "内衬"),
    "season": ("Saison", "季节"),
    "capacity": ("Fassungsvermögen", "容量"),
    "power": ("Leistung", "功率"),
    "cooktop": ("Herdart", "适用炉灶"),
    "thread-count": ("Fadendichte", "织物密度"),
    "light": ("Farbtemperatur", "色温"),
    "skin-type": ("Hauttyp", "肤质"),
    "fragrance": ("Duftnoten", "香调"),
    "wheel": ("Laufradgröße", "轮径"),
    "gears": ("Gänge", "变速档位"),
    "persons": ("Schlafplätze", "可睡人数"),
    "age": ("Alter", "适用年龄"),
    "pieces": ("Teile", "零件数量"),
    "water-resistance": ("Wasserschutz", "防水等级"),
    "warranty": ("Garantie", "保修期"),
    "made-in": ("Herstellungsland", "产地"),
}

# What the demo's sellers wrote for their values in German and Chinese, by the English value.
VALUE_WORDS: dict[str, tuple[str, str]] = {
    "Black": ("Schwarz", "黑色"),
    "White": ("Weiß", "白色"),
    "Graphite": ("Graphit", "石墨灰"),
    "Silver": ("Silber", "银色"),
    "Navy": ("Marineblau", "藏青色"),
    "Red": ("Rot", "红色"),
    "Olive": ("Oliv", "橄榄绿"),
    "Beige": ("Beige", "米色"),
    "Pink": ("Rosa", "粉色"),
    "Sky blue": ("Himmelblau", "天蓝色"),
    "Green": ("Grün", "绿色"),
    "Grey": ("Grau", "灰色"),
    "Yellow": ("Gelb", "黄色"),
    "Orange": ("Orange", "橙色"),
    "Purple": ("Lila", "紫色"),
    "Russia": ("Russland", "俄罗斯"),
    "China": ("China", "中国"),
    "Germany": ("Deutschland", "德国"),
    "Turkey": ("Türkei", "土耳其"),
    "Kazakhstan": ("Kasachstan", "哈萨克斯坦"),
    "Italy": ("Italien", "意大利"),
    "Vietnam": ("Vietnam", "越南"),
    "none": ("keiner", "无"),
}
# Values written with a number and a unit, the unit in each language.
_MEASURE = re.compile(r"^(up to )?(\d+(?:\.\d+)?) (in|GB|TB|MP|mAh|g|months|hours)$")
_UNITS: dict[str, tuple[str, str]] = {
    "in": ("Zoll", "英寸"),
    "GB": ("GB", "GB"),
    "TB": ("TB", "TB"),
    "MP": ("MP", "万像素"),
    "mAh": ("mAh", "毫安时"),
    "g": ("g", "克"),
    "months": ("Monate", "个月"),
    "hours": ("Stunden", "小时"),
}


def value_words(value_en: str) -> tuple[str, str] | None:
    """A demo value in German and Chinese, or None when the demo's sellers left it
    untranslated (the page then shows the English with a note)."""
    if value_en in VALUE_WORDS:
        return VALUE_WORDS[value_en]
    found = _MEASURE.match(value_en)
    if found is None:
        return None
    up_to, number, unit = found.groups()
    german_unit, chinese_unit = _UNITS[unit]
    if unit == "MP":  # 50 MP is 5000万像素
        chinese = f"{int(float(number) * 100)}{chinese_unit}"
    else:
        chinese = f"{number}{chinese_unit}"
    german = f"{number.replace('.', ',')} {german_unit}"
    if up_to:
        german, chinese = f"bis zu {german}", f"最长{chinese}"
    return german, chinese


def translate_attribute_values(*, product: Product) -> int:
    """The product's specifications and options in German and Chinese where the demo has
    words for them; returns how many values got a translation."""
    german: dict[int, str] = {}
    chinese: dict[int, str] = {}
    for value_id, value_en in AttributeValue.objects.filter(product=product).values_list(
        "id", "value_en"
    ):
        words = value_words(value_en)
        if words is not None:
            german[value_id], chinese[value_id] = words
    set_attribute_value_translations(
        product=product, translations={"de": german, "zh-hans": chinese}
    )
    return len(german)


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
    for attribute in Attribute.objects.filter(code__in=list(ATTRIBUTE_NAMES)):
        german, chinese = ATTRIBUTE_NAMES[attribute.code]
        set_attribute_translation(attribute=attribute, language="de", name=german)
        set_attribute_translation(attribute=attribute, language="zh-hans", name=chinese)
    for number, product in products.items():
        language = LANGUAGE_OF_COUNTRY.get(seller_countries.get(number, ""), "en")
        if language != product.original_language:
            set_original_language(product=product, language=language)
    translated = 0
    for number, texts in PRODUCT_TEXT.items():
        if number in products:
            set_product_translations(product=products[number], translations=texts)
            translate_attribute_values(product=products[number])
            translated += 1
    return translated
