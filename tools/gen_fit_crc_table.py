#!/usr/bin/env python3
"""Print the 256-entry table of FIT's CRC-16 (reflected polynomial 0xA001,
initial value 0), as used in src/formats/fit/fit_crc.c."""
table = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
    table.append(c)
for j in range(0, 256, 8):
    print("    " + ", ".join("0x%04X" % v for v in table[j:j + 8]) + ",")
