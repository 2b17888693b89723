"""A fixed-size table from a key to the line it was first seen on.

The importer must remember every SKU and variant of the file so far (a repeat is an error
that names the first line), which is one entry per row. A dict costs a few hundred bytes an
entry, more than the CSV row itself; this table holds a 64-bit key and a 32-bit line in two
preallocated arrays, so its memory is the same for a 1,000-row file and a 20,000-row one.
Text keys are hashed to 64 bits (BLAKE2b): two different SKUs colliding among 20,000 is a
one-in-10^10 event.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator

_MASK_64 = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15  # Fibonacci hashing spreads sequential ids over the table


def text_key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


class LineIndex:
    def __init__(self, *, capacity: int) -> None:
        bits = max(4, (capacity * 4 // 3).bit_length())
        self._shift = 64 - bits
        self._size = 1 << bits
        self._limit = capacity
        self._keys = array("Q", bytes(8 * self._size))  # 0 marks an empty slot
        self._lines = array("L", bytes(array("L").itemsize * self._size))
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def setdefault(self, key: int, line: int) -> int:
        """The line stored for `key`, storing `line` first if the key is new."""
        key = (key & _MASK_64) or 1
        slot = ((key * _MIX) & _MASK_64) >> self._shift
        while True:
            current = self._keys[slot]
            if current == key:
                return self._lines[slot]
            if current == 0:
                if self._count >= self._limit:
                    raise OverflowError("line index is full")
                self._keys[slot] = key
                self._lines[slot] = line
                self._count += 1
                return line
            slot = (slot + 1) & (self._size - 1)

    def keys(self) -> Iterator[int]:
        return (key for key in self._keys if key)
