"""What a long-lived process (a web worker) does once, after loading its code and before it
serves."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load the views now (the URLconf imports them, and they their selectors, services and
    template tags) rather than on the first request, then move every object alive so far
    out of the garbage collector's sight (`gc.freeze`). Those objects live as long as the
    process; left in the oldest generation, every full collection walked them all: about
    145,000 after a few searches, 60-110 ms a collection, ten in 300 searches at 1M offers,
    each landing on one request (bench/RESULTS.md, eighth session). In a server that forks
    its workers after loading, frozen objects also keep their memory shared."""
    get_resolver().url_patterns  # noqa: B018 - read for its side effect: the imports
    gc.collect()
    gc.freeze()
