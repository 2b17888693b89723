"""The demo's synonym and hypernym table (search.synonyms): the words shoppers use for the
demo catalog's goods that its product names do not, and the kinds of goods its broader
words cover; and Chinese and German words for the same goods, which find the catalog's
Russian- and English-named products (its names are Russian and English, a few Chinese)."""

from __future__ import annotations

from caravan.search.models import SearchSynonym
from caravan.search.synonyms import create_synonym

SAME = SearchSynonym.Relation.SAME
KIND_OF = SearchSynonym.Relation.KIND_OF

# (word, relation, other word): "tws is a kind of earbuds", "велик means the same as
# велосипед". Every row covers a category of the demo catalog (demo/words).
DEMO_SYNONYMS: tuple[tuple[str, str, str], ...] = (
    # headphones
    ("TWS", KIND_OF, "earbuds"),
    ("TWS", KIND_OF, "wireless"),
    ("earbuds", KIND_OF, "headphones"),
    ("earphones", KIND_OF, "headphones"),
    ("headset", KIND_OF, "headphones"),
    ("TWS", KIND_OF, "беспроводные"),
    ("вкладыши", SAME, "earbuds"),
    ("вкладыши", KIND_OF, "наушники"),
    ("гарнитура", KIND_OF, "наушники"),
    ("затычки", SAME, "вкладыши"),
    # smartphones
    ("смартфон", KIND_OF, "телефон"),
    ("smartphone", KIND_OF, "phone"),
    ("мобильник", SAME, "телефон"),
    ("cellphone", SAME, "phone"),
    # laptops
    ("ультрабук", KIND_OF, "ноутбук"),
    ("ultrabook", KIND_OF, "laptop"),
    ("лэптоп", SAME, "ноутбук"),
    # smartwatches
    ("smartwatch", KIND_OF, "часы"),
    ("smartwatch", KIND_OF, "watch"),
    # sneakers and other footwear
    ("кроссовки", KIND_OF, "обувь"),
    ("кеды", KIND_OF, "обувь"),
    ("кеды", KIND_OF, "кроссовки"),
    ("кроссы", SAME, "кроссовки"),
    ("sneakers", KIND_OF, "shoes"),
    ("trainers", KIND_OF, "shoes"),
    ("shoes", KIND_OF, "footwear"),
    # jackets
    ("пуховик", KIND_OF, "куртка"),
    ("ветровка", KIND_OF, "куртка"),
    ("parka", KIND_OF, "jacket"),
    ("куртка", KIND_OF, "одежда"),
    ("jacket", KIND_OF, "clothing"),
    # backpacks
    ("рюкзак", KIND_OF, "сумка"),
    ("backpack", SAME, "rucksack"),
    # cookware
    ("сковородка", SAME, "сковорода"),
    ("сковорода", KIND_OF, "посуда"),
    ("вок", KIND_OF, "сковорода"),
    ("кастрюля", KIND_OF, "посуда"),
    # bedding
    ("одеяло", KIND_OF, "постельное"),
    ("подушка", KIND_OF, "постельное"),
    # lighting
    ("светильник", SAME, "лампа"),
    ("торшер", KIND_OF, "лампа"),
    # skincare and perfume
    ("сыворотка", KIND_OF, "косметика"),
    ("крем", KIND_OF, "косметика"),
    ("духи", SAME, "парфюм"),
    ("fragrance", SAME, "perfume"),
    # fitness, cycling, camping
    ("гантели", KIND_OF, "тренажеры"),
    ("велик", SAME, "велосипед"),
    ("bicycle", SAME, "bike"),
    ("палатка", KIND_OF, "туризм"),
    ("tent", KIND_OF, "camping"),
    # toys and construction sets
    ("мишка", SAME, "медведь"),
    ("teddy", KIND_OF, "toy"),
)


