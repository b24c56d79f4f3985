#!/usr/bin/env python3
"""Writes the committed seed corpora, seeds/<target>/<name>.

Run from anywhere: python3 ext/my_lib/fuzz/generate_seeds.py. It rewrites
every seed it knows and deletes nothing. The structured targets decode their
input with the `arbitrary` crate (1.x), whose format this script writes:
integers are little-endian, an enum variant is a u32 scaled to the variant
count, and each element of a Vec is preceded by a continue byte (1) and the
Vec ends with a stop byte (0) or the end of the input.
"""

import os
import struct
import sys

SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
ISIZE_MAX = 2**63 - 1
USIZE_MAX = 2**64 - 1


def u8(n): return struct.pack("<B", n)
def u16(n): return struct.pack("<H", n)
def i32(n): return struct.pack("<i", n)
def u64(n): return struct.pack("<Q", n)
usize = u64
def boolean(b): return u8(1 if b else 0)


def variant(index, count):
    """The u32 that `arbitrary` maps to variant `index` of `count`."""
    return struct.pack("<I", ((index << 32) + count - 1) // count)


def vec(elements):
    """A Vec that is not the input's last field: continue bytes, stop byte."""
    return b"".join(b"\x01" + e for e in elements) + b"\x00"


def rest(elements):
    """A Vec that is the input's last field (or the whole input)."""
    return b"".join(b"\x01" + e for e in elements)


def f64_bits(x): return struct.unpack("<Q", struct.pack("<d", x))[0]


def write(target, name, data):
    directory = os.path.join(SEEDS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


# c_strings: the raw bytes of a name (C sees them up to the first NUL).
for name, data in {
    "ascii": b"Ruby",
    "empty": b"",
    "utf8": "日本 café".encode(),
    "invalid_ff": b"ok\xff",
    "invalid_lead": b"ok\xc3(",
    "truncated": b"x\xe6\x97",
    "surrogate": b"\xed\xa0\x80",
    "interior_nul": b"a\x00\xff",
}.items():
    write("c_strings", name, data)

# c_arithmetic: (a, b, sentinel) as three i32.
for name, (a, b, s) in {
    "small": (40, 2, 7),
    "max_plus_one": (2**31 - 1, 1, -1),
    "min_minus_one": (-(2**31), -1, 3),
    "min_plus_max": (-(2**31), 2**31 - 1, 0),
    "max_plus_max": (2**31 - 1, 2**31 - 1, 2),
}.items():
    write("c_arithmetic", name, i32(a) + i32(b) + i32(s))

# c_point_slices: Input { coordinates: Vec<(u64, u64)>, misalignment: u8, huge_len: usize }.
def points(coords, misalignment=3, huge_len=ISIZE_MAX // 16 + 1):
    elements = [u64(f64_bits(x)) + u64(f64_bits(y)) for x, y in coords]
    return vec(elements) + u8(misalignment) + usize(huge_len)

inf, nan = float("inf"), float("nan")
MAX = sys.float_info.max
for name, coords in {
    "empty": [],
    "one": [(3.0, -1.0)],
    "square": [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)],
    "path": [(0.0, 0.0), (3.0, 4.0), (3.0, 10.0)],
    "specials": [(nan, 0.0), (inf, -inf), (-0.0, 5e-324), (1e308, -1e308)],
    "far": [(1e300, 1e300), (-1e300, -1e300)],
    # The centroid's overflow path: the plain sum overflows, the mean is finite.
    "max_three": [(MAX, -MAX)] * 3,
    "max_nine": [(MAX, 0.0)] * 9,
    "max_cancelling": [(MAX, MAX), (MAX, -MAX), (-MAX, 5e-324), (MAX, 1e-300), (-MAX, -MAX)],
    "huge_and_subnormal": [(1.5e308, 5e-324), (1.7e308, -1e-310), (-2.2e-308, 1.6e308), (1.1e308, 1e308)],
}.items():
    write("c_point_slices", name, points(coords))
write("c_point_slices", "max_len", points([(1.0, 1.0)], 6, USIZE_MAX))

# c_point_queries: Input { target: (u64, u64), radius: u64, tolerance: u64, k: u8,
# capacity: u8, coordinates: Vec<(u64, u64)> }, limits as f64 bit patterns.
def queries(coords, target=(0.0, 0.0), radius=5.0, tolerance=0.5, k=3, capacity=8):
    elements = [u64(f64_bits(x)) + u64(f64_bits(y)) for x, y in coords]
    return (u64(f64_bits(target[0])) + u64(f64_bits(target[1])) + u64(f64_bits(radius))
            + u64(f64_bits(tolerance)) + u8(k) + u8(capacity) + rest(elements))

zigzag = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 5.0), (4.0, 6.0), (5.0, 7.0)]
for name, seed in {
    "empty": queries([]),
    "zigzag": queries(zigzag),
    "ties": queries([(0.0, 2.0), (1.0, 0.0), (-1.0, 0.0), (0.0, -1.0), (0.0, 0.5)], k=4),
    "too_small": queries(zigzag, radius=1e9, tolerance=0.0, capacity=2),
    "duplicates": queries([(0.0, 0.0), (1.0, 1.0), (0.0, 0.0), (1.0, 1.0), (0.0, 0.0)], tolerance=0.0),
    "specials": queries([(nan, 0.0), (inf, -inf), (-0.0, 5e-324), (1e308, -1e308), (2.0, nan)],
                        radius=inf, tolerance=inf, k=9),
    "bad_limits": queries(zigzag, radius=nan, tolerance=-1.0),
    "negative_zero": queries(zigzag, target=(3.0, 4.0), radius=-0.0, tolerance=-0.0, k=0, capacity=0),
}.items():
    write("c_point_queries", name, seed)

