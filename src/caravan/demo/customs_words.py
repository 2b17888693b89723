"""Customs data for the demo catalog: an HS code per leaf category (and the EAEU code where a
seller would know it), a net weight range and a box size.

Weights are derived from the product and variant numbers, not drawn from the plan's random
generator, so adding them left every other planned figure as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from caravan.kernel.countries import COUNTRIES


@dataclass(frozen=True)
class LeafCustoms:
    hs_code: str
    eaeu_code: str
    grams: tuple[int, int]
    box_mm: tuple[int, int, int]


LEAF_CUSTOMS: dict[str, LeafCustoms] = {
    "skincare": LeafCustoms("330499", "", (50, 250), (60, 60, 120)),
    "perfume": LeafCustoms("330300", "", (150, 400), (80, 50, 130)),
    "smartphones": LeafCustoms("851713", "8517130000", (150, 230), (160, 80, 50)),
    "headphones": LeafCustoms("851830", "8518300095", (150, 350), (200, 180, 90)),
    "laptops": LeafCustoms("847130", "", (1100, 2500), (380, 270, 60)),
    "smartwatches": LeafCustoms("851762", "", (30, 80), (120, 100, 80)),
    "sneakers": LeafCustoms("640411", "", (600, 1100), (330, 210, 120)),
    "jackets": LeafCustoms("620140", "", (500, 1500), (400, 300, 80)),
    "backpacks": LeafCustoms("420292", "", (400, 1200), (450, 300, 150)),
    "cookware": LeafCustoms("732393", "", (800, 3500), (350, 350, 200)),
    "bedding": LeafCustoms("630231", "", (1200, 2500), (400, 300, 100)),
    "lighting": LeafCustoms("940542", "", (300, 2000), (300, 300, 300)),
    "toys": LeafCustoms("950300", "", (100, 900), (300, 200, 150)),
    "construction-sets": LeafCustoms("950300", "", (300, 2000), (400, 300, 100)),
    "fitness": LeafCustoms("950691", "", (800, 20000), (600, 300, 200)),
    "cycling": LeafCustoms("871200", "", (9000, 16000), (1400, 250, 750)),
    "camping": LeafCustoms("630622", "", (800, 4000), (550, 200, 200)),
}


def demo_weight(*, leaf: str, product_number: int, variant_index: int) -> int:
    """A weight in the leaf's range, to 10 g, the same on every run."""
    low, high = LEAF_CUSTOMS[leaf].grams
    spread = (product_number * 7919 + variant_index * 104_729) % (high - low + 1)
    return max(low, (low + spread) // 10 * 10)


def demo_origin(made_in: str) -> str:
    """The origin, when the kernel's country list has it (Vietnam is not there yet)."""
    return made_in if made_in in COUNTRIES else ""
