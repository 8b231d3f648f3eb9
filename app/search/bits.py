"""Document sets as Python integers (bit n set = document n), for fast set algebra.

Unions, intersections and counts of thousands of documents are single C-level operations on
big integers, where Python sets would loop per document. Besides set algebra this module
holds the two less obvious tools search needs: "in at least m of these sets", and a
bit-sliced weighted sum with a top-n cut, which picks the few documents worth exact scoring.
"""

from __future__ import annotations

from collections.abc import Iterable

_BYTE_BITS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]


def from_ids(ids: Iterable[int]) -> int:
    data = bytearray()
    for doc in ids:
        index = doc >> 3
        if index >= len(data):
            data.extend(bytes(index - len(data) + 64))
        data[index] |= 1 << (doc & 7)
    return int.from_bytes(data, "little")


def to_ids(bits: int) -> list[int]:
    """The documents in ``bits``, ascending."""
    out: list[int] = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            out.extend(base + bit for bit in _BYTE_BITS[byte])
    return out


def all_of(sets: Iterable[int]) -> int:
    found = -1
    for bits in sets:
        found &= bits
    return max(found, 0)


def at_least(sets: list[int], m: int) -> int:
    """Documents in at least ``m`` of ``sets`` (m >= 1)."""
    levels = [0] * (m + 1)  # levels[k]: in at least k of the sets seen so far
    for bits in sets:
        for k in range(m, 1, -1):
            levels[k] |= levels[k - 1] & bits
        levels[1] |= bits
    return levels[m]


class WeightedSum:
    """Per-document sums of small integer weights, kept as bit planes (bit-sliced)."""

    def __init__(self, planes: int = 16) -> None:
        self.planes = [0] * planes

    def add(self, bits: int, weight: int) -> None:
        """Add ``weight`` to every document in ``bits``."""
        planes = self.planes
        level = 0
        while weight and level < len(planes):
            if weight & 1:
                carry, i = bits, level
                while carry and i < len(planes):
                    planes[i], carry = planes[i] ^ carry, planes[i] & carry
                    i += 1
            weight >>= 1
            level += 1

    def top(self, candidates: int, n: int) -> int:
        """The ``n`` candidates with the largest sums (more when tied at the cut)."""
        above, tied = 0, candidates
        for plane in reversed(self.planes):
            ones = tied & plane
            if (above | ones).bit_count() >= n:
                tied = ones
            else:
                above |= ones
                tied &= ~plane
        return above | tied