# c_buffers: a sequence of Op (10 variants, in the order of the enum).
OPS = ["Alloc", "AllocImpossible", "AllocNullOutput", "Len", "Write",
       "WriteFromItself", "Read", "Free", "Misaligned", "Null"]
def op(name, *fields): return variant(OPS.index(name), len(OPS)) + b"".join(fields)
def small(n): return variant(0, 3) + u16(n)
def near_max(k): return variant(1, 3) + u8(k)
def any_number(n): return variant(2, 3) + usize(n)
def data(bs): return vec([u8(b) for b in bs])

write("c_buffers", "alloc_write_read_free", rest([
    op("Alloc", u16(8), boolean(False)),
    op("Write", u8(0), small(2), data(b"abc"), boolean(False)),
    op("Read", u8(0), small(3), small(2), boolean(False)),
    op("Len", u8(0)),
    op("Free", u8(0), boolean(False)),
]))
write("c_buffers", "overlapping", rest([
    op("Alloc", u16(6), boolean(True)),
    op("Write", u8(0), small(0), data(b"abcdef"), boolean(False)),
    op("WriteFromItself", u8(0), u16(0), u16(4), small(2)),
    op("Free", u8(0), boolean(True)),
]))
write("c_buffers", "out_of_bounds", rest([
    op("Alloc", u16(4), boolean(False)),
    op("Write", u8(0), small(3), data(b"xy"), boolean(False)),
    op("Write", u8(0), small(5), data(b""), boolean(False)),
    op("Read", u8(0), near_max(0), small(2), boolean(False)),
    op("Read", u8(0), small(0), small(5), boolean(False)),
    op("Read", u8(0), any_number(2**40), any_number(USIZE_MAX), boolean(False)),
]))
write("c_buffers", "bad_arguments", rest([
    op("Alloc", u16(0), boolean(False)),
    op("AllocImpossible", u8(0), boolean(True), boolean(False)),
    op("AllocImpossible", u8(15), boolean(False), boolean(True)),
    op("AllocNullOutput"),
    op("Alloc", u16(32), boolean(False)),
    op("Write", u8(0), small(0), data(b"z"), boolean(True)),
    op("Read", u8(0), small(0), small(1), boolean(True)),
    op("Misaligned", u8(0), u8(1)),
    op("Null", small(0), small(1)),
]))
write("c_buffers", "many_buffers", rest(
    [op("Alloc", u16(n), boolean(n % 2 == 1)) for n in (1, 15, 16, 17, 4096)]
    + [op("Free", u8(2), boolean(False))]
))

# core_text: Input { bytes: Vec<u8>, encoding: Vec<u8>, position: usize, sequence: Vec<u8> }.
def text(bs, encoding=b"UTF-8", position=0, sequence=b""):
    return vec([u8(b) for b in bs]) + vec([u8(b) for b in encoding]) + usize(position) + rest(
        [u8(b) for b in sequence])

for name, seed in {
    "valid": text("café 日本".encode()),
    "empty": text(b""),
    "invalid_ff": text(b"ab\xffc", b"Shift_JIS", 4, b"\x82"),
    "invalid_lead": text(b"ok\xc3(", b"EUC-JP", 2, b"\xc3"),
    "truncated": text(b"x\xe6\x97", b"", 1, b"\xe6\x97"),
    "surrogate": text(b"\xed\xa0\x80", b" at byte ", USIZE_MAX, b"\x00\xff"),
    "overlong": text(b"\xc0\xaf\xf5", "エンコード\0".encode(), 7, b"\xf0\x90\x80"),
}.items():
    write("core_text", name, seed)
