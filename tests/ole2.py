"""A tiny writer of OLE2 compound files (the .doc/.xls container), for upload tests.

Just enough of [MS-CFB] version 3: one FAT sector, the directory, and streams of at least
4,096 bytes (so no mini stream is needed) or empty. ``entries`` nest like the file's tree:
``{"WordDocument": b"...", "Macros": {"VBA": {"_VBA_PROJECT": b""}}}``.
"""

from __future__ import annotations

import itertools
import struct

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def _entry(name: str, kind: int, left: int, right: int, child: int, start: int,
           size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, left, right,
                       child, b"\0" * 16, 0, 0, 0, start, size)


def build(entries: dict) -> bytes:
    flat: list[list] = [["Root Entry", 5, NOSTREAM, NOSTREAM, NOSTREAM, END, 0, None]]

    def add(tree: dict) -> int:
        ids = []
        for name, value in tree.items():
            flat.append([name, 1 if isinstance(value, dict) else 2, NOSTREAM, NOSTREAM,
                         NOSTREAM, END, 0, value])
            ids.append(len(flat) - 1)
        for this, following in itertools.pairwise(ids):
            flat[this][3] = following  # a right-leaning chain of siblings
        for entry_id in ids:
            if isinstance(flat[entry_id][7], dict):
                flat[entry_id][4] = add(flat[entry_id][7])
        return ids[0] if ids else NOSTREAM

    flat[0][4] = add(entries)
    dir_sectors = -(-len(flat) // 4)
    next_sector = 1 + dir_sectors
    data = b""
    fat = [FATSECT] + [i + 2 for i in range(dir_sectors - 1)] + [END]
    for entry in flat:
        if entry[1] == 2 and entry[7]:
            content = bytes(entry[7]).ljust(4096, b"\0")
            count = -(-len(content) // SECTOR)
            entry[5], entry[6] = next_sector, len(content)
            fat += [next_sector + i + 1 for i in range(count - 1)] + [END]
            data += content.ljust(count * SECTOR, b"\0")
            next_sector += count
    assert len(fat) <= 128
    fat_sector = struct.pack("<128I", *(fat + [FREE] * (128 - len(fat))))
    directory = b"".join(_entry(e[0], e[1], e[2], e[3], e[4], e[5], e[6]) for e in flat)
    directory = directory.ljust(dir_sectors * SECTOR, b"\0")
    empty = _entry("", 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0)
    directory = directory[:len(flat) * 128] + empty * (dir_sectors * 4 - len(flat))
    header = MAGIC + b"\0" * 16 + struct.pack(
        "<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, END, 0, END, 0)
    header += struct.pack("<109I", 0, *([FREE] * 108))
    return header + fat_sector + directory + data
