"""Demo listing words for the kids categories."""

from .base import AGE, NO_SUFFIX, LeafWords, Spec

LEAVES: tuple[LeafWords, ...] = (
    LeafWords(
        "toys",
        "kids",
        "Игрушки",
        "Toys",
        "bear",
        ((255, 240, 214), (240, 170, 80)),
        kinds=(
            ("plush toy", "мягкая игрушка"),
            ("teddy bear", "плюшевый медведь"),
            ("radio-controlled car", "радиоуправляемая машинка"),
            ("die-cast toy car", "металлическая машинка"),
        ),
        kind_shapes=(("radio-controlled car", "car"), ("die-cast toy car", "car")),
        brands=("Misha & Co", "Toyland", "Zabava", "Happy Panda"),
        series=("Friends", "Racer", "Forest", "Star", "Mini"),
        marks=("", "2", "Max"),
        suffixes=(
            NO_SUFFIX,
            ("for ages 3 and up", "для детей от 3 лет"),
            ("in a gift box", "в подарочной коробке"),
        ),
        price_rub=(500, 6_000),
        specs=(
            AGE,
            Spec(
                "material",
                (
                    ("плюш", "plush"),
                    ("ABS-пластик", "ABS plastic"),
                    ("металл и пластик", "metal and plastic"),
                ),
            ),
        ),
        options=(("colour", ("Beige", "Pink", "Sky blue", "Yellow", "Grey", "Orange")),),
        features=(
            (
                "Safe materials, certified for children.",
                "Безопасные материалы, есть сертификат для детей.",
            ),
            (
                "Develops fine motor skills and imagination.",
                "Развивает мелкую моторику и воображение.",
            ),
            (
                "Washable and tough enough for daily play.",
                "Можно стирать, выдерживает ежедневные игры.",
            ),
            ("Comes in a bright box, ready to give.", "В яркой коробке — можно сразу дарить."),
        ),
        made_in=("CN", "RU", "KZ"),
        has_warranty=False,
    ),
    LeafWords(
        "construction-sets",
        "kids",
        "Конструкторы",
        "Construction sets",
        "blocks",
        ((222, 236, 255), (96, 140, 236)),
        kinds=(
            ("building set", "конструктор"),
            ("magnetic building set", "магнитный конструктор"),
            ("robotics kit", "набор для робототехники"),
            ("wooden blocks", "деревянные кубики"),
        ),
        brands=("Brickly", "BuildUp", "Kubik", "RoboKid"),
        series=("City", "Space", "Castle", "Mech", "Farm", "Explorer"),
        marks=("3105", "4420", "7012", "8800", "2150"),
        suffixes=(
            NO_SUFFIX,
            ("for ages 6 and up", "для детей от 6 лет"),
            ("with instructions in Russian", "с инструкцией на русском языке"),
        ),
        price_rub=(700, 9_000),
        specs=(
            Spec(
                "pieces",
                (
                    ("120 деталей", "120 pieces"),
                    ("350 деталей", "350 pieces"),
                    ("800 деталей", "800 pieces"),
                ),
            ),
            AGE,
            Spec("material", (("ABS-пластик", "ABS plastic"), ("дерево", "wood"))),
        ),
        options=(),
        features=(
            (
                "Compatible with the popular brick sets.",
                "Совместим с популярными наборами кубиков.",
            ),
            ("Step-by-step picture instructions.", "Пошаговая инструкция в картинках."),
            (
                "Pieces click firmly and do not fall apart.",
                "Детали плотно соединяются и не рассыпаются.",
            ),
            ("A storage box is included.", "В комплекте коробка для хранения."),
        ),
        made_in=("CN", "RU"),
        has_warranty=False,
    ),
)
