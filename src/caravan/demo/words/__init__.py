"""The demo category tree: parent categories and, per leaf, the words its listings are made of."""

from . import beauty, electronics, fashion, home, kids, sports
from .base import PARENTS, LeafWords, ParentWords, Spec

LEAVES: tuple[LeafWords, ...] = (
    *electronics.LEAVES,
    *fashion.LEAVES,
    *home.LEAVES,
    *beauty.LEAVES,
    *sports.LEAVES,
    *kids.LEAVES,
)

__all__ = ["LEAVES", "PARENTS", "LeafWords", "ParentWords", "Spec"]
