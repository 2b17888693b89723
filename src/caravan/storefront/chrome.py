"""The page's chrome (the head's links, the header's logo and search form, the category
menu, the footer) rendered once per process and reused: `{% once "name" value... %}` in a
template (storefront tags). What such a block prints follows from the code, the settings,
the language and the values it names, so the copy is kept under exactly those, in this
process's memory (no cache round trip), and can never be stale: a renamed category is a new
value (the menu names its categories' slugs and names), a new release a new process
(docs/decisions/0023-remembered-listing-order.md)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Copies kept per process; past it every copy is dropped (a few search texts' headers
# would otherwise grow it without bound, were a block to name one).
LIMIT = 1024

_copies: dict[tuple[Hashable, ...], SafeString] = {}


def forget_copies(**_kwargs: Any) -> None:
    _copies.clear()


# A block may print a setting (a static file's address, the site's URL prefix).
setting_changed.connect(forget_copies)


class OnceNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, name: str, values: list[FilterExpression]
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.values = values

    def render(self, context: template.Context) -> SafeString:
        key = (self.name, get_language(), *(value.resolve(context) for value in self.values))
        html = _copies.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context))
            if len(_copies) >= LIMIT:
                _copies.clear()
            _copies[key] = html
        return html


def do_once(parser: Parser, token: Token) -> OnceNode:
    """{% once "name" value... %}...{% endonce %}: the block may read nothing from its
    context but the values named (each must be hashable), and the active language."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("{% once %} takes a quoted name first")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])


def tiles_key(tree: Any) -> tuple[object, ...]:
    """What the home page's category tiles print of the tree: each top-level category's
    slug and name, its first five children's, and whether it has more."""
    return tuple(
        (
            str(node.category.slug),
            str(node.category.name),
            tuple((str(child.slug), str(child.name)) for child in node.children[:5]),
            len(node.children) > 5,
        )
        for node in tree
    )


def menu_key(tree: Any) -> tuple[tuple[str, str], ...]:
    """What the category menu prints of the tree: each top-level category's slug and name."""
    return tuple((str(node.category.slug), str(node.category.name)) for node in tree)
