"""Word lists and fixed facts of the demo marketplace: people, sellers, delivery, rates,
attributes and variant options. Per-category product words live in `categories.py`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

DEMO_PASSWORD = "caravan-demo"
DEMO_SEED = 20240917
DEFAULT_PRODUCT_COUNT = 320


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    purpose: str
    url: str


BUYER = DemoLogin("buyer@caravan.demo", "Anna Smirnova", "buyer with a saved Moscow address", "/")
# A second buyer, so the sellers' order lists and the demo's money history have two customers.
SECOND_BUYER = DemoLogin(
    "buyer.petersburg@caravan.demo",
    "Ivan Petrov",
    "buyer with a saved Saint Petersburg address and past orders",
    "/orders/",
)
OPERATOR = DemoLogin(
    "operator@caravan.demo", "Oleg Operator", "operator staff (superuser), back office", "/admin/"
)


@dataclass(frozen=True)
class ShippingWords:
    carrier: str
    name_ru: str
    name_en: str
    price: Decimal
    transit_days_min: int
    transit_days_max: int


@dataclass(frozen=True)
class SellerWords:
    slug: str
    name: str
    legal_name: str
    country: str
    currency: str
    owner_email: str
    owner_name: str
    # Parent or leaf category slugs this seller trades in.
    trades_in: tuple[str, ...]
    # Multiplies the reference price: importers from China undercut, boutiques charge more.
    price_level: float
    handling_days: tuple[int, int]
    description_ru: str
    description_en: str
    shipping: tuple[ShippingWords, ...]


RUSSIAN_POST = ShippingWords("Russian Post", "Почта России", "Russian Post", Decimal("290"), 4, 9)
CDEK_RU = ShippingWords(
    "CDEK", "СДЭК до пункта выдачи", "CDEK to pick-up point", Decimal("390"), 2, 5
)
YANDEX = ShippingWords(
    "Yandex Delivery", "Яндекс Доставка, курьер", "Yandex Delivery courier", Decimal("490"), 1, 2
)
CAINIAO_STANDARD = ShippingWords(
    "Cainiao", "Cainiao Standard", "Cainiao Standard", Decimal("39"), 14, 25
)
CAINIAO_PREMIUM = ShippingWords(
    "Cainiao", "Cainiao Premium, с трекингом", "Cainiao Premium, tracked", Decimal("89"), 8, 14
)
DHL_CN = ShippingWords("DHL", "DHL Express", "DHL Express", Decimal("260"), 5, 8)
DHL_PAKET = ShippingWords(
    "DHL", "DHL Paket International", "DHL Paket International", Decimal("14.90"), 7, 14
)
DHL_EXPRESS_EUR = ShippingWords("DHL", "DHL Express", "DHL Express", Decimal("39.00"), 3, 5)
PTT = ShippingWords("PTT", "Почта Турции (PTT)", "Turkish Post (PTT)", Decimal("450"), 10, 20)
DHL_TR = ShippingWords("DHL", "DHL Express", "DHL Express", Decimal("1400"), 4, 6)
KAZPOST = ShippingWords("Kazpost", "Казпочта", "Kazpost", Decimal("2500"), 7, 12)
CDEK_KZ = ShippingWords("CDEK", "СДЭК, экспресс", "CDEK express", Decimal("3900"), 4, 7)
POSTE = ShippingWords(
    "Poste Italiane", "Poste Italiane", "Poste Italiane", Decimal("12.50"), 10, 18
)

SELLERS: tuple[SellerWords, ...] = (
    SellerWords(
        "gadget-house",
        "Gadget House",
        "OOO Gadget House",
        "RU",
        "RUB",
        "seller.moscow@caravan.demo",
        "Dmitry Volkov",
        ("electronics", "lighting"),
        1.0,
        (1, 2),
        "Магазин электроники в Москве: смартфоны, наушники и ноутбуки с официальной гарантией.",
        "A Moscow electronics shop: smartphones, headphones and laptops with official warranty.",
        (CDEK_RU, YANDEX, RUSSIAN_POST),
    ),
    SellerWords(
        "ural-sport",
        "Ural Sport",
        "IP Sergeev A. V.",
        "RU",
        "RUB",
        "seller.ekaterinburg@caravan.demo",
        "Alexey Sergeev",
        ("sports", "kids"),
        0.97,
        (1, 3),
        "Спортивные товары и игрушки из Екатеринбурга. Отправляем в день заказа.",
        "Sports goods and toys from Yekaterinburg. We ship on the day you order.",
        (RUSSIAN_POST, CDEK_RU),
    ),
    SellerWords(
        "nevsky-beauty",
        "Nevsky Beauty",
        "OOO Nevsky Beauty",
        "RU",
        "RUB",
        "seller.petersburg@caravan.demo",
        "Maria Orlova",
        ("beauty",),
        1.04,
        (1, 2),
        "Косметика и парфюмерия из Санкт-Петербурга, только оригинальная продукция.",
        "Cosmetics and perfume from Saint Petersburg, genuine products only.",
        (CDEK_RU, RUSSIAN_POST),
    ),
    SellerWords(
        "shenzhen-techdirect",
        "Shenzhen TechDirect",
        "Shenzhen TechDirect Trading Co., Ltd.",
        "CN",
        "CNY",
        "seller.shenzhen@caravan.demo",
        "Li Wei",
        ("electronics",),
        0.86,
        (2, 4),
        "Электроника напрямую из Шэньчжэня: смартфоны, гаджеты и аксессуары по заводским ценам.",
        "Electronics straight from Shenzhen: phones, gadgets and accessories at factory prices.",
        (CAINIAO_STANDARD, CAINIAO_PREMIUM, DHL_CN),
    ),
    SellerWords(
        "yiwu-home-toys",
        "Yiwu Home & Toys",
        "Yiwu Happy Home Import & Export Co., Ltd.",
        "CN",
        "CNY",
        "seller.yiwu@caravan.demo",
        "Chen Jing",
        ("home", "kids"),
        0.82,
        (2, 5),
        "Товары для дома и игрушки с крупнейшего оптового рынка мира в Иу.",
        "Home goods and toys from Yiwu, the world's largest wholesale market.",
        (CAINIAO_STANDARD, CAINIAO_PREMIUM),
    ),
    SellerWords(
        "guangzhou-style",
        "Guangzhou Style Factory",
        "Guangzhou Style Garment Co., Ltd.",
        "CN",
        "CNY",
        "seller.guangzhou@caravan.demo",
        "Zhang Min",
        ("fashion", "fitness"),
        0.8,
        (3, 5),
        "Собственная швейная фабрика в Гуанчжоу: куртки, кроссовки, рюкзаки.",
        "Our own garment factory in Guangzhou: jackets, sneakers, backpacks.",
        (CAINIAO_STANDARD, DHL_CN),
    ),
    SellerWords(
        "berliner-kaufhaus",
        "Berliner Kaufhaus",
        "Berliner Kaufhaus GmbH",
        "DE",
        "EUR",
        "seller.berlin@caravan.demo",
        "Jonas Becker",
        ("home", "electronics"),
        1.1,
        (1, 3),
        "Немецкое качество для дома и техника из Берлина.",
        "German quality for the home and electronics from Berlin.",
        (DHL_PAKET, DHL_EXPRESS_EUR),
    ),
    SellerWords(
        "hamburg-outdoor",
        "Hamburg Outdoor",
        "Hamburg Outdoor GmbH & Co. KG",
        "DE",
        "EUR",
        "seller.hamburg@caravan.demo",
        "Lena Schulz",
        ("sports", "jackets", "backpacks"),
        1.12,
        (1, 2),
        "Снаряжение для туризма, велоспорта и города от специалистов из Гамбурга.",
        "Gear for hiking, cycling and the city from the specialists in Hamburg.",
        (DHL_PAKET, DHL_EXPRESS_EUR),
    ),
    SellerWords(
        "bosphorus-tekstil",
        "Bosphorus Tekstil",
        "Bosphorus Tekstil Ltd. Şti.",
        "TR",
        "TRY",
        "seller.istanbul@caravan.demo",
        "Elif Yılmaz",
        ("fashion", "bedding"),
        0.9,
        (2, 3),
        "Турецкий текстиль из Стамбула: постельное бельё из хлопка, одежда и обувь.",
        "Turkish textiles from Istanbul: cotton bedding, clothing and shoes.",
        (PTT, DHL_TR),
    ),
    SellerWords(
        "almaty-market",
        "Almaty Market",
        "TOO Almaty Market",
        "KZ",
        "KZT",
        "seller.almaty@caravan.demo",
        "Aigerim Nurlanovna",
        ("kids", "beauty", "home"),
        0.95,
        (1, 3),
        "Семейный магазин из Алматы: игрушки, косметика и товары для дома.",
        "A family shop from Almaty: toys, cosmetics and home goods.",
        (KAZPOST, CDEK_KZ),
    ),
    SellerWords(
        "milano-moda",
        "Milano Moda",
        "Milano Moda S.r.l.",
        "IT",
        "EUR",
        "seller.milano@caravan.demo",
        "Giulia Rossi",
        ("fashion", "perfume"),
        1.25,
        (1, 3),
        "Итальянская мода и парфюмерия из Милана.",
        "Italian fashion and perfume from Milan.",
        (POSTE, DHL_EXPRESS_EUR),
    ),
)

# The two seller logins printed for the demo; every other seller's owner has the same password.
SELLER_LOGIN_SLUGS = ("gadget-house", "shenzhen-techdirect")

# One unit of the currency in roubles: the levels the generator prices shelves with. The
# recorded exchange rates come from the snapshot feeds in caravan/fx/snapshot/.
DEMO_RATES: dict[str, Decimal] = {
    "CNY": Decimal("12.6000"),
    "EUR": Decimal("98.5000"),
    "TRY": Decimal("2.7500"),
    "KZT": Decimal("0.1820"),
    "USD": Decimal("90.2000"),
}

BUYER_ADDRESS = {
    "full_name": "Анна Смирнова",
    "phone": "+7 916 555-01-23",
    "country": "RU",
    "region": "Москва",
    "city": "Москва",
    "postal_code": "125009",
    "street": "ул. Тверская, д. 7, кв. 12",
}

SECOND_BUYER_ADDRESS = {
    "full_name": "Иван Петров",
    "phone": "+7 921 555-04-56",
    "country": "RU",
    "region": "Санкт-Петербург",
    "city": "Санкт-Петербург",
    "postal_code": "191186",
    "street": "Невский проспект, д. 28, кв. 5",
}

# Buyers abroad, each with an address valid in its country's format (accounts.address_rules):
# the checkout's form, the seller's ship-to and the phone shown internationally can be seen
# for each without setup.
ABROAD_BUYERS: tuple[tuple[DemoLogin, dict[str, str]], ...] = (
    (
        DemoLogin("buyer.berlin@caravan.demo", "Jonas Weber", "buyer in Berlin", "/"),
        {
            "full_name": "Jonas Weber",
            "phone": "030 901820",
            "country": "DE",
            "city": "Berlin",
            "postal_code": "10117",
            "street": "Friedrichstraße 43",
        },
    ),
    (
        DemoLogin("buyer.almaty@caravan.demo", "Айгерим Нурланова", "buyer in Almaty", "/"),
        {
            "full_name": "Айгерим Нурланова",
            "phone": "8 701 555 0123",
            "country": "KZ",
            "city": "Алматы",
            "postal_code": "050010",
            "street": "пр. Абая, 52, кв. 8",
        },
    ),
    (
        DemoLogin("buyer.newyork@caravan.demo", "Emily Carter", "buyer in New York", "/"),
        {
            "full_name": "Emily Carter",
            "phone": "(212) 555-0147",
            "country": "US",
            "region": "NY",
            "city": "New York",
            "postal_code": "10001",
            "street": "350 Fifth Avenue, Apt 12B",
        },
    ),
    (
        DemoLogin("buyer.shanghai@caravan.demo", "李娜", "buyer in Shanghai", "/"),
        {
            "full_name": "李娜",
            "phone": "139 1234 5678",
            "country": "CN",
            "region": "上海市",
            # In China's address data a municipality's districts are its cities.
            "city": "浦东新区",
            "postal_code": "200120",
            "street": "世纪大道 100号 8楼",
        },
    ),
)

# Attribute code -> (name ru, name en). Options (variant axes) and specs share the table.
ATTRIBUTES: dict[str, tuple[str, str]] = {
    "colour": ("Цвет", "Colour"),
    "memory": ("Память", "Storage"),
    "size": ("Размер", "Size"),
    "shoe-size": ("Размер обуви (EU)", "Shoe size (EU)"),
    "volume": ("Объём", "Volume"),
    "bedding-size": ("Размер комплекта", "Set size"),
    "frame-size": ("Размер рамы", "Frame size"),
    "screen": ("Диагональ экрана", "Screen size"),
    "processor": ("Процессор", "Processor"),
    "ram": ("Оперативная память", "RAM"),
    "battery": ("Аккумулятор", "Battery"),
    "camera": ("Основная камера", "Main camera"),
    "battery-life": ("Время работы", "Battery life"),
    "connection": ("Подключение", "Connection"),
    "weight": ("Вес", "Weight"),
    "material": ("Материал", "Material"),
    "lining": ("Подкладка", "Lining"),
    "season": ("Сезон", "Season"),
    "capacity": ("Вместимость", "Capacity"),
    "power": ("Мощность", "Power"),
    "cooktop": ("Тип плиты", "Hob type"),
    "thread-count": ("Плотность ткани", "Thread count"),
    "light": ("Цветовая температура", "Colour temperature"),
    "skin-type": ("Тип кожи", "Skin type"),
    "fragrance": ("Ноты аромата", "Fragrance notes"),
    "wheel": ("Диаметр колёс", "Wheel size"),
    "gears": ("Количество скоростей", "Gears"),
    "persons": ("Вместимость палатки", "Sleeps"),
    "age": ("Возраст", "Age"),
    "pieces": ("Количество деталей", "Pieces"),
    "water-resistance": ("Защита от воды", "Water resistance"),
    "warranty": ("Гарантия", "Warranty"),
    "made-in": ("Страна производства", "Country of manufacture"),
}


@dataclass(frozen=True)
class OptionValue:
    value_ru: str
    value_en: str
    # Price multiplier against the product's base price (more storage costs more).
    factor: float = 1.0
    # Drawn colour of the product in its picture, for colour options.
    rgb: tuple[int, int, int] | None = None


COLOURS: tuple[OptionValue, ...] = (
    OptionValue("Чёрный", "Black", rgb=(38, 38, 44)),
    OptionValue("Белый", "White", rgb=(246, 246, 242)),
    OptionValue("Графитовый", "Graphite", rgb=(78, 82, 92)),
    OptionValue("Серебристый", "Silver", rgb=(196, 200, 208)),
    OptionValue("Тёмно-синий", "Navy", rgb=(36, 52, 102)),
    OptionValue("Красный", "Red", rgb=(200, 40, 48)),
    OptionValue("Оливковый", "Olive", rgb=(104, 112, 60)),
    OptionValue("Бежевый", "Beige", rgb=(222, 200, 166)),
    OptionValue("Розовый", "Pink", rgb=(238, 150, 178)),
    OptionValue("Голубой", "Sky blue", rgb=(120, 180, 232)),
    OptionValue("Зелёный", "Green", rgb=(46, 140, 88)),
    OptionValue("Серый", "Grey", rgb=(140, 142, 148)),
    OptionValue("Жёлтый", "Yellow", rgb=(244, 196, 48)),
    OptionValue("Оранжевый", "Orange", rgb=(240, 124, 40)),
    OptionValue("Фиолетовый", "Purple", rgb=(120, 70, 170)),
)

OPTIONS: dict[str, tuple[OptionValue, ...]] = {
    "colour": COLOURS,
    "memory": (
        OptionValue("128 ГБ", "128 GB", 1.0),
        OptionValue("256 ГБ", "256 GB", 1.15),
        OptionValue("512 ГБ", "512 GB", 1.35),
        OptionValue("1 ТБ", "1 TB", 1.6),
    ),
    "size": tuple(OptionValue(size, size) for size in ("XS", "S", "M", "L", "XL", "XXL")),
    "shoe-size": tuple(OptionValue(str(size), str(size)) for size in range(36, 47)),
    "volume": (
        OptionValue("30 мл", "30 ml", 0.7),
        OptionValue("50 мл", "50 ml", 1.0),
        OptionValue("100 мл", "100 ml", 1.55),
    ),
    "bedding-size": (
        OptionValue("1,5-спальный", "Single", 0.8),
        OptionValue("2-спальный", "Double", 1.0),
        OptionValue("Евро", "King", 1.2),
    ),
    "frame-size": (
        OptionValue("S (155–170 см)", "S (155–170 cm)"),
        OptionValue("M (165–180 см)", "M (165–180 cm)"),
        OptionValue("L (175–190 см)", "L (175–190 cm)"),
    ),
}

# Country of manufacture: (ru, en).
MADE_IN: dict[str, tuple[str, str]] = {
    "RU": ("Россия", "Russia"),
    "CN": ("Китай", "China"),
    "DE": ("Германия", "Germany"),
    "TR": ("Турция", "Turkey"),
    "KZ": ("Казахстан", "Kazakhstan"),
    "IT": ("Италия", "Italy"),
    "VN": ("Вьетнам", "Vietnam"),
}

WARRANTIES: tuple[tuple[str, str], ...] = (
    ("6 месяцев", "6 months"),
    ("12 месяцев", "12 months"),
    ("24 месяца", "24 months"),
)

CLOSING_LINES: tuple[tuple[str, str], ...] = (
    ("Оригинальный товар, продаётся в фирменной упаковке.", "Genuine product in its retail box."),
    ("Подходит в подарок.", "Makes a great gift."),
    ("Все характеристики — в таблице ниже.", "Full specifications are listed below."),
    (
        "Если товар не подошёл, его можно вернуть в течение 14 дней.",
        "Not right for you? Return it within 14 days.",
    ),
)