# Chinese shoppers' words for the demo's goods, mapped onto the Russian and English words
# above (so each brings that word's kinds along). A Chinese word of three characters or
# more splits a query where it occurs (search.cjk.segment): 黑色运动鞋 is 黑色 + 运动鞋.
# What the demo does not carry (连衣裙 dresses, 靴子 boots, 充电器 chargers) is here for a
# real catalog, and finds nothing in the demo. Left out on purpose: 数据线 (data cable) as
# "cable", which would find the headphones whose specification mentions their cable.
CHINESE_SYNONYMS: tuple[tuple[str, str, str], ...] = (
    # categories
    ("电子产品", SAME, "электроника"),
    ("运动", SAME, "спорт"),
    ("运动", SAME, "sports"),
    ("儿童", SAME, "kids"),
    # headphones
    ("耳机", SAME, "наушники"),
    ("耳机", SAME, "headphones"),
    ("耳塞", SAME, "earbuds"),
    ("耳麦", SAME, "headset"),
    ("无线", SAME, "wireless"),
    ("无线", SAME, "беспроводные"),
    ("真无线", SAME, "TWS"),
    ("蓝牙", SAME, "bluetooth"),
    ("游戏", SAME, "gaming"),
    # smartphones
    ("手机", SAME, "телефон"),
    ("手机", SAME, "phone"),
    ("智能手机", SAME, "смартфон"),
    ("智能手机", KIND_OF, "手机"),
    ("电话", SAME, "телефон"),
    # laptops
    ("笔记本电脑", SAME, "ноутбук"),
    ("笔记本电脑", SAME, "laptop"),
    ("笔记本", SAME, "笔记本电脑"),
    ("笔记本电脑", KIND_OF, "电脑"),
    ("电脑", SAME, "компьютер"),
    ("超极本", SAME, "ультрабук"),
    # smartwatches
    ("手表", SAME, "часы"),
    ("手表", SAME, "watch"),
    ("智能手表", SAME, "smartwatch"),
    ("智能手表", KIND_OF, "手表"),
    ("手环", SAME, "браслет"),
    # footwear: 鞋 (shoe) is the broad word
    ("鞋", SAME, "обувь"),
    ("鞋", SAME, "shoes"),
    ("鞋子", SAME, "鞋"),
    ("运动鞋", SAME, "кроссовки"),
    ("运动鞋", SAME, "sneakers"),
    ("运动鞋", KIND_OF, "鞋"),
    ("球鞋", SAME, "运动鞋"),
    ("板鞋", SAME, "кеды"),
    ("跑步", SAME, "running"),
    ("跑步", SAME, "беговые"),
    ("帆布", SAME, "canvas"),
    ("靴子", SAME, "boots"),
    ("靴子", KIND_OF, "鞋"),
    # clothing
    ("服装", SAME, "одежда"),
    ("衣服", SAME, "服装"),
    ("外套", KIND_OF, "服装"),
    ("夹克", SAME, "куртка"),
    ("夹克", SAME, "jacket"),
    ("夹克", KIND_OF, "外套"),
    ("羽绒服", SAME, "пуховик"),
    ("羽绒服", KIND_OF, "外套"),
    ("风衣", SAME, "ветровка"),
    ("连衣裙", SAME, "платье"),
    ("连衣裙", SAME, "dress"),
    ("连衣裙", KIND_OF, "服装"),
    # bags
    ("背包", SAME, "рюкзак"),
    ("背包", SAME, "backpack"),
    ("双肩包", SAME, "背包"),
    ("包", SAME, "сумка"),
    # home
    ("锅", SAME, "посуда"),
    ("锅具", SAME, "锅"),
    ("平底锅", SAME, "сковорода"),
    ("炒锅", SAME, "вок"),
    ("汤锅", SAME, "кастрюля"),
    ("床上用品", SAME, "постельное"),
    ("被子", SAME, "одеяло"),
    ("枕头", SAME, "подушка"),
    ("灯", SAME, "лампа"),
    ("灯具", SAME, "светильник"),
    ("落地灯", SAME, "торшер"),
    ("夜灯", SAME, "ночник"),
    # beauty
    ("化妆品", SAME, "косметика"),
    ("护肤品", SAME, "косметика"),
    ("面霜", SAME, "крем"),
    ("精华", SAME, "сыворотка"),
    ("防晒霜", SAME, "солнцезащитный"),
    ("香水", SAME, "парфюм"),
    ("香水", SAME, "perfume"),
    # sports
    ("健身", SAME, "фитнес"),
    ("哑铃", SAME, "гантели"),
    ("壶铃", SAME, "гиря"),
    ("瑜伽", SAME, "yoga"),
    ("瑜伽垫", SAME, "коврик"),
    ("自行车", SAME, "велосипед"),
    ("单车", SAME, "自行车"),
    ("帐篷", SAME, "палатка"),
    ("帐篷", SAME, "tent"),
    ("睡袋", SAME, "sleeping"),
    ("露营", SAME, "кемпинг"),
    # toys
    ("玩具", SAME, "игрушки"),
    ("玩具", SAME, "toy"),
    ("毛绒", SAME, "плюшевый"),
    ("泰迪熊", SAME, "teddy"),
    ("积木", SAME, "конструктор"),
    # colours (option values are English)
    ("黑色", SAME, "black"),
    ("白色", SAME, "white"),
    ("红色", SAME, "red"),
    ("蓝色", SAME, "blue"),
    ("绿色", SAME, "green"),
    ("粉色", SAME, "pink"),
    ("灰色", SAME, "grey"),
    ("米色", SAME, "beige"),
    # what the demo does not carry
    ("充电器", SAME, "charger"),
    ("充电器", SAME, "зарядка"),
)

# German words the built-in German stems (search.analysis.SYNONYMS) do not cover: compounds
# and plurals of the demo's goods.
GERMAN_SYNONYMS: tuple[tuple[str, str, str], ...] = (
    ("Schuhe", SAME, "shoes"),
    ("Sportschuhe", SAME, "кроссовки"),
    ("kabellos", SAME, "wireless"),
    ("kabellose", SAME, "wireless"),
    ("Armbanduhr", SAME, "часы"),
    ("Bettwäsche", SAME, "постельное"),
    ("Bratpfanne", SAME, "сковорода"),
    ("Kochtopf", SAME, "кастрюля"),
    ("Kochgeschirr", SAME, "посуда"),
    ("Stehlampe", SAME, "торшер"),
    ("Nachtlicht", SAME, "ночник"),
    ("Hanteln", SAME, "гантели"),
    ("Yogamatte", SAME, "коврик"),
    ("Daunenjacke", SAME, "пуховик"),
    ("Kleidung", SAME, "одежда"),
    ("Kuscheltier", SAME, "plush"),
    ("Teddybär", SAME, "teddy"),
    ("Teddybär", KIND_OF, "Kuscheltier"),
    ("Bausteine", SAME, "конструктор"),
    ("Baukasten", SAME, "конструктор"),
    ("Schlafsack", SAME, "sleeping"),
    ("Gesichtscreme", SAME, "крем"),
    ("Sonnencreme", SAME, "солнцезащитный"),
)


def seed_synonyms() -> int:
    """Write the demo's table (on a database that has it already, nothing); how many rows."""
    if SearchSynonym.objects.exists():
        return 0
    rows = (*DEMO_SYNONYMS, *CHINESE_SYNONYMS, *GERMAN_SYNONYMS)
    for word, relation, other in rows:
        create_synonym(word=word, relation=relation, other=other)
    return len(rows)
