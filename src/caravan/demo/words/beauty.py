"""Demo listing words for the beauty categories."""

from .base import NO_SUFFIX, LeafWords, Spec

LEAVES: tuple[LeafWords, ...] = (
    LeafWords(
        "skincare",
        "beauty",
        "Уход за кожей",
        "Skincare",
        "jar",
        ((255, 232, 240), (236, 140, 170)),
        kinds=(
            ("face cream", "крем для лица"),
            ("moisturising serum", "увлажняющая сыворотка"),
            ("cleansing gel", "очищающий гель"),
            ("sunscreen SPF 50", "солнцезащитный крем SPF 50"),
            ("night cream", "ночной крем"),
        ),
        brands=("Dewy Lab", "Taiga Botanics", "Lotus Skin", "Peony"),
        series=("Hydra", "Vital", "Pure", "Glow", "Calm"),
        marks=("", "Plus", "24H"),
        suffixes=(
            NO_SUFFIX,
            ("with hyaluronic acid", "с гиалуроновой кислотой"),
            ("with vitamin C", "с витамином C"),
            ("with niacinamide", "с ниацинамидом"),
        ),
        price_rub=(500, 4_500),
        specs=(
            Spec(
                "skin-type",
                (
                    ("для всех типов кожи", "all skin types"),
                    ("для сухой кожи", "dry skin"),
                    ("для жирной и комбинированной кожи", "oily and combination skin"),
                ),
            ),
        ),
        options=(("volume", ()),),
        features=(
            (
                "Moisturises for 24 hours without a greasy film.",
                "Увлажняет 24 часа и не оставляет жирной плёнки.",
            ),
            (
                "Dermatologically tested, fragrance-free.",
                "Протестировано дерматологами, без отдушек.",
            ),
            ("Light texture that absorbs in a minute.", "Лёгкая текстура впитывается за минуту."),
            ("Suits sensitive skin.", "Подходит для чувствительной кожи."),
            ("Not tested on animals.", "Не тестируется на животных."),
        ),
        made_in=("RU", "DE", "IT", "KZ"),
        has_warranty=False,
    ),
    LeafWords(
        "perfume",
        "beauty",
        "Парфюмерия",
        "Perfume",
        "bottle",
        ((250, 238, 222), (200, 160, 110)),
        kinds=(
            ("eau de parfum", "парфюмерная вода"),
            ("eau de toilette", "туалетная вода"),
            ("perfume", "духи"),
        ),
        brands=("Maison Lune", "Aurelia", "Bellanotte", "Ambra di Roma"),
        series=("Noir", "Bloom", "Velvet", "Oud", "Aqua", "Rosa"),
        marks=("", "Intense", "Absolu", "Sport"),
        suffixes=(
            NO_SUFFIX,
            ("for women", "для женщин"),
            ("for men", "для мужчин"),
            ("unisex", "унисекс"),
        ),
        price_rub=(1_500, 15_000),
        specs=(
            Spec(
                "fragrance",
                (
                    ("бергамот, роза, мускус", "bergamot, rose, musk"),
                    ("кедр, ваниль, амбра", "cedar, vanilla, amber"),
                    ("морская соль, шалфей", "sea salt, sage"),
                    ("уд, пачули, кожа", "oud, patchouli, leather"),
                ),
            ),
        ),
        options=(("volume", ()),),
        features=(
            ("The scent lasts from morning till evening.", "Аромат держится с утра до вечера."),
            (
                "Opens fresh and settles into a warm, woody base.",
                "Свежее начало раскрывается тёплым древесным шлейфом.",
            ),
            (
                "A heavy glass bottle with a magnetic cap.",
                "Тяжёлый стеклянный флакон с магнитной крышкой.",
            ),
            ("Made in a small perfume house.", "Создан в небольшом парфюмерном доме."),
        ),
        made_in=("IT", "DE", "TR"),
        has_warranty=False,
    ),
)
