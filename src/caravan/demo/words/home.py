"""Demo listing words for the home categories."""

from .base import NO_SUFFIX, LeafWords, Spec

LEAVES: tuple[LeafWords, ...] = (
    LeafWords(
        "cookware",
        "home",
        "Посуда для готовки",
        "Cookware",
        "pot",
        ((255, 236, 224), (214, 120, 96)),
        kinds=(
            ("frying pan", "сковорода"),
            ("saucepan", "кастрюля"),
            ("cookware set", "набор посуды"),
            ("wok", "сковорода-вок"),
            ("sauté pan", "сотейник"),
        ),
        kind_shapes=(("frying pan", "pan"), ("wok", "pan"), ("sauté pan", "pan")),
        brands=("Kuchenmeister", "Tefaro", "Hausberg", "Ladoga", "Ferro"),
        series=("Classic", "Granit", "Prima", "Gourmet", "Induction"),
        marks=("20", "24", "26", "28"),
        suffixes=(
            NO_SUFFIX,
            ("with non-stick coating", "с антипригарным покрытием"),
            ("with glass lid", "со стеклянной крышкой"),
        ),
        price_rub=(1_200, 14_000),
        specs=(
            Spec(
                "material",
                (
                    ("алюминий", "aluminium"),
                    ("нержавеющая сталь", "stainless steel"),
                    ("чугун", "cast iron"),
                ),
            ),
            Spec(
                "cooktop",
                (
                    ("все типы плит, включая индукционные", "all hobs including induction"),
                    ("газовые и электрические", "gas and electric"),
                ),
            ),
            Spec("weight", (("1,1 кг", "1.1 kg"), ("1,6 кг", "1.6 kg"), ("2,8 кг", "2.8 kg"))),
        ),
        options=(("colour", ("Black", "Graphite", "Red", "Beige", "Green")),),
        features=(
            (
                "The three-layer non-stick coating needs almost no oil.",
                "Трёхслойное антипригарное покрытие — масло почти не нужно.",
            ),
            (
                "A thick base heats evenly and does not warp.",
                "Толстое дно прогревается равномерно и не деформируется.",
            ),
            (
                "Safe in the dishwasher and in the oven up to 220 °C.",
                "Можно мыть в посудомоечной машине и ставить в духовку до 220 °C.",
            ),
            ("The handle stays cool while you cook.", "Ручка не нагревается во время готовки."),
        ),
        made_in=("DE", "CN", "RU", "IT"),
    ),
    LeafWords(
        "bedding",
        "home",
        "Постельное бельё",
        "Bedding",
        "pillow",
        ((244, 236, 250), (176, 150, 206)),
        kinds=(
            ("bed linen set", "комплект постельного белья"),
            ("duvet", "одеяло"),
            ("pillow", "подушка"),
            ("bedspread", "покрывало"),
        ),
        brands=("Pamuk", "Dreamhaus", "Ivanovo Textile", "Lunaria"),
        series=("Satin", "Percale", "Cotton Dream", "Provence", "Nordic", "Anatolia"),
        marks=("",),
        suffixes=(
            NO_SUFFIX,
            ("made of 100% cotton", "из 100% хлопка"),
            ("in a gift box", "в подарочной упаковке"),
        ),
        price_rub=(1_500, 12_000),
        specs=(
            Spec(
                "material",
                (
                    ("сатин", "sateen"),
                    ("перкаль", "percale"),
                    ("поплин", "poplin"),
                    ("бамбуковое волокно", "bamboo fibre"),
                ),
            ),
            Spec(
                "thread-count",
                (
                    ("120 нитей/см²", "120 threads/cm²"),
                    ("150 нитей/см²", "150 threads/cm²"),
                    ("180 нитей/см²", "180 threads/cm²"),
                ),
            ),
        ),
        options=(
            ("colour", ("White", "Beige", "Grey", "Sky blue", "Pink", "Green")),
            ("bedding-size", ()),
        ),
        features=(
            (
                "Soft cotton that gets softer with every wash.",
                "Мягкий хлопок, который становится нежнее с каждой стиркой.",
            ),
            ("The colours hold after 100 washes.", "Цвет не тускнеет и после 100 стирок."),
            ("Hidden zip on the duvet cover.", "Пододеяльник на скрытой молнии."),
            (
                "Breathes well in summer and keeps warm in winter.",
                "Хорошо дышит летом и сохраняет тепло зимой.",
            ),
        ),
        made_in=("TR", "RU", "CN"),
        has_warranty=False,
    ),
    LeafWords(
        "lighting",
        "home",
        "Освещение",
        "Lighting",
        "lamp",
        ((255, 246, 214), (232, 184, 72)),
        kinds=(
            ("desk lamp", "настольная лампа"),
            ("floor lamp", "торшер"),
            ("pendant light", "подвесной светильник"),
            ("night light", "ночник"),
        ),
        brands=("Lumina", "Hausberg", "Svetoch", "Lichtwerk"),
        series=("Arc", "Globe", "Loft", "Halo", "Nordic"),
        marks=("", "2", "Mini"),
        suffixes=(
            NO_SUFFIX,
            ("with dimmer", "с регулировкой яркости"),
            ("with smartphone control", "с управлением со смартфона"),
        ),
        price_rub=(900, 15_000),
        specs=(
            Spec("power", (("6 Вт", "6 W"), ("10 Вт", "10 W"), ("40 Вт", "40 W"))),
            Spec(
                "light",
                (
                    ("тёплый, 2700 К", "warm, 2700 K"),
                    ("нейтральный, 4000 К", "neutral, 4000 K"),
                    ("регулируемый, 2700–6500 К", "adjustable, 2700–6500 K"),
                ),
            ),
            Spec(
                "material",
                (("металл", "metal"), ("дерево и металл", "wood and metal"), ("стекло", "glass")),
            ),
        ),
        options=(("colour", ("Black", "White", "Beige", "Graphite", "Green")),),
        features=(
            (
                "LED light that does not flicker and saves energy.",
                "Светодиодный свет без мерцания экономит электричество.",
            ),
            (
                "The head turns to light exactly where you need it.",
                "Плафон поворачивается и светит точно туда, куда нужно.",
            ),
            ("Brightness changes with a touch.", "Яркость меняется одним касанием."),
            (
                "A Scandinavian design that suits any room.",
                "Скандинавский дизайн подходит к любому интерьеру.",
            ),
        ),
        made_in=("CN", "DE"),
    ),
)
