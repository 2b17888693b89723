"""Demo listing words for the electronics categories."""

from .base import NO_SUFFIX, WEIGHTS_LIGHT, LeafWords, Spec

LEAVES: tuple[LeafWords, ...] = (
    LeafWords(
        "smartphones",
        "electronics",
        "Смартфоны",
        "Smartphones",
        "phone",
        ((214, 228, 255), (120, 156, 236)),
        kinds=(
            ("smartphone", "смартфон"),
            ("5G smartphone", "смартфон 5G"),
            ("compact smartphone", "компактный смартфон"),
            ("rugged smartphone", "защищённый смартфон"),
        ),
        brands=("Novaphone", "Zentra", "Orbix", "Lumo", "Vektor", "Quanta"),
        series=("One", "Neo", "Edge", "Lite", "Nova", "Max"),
        marks=("5", "7", "8", "10", "12", "X", "S3", "Pro"),
        suffixes=(
            NO_SUFFIX,
            NO_SUFFIX,
            ("with 120 Hz display", "с экраном 120 Гц"),
            ("with dual SIM", "с двумя SIM-картами"),
            ("with NFC", "с NFC"),
        ),
        price_rub=(9_000, 95_000),
        specs=(
            Spec(
                "screen",
                (("6,1 дюйма", "6.1 in"), ("6,5 дюйма", "6.5 in"), ("6,7 дюйма", "6.7 in")),
            ),
            Spec(
                "processor",
                (("8 ядер, 2,8 ГГц", "8 cores, 2.8 GHz"), ("8 ядер, 3,2 ГГц", "8 cores, 3.2 GHz")),
            ),
            Spec("ram", (("6 ГБ", "6 GB"), ("8 ГБ", "8 GB"), ("12 ГБ", "12 GB"))),
            Spec(
                "battery",
                (("4500 мА·ч", "4500 mAh"), ("5000 мА·ч", "5000 mAh"), ("5500 мА·ч", "5500 mAh")),
            ),
            Spec("camera", (("50 Мп", "50 MP"), ("64 Мп", "64 MP"), ("108 Мп", "108 MP"))),
        ),
        options=(
            ("colour", ("Black", "White", "Graphite", "Silver", "Navy", "Sky blue", "Green")),
            ("memory", ("128 GB", "256 GB", "512 GB")),
        ),
        features=(
            (
                "The AMOLED display stays readable in bright sunlight.",
                "AMOLED-экран хорошо читается даже на ярком солнце.",
            ),
            (
                "Fast charging tops the battery up to 50% in 20 minutes.",
                "Быстрая зарядка восполняет 50% аккумулятора за 20 минут.",
            ),
            (
                "Night mode keeps photos sharp after dark.",
                "Ночной режим делает чёткие снимки даже в темноте.",
            ),
            ("NFC for contactless payments.", "Есть NFC для бесконтактной оплаты."),
            (
                "Takes two SIM cards and a memory card.",
                "Поддерживает две SIM-карты и карту памяти.",
            ),
            (
                "The body is protected from splashes to IP54.",
                "Корпус защищён от брызг по стандарту IP54.",
            ),
        ),
        made_in=("CN", "VN"),
    ),
    LeafWords(
        "headphones",
        "electronics",
        "Наушники",
        "Headphones",
        "headphones",
        ((236, 222, 255), (158, 122, 230)),
        kinds=(
            ("wireless headphones", "беспроводные наушники"),
            ("TWS earbuds", "TWS-наушники"),
            ("over-ear headphones", "полноразмерные наушники"),
            ("gaming headset", "игровая гарнитура"),
            ("sports earphones", "спортивные наушники"),
        ),
        kind_shapes=(("TWS earbuds", "earbuds"), ("sports earphones", "earbuds")),
        brands=("Sonora", "Bassline", "AudioFox", "Klang", "Echowave"),
        series=("Pulse", "Air", "Studio", "Beat", "Buds", "Wave"),
        marks=("2", "3", "5", "Pro", "Lite", "Max", "X"),
        suffixes=(
            NO_SUFFIX,
            ("with noise cancelling", "с шумоподавлением"),
            ("with microphone", "с микрофоном"),
            ("with charging case", "с зарядным кейсом"),
        ),
        price_rub=(1_500, 25_000),
        specs=(
            Spec(
                "connection",
                (
                    ("Bluetooth 5.3", "Bluetooth 5.3"),
                    ("Bluetooth 5.2, USB-C", "Bluetooth 5.2, USB-C"),
                    ("Bluetooth 5.3 и кабель 3,5 мм", "Bluetooth 5.3 and 3.5 mm cable"),
                ),
            ),
            Spec(
                "battery-life",
                (
                    ("до 30 часов", "up to 30 hours"),
                    ("до 40 часов", "up to 40 hours"),
                    ("до 8 часов, 32 с кейсом", "up to 8 hours, 32 with the case"),
                ),
            ),
            Spec("water-resistance", (("IPX4", "IPX4"), ("IPX5", "IPX5"), ("нет", "none"))),
            WEIGHTS_LIGHT,
        ),
        options=(("colour", ("Black", "White", "Navy", "Pink", "Sky blue", "Graphite", "Beige")),),
        features=(
            (
                "Active noise cancelling shuts out the metro and the office.",
                "Активное шумоподавление глушит шум метро и офиса.",
            ),
            (
                "Deep bass and clear highs at any volume.",
                "Глубокий бас и чистые высокие частоты на любой громкости.",
            ),
            (
                "Pairs with a phone and a laptop at the same time.",
                "Подключаются одновременно к телефону и ноутбуку.",
            ),
            (
                "Soft ear cushions stay comfortable for hours.",
                "Мягкие амбушюры не давят даже после нескольких часов.",
            ),
            (
                "Ten minutes of charging gives two hours of music.",
                "Десять минут зарядки — два часа музыки.",
            ),
        ),
        made_in=("CN", "VN"),
    ),
    LeafWords(
        "laptops",
        "electronics",
        "Ноутбуки",
        "Laptops",
        "laptop",
        ((220, 236, 244), (104, 150, 180)),
        kinds=(
            ("laptop", "ноутбук"),
            ("ultrabook", "ультрабук"),
            ("gaming laptop", "игровой ноутбук"),
            ("2-in-1 laptop", "ноутбук-трансформер"),
        ),
        brands=("Orbix", "Vektor", "Northbook", "Terra", "Lumo"),
        series=("Book", "Air", "Pro", "Flex", "Station", "Craft"),
        marks=("13", "14", "15", "16", "X1", "S"),
        suffixes=(
            NO_SUFFIX,
            ("with backlit keyboard", "с подсветкой клавиатуры"),
            ("for work and study", "для работы и учёбы"),
        ),
        price_rub=(35_000, 190_000),
        specs=(
            Spec(
                "screen",
                (
                    ("13,3 дюйма", "13.3 in"),
                    ("14 дюймов", "14 in"),
                    ("15,6 дюйма", "15.6 in"),
                    ("16 дюймов", "16 in"),
                ),
            ),
            Spec(
                "processor",
                (
                    ("Intel Core i5-1335U", "Intel Core i5-1335U"),
                    ("Intel Core i7-13700H", "Intel Core i7-13700H"),
                    ("AMD Ryzen 5 7530U", "AMD Ryzen 5 7530U"),
                    ("AMD Ryzen 7 7840HS", "AMD Ryzen 7 7840HS"),
                ),
            ),
            Spec("ram", (("8 ГБ", "8 GB"), ("16 ГБ", "16 GB"), ("32 ГБ", "32 GB"))),
            Spec(
                "battery-life",
                (
                    ("до 8 часов", "up to 8 hours"),
                    ("до 12 часов", "up to 12 hours"),
                    ("до 15 часов", "up to 15 hours"),
                ),
            ),
            Spec("weight", (("1,3 кг", "1.3 kg"), ("1,6 кг", "1.6 kg"), ("2,3 кг", "2.3 kg"))),
        ),
        options=(
            ("colour", ("Black", "Silver", "Graphite", "Navy")),
            ("memory", ("256 GB", "512 GB", "1 TB")),
        ),
        features=(
            (
                "An aluminium body that weighs less than a bag of flour.",
                "Алюминиевый корпус легче пакета муки.",
            ),
            (
                "The IPS matte screen does not glare under office lights.",
                "Матовый IPS-экран не бликует под офисными лампами.",
            ),
            (
                "A full-size keyboard with a numeric pad.",
                "Полноразмерная клавиатура с цифровым блоком.",
            ),
            ("Wi-Fi 6, two USB-C ports and HDMI.", "Wi-Fi 6, два порта USB-C и HDMI."),
            (
                "The cooling stays quiet under load.",
                "Система охлаждения работает тихо даже под нагрузкой.",
            ),
            (
                "Russian and English keyboard layout engraved.",
                "Гравировка клавиатуры — русская и английская раскладка.",
            ),
        ),
        made_in=("CN",),
    ),
    LeafWords(
        "smartwatches",
        "electronics",
        "Умные часы",
        "Smartwatches",
        "watch",
        ((210, 244, 236), (72, 170, 150)),
        kinds=(
            ("smartwatch", "умные часы"),
            ("fitness tracker", "фитнес-браслет"),
            ("kids' smartwatch", "детские умные часы"),
            ("sports watch", "спортивные часы"),
        ),
        brands=("Zentra", "Tempo", "Kronos", "Fitbeam", "Novaphone"),
        series=("Watch", "Band", "Active", "Fit", "Run"),
        marks=("3", "4", "5", "S", "GT", "Pro"),
        suffixes=(
            NO_SUFFIX,
            ("with GPS", "с GPS"),
            ("with heart-rate monitor", "с пульсометром"),
            ("with AMOLED display", "с AMOLED-экраном"),
        ),
        price_rub=(2_500, 35_000),
        specs=(
            Spec(
                "screen",
                (("1,4 дюйма", "1.4 in"), ("1,6 дюйма", "1.6 in"), ("1,9 дюйма", "1.9 in")),
            ),
            Spec(
                "battery-life",
                (
                    ("до 7 дней", "up to 7 days"),
                    ("до 14 дней", "up to 14 days"),
                    ("до 21 дня", "up to 21 days"),
                ),
            ),
            Spec("water-resistance", (("5 ATM", "5 ATM"), ("IP68", "IP68"), ("10 ATM", "10 ATM"))),
            Spec(
                "connection",
                (("Bluetooth 5.2", "Bluetooth 5.2"), ("Bluetooth 5.3, NFC", "Bluetooth 5.3, NFC")),
            ),
        ),
        options=(("colour", ("Black", "Silver", "Pink", "Navy", "Green", "Beige")),),
        features=(
            (
                "Tracks heart rate, sleep and blood oxygen around the clock.",
                "Круглосуточно следит за пульсом, сном и уровнем кислорода в крови.",
            ),
            (
                "Over 100 sports modes, from running to swimming.",
                "Более 100 спортивных режимов — от бега до плавания.",
            ),
            (
                "Shows calls and messages from your phone.",
                "Показывает звонки и сообщения со смартфона.",
            ),
            (
                "The strap changes in seconds without tools.",
                "Ремешок меняется за секунды без инструментов.",
            ),
            ("Works with Android and iOS.", "Совместимы с Android и iOS."),
        ),
        made_in=("CN",),
    ),
)
