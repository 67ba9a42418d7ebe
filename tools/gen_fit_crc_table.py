#!/usr/bin/env python3
"""Print the tables of FIT's CRC-16 (reflected polynomial 0xA001, initial
value 0) for slicing-by-8, as used in src/formats/fit/fit_crc.c:
table[0] is the classic byte table; table[k][b] is the CRC of byte b
followed by k zero bytes."""
t = [[0] * 256 for _ in range(8)]
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
    t[0][i] = c
for k in range(1, 8):
    for i in range(256):
        c = t[k - 1][i]
        t[k][i] = (c >> 8) ^ t[0][c & 0xFF]
for k in range(8):
    print("  {")
    for j in range(0, 256, 8):
        print("    " + ", ".join("0x%04X" % v for v in t[k][j:j + 8]) + ",")
    print("  },")
