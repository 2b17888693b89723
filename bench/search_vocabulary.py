"""Words of the search benchmark's synthetic catalog: 15 parent categories of 8 leaves each,
per leaf what its products are called (ru/en, with the Russian noun's gender so qualifiers
agree), its variant axes and its specifications; brands per parent category; sellers'
countries, currencies and delivery. The demo's option values, attribute names and countries
of manufacture are reused (caravan.demo.vocabulary).

Frequencies are Zipf-like by construction: the first kind, brand and model word of a list
are drawn most often (weight 1/rank), so a few category nouns and brands are very common and
model words form a long tail.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from caravan.demo.vocabulary import ATTRIBUTES as DEMO_ATTRIBUTES
from caravan.demo.vocabulary import DEMO_RATES, MADE_IN
from caravan.demo.vocabulary import OPTIONS as OPTIONS  # the variant axes, re-exported

Kind = tuple[str, str, str]  # (en, ru, Russian gender: m, f, n or p for plural)
SpecValues = tuple[tuple[str, str], ...]  # (ru, en)


@dataclass(frozen=True)
class Leaf:
    slug: str
    parent: str
    name_ru: str
    name_en: str
    kinds: tuple[Kind, ...]
    price_rub: tuple[int, int]
    # Variant axes: option codes of caravan.demo.vocabulary.OPTIONS.
    axes: tuple[str, ...] = ("colour",)
    specs: tuple[str, ...] = ()
    # Names carry "men's / women's / kids'" (мужские, женская...).
    gendered: bool = False
    # Relative share of the catalog's products.
    weight: float = 1.0
    # Brand -> model lines of its own (real product names buyers type: "iPhone 15").
    lines: tuple[tuple[str, tuple[str, ...]], ...] = ()


def leaf(
    slug: str,
    parent: str,
    name_ru: str,
    name_en: str,
    kinds: tuple[Kind, ...],
    price_rub: tuple[int, int],
    **options: object,
) -> Leaf:
    return Leaf(slug, parent, name_ru, name_en, kinds, price_rub, **options)  # type: ignore[arg-type]


PARENTS: tuple[tuple[str, str, str], ...] = (
    ("electronics", "Электроника", "Electronics"),
    ("computers", "Компьютеры", "Computers"),
    ("appliances", "Бытовая техника", "Appliances"),
    ("clothing", "Одежда", "Clothing"),
    ("shoes", "Обувь", "Shoes"),
    ("bags", "Сумки и аксессуары", "Bags & Accessories"),
    ("home", "Дом и интерьер", "Home"),
    ("kitchen", "Кухня", "Kitchen"),
    ("beauty", "Красота и здоровье", "Beauty & Health"),
    ("sports", "Спорт и отдых", "Sports & Outdoors"),
    ("kids", "Детские товары", "Kids"),
    ("auto", "Автотовары", "Automotive"),
    ("tools", "Инструменты и ремонт", "Tools & DIY"),
    ("pets", "Зоотовары", "Pet Supplies"),
    ("garden", "Дача и сад", "Garden"),
)

C, M, SZ, SH, V, B = "colour", "memory", "size", "shoe-size", "volume", "bedding-size"
NONE: tuple[str, ...] = ()

LEAVES: tuple[Leaf, ...] = (
    # electronics
    leaf("smartphones", "electronics", "Смартфоны", "Smartphones",
         (("smartphone", "смартфон", "m"), ("5G smartphone", "смартфон 5G", "m"),
          ("phone", "телефон", "m")), (9_000, 140_000), axes=(C, M),
         specs=("screen", "ram", "battery", "camera"), weight=5.0,
         lines=(("Apple", ("iPhone 13", "iPhone 14", "iPhone 15", "iPhone 16")),
                ("Samsung", ("Galaxy S23", "Galaxy S24", "Galaxy A35", "Galaxy A55")),
                ("Xiaomi", ("Redmi Note 13", "Redmi 13C", "Poco X6", "14T")))),
    leaf("headphones", "electronics", "Наушники", "Headphones",
         (("wireless headphones", "беспроводные наушники", "p"), ("earbuds", "наушники-вкладыши", "p"),
          ("gaming headset", "игровая гарнитура", "f")), (900, 35_000),
         specs=("connection", "battery-life"), weight=3.0,
         lines=(("Apple", ("AirPods 3", "AirPods Pro 2", "AirPods Max")),)),
    leaf("smartwatches", "electronics", "Умные часы", "Smartwatches",
         (("smartwatch", "умные часы", "p"), ("fitness tracker", "фитнес-браслет", "m")),
         (2_500, 60_000), specs=("screen", "battery-life", "water-resistance"), weight=2.0),
    leaf("tablets", "electronics", "Планшеты", "Tablets",
         (("tablet", "планшет", "m"), ("kids tablet", "детский планшет", "m")), (8_000, 120_000),
         axes=(C, M), specs=("screen", "ram"), lines=(("Apple", ("iPad 10", "iPad Air", "iPad Pro")),)),
    leaf("tvs", "electronics", "Телевизоры", "TVs",
         (("smart TV", "смарт-телевизор", "m"), ("LED TV", "телевизор", "m")), (15_000, 250_000),
         axes=NONE, specs=("screen-tv", "resolution"), weight=1.5),
    leaf("speakers", "electronics", "Портативные колонки", "Speakers",
         (("portable speaker", "портативная колонка", "f"), ("smart speaker", "умная колонка", "f")),
         (1_200, 30_000), specs=("power", "battery-life")),
    leaf("cameras", "electronics", "Фотоаппараты", "Cameras",
         (("mirrorless camera", "беззеркальный фотоаппарат", "m"), ("action camera", "экшн-камера", "f")),
         (9_000, 250_000), axes=NONE, specs=("camera",)),
    leaf("powerbanks", "electronics", "Внешние аккумуляторы", "Power banks",
         (("power bank", "внешний аккумулятор", "m"), ("charger", "зарядное устройство", "n")),
         (700, 7_000), specs=("battery", "power")),
    # computers
    leaf("laptops", "computers", "Ноутбуки", "Laptops",
         (("laptop", "ноутбук", "m"), ("gaming laptop", "игровой ноутбук", "m"),
          ("ultrabook", "ультрабук", "m")), (30_000, 300_000), axes=(C, M),
         specs=("screen-laptop", "ram", "processor"), weight=3.0,
         lines=(("Apple", ("MacBook Air 13", "MacBook Air 15", "MacBook Pro 14")),)),
    leaf("monitors", "computers", "Мониторы", "Monitors",
         (("monitor", "монитор", "m"), ("gaming monitor", "игровой монитор", "m")), (9_000, 90_000),
         axes=NONE, specs=("screen-monitor", "resolution", "refresh")),
    leaf("keyboards", "computers", "Клавиатуры", "Keyboards",
         (("keyboard", "клавиатура", "f"), ("mechanical keyboard", "механическая клавиатура", "f")),
         (900, 18_000), specs=("connection",)),
    leaf("mice", "computers", "Компьютерные мыши", "Mice",
         (("wireless mouse", "беспроводная мышь", "f"), ("gaming mouse", "игровая мышь", "f")),
         (500, 12_000), specs=("connection",)),
    leaf("storage", "computers", "Накопители", "Storage",
         (("SSD drive", "SSD-накопитель", "m"), ("external drive", "внешний диск", "m")),
         (2_000, 40_000), axes=(M,), specs=("interface",)),
    leaf("routers", "computers", "Роутеры", "Routers",
         (("Wi-Fi router", "Wi-Fi роутер", "m"), ("mesh system", "mesh-система", "f")),
         (1_500, 30_000), axes=NONE, specs=("wifi",)),
    leaf("printers", "computers", "Принтеры", "Printers",
         (("laser printer", "лазерный принтер", "m"), ("inkjet printer", "струйный принтер", "m")),
         (7_000, 60_000), axes=NONE, specs=("connection",)),
    leaf("flash-drives", "computers", "Флешки", "Flash drives",
         (("USB flash drive", "USB-флешка", "f"), ("memory card", "карта памяти", "f")),
         (300, 4_000), axes=(M,)),
    # appliances
    leaf("vacuums", "appliances", "Пылесосы", "Vacuum cleaners",
         (("robot vacuum", "робот-пылесос", "m"), ("cordless vacuum", "беспроводной пылесос", "m"),
          ("vacuum cleaner", "пылесос", "m")), (4_000, 90_000), specs=("power", "battery-life"), weight=2.0),
    leaf("kettles", "appliances", "Чайники", "Kettles",
         (("electric kettle", "электрический чайник", "m"), ("glass kettle", "стеклянный чайник", "m")),
         (900, 9_000), specs=("capacity-l", "power")),
    leaf("coffee-machines", "appliances", "Кофемашины", "Coffee machines",
         (("coffee machine", "кофемашина", "f"), ("espresso maker", "кофеварка", "f")),
         (5_000, 150_000), specs=("power",)),
    leaf("microwaves", "appliances", "Микроволновые печи", "Microwaves",
         (("microwave oven", "микроволновая печь", "f"),), (5_000, 30_000), specs=("capacity-l", "power")),
    leaf("hair-dryers", "appliances", "Фены", "Hair dryers",
         (("hair dryer", "фен", "m"), ("hair styler", "стайлер", "m")), (1_000, 50_000), specs=("power",)),
    leaf("irons", "appliances", "Утюги", "Irons",
         (("steam iron", "паровой утюг", "m"), ("garment steamer", "отпариватель", "m")),
         (1_500, 20_000), specs=("power",)),
    leaf("blenders", "appliances", "Блендеры", "Blenders",
         (("blender", "блендер", "m"), ("hand blender", "погружной блендер", "m")), (1_200, 25_000),
         specs=("power",)),
    leaf("washing-machines", "appliances", "Стиральные машины", "Washing machines",
         (("washing machine", "стиральная машина", "f"),), (20_000, 120_000), axes=NONE,
         specs=("load-kg", "spin")),
    # clothing
    leaf("jackets", "clothing", "Куртки", "Jackets",
         (("down jacket", "пуховик", "m"), ("jacket", "куртка", "f"), ("parka", "парка", "f"),
          ("windbreaker", "ветровка", "f")), (2_500, 40_000), axes=(C, SZ),
         specs=("material", "season"), gendered=True, weight=2.5),
    leaf("t-shirts", "clothing", "Футболки", "T-shirts",
         (("t-shirt", "футболка", "f"), ("polo shirt", "поло", "n")), (400, 5_000), axes=(C, SZ),
         specs=("material",), gendered=True, weight=2.5),
    leaf("jeans", "clothing", "Джинсы", "Jeans",
         (("jeans", "джинсы", "p"), ("slim jeans", "зауженные джинсы", "p")), (1_500, 12_000),
         axes=(C, SZ), specs=("material",), gendered=True, weight=2.0),
    leaf("hoodies", "clothing", "Толстовки", "Hoodies",
         (("hoodie", "худи", "n"), ("sweatshirt", "свитшот", "m")), (1_200, 9_000), axes=(C, SZ),
         specs=("material",), gendered=True),
    leaf("dresses", "clothing", "Платья", "Dresses",
         (("dress", "платье", "n"), ("maxi dress", "платье макси", "n")), (1_500, 20_000),
         axes=(C, SZ), specs=("material", "season"), weight=1.5),
    leaf("sweaters", "clothing", "Свитеры", "Sweaters",
         (("sweater", "свитер", "m"), ("cardigan", "кардиган", "m")), (1_500, 15_000),
         axes=(C, SZ), specs=("material",), gendered=True),
    leaf("trousers", "clothing", "Брюки", "Trousers",
         (("trousers", "брюки", "p"), ("joggers", "джоггеры", "p")), (1_200, 12_000), axes=(C, SZ),
         specs=("material",), gendered=True),
    leaf("socks", "clothing", "Носки", "Socks",
         (("socks", "носки", "p"), ("thermal socks", "термоноски", "p")), (150, 2_000), axes=(C,),
         specs=("material",), gendered=True),
    # shoes
    leaf("sneakers", "shoes", "Кроссовки", "Sneakers",
         (("sneakers", "кроссовки", "p"), ("running shoes", "беговые кроссовки", "p"),
          ("trainers", "кеды", "p")), (2_500, 25_000), axes=(C, SH), specs=("material", "season"),
         gendered=True, weight=5.0,
         lines=(("Nike", ("Air Max 90", "Air Force 1", "Pegasus 40", "Revolution 7")),
                ("Adidas", ("Ultraboost", "Superstar", "Samba", "Gazelle")))),
    leaf("boots", "shoes", "Ботинки", "Boots",
         (("boots", "ботинки", "p"), ("chelsea boots", "челси", "p")), (3_000, 25_000),
         axes=(C, SH), specs=("material", "season"), gendered=True, weight=2.0),
    leaf("winter-boots", "shoes", "Сапоги", "Winter boots",
         (("winter boots", "зимние сапоги", "p"), ("snow boots", "дутики", "p")), (2_500, 22_000),
         axes=(C, SH), specs=("material", "lining"), gendered=True),
    leaf("formal-shoes", "shoes", "Туфли", "Formal shoes",
         (("shoes", "туфли", "p"), ("loafers", "лоферы", "p")), (2_500, 20_000), axes=(C, SH),
         specs=("material",), gendered=True),
    leaf("sandals", "shoes", "Сандалии", "Sandals",
         (("sandals", "сандалии", "p"), ("flip-flops", "шлёпанцы", "p")), (600, 8_000), axes=(C, SH),
         specs=("material",), gendered=True),
    leaf("slippers", "shoes", "Тапочки", "Slippers",
         (("slippers", "тапочки", "p"),), (300, 3_000), axes=(C, SH), gendered=True),
    leaf("kids-shoes", "shoes", "Детская обувь", "Kids' shoes",
         (("kids sneakers", "детские кроссовки", "p"), ("kids boots", "детские ботинки", "p")),
         (1_000, 8_000), axes=(C, SH), specs=("material",)),
    leaf("rubber-boots", "shoes", "Резиновые сапоги", "Rain boots",
         (("rain boots", "резиновые сапоги", "p"),), (800, 6_000), axes=(C, SH), gendered=True),
    # bags
    leaf("backpacks", "bags", "Рюкзаки", "Backpacks",
         (("backpack", "рюкзак", "m"), ("laptop backpack", "рюкзак для ноутбука", "m"),
          ("school backpack", "школьный рюкзак", "m")), (900, 15_000), specs=("capacity", "material"),
         weight=2.0),
    leaf("handbags", "bags", "Сумки", "Handbags",
         (("handbag", "сумка", "f"), ("crossbody bag", "сумка через плечо", "f"),
          ("tote bag", "сумка-шопер", "f")), (900, 30_000), specs=("material",), gendered=True),
    leaf("wallets", "bags", "Кошельки", "Wallets",
         (("wallet", "кошелёк", "m"), ("card holder", "картхолдер", "m")), (400, 8_000),
         specs=("material",), gendered=True),
    leaf("suitcases", "bags", "Чемоданы", "Suitcases",
         (("suitcase", "чемодан", "m"), ("carry-on suitcase", "чемодан ручная кладь", "m")),
         (3_000, 30_000), specs=("capacity",)),
    leaf("belts", "bags", "Ремни", "Belts",
         (("leather belt", "кожаный ремень", "m"),), (500, 6_000), specs=("material",), gendered=True),
    leaf("sunglasses", "bags", "Солнцезащитные очки", "Sunglasses",
         (("sunglasses", "солнцезащитные очки", "p"),), (500, 20_000), gendered=True),
    leaf("watches", "bags", "Наручные часы", "Watches",
         (("wristwatch", "наручные часы", "p"), ("chronograph", "хронограф", "m")), (1_500, 80_000),
         specs=("water-resistance",), gendered=True),
    leaf("umbrellas", "bags", "Зонты", "Umbrellas",
         (("umbrella", "зонт", "m"), ("compact umbrella", "складной зонт", "m")), (500, 5_000)),
    # home
    leaf("bedding", "home", "Постельное бельё", "Bedding",
         (("bed linen set", "комплект постельного белья", "m"), ("duvet cover", "пододеяльник", "m")),
         (1_200, 15_000), axes=(C, B), specs=("material",), weight=1.5),
    leaf("towels", "home", "Полотенца", "Towels",
         (("bath towel", "банное полотенце", "n"), ("towel set", "набор полотенец", "m")),
         (300, 5_000), specs=("material",)),
    leaf("lighting", "home", "Освещение", "Lighting",
         (("desk lamp", "настольная лампа", "f"), ("LED bulb", "светодиодная лампа", "f"),
          ("floor lamp", "торшер", "m")), (300, 20_000), specs=("power",)),
    leaf("curtains", "home", "Шторы", "Curtains",
         (("curtains", "шторы", "p"), ("blackout curtains", "шторы блэкаут", "p")), (900, 9_000)),
    leaf("pillows", "home", "Подушки", "Pillows",
         (("pillow", "подушка", "f"), ("orthopedic pillow", "ортопедическая подушка", "f")),
         (500, 8_000), axes=NONE, specs=("material",)),
    leaf("blankets", "home", "Одеяла", "Blankets",
         (("duvet", "одеяло", "n"), ("throw blanket", "плед", "m")), (900, 12_000), axes=(B,),
         specs=("material",)),
    leaf("rugs", "home", "Ковры", "Rugs",
         (("rug", "ковёр", "m"), ("door mat", "коврик придверный", "m")), (500, 30_000)),
    leaf("home-storage", "home", "Хранение вещей", "Storage",
         (("storage box", "коробка для хранения", "f"), ("hanger set", "набор вешалок", "m")),
         (200, 4_000)),
    # kitchen
    leaf("pans", "kitchen", "Сковороды", "Frying pans",
         (("frying pan", "сковорода", "f"), ("wok", "вок", "m"), ("grill pan", "сковорода-гриль", "f")),
         (700, 12_000), specs=("material", "diameter"), weight=1.5),
    leaf("pots", "kitchen", "Кастрюли", "Pots",
         (("saucepan", "кастрюля", "f"), ("cookware set", "набор посуды", "m")), (900, 20_000),
         specs=("material", "capacity-l")),
    leaf("knives", "kitchen", "Ножи", "Knives",
         (("chef knife", "поварской нож", "m"), ("knife set", "набор ножей", "m")), (500, 15_000),
         axes=NONE, specs=("material",)),
    leaf("tableware", "kitchen", "Тарелки и сервизы", "Tableware",
         (("dinner set", "столовый сервиз", "m"), ("plate set", "набор тарелок", "m")), (800, 15_000)),
    leaf("mugs", "kitchen", "Кружки", "Mugs",
         (("mug", "кружка", "f"), ("travel mug", "термокружка", "f")), (250, 3_000), specs=("capacity-l",)),
    leaf("food-containers", "kitchen", "Контейнеры для еды", "Food containers",
         (("food container set", "набор контейнеров", "m"), ("lunch box", "ланч-бокс", "m")),
         (250, 3_000)),
    leaf("flasks", "kitchen", "Термосы", "Flasks",
         (("vacuum flask", "термос", "m"), ("water bottle", "бутылка для воды", "f")), (400, 6_000),
         specs=("capacity-l",)),
    leaf("kitchen-tools", "kitchen", "Кухонные принадлежности", "Kitchen tools",
         (("kitchen scale", "кухонные весы", "p"), ("cutting board", "разделочная доска", "f")),
         (200, 4_000)),
    # beauty
    leaf("skincare", "beauty", "Уход за кожей", "Skincare",
         (("face cream", "крем для лица", "m"), ("serum", "сыворотка", "f"), ("face mask", "маска для лица", "f")),
         (300, 6_000), axes=(V,), specs=("skin-type",), weight=2.0),
    leaf("perfume", "beauty", "Парфюмерия", "Perfume",
         (("eau de parfum", "парфюмерная вода", "f"), ("eau de toilette", "туалетная вода", "f")),
         (1_000, 20_000), axes=(V,), specs=("fragrance",), gendered=True, weight=1.5),
    leaf("makeup", "beauty", "Декоративная косметика", "Makeup",
         (("lipstick", "помада", "f"), ("mascara", "тушь для ресниц", "f"), ("foundation", "тональный крем", "m")),
         (300, 5_000)),
    leaf("haircare", "beauty", "Уход за волосами", "Hair care",
         (("shampoo", "шампунь", "m"), ("hair conditioner", "бальзам для волос", "m")), (250, 3_000),
         axes=(V,)),
    leaf("shavers", "beauty", "Бритвы", "Shavers",
         (("electric shaver", "электробритва", "f"), ("beard trimmer", "триммер для бороды", "m")),
         (1_000, 20_000), specs=("battery-life",)),
    leaf("toothbrushes", "beauty", "Зубные щётки", "Toothbrushes",
         (("electric toothbrush", "электрическая зубная щётка", "f"),), (800, 15_000)),
    leaf("nails", "beauty", "Маникюр", "Nail care",
         (("nail polish", "лак для ногтей", "m"), ("gel polish", "гель-лак", "m")), (150, 1_500)),
    leaf("shower", "beauty", "Средства для душа", "Shower & bath",
         (("shower gel", "гель для душа", "m"), ("bath salt", "соль для ванны", "f")), (150, 2_000),
         axes=(V,)),
    # sports
    leaf("fitness", "sports", "Фитнес", "Fitness",
         (("dumbbells", "гантели", "p"), ("resistance band", "фитнес-резинка", "f"),
          ("kettlebell", "гиря", "f")), (300, 15_000), specs=("weight",), weight=1.5),
    leaf("yoga", "sports", "Йога", "Yoga",
         (("yoga mat", "коврик для йоги", "m"), ("yoga block", "блок для йоги", "m")), (300, 5_000)),
    leaf("bicycles", "sports", "Велосипеды", "Bicycles",
         (("mountain bike", "горный велосипед", "m"), ("city bike", "городской велосипед", "m"),
          ("kids bike", "детский велосипед", "m")), (8_000, 120_000), axes=("frame-size", C),
         specs=("wheel", "gears"), weight=1.5),
    leaf("scooters", "sports", "Самокаты", "Scooters",
         (("electric scooter", "электросамокат", "m"), ("kick scooter", "самокат", "m")),
         (2_000, 60_000), specs=("wheel",)),
    leaf("tents", "sports", "Палатки", "Tents",
         (("camping tent", "туристическая палатка", "f"), ("beach tent", "пляжная палатка", "f")),
         (2_000, 40_000), specs=("persons", "water-resistance")),
    leaf("sleeping-bags", "sports", "Спальные мешки", "Sleeping bags",
         (("sleeping bag", "спальный мешок", "m"),), (1_500, 15_000), specs=("season",)),
    leaf("swimming", "sports", "Плавание", "Swimming",
         (("swim goggles", "очки для плавания", "p"), ("swimsuit", "купальник", "m")), (300, 6_000),
         axes=(C, SZ), gendered=True),
    leaf("ski", "sports", "Лыжи и сноуборд", "Ski & snowboard",
         (("skis", "горные лыжи", "p"), ("snowboard", "сноуборд", "m")), (8_000, 80_000), axes=NONE),
    # kids
    leaf("toys", "kids", "Игрушки", "Toys",
         (("plush toy", "мягкая игрушка", "f"), ("toy car", "машинка", "f"), ("doll", "кукла", "f")),
         (300, 6_000), specs=("age",), weight=2.0),
    leaf("construction-sets", "kids", "Конструкторы", "Construction sets",
         (("building set", "конструктор", "m"), ("magnetic building set", "магнитный конструктор", "m")),
         (500, 15_000), axes=NONE, specs=("pieces", "age")),
    leaf("strollers", "kids", "Коляски", "Strollers",
         (("stroller", "коляска", "f"), ("travel stroller", "прогулочная коляска", "f")),
         (7_000, 80_000)),
    leaf("kids-clothing", "kids", "Детская одежда", "Kids' clothing",
         (("kids jacket", "детская куртка", "f"), ("kids overalls", "детский комбинезон", "m")),
         (800, 9_000), axes=(C, SZ)),
    leaf("baby-care", "kids", "Уход за малышом", "Baby care",
         (("diapers", "подгузники", "p"), ("baby wipes", "влажные салфетки", "p")), (300, 3_000),
         axes=NONE),
    leaf("board-games", "kids", "Настольные игры", "Board games",
         (("board game", "настольная игра", "f"), ("puzzle", "пазл", "m")), (400, 6_000), axes=NONE,
         specs=("age", "pieces")),
    leaf("school", "kids", "Школьные товары", "School supplies",
         (("pencil case", "пенал", "m"), ("notebook set", "набор тетрадей", "m")), (100, 2_500)),
    leaf("baby-feeding", "kids", "Кормление", "Feeding",
         (("baby bottle", "бутылочка для кормления", "f"), ("high chair", "стульчик для кормления", "m")),
         (300, 15_000)),
    # auto
    leaf("dashcams", "auto", "Видеорегистраторы", "Dash cams",
         (("dash cam", "видеорегистратор", "m"),), (1_500, 20_000), axes=NONE, specs=("resolution",)),
    leaf("tyres", "auto", "Шины", "Tyres",
         (("winter tyre", "зимняя шина", "f"), ("summer tyre", "летняя шина", "f")), (3_000, 25_000),
         axes=NONE, specs=("tyre-size",), weight=1.5),
    leaf("car-care", "auto", "Автохимия", "Car care",
         (("car shampoo", "автошампунь", "m"), ("glass cleaner", "очиститель стёкол", "m")), (200, 2_000),
         axes=(V,)),
    leaf("car-seats", "auto", "Автокресла", "Car seats",
         (("child car seat", "детское автокресло", "n"),), (3_000, 40_000), specs=("age",)),
    leaf("car-accessories", "auto", "Автоаксессуары", "Car accessories",
         (("phone holder", "держатель для телефона", "m"), ("car charger", "автомобильное зарядное", "n")),
         (200, 3_000)),
    leaf("wipers", "auto", "Щётки стеклоочистителя", "Wiper blades",
         (("wiper blade", "щётка стеклоочистителя", "f"),), (300, 3_000), axes=NONE, specs=("length",)),
    leaf("motor-oil", "auto", "Моторное масло", "Motor oil",
         (("motor oil", "моторное масло", "n"),), (600, 6_000), axes=NONE, specs=("viscosity", "capacity-l")),
    leaf("car-mats", "auto", "Автоковрики", "Car mats",
         (("car floor mats", "автомобильные коврики", "p"),), (800, 8_000)),
    # tools
    leaf("drills", "tools", "Дрели и шуруповёрты", "Drills",
         (("cordless drill", "аккумуляторная дрель", "f"), ("impact driver", "шуруповёрт", "m"),
          ("hammer drill", "перфоратор", "m")), (1_800, 30_000), axes=NONE, specs=("power", "battery"),
         weight=1.5),
    leaf("saws", "tools", "Пилы", "Saws",
         (("circular saw", "циркулярная пила", "f"), ("jigsaw", "электролобзик", "m")), (2_000, 25_000),
         axes=NONE, specs=("power",)),
    leaf("hand-tools", "tools", "Ручной инструмент", "Hand tools",
         (("hammer", "молоток", "m"), ("screwdriver set", "набор отвёрток", "m"), ("pliers", "плоскогубцы", "p")),
         (200, 5_000), axes=NONE),
    leaf("tool-sets", "tools", "Наборы инструментов", "Tool sets",
         (("tool set", "набор инструментов", "m"), ("socket set", "набор головок", "m")), (1_000, 20_000),
         axes=NONE, specs=("pieces",)),
    leaf("paint", "tools", "Краски", "Paint",
         (("interior paint", "интерьерная краска", "f"), ("spray paint", "аэрозольная краска", "f")),
         (300, 5_000), specs=("capacity-l",)),
    leaf("measuring", "tools", "Измерительные инструменты", "Measuring tools",
         (("laser level", "лазерный уровень", "m"), ("tape measure", "рулетка", "f")), (300, 15_000),
         axes=NONE),
    leaf("electrical", "tools", "Электрика", "Electrical",
         (("extension cord", "удлинитель", "m"), ("smart plug", "умная розетка", "f")), (300, 4_000)),
    leaf("plumbing", "tools", "Сантехника", "Plumbing",
         (("shower head", "лейка для душа", "f"), ("kitchen faucet", "смеситель для кухни", "m")),
         (500, 15_000)),
    # pets
    leaf("dog-food", "pets", "Корм для собак", "Dog food",
         (("dry dog food", "сухой корм для собак", "m"), ("wet dog food", "влажный корм для собак", "m")),
         (300, 8_000), axes=NONE, specs=("pack-kg",), weight=1.5),
    leaf("cat-food", "pets", "Корм для кошек", "Cat food",
         (("dry cat food", "сухой корм для кошек", "m"), ("wet cat food", "влажный корм для кошек", "m")),
         (200, 6_000), axes=NONE, specs=("pack-kg",), weight=1.5),
    leaf("pet-beds", "pets", "Лежанки", "Pet beds",
         (("pet bed", "лежанка", "f"), ("cat house", "домик для кошки", "m")), (600, 8_000)),
    leaf("leashes", "pets", "Поводки и ошейники", "Leashes & collars",
         (("dog leash", "поводок для собак", "m"), ("dog collar", "ошейник", "m")), (200, 3_000), axes=(C, SZ)),
    leaf("cat-litter", "pets", "Наполнители", "Cat litter",
         (("cat litter", "наполнитель для кошачьего туалета", "m"),), (200, 2_000), axes=NONE,
         specs=("pack-kg",)),
    leaf("pet-toys", "pets", "Игрушки для животных", "Pet toys",
         (("dog toy", "игрушка для собак", "f"), ("cat toy", "игрушка для кошек", "f")), (100, 1_500)),
    leaf("aquariums", "pets", "Аквариумы", "Aquariums",
         (("aquarium", "аквариум", "m"), ("aquarium filter", "фильтр для аквариума", "m")), (800, 25_000),
         axes=NONE, specs=("capacity-l",)),
    leaf("bird-supplies", "pets", "Товары для птиц", "Bird supplies",
         (("bird cage", "клетка для птиц", "f"), ("bird feed", "корм для птиц", "m")), (200, 6_000),
         axes=NONE),
    # garden
    leaf("garden-tools", "garden", "Садовый инструмент", "Garden tools",
         (("pruning shears", "секатор", "m"), ("garden shovel", "лопата", "f"), ("rake", "грабли", "p")),
         (300, 5_000), axes=NONE),
    leaf("lawn-mowers", "garden", "Газонокосилки", "Lawn mowers",
         (("lawn mower", "газонокосилка", "f"), ("grass trimmer", "триммер для травы", "m")),
         (4_000, 60_000), axes=NONE, specs=("power",)),
    leaf("seeds", "garden", "Семена", "Seeds",
         (("tomato seeds", "семена томатов", "p"), ("flower seeds", "семена цветов", "p")), (40, 600),
         axes=NONE),
    leaf("watering", "garden", "Полив", "Watering",
         (("garden hose", "садовый шланг", "m"), ("sprinkler", "дождеватель", "m")), (300, 6_000),
         axes=NONE, specs=("length",)),
    leaf("grills", "garden", "Мангалы и грили", "Grills",
         (("charcoal grill", "мангал", "m"), ("gas grill", "газовый гриль", "m")), (1_500, 60_000), axes=NONE),
    leaf("garden-furniture", "garden", "Садовая мебель", "Garden furniture",
         (("garden chair", "садовое кресло", "n"), ("hammock", "гамак", "m")), (1_000, 30_000)),
    leaf("greenhouses", "garden", "Теплицы", "Greenhouses",
         (("greenhouse", "теплица", "f"),), (5_000, 60_000), axes=NONE, specs=("length",)),
    leaf("pools", "garden", "Бассейны", "Pools",
         (("inflatable pool", "надувной бассейн", "m"), ("frame pool", "каркасный бассейн", "m")),
         (1_500, 60_000), axes=NONE, specs=("capacity-l",)),
)  # fmt: skip

# Brands per parent category, most common first (drawn with weight 1/rank).
BRANDS: dict[str, tuple[str, ...]] = {
    "electronics": ("Xiaomi", "Samsung", "Apple", "Novaphone", "Zentra", "Orbix", "Lumo",
                    "Vektor", "Quanta", "Sonára", "Tecnix", "Realta", "Huawo", "Pixelon"),
    "computers": ("Lenova", "Asteria", "Apple", "Deltex", "Acero", "Keyra", "Logitron",
                  "Digma", "Kingsten", "Tplinx", "Canox", "Hyperion"),
    "appliances": ("Polaris", "Redmond", "Bosche", "Dexta", "Vitek", "Tefal", "Kitfort",
                   "Scarlet", "Brauna", "Philon", "Atlanta"),
    "clothing": ("Nordwave", "Urbanika", "Taiga", "Gloria", "Mavi", "Befree", "Zolla",
                 "Ostin", "Kappa", "Columbia", "Finn Flare", "Lime"),
    "shoes": ("Nike", "Adidas", "Stridex", "Nordrun", "Puma", "Velocita", "Fleetfoot",
              "Reebok", "Ecco", "Kari", "Demix", "Asics", "Skechers"),
    "bags": ("Samsonite", "Urbanika", "Tigernu", "Wenger", "Casio", "Ray-Bon", "Fabretti",
             "Kipling", "Eastpak", "Zemlya"),
    "home": ("Togas", "Askona", "Ikeya", "Arya", "Cleo", "Sortex", "Home Line", "Medeo",
             "Verossa", "Luxberry"),
    "kitchen": ("Tefal", "Rondell", "Fissman", "Neva", "Kukmara", "Stahlberg", "Luminarc",
                "Thermos", "Attribute", "Bergner"),
    "beauty": ("Nivea", "Garnier", "Loreal", "Natura", "Librederm", "Holika", "Vichy",
               "Oral-B", "Braun", "Maybelline", "Estel"),
    "sports": ("Demix", "Stern", "Torneo", "Forward", "Stels", "Trek", "Tramp", "Outventure",
               "Nordway", "Kugoo", "Salomon"),
    "kids": ("Lego", "Mattel", "Hasbro", "Chicco", "Mir Detstva", "Smeshariki", "Happy Baby",
             "Pampers", "Cybex", "Tilly"),
    "auto": ("Michelin", "Nokian", "Bridgestone", "Castrol", "Liqui Moly", "Grass", "Bosche",
             "Inspector", "Neoline", "Sibrtech"),
    "tools": ("Makito", "Bosche", "Dewalt", "Zubr", "Interskol", "Stanley", "Tikkurila",
              "Kraftool", "Gross", "Elitech"),
    "pets": ("Royal Canin", "Purina", "Whiskas", "Pedigree", "Acana", "Trixie", "Ferplast",
             "Tetra", "Monge", "Grandorf"),
    "garden": ("Gardena", "Palisad", "Huter", "Champion", "Greenworks", "Bestway", "Intex",
               "Fiskars", "Park", "Gruntek"),
}  # fmt: skip

# Syllables the long tail of model words is built from ("Vexo", "Karin", "Tolumar").
SYLLABLES = (
    "ka", "ri", "to", "ve", "lu", "mar", "xo", "zen", "ta", "no", "vi", "sa", "el", "ron",
    "di", "qua", "bel", "tor", "mi", "ne", "ax", "ly", "gon", "pe", "ra", "sol", "fi", "den",
)  # fmt: skip
MARKS = ("", "", "", "Pro", "Lite", "Max", "Mini", "Plus", "2", "3", "5", "X", "S", "Air",
         "100", "200", "300", "500", "700", "900", "Ultra", "Neo", "One", "SE", "Go")  # fmt: skip
LINE_MARKS = ("", "", "Pro", "Plus", "Pro Max", "Lite")

GENDERS_RU = {
    "men": {"m": "мужской", "f": "мужская", "n": "мужское", "p": "мужские"},
    "women": {"m": "женский", "f": "женская", "n": "женское", "p": "женские"},
    "kids": {"m": "детский", "f": "детская", "n": "детское", "p": "детские"},
}
GENDERS_EN = {"men": "Men's", "women": "Women's", "kids": "Kids'"}
GENDER_WEIGHTS = (("men", 0.45), ("women", 0.45), ("kids", 0.10))

# Specification values, (ru, en); codes not in the demo's ATTRIBUTES are named in EXTRA_ATTRIBUTES.
SPECS: dict[str, SpecValues] = {
    "screen": (("6,1 дюйма", "6.1 in"), ("6,5 дюйма", "6.5 in"), ("6,7 дюйма", "6.7 in"),
               ("10,9 дюйма", "10.9 in"), ("1,4 дюйма", "1.4 in")),
    "screen-tv": (("43 дюйма", "43 in"), ("50 дюймов", "50 in"), ("55 дюймов", "55 in"),
                  ("65 дюймов", "65 in")),
    "screen-laptop": (("14 дюймов", "14 in"), ("15,6 дюйма", "15.6 in"), ("16 дюймов", "16 in")),
    "screen-monitor": (("24 дюйма", "24 in"), ("27 дюймов", "27 in"), ("32 дюйма", "32 in")),
    "resolution": (("Full HD", "Full HD"), ("2K", "2K"), ("4K", "4K")),
    "refresh": (("75 Гц", "75 Hz"), ("144 Гц", "144 Hz"), ("165 Гц", "165 Hz")),
    "ram": (("8 ГБ", "8 GB"), ("16 ГБ", "16 GB"), ("32 ГБ", "32 GB")),
    "processor": (("Intel Core i5", "Intel Core i5"), ("Intel Core i7", "Intel Core i7"),
                  ("AMD Ryzen 5", "AMD Ryzen 5"), ("AMD Ryzen 7", "AMD Ryzen 7")),
    "battery": (("4500 мА·ч", "4500 mAh"), ("5000 мА·ч", "5000 mAh"), ("10000 мА·ч", "10000 mAh"),
                ("20000 мА·ч", "20000 mAh")),
    "camera": (("50 Мп", "50 MP"), ("48 Мп", "48 MP"), ("24 Мп", "24 MP")),
    "battery-life": (("до 8 часов", "up to 8 hours"), ("до 24 часов", "up to 24 hours"),
                     ("до 7 дней", "up to 7 days")),
    "connection": (("Bluetooth 5.3", "Bluetooth 5.3"), ("USB-C", "USB-C"), ("радио 2,4 ГГц", "2.4 GHz radio")),
    "water-resistance": (("IP67", "IP67"), ("IP68", "IP68"), ("5 ATM", "5 ATM")),
    "power": (("800 Вт", "800 W"), ("1200 Вт", "1200 W"), ("2000 Вт", "2000 W"), ("20 Вт", "20 W")),
    "capacity-l": (("0,5 л", "0.5 l"), ("1,7 л", "1.7 l"), ("3 л", "3 l"), ("20 л", "20 l")),
    "capacity": (("20 л", "20 l"), ("30 л", "30 l"), ("60 л", "60 l")),
    "load-kg": (("6 кг", "6 kg"), ("7 кг", "7 kg"), ("8 кг", "8 kg")),
    "spin": (("1000 об/мин", "1000 rpm"), ("1200 об/мин", "1200 rpm")),
    "material": (("хлопок", "cotton"), ("натуральная кожа", "genuine leather"), ("полиэстер", "polyester"),
                 ("шерсть", "wool"), ("нержавеющая сталь", "stainless steel"), ("пластик", "plastic")),
    "season": (("лето", "summer"), ("зима", "winter"), ("демисезон", "spring/autumn")),
    "lining": (("мех", "fur"), ("флис", "fleece"), ("без подкладки", "unlined")),
    "skin-type": (("сухая", "dry"), ("жирная", "oily"), ("любой тип", "all skin types")),
    "fragrance": (("цитрус", "citrus"), ("ваниль", "vanilla"), ("древесные ноты", "woody")),
    "weight": (("1 кг", "1 kg"), ("5 кг", "5 kg"), ("10 кг", "10 kg")),
    "wheel": (("20 дюймов", "20 in"), ("26 дюймов", "26 in"), ("29 дюймов", "29 in")),
    "gears": (("7 скоростей", "7 speeds"), ("21 скорость", "21 speeds")),
    "persons": (("2 места", "sleeps 2"), ("4 места", "sleeps 4")),
    "age": (("от 3 лет", "3+ years"), ("от 6 лет", "6+ years"), ("от 0 месяцев", "0+ months")),
    "pieces": (("100 деталей", "100 pieces"), ("500 деталей", "500 pieces"), ("1000 деталей", "1000 pieces")),
    "interface": (("NVMe", "NVMe"), ("SATA", "SATA"), ("USB 3.2", "USB 3.2")),
    "wifi": (("Wi-Fi 5", "Wi-Fi 5"), ("Wi-Fi 6", "Wi-Fi 6")),
    "diameter": (("24 см", "24 cm"), ("26 см", "26 cm"), ("28 см", "28 cm")),
    "tyre-size": (("205/55 R16", "205/55 R16"), ("195/65 R15", "195/65 R15"), ("225/45 R17", "225/45 R17")),
    "length": (("45 см", "45 cm"), ("55 см", "55 cm"), ("15 м", "15 m"), ("4 м", "4 m")),
    "viscosity": (("5W-30", "5W-30"), ("5W-40", "5W-40"), ("10W-40", "10W-40")),
    "pack-kg": (("0,4 кг", "0.4 kg"), ("2 кг", "2 kg"), ("10 кг", "10 kg")),
}  # fmt: skip

EXTRA_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "screen-tv": ("Диагональ", "Screen size"),
    "screen-laptop": ("Диагональ", "Screen size"),
    "screen-monitor": ("Диагональ", "Screen size"),
    "resolution": ("Разрешение", "Resolution"),
    "refresh": ("Частота обновления", "Refresh rate"),
    "capacity-l": ("Объём", "Capacity"),
    "load-kg": ("Загрузка", "Load"),
    "spin": ("Отжим", "Spin speed"),
    "interface": ("Интерфейс", "Interface"),
    "wifi": ("Стандарт Wi-Fi", "Wi-Fi standard"),
    "diameter": ("Диаметр", "Diameter"),
    "tyre-size": ("Типоразмер", "Tyre size"),
    "length": ("Длина", "Length"),
    "viscosity": ("Вязкость", "Viscosity"),
    "pack-kg": ("Вес упаковки", "Pack weight"),
    "gender": ("Пол", "Gender"),
}
ATTRIBUTES: dict[str, tuple[str, str]] = {**DEMO_ATTRIBUTES, **EXTRA_ATTRIBUTES}
GENDER_VALUES = {
    "men": ("мужской", "men"),
    "women": ("женский", "women"),
    "kids": ("детский", "kids"),
}

COUNTRIES_OF_MANUFACTURE = {
    **MADE_IN,
    "BY": ("Беларусь", "Belarus"),
    "UZ": ("Узбекистан", "Uzbekistan"),
}


@dataclass(frozen=True)
class Delivery:
    carrier: str
    name_ru: str
    name_en: str
    price: Decimal  # in the seller's currency
    transit_days: tuple[int, int]


@dataclass(frozen=True)
class Market:
    country: str
    currency: str
    share: float  # of the sellers
    deliveries: tuple[Delivery, ...]
    # Where else its sellers sometimes ship from (a warehouse abroad).
    other_origin: str


def _d(carrier: str, ru: str, en: str, price: str, low: int, high: int) -> Delivery:
    return Delivery(carrier, ru, en, Decimal(price), (low, high))


MARKETS: tuple[Market, ...] = (
    Market("RU", "RUB", 0.40, (_d("CDEK", "СДЭК до пункта выдачи", "CDEK to pick-up point", "390", 2, 5),
                               _d("Russian Post", "Почта России", "Russian Post", "290", 4, 9),
                               _d("Yandex Delivery", "Яндекс Доставка", "Yandex Delivery", "490", 1, 2)), "CN"),
    Market("CN", "CNY", 0.25, (_d("Cainiao", "Cainiao Standard", "Cainiao Standard", "39", 14, 25),
                               _d("Cainiao", "Cainiao Premium", "Cainiao Premium", "89", 8, 14),
                               _d("DHL", "DHL Express", "DHL Express", "260", 5, 8)), "RU"),
    Market("TR", "TRY", 0.10, (_d("PTT", "Почта Турции (PTT)", "Turkish Post (PTT)", "450", 10, 20),
                               _d("DHL", "DHL Express", "DHL Express", "1400", 4, 6)), "RU"),
    Market("KZ", "KZT", 0.08, (_d("Kazpost", "Казпочта", "Kazpost", "2500", 7, 12),
                               _d("CDEK", "СДЭК, экспресс", "CDEK express", "3900", 4, 7)), "RU"),
    Market("BY", "BYN", 0.06, (_d("Belpost", "Белпочта", "Belpost", "12", 5, 10),
                               _d("CDEK", "СДЭК", "CDEK", "18", 3, 6)), "RU"),
    Market("DE", "EUR", 0.05, (_d("DHL", "DHL Paket International", "DHL Paket International", "14.90", 7, 14),
                               _d("DHL", "DHL Express", "DHL Express", "39.00", 3, 5)), "CN"),
    Market("AM", "USD", 0.03, (_d("HayPost", "Почта Армении", "HayPost", "9", 7, 14),
                               _d("CDEK", "СДЭК", "CDEK", "15", 4, 8)), "RU"),
    Market("UZ", "USD", 0.03, (_d("Uzpost", "Почта Узбекистана", "Uzbekistan Post", "8", 8, 15),
                               _d("CDEK", "СДЭК", "CDEK", "14", 5, 9)), "RU"),
)  # fmt: skip

# One unit of the currency in roubles (the demo's rates, and the Belarusian rouble's).
RATES: dict[str, Decimal] = {**DEMO_RATES, "BYN": Decimal("27.8000")}
