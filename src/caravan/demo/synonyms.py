"""The demo's synonym and hypernym table (search.synonyms): the words shoppers use for the
demo catalog's goods that its product names do not, and the kinds of goods its broader
words cover."""

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


def seed_synonyms() -> int:
    """Write the demo's table (on a database that has it already, nothing); how many rows."""
    if SearchSynonym.objects.exists():
        return 0
    for word, relation, other in DEMO_SYNONYMS:
        create_synonym(word=word, relation=relation, other=other)
    return len(DEMO_SYNONYMS)
