"""Demo listing words for the fashion categories."""

from .base import NO_SUFFIX, LeafWords, Spec

LEAVES: tuple[LeafWords, ...] = (
    LeafWords(
        "sneakers",
        "fashion",
        "Кроссовки",
        "Sneakers",
        "sneaker",
        ((255, 232, 214), (236, 140, 96)),
        kinds=(
            ("running shoes", "беговые кроссовки"),
            ("sneakers", "кроссовки"),
            ("leather trainers", "кожаные кеды"),
            ("trail running shoes", "кроссовки для трейла"),
            ("canvas trainers", "текстильные кеды"),
        ),
        brands=("Stridex", "Nordrun", "Urbanika", "Velocita", "Fleetfoot"),
        series=("Runner", "Street", "Court", "Trail", "Flow", "Classic"),
        marks=("2", "3", "92", "500", "Low", "High"),
        suffixes=(
            NO_SUFFIX,
            ("with cushioned sole", "с амортизирующей подошвой"),
            ("for every day", "на каждый день"),
        ),
        price_rub=(2_500, 16_000),
        specs=(
            Spec(
                "material",
                (
                    ("натуральная кожа", "genuine leather"),
                    ("текстиль и сетка", "textile and mesh"),
                    ("замша", "suede"),
                ),
            ),
            Spec(
                "season",
                (("лето", "summer"), ("демисезон", "spring/autumn"), ("всесезонные", "all-season")),
            ),
            Spec("weight", (("280 г", "280 g"), ("320 г", "320 g"), ("360 г", "360 g"))),
        ),
        options=(
            ("colour", ("Black", "White", "Grey", "Navy", "Beige", "Red", "Olive")),
            ("shoe-size", ()),
        ),
        features=(
            (
                "A breathable mesh upper keeps feet cool.",
                "Дышащий верх из сетки не даёт ногам перегреваться.",
            ),
            (
                "The foam midsole softens every step.",
                "Промежуточная подошва из пены смягчает каждый шаг.",
            ),
            (
                "The rubber outsole grips wet pavements.",
                "Резиновая подошва уверенно держит на мокром асфальте.",
            ),
            (
                "True to size: take your usual size.",
                "Размер соответствует стандартному — берите свой обычный.",
            ),
            ("A removable insole with arch support.", "Съёмная стелька с поддержкой свода стопы."),
        ),
        made_in=("CN", "VN", "TR"),
        has_warranty=False,
    ),
    LeafWords(
        "jackets",
        "fashion",
        "Куртки",
        "Jackets",
        "jacket",
        ((226, 232, 246), (92, 112, 160)),
        kinds=(
            ("down jacket", "пуховик"),
            ("parka", "парка"),
            ("leather jacket", "кожаная куртка"),
            ("denim jacket", "джинсовая куртка"),
            ("windbreaker", "ветровка"),
            ("softshell jacket", "софтшелл-куртка"),
        ),
        brands=("Nordkap", "Tundra Wear", "Citylane", "Polaris", "Bosforo"),
        series=("Arctic", "Urban", "Storm", "Classic", "Metro", "Alpine"),
        marks=("", "", "II", "2.0"),
        suffixes=(
            NO_SUFFIX,
            ("with hood", "с капюшоном"),
            ("with water-repellent finish", "с водоотталкивающей пропиткой"),
        ),
        price_rub=(3_500, 28_000),
        specs=(
            Spec(
                "material",
                (
                    ("полиэстер", "polyester"),
                    ("нейлон", "nylon"),
                    ("натуральная кожа", "genuine leather"),
                    ("хлопковый деним", "cotton denim"),
                ),
            ),
            Spec(
                "lining",
                (
                    ("искусственный пух", "synthetic down"),
                    ("утиный пух 80/20", "duck down 80/20"),
                    ("флис", "fleece"),
                    ("без подкладки", "unlined"),
                ),
            ),
            Spec("season", (("зима", "winter"), ("демисезон", "spring/autumn"))),
        ),
        options=(("colour", ("Black", "Navy", "Olive", "Beige", "Graphite", "Red")), ("size", ())),
        features=(
            ("Keeps you warm down to minus 25 °C.", "Согревает до минус 25 °C."),
            (
                "Two-way zip and storm flap against the wind.",
                "Двусторонняя молния и ветрозащитная планка.",
            ),
            (
                "Deep pockets with a soft fleece lining.",
                "Глубокие карманы с мягкой флисовой подкладкой.",
            ),
            ("Machine washable at 30 °C.", "Можно стирать в машине при 30 °C."),
            (
                "A relaxed fit that leaves room for a sweater.",
                "Свободный крой — под куртку поместится свитер.",
            ),
        ),
        made_in=("CN", "TR", "RU"),
        has_warranty=False,
    ),
    LeafWords(
        "backpacks",
        "fashion",
        "Рюкзаки",
        "Backpacks",
        "backpack",
        ((240, 236, 220), (170, 150, 96)),
        kinds=(
            ("city backpack", "городской рюкзак"),
            ("hiking backpack", "туристический рюкзак"),
            ("laptop backpack", "рюкзак для ноутбука"),
            ("school backpack", "школьный рюкзак"),
        ),
        brands=("Trekbag", "Citylane", "Nordkap", "Packwell"),
        series=("Urban", "Trail", "Daypack", "Commuter", "Scout"),
        marks=("20", "25", "30", "45", "60"),
        suffixes=(
            NO_SUFFIX,
            ("with USB port", "с USB-портом"),
            ("with rain cover", "с дождевым чехлом"),
        ),
        price_rub=(1_500, 12_000),
        specs=(
            Spec("capacity", (("20 л", "20 L"), ("30 л", "30 L"), ("45 л", "45 L"))),
            Spec(
                "material",
                (("нейлон 600D", "600D nylon"), ("полиэстер", "polyester"), ("кордура", "Cordura")),
            ),
            Spec("weight", (("650 г", "650 g"), ("900 г", "900 g"), ("1,4 кг", "1.4 kg"))),
        ),
        options=(("colour", ("Black", "Grey", "Olive", "Navy", "Orange", "Beige")),),
        features=(
            (
                "A padded sleeve holds a 15.6-inch laptop.",
                "Мягкое отделение для ноутбука до 15,6 дюйма.",
            ),
            (
                "Ventilated back panel and S-shaped straps.",
                "Вентилируемая спинка и S-образные лямки.",
            ),
            (
                "Water-repellent fabric and sealed zips.",
                "Водоотталкивающая ткань и защищённые молнии.",
            ),
            (
                "A hidden pocket for passport and wallet.",
                "Потайной карман для паспорта и кошелька.",
            ),
        ),
        made_in=("CN", "VN"),
        has_warranty=False,
    ),
)
