#!/usr/bin/env python3
"""Print the tables of FIT's CRC-16 (reflected polynomial 0xA001, initial
value 0) for slicing-by-8, as used in src/formats/fit/fit_crc.c:
table[0] is the classic byte table; table[k][b] is the CRC of byte b
followed by k zero bytes.  Then, as a comment, the two constants of the
carry-less multiplication path: x^191 and x^127 modulo the polynomial
x^16 + x^15 + x^2 + 1, bit-reflected in 64 bits."""
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


def xpow_mod(n):
    r = 1
    for _ in range(n):
        r <<= 1
        if r & 0x10000:
            r ^= 0x18005
    return r


def reflect64(v):
    return sum(1 << (63 - d) for d in range(16) if v >> d & 1)


print("/* clmul: x^191 -> 0x%016XULL, x^127 -> 0x%016XULL */"
      % (reflect64(xpow_mod(191)), reflect64(xpow_mod(127))))
