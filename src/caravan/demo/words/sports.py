"""Demo listing words for the sports categories."""

from .base import NO_SUFFIX, LeafWords, Spec

LEAVES: tuple[LeafWords, ...] = (
    LeafWords(
        "fitness",
        "sports",
        "Фитнес",
        "Fitness",
        "dumbbell",
        ((222, 244, 222), (96, 176, 104)),
        kinds=(
            ("adjustable dumbbell set", "набор разборных гантелей"),
            ("yoga mat", "коврик для йоги"),
            ("dumbbell pair", "пара гантелей"),
            ("kettlebell", "гиря"),
            ("pilates mat", "коврик для пилатеса"),
        ),
        kind_shapes=(("yoga mat", "mat"), ("pilates mat", "mat"), ("kettlebell", "kettlebell")),
        brands=("Ironline", "Atleto", "FlexPro", "Sila"),
        series=("Home", "Pro", "Core", "Power", "Balance"),
        marks=("", "2", "X"),
        suffixes=(
            NO_SUFFIX,
            ("for home workouts", "для домашних тренировок"),
            ("with carry bag", "с чехлом"),
        ),
        price_rub=(500, 12_000),
        specs=(
            Spec(
                "weight",
                (("1 кг", "1 kg"), ("8 кг", "8 kg"), ("16 кг", "16 kg"), ("20 кг", "20 kg")),
            ),
            Spec(
                "material",
                (
                    ("неопрен", "neoprene"),
                    ("TPE", "TPE"),
                    ("чугун", "cast iron"),
                    ("латекс", "latex"),
                ),
            ),
        ),
        options=(("colour", ("Black", "Grey", "Purple", "Green", "Pink", "Sky blue")),),
        features=(
            (
                "A full-body workout without going to the gym.",
                "Тренировка всего тела без похода в зал.",
            ),
            (
                "Non-slip surface that does not smell of rubber.",
                "Нескользящая поверхность без запаха резины.",
            ),
            (
                "Takes a minute to assemble and stores under the bed.",
                "Собирается за минуту и хранится под кроватью.",
            ),
            ("Exercise chart included.", "В комплекте плакат с упражнениями."),
        ),
        made_in=("CN", "RU"),
    ),
    LeafWords(
        "cycling",
        "sports",
        "Велосипеды",
        "Cycling",
        "bicycle",
        ((214, 240, 250), (60, 150, 196)),
        kinds=(
            ("mountain bike", "горный велосипед"),
            ("city bike", "городской велосипед"),
            ("folding bike", "складной велосипед"),
            ("gravel bike", "гравийный велосипед"),
        ),
        brands=("Velomir", "Kama Bikes", "Radhaus", "Altai Cycles"),
        series=("Trail", "Urban", "Fold", "Gravel", "Sprint"),
        marks=("20", "24", "26", "27.5", "29"),
        suffixes=(
            NO_SUFFIX,
            ("with disc brakes", "с дисковыми тормозами"),
            ("with aluminium frame", "с алюминиевой рамой"),
        ),
        price_rub=(12_000, 95_000),
        specs=(
            Spec(
                "wheel",
                (
                    ("26 дюймов", "26 in"),
                    ("27,5 дюйма", "27.5 in"),
                    ("29 дюймов", "29 in"),
                    ("20 дюймов", "20 in"),
                ),
            ),
            Spec("gears", (("1", "1"), ("7", "7"), ("21", "21"), ("24", "24"))),
            Spec(
                "weight", (("11,5 кг", "11.5 kg"), ("13,8 кг", "13.8 kg"), ("15,2 кг", "15.2 kg"))
            ),
        ),
        options=(
            ("frame-size", ()),
            ("colour", ("Black", "White", "Red", "Sky blue", "Green", "Orange")),
        ),
        features=(
            (
                "Hydraulic disc brakes stop sure in the rain.",
                "Гидравлические дисковые тормоза уверенно останавливают в дождь.",
            ),
            (
                "A suspension fork soaks up curbs and roots.",
                "Амортизационная вилка сглаживает бордюры и корни.",
            ),
            (
                "Delivered 85% assembled, tools included.",
                "Поставляется собранным на 85%, инструменты в комплекте.",
            ),
            (
                "A light aluminium frame that does not rust.",
                "Лёгкая алюминиевая рама не боится коррозии.",
            ),
        ),
        made_in=("CN", "RU", "DE"),
    ),
    LeafWords(
        "camping",
        "sports",
        "Туризм и кемпинг",
        "Camping & Hiking",
        "tent",
        ((228, 240, 214), (120, 150, 80)),
        kinds=(
            ("camping tent", "туристическая палатка"),
            ("trekking tent", "трекинговая палатка"),
            ("family tent", "кемпинговая палатка"),
            ("sleeping bag", "спальный мешок"),
            ("down sleeping bag", "пуховый спальный мешок"),
        ),
        kind_shapes=(("sleeping bag", "sleeping-bag"), ("down sleeping bag", "sleeping-bag")),
        brands=("Taiga Outdoor", "Nordkap", "Bergwelt", "Kamchatka Gear"),
        series=("Expedition", "Trek", "Base", "Light", "Forest"),
        marks=("2", "3", "4", "UL"),
        suffixes=(
            NO_SUFFIX,
            ("for hiking and camping", "для походов и кемпинга"),
            ("with carry bag", "с чехлом для переноски"),
        ),
        price_rub=(1_200, 30_000),
        specs=(
            Spec(
                "material",
                (
                    ("полиэстер 210T", "210T polyester"),
                    ("нейлон рипстоп", "ripstop nylon"),
                    ("оксфорд 240D", "240D Oxford"),
                ),
            ),
            Spec("water-resistance", (("3000 мм", "3000 mm"), ("5000 мм", "5000 mm"))),
            Spec("weight", (("0,9 кг", "0.9 kg"), ("1,8 кг", "1.8 kg"), ("3,2 кг", "3.2 kg"))),
        ),
        options=(("colour", ("Olive", "Orange", "Grey", "Sky blue", "Green")),),
        features=(
            (
                "Sets up in five minutes, even alone.",
                "Устанавливается за пять минут даже в одиночку.",
            ),
            (
                "Taped seams keep out a night of rain.",
                "Проклеенные швы выдерживают ночь под дождём.",
            ),
            (
                "Packs small and fits a 40-litre backpack.",
                "Складывается компактно и помещается в 40-литровый рюкзак.",
            ),
            ("Tested in the Urals and in Karelia.", "Проверено в походах по Уралу и Карелии."),
        ),
        made_in=("CN", "RU", "DE"),
    ),
)
