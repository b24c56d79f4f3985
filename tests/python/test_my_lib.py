"""A Python host for my_lib: ctypes against libmy_lib.so built without Ruby.

Run by `bundle exec rake c_abi:python` (python3 -m unittest discover -s tests/python).
The library is target/c_abi/release/libmy_lib.so, built by `rake c_abi:lib`.
"""

import ctypes
import math
import pathlib
import sys
import threading
import unittest

LIBRARY = pathlib.Path(__file__).resolve().parents[2] / "target/c_abi/release/libmy_lib.so"

# MyLibStatus, as in include/my_lib.h.
(OK, NULL_POINTER, INVALID_ARGUMENT, OVERFLOW, INVALID_UTF8, OUT_OF_BOUNDS, ALLOCATION_FAILED, PANIC,
 OUTPUT_TOO_SMALL) = range(9)


class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double)]


class ByteSlice(ctypes.Structure):
    _fields_ = [("ptr", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]


class PointSlice(ctypes.Structure):
    _fields_ = [("ptr", ctypes.POINTER(Point)), ("len", ctypes.c_size_t)]


class BoundingBox(ctypes.Structure):
    _fields_ = [("min", Point), ("max", Point)]


def load():
    lib = ctypes.CDLL(str(LIBRARY))
    status = ctypes.c_int
    u8_ptr = ctypes.POINTER(ctypes.c_uint8)
    # my_lib_greet returns an owned char*: declared as c_void_p so ctypes
    # hands back the pointer itself, to be freed with my_lib_string_free.
    signatures = {
        "my_lib_last_error_status": ([], status),
        "my_lib_last_error_message": ([], ctypes.c_char_p),
        "my_lib_version": ([], ctypes.c_char_p),
        "my_lib_wrapping_add": ([ctypes.c_int32, ctypes.c_int32], ctypes.c_int32),
        "my_lib_saturating_add": ([ctypes.c_int32, ctypes.c_int32], ctypes.c_int32),
        "my_lib_checked_add": ([ctypes.c_int32, ctypes.c_int32, ctypes.POINTER(ctypes.c_int32)], status),
        "my_lib_greeting": ([], ctypes.c_char_p),
        "my_lib_greet": ([ctypes.c_char_p], ctypes.c_void_p),
        "my_lib_string_free": ([ctypes.c_void_p], None),
        "my_lib_buffer_alloc": ([ctypes.c_size_t, ctypes.POINTER(u8_ptr)], status),
        "my_lib_buffer_len": ([u8_ptr], ctypes.c_size_t),
        "my_lib_buffer_write": ([u8_ptr, ctypes.c_size_t, ByteSlice], status),
        "my_lib_buffer_read": ([u8_ptr, ctypes.c_size_t, ctypes.c_size_t, ctypes.POINTER(ByteSlice)], status),
        "my_lib_buffer_free": ([u8_ptr], None),
        "my_lib_point_new": ([ctypes.c_double, ctypes.c_double], Point),
        "my_lib_point_distance": ([Point, Point], ctypes.c_double),
        "my_lib_points_centroid": ([PointSlice, ctypes.POINTER(Point)], status),
        "my_lib_points_path_length": ([PointSlice, ctypes.POINTER(ctypes.c_double)], status),
        "my_lib_points_bounding_box": ([PointSlice, ctypes.POINTER(BoundingBox)], status),
        "my_lib_points_nearest": (
            [PointSlice, Point, ctypes.c_size_t, ctypes.POINTER(Point), ctypes.POINTER(ctypes.c_size_t)], status),
        "my_lib_points_within": (
            [PointSlice, Point, ctypes.c_double, ctypes.POINTER(Point), ctypes.c_size_t,
             ctypes.POINTER(ctypes.c_size_t)], status),
        "my_lib_points_simplify": (
            [PointSlice, ctypes.c_double, ctypes.POINTER(Point), ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)],
            status),
        "add_numbers": ([ctypes.c_int32, ctypes.c_int32], ctypes.c_int32),
        "get_greeting": ([], ctypes.c_char_p),
        "allocate_buffer": ([ctypes.c_size_t], u8_ptr),
        "free_buffer": ([u8_ptr], None),
        "make_point": ([ctypes.c_double, ctypes.c_double], Point),
        "safe_add": ([ctypes.c_int32, ctypes.c_int32], ctypes.c_int32),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype
    return lib


lib = load()


def last_error():
    return lib.my_lib_last_error_status(), lib.my_lib_last_error_message()


def byte_slice(data):
    array = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    return ByteSlice(ctypes.cast(array, ctypes.POINTER(ctypes.c_uint8)), len(data)), array


def point_slice(points):
    array = (Point * len(points))(*points)
    return PointSlice(ctypes.cast(array, ctypes.POINTER(Point)), len(points)), array


def slice_of(*coordinates):
    return point_slice([Point(x, y) for x, y in coordinates])


def coordinates(points, length):
    return [(p.x, p.y) for p in points[:length]]


def misaligned(array):
    """A pointer one byte into `array`: not aligned for a Point."""
    return ctypes.cast(ctypes.addressof(array) + 1, ctypes.POINTER(Point))


class ArithmeticTest(unittest.TestCase):
    def test_wrapping_and_saturating(self):
        self.assertEqual(lib.my_lib_wrapping_add(2**31 - 1, 1), -(2**31))
        self.assertEqual(lib.my_lib_saturating_add(2**31 - 1, 1), 2**31 - 1)

    def test_checked_add_reports_overflow(self):
        total = ctypes.c_int32(0)
        self.assertEqual(lib.my_lib_checked_add(40, 2, ctypes.byref(total)), OK)
        self.assertEqual(total.value, 42)
        self.assertEqual(last_error(), (OK, None))
        self.assertEqual(lib.my_lib_checked_add(2**31 - 1, 1, ctypes.byref(total)), OVERFLOW)
        self.assertEqual(total.value, 42)
        status, message = last_error()
        self.assertEqual(status, OVERFLOW)
        self.assertIn(b"overflows a 32-bit signed integer", message)
        self.assertEqual(lib.my_lib_checked_add(1, 1, None), NULL_POINTER)
        self.assertEqual(last_error(), (NULL_POINTER, b"out_sum is NULL"))


class TextTest(unittest.TestCase):
    def test_static_strings(self):
        self.assertEqual(lib.my_lib_greeting(), b"Hello from Rust")
        self.assertRegex(lib.my_lib_version().decode(), r"^\d+\.\d+\.\d+$")

    def test_greet_returns_a_string_the_library_frees(self):
        owned = lib.my_lib_greet("Pythön".encode())
        try:
            self.assertEqual(ctypes.string_at(owned).decode(), "Hello, Pythön!")
        finally:
            lib.my_lib_string_free(owned)
        lib.my_lib_string_free(None)

    def test_greet_errors(self):
        self.assertIsNone(lib.my_lib_greet(None))
        self.assertEqual(last_error(), (NULL_POINTER, b"name is NULL"))
        self.assertIsNone(lib.my_lib_greet(b"\xffbad"))
        self.assertEqual(last_error(), (INVALID_UTF8, b"invalid UTF-8 byte sequence \\xFF at byte 0"))

    def test_last_error_is_per_thread(self):
        lib.my_lib_greet(None)
        seen = []
        thread = threading.Thread(target=lambda: seen.append(last_error()))
        thread.start()
        thread.join()
        self.assertEqual(seen, [(OK, None)])
        self.assertEqual(last_error()[0], NULL_POINTER)


class BufferTest(unittest.TestCase):
    def test_write_read_free(self):
        buffer = ctypes.POINTER(ctypes.c_uint8)()
        self.assertEqual(lib.my_lib_buffer_alloc(6, ctypes.byref(buffer)), OK)
        self.assertEqual(lib.my_lib_buffer_len(buffer), 6)
        data, keep_alive = byte_slice(b"abc")
        self.assertEqual(lib.my_lib_buffer_write(buffer, 2, data), OK)
        view = ByteSlice()
        self.assertEqual(lib.my_lib_buffer_read(buffer, 0, 6, ctypes.byref(view)), OK)
        self.assertEqual(ctypes.string_at(view.ptr, view.len), b"\0\0abc\0")
        self.assertEqual(lib.my_lib_buffer_write(buffer, 4, data), OUT_OF_BOUNDS)
        self.assertEqual(last_error()[1], b"range 4...7 (length 3) is outside a buffer of 6 bytes")
        self.assertEqual(lib.my_lib_buffer_read(buffer, 5, 2, ctypes.byref(view)), OUT_OF_BOUNDS)
        self.assertEqual(lib.my_lib_buffer_read(buffer, 0, 1, None), NULL_POINTER)
        lib.my_lib_buffer_free(buffer)
        lib.my_lib_buffer_free(None)

    def test_impossible_allocations_fail(self):
        buffer = ctypes.POINTER(ctypes.c_uint8)()
        self.assertEqual(lib.my_lib_buffer_alloc(0, ctypes.byref(buffer)), INVALID_ARGUMENT)
        self.assertEqual(lib.my_lib_buffer_alloc(2**64 - 1, ctypes.byref(buffer)), ALLOCATION_FAILED)
        self.assertFalse(buffer)
        self.assertEqual(lib.my_lib_buffer_alloc(1, None), NULL_POINTER)
        self.assertEqual(lib.my_lib_buffer_len(None), 0)
        self.assertEqual(last_error()[0], NULL_POINTER)


class PointTest(unittest.TestCase):
    def test_points_by_value(self):
        point = lib.my_lib_point_new(1.5, -2.0)
        self.assertEqual((point.x, point.y), (1.5, -2.0))
        self.assertEqual(lib.my_lib_point_distance(Point(0, 0), Point(3, 4)), 5.0)
        self.assertTrue(math.isnan(lib.my_lib_point_distance(Point(math.nan, 0), Point(0, 0))))

    def test_slices(self):
        points, keep_alive = point_slice([Point(0, 0), Point(3, 4), Point(3, 10)])
        centroid = Point()
        self.assertEqual(lib.my_lib_points_centroid(points, ctypes.byref(centroid)), OK)
        self.assertAlmostEqual(centroid.x, 2.0)
        self.assertAlmostEqual(centroid.y, 14 / 3)
        length = ctypes.c_double()
        self.assertEqual(lib.my_lib_points_path_length(points, ctypes.byref(length)), OK)
        self.assertEqual(length.value, 11.0)

    def test_slice_errors(self):
        centroid = Point()
        self.assertEqual(lib.my_lib_points_centroid(PointSlice(None, 0), ctypes.byref(centroid)), INVALID_ARGUMENT)
        self.assertEqual(last_error()[1], b"the centroid of no points is undefined")
        self.assertEqual(lib.my_lib_points_centroid(PointSlice(None, 3), ctypes.byref(centroid)), NULL_POINTER)
        length = ctypes.c_double(-1)
        self.assertEqual(lib.my_lib_points_path_length(PointSlice(None, 0), ctypes.byref(length)), OK)
        self.assertEqual(length.value, 0.0)
        self.assertEqual(lib.my_lib_points_path_length(PointSlice(None, 0), None), NULL_POINTER)


class PointQueryTest(unittest.TestCase):
    ZIGZAG = [(0, 0), (1, 0.1), (2, -0.1), (3, 5), (4, 6), (5, 7)]

    def test_centroid_does_not_overflow(self):
        points, keep_alive = slice_of((1e308, 1e308), (1e308, 1e308))
        centroid = Point()
        self.assertEqual(lib.my_lib_points_centroid(points, ctypes.byref(centroid)), OK)
        self.assertEqual((centroid.x, centroid.y), (1e308, 1e308))
        for n in range(1, 20):
            points, keep_alive = slice_of(*[(sys.float_info.max, -sys.float_info.max)] * n)
            self.assertEqual(lib.my_lib_points_centroid(points, ctypes.byref(centroid)), OK)
            self.assertTrue(math.isfinite(centroid.x) and math.isfinite(centroid.y), n)

    def test_bounding_box_ignores_nan(self):
        points, keep_alive = slice_of((1, -2), (math.nan, 7), (-3, 5), (2, math.nan))
        box = BoundingBox()
        self.assertEqual(lib.my_lib_points_bounding_box(points, ctypes.byref(box)), OK)
        self.assertEqual([(box.min.x, box.min.y), (box.max.x, box.max.y)], [(-3, -2), (2, 7)])
        self.assertEqual(lib.my_lib_points_bounding_box(PointSlice(None, 0), ctypes.byref(box)), INVALID_ARGUMENT)
        self.assertEqual(last_error(), (INVALID_ARGUMENT, b"the bounding box of no points is undefined"))
        self.assertEqual((box.min.x, box.max.y), (-3, 7))
        self.assertEqual(lib.my_lib_points_bounding_box(points, None), NULL_POINTER)
        self.assertEqual(last_error(), (NULL_POINTER, b"out_box is NULL"))

    def test_path_length_rejects_misaligned_points(self):
        storage = (ctypes.c_double * 6)(0, 0, 0, 3, 4, 0)
        length = ctypes.c_double(-1)
        self.assertEqual(lib.my_lib_points_path_length(PointSlice(misaligned(storage), 2), ctypes.byref(length)),
                         INVALID_ARGUMENT)
        self.assertEqual(last_error(), (INVALID_ARGUMENT, b"points.ptr is not aligned to 8 bytes"))
        self.assertEqual(length.value, -1)

    def test_nearest_orders_by_distance_then_position(self):
        points, keep_alive = slice_of((0, 2), (1, 0), (math.nan, 0), (-1, 0), (0, 0.5))
        out = (Point * 5)()
        length = ctypes.c_size_t(99)
        self.assertEqual(lib.my_lib_points_nearest(points, Point(0, 0), 3, out, ctypes.byref(length)), OK)
        self.assertEqual(coordinates(out, length.value), [(0, 0.5), (1, 0), (-1, 0)])
        self.assertEqual(lib.my_lib_points_nearest(points, Point(0, 0), 5, out, ctypes.byref(length)), OK)
        self.assertEqual(coordinates(out, length.value), [(0, 0.5), (1, 0), (-1, 0), (0, 2)])
        self.assertEqual(lib.my_lib_points_nearest(points, Point(0, 0), 0, None, ctypes.byref(length)), OK)
        self.assertEqual(length.value, 0)
        self.assertEqual(lib.my_lib_points_nearest(PointSlice(None, 0), Point(0, 0), 2, out, ctypes.byref(length)),
                         OK)
        self.assertEqual(length.value, 0)

    def test_nearest_errors(self):
        points, keep_alive = slice_of((1, 1), (2, 2))
        out = (Point * 2)()
        length = ctypes.c_size_t(7)
        self.assertEqual(lib.my_lib_points_nearest(points, Point(0, 0), 1, out, None), NULL_POINTER)
        self.assertEqual(last_error(), (NULL_POINTER, b"out_len is NULL"))
        self.assertEqual(lib.my_lib_points_nearest(points, Point(0, 0), 2, None, ctypes.byref(length)), NULL_POINTER)
        self.assertEqual(last_error(), (NULL_POINTER, b"out_points is NULL"))
        self.assertEqual(lib.my_lib_points_nearest(PointSlice(None, 2), Point(0, 0), 1, out, ctypes.byref(length)),
                         NULL_POINTER)
        self.assertEqual(last_error(), (NULL_POINTER, b"points.ptr is NULL"))
        self.assertEqual(lib.my_lib_points_nearest(points, Point(0, 0), 2, misaligned(out), ctypes.byref(length)),
                         INVALID_ARGUMENT)
        self.assertEqual(last_error(), (INVALID_ARGUMENT, b"out_points is not aligned to 8 bytes"))
        self.assertEqual(length.value, 7)  # no failure writes out_len

    def test_within_keeps_order_and_boundary(self):
        points, keep_alive = slice_of((3, 4), (9, 9), (0, 0), (3, 4.1), (-5, 0), (math.nan, 0))
        out = (Point * 6)()
        length = ctypes.c_size_t(99)
        self.assertEqual(lib.my_lib_points_within(points, Point(0, 0), 5.0, out, 6, ctypes.byref(length)), OK)
        self.assertEqual(coordinates(out, length.value), [(3, 4), (0, 0), (-5, 0)])
        self.assertEqual(lib.my_lib_points_within(points, Point(0, 0), math.inf, out, 6, ctypes.byref(length)), OK)
        self.assertEqual(length.value, 5)
        self.assertEqual(lib.my_lib_points_within(PointSlice(None, 0), Point(0, 0), 1.0, None, 0,
                                                  ctypes.byref(length)), OK)
        self.assertEqual(length.value, 0)

    def test_within_too_small_then_retry(self):
        points, keep_alive = slice_of((3, 4), (9, 9), (0, 0), (-5, 0))
        small = (Point * 2)(Point(-1, -1), Point(-1, -1))
        length = ctypes.c_size_t(0)
        self.assertEqual(lib.my_lib_points_within(points, Point(0, 0), 5.0, small, 2, ctypes.byref(length)),
                         OUTPUT_TOO_SMALL)
        self.assertEqual(length.value, 3)
        self.assertEqual(last_error(), (OUTPUT_TOO_SMALL, b"out_points has room for 2 points, the result has 3"))
        self.assertEqual(coordinates(small, 2), [(-1, -1), (-1, -1)])
        retry = (Point * length.value)()
        self.assertEqual(lib.my_lib_points_within(points, Point(0, 0), 5.0, retry, length.value,
                                                  ctypes.byref(length)), OK)
        self.assertEqual(coordinates(retry, length.value), [(3, 4), (0, 0), (-5, 0)])
        self.assertEqual(last_error(), (OK, None))

    def test_within_rejects_bad_radii(self):
        points, keep_alive = slice_of((1, 1))
        out = (Point * 1)()
        length = ctypes.c_size_t(42)
        for radius, message in [(math.nan, b"radius must be a number, got NaN"),
                                (-1.0, b"radius must not be negative, got -1.0"),
                                (-math.inf, b"radius must not be negative, got -inf")]:
            self.assertEqual(lib.my_lib_points_within(points, Point(0, 0), radius, out, 1, ctypes.byref(length)),
                             INVALID_ARGUMENT)
            self.assertEqual(last_error(), (INVALID_ARGUMENT, message))
        self.assertEqual(length.value, 42)
        self.assertEqual(lib.my_lib_points_within(points, Point(0, 0), 2.0, None, 1, ctypes.byref(length)),
                         NULL_POINTER)
        self.assertEqual(last_error(), (NULL_POINTER, b"out_points is NULL"))
        self.assertEqual(lib.my_lib_points_within(points, Point(0, 0), 2.0, misaligned(out), 1,
                                                  ctypes.byref(length)), INVALID_ARGUMENT)
        self.assertEqual(last_error(), (INVALID_ARGUMENT, b"out_points is not aligned to 8 bytes"))
        self.assertEqual(length.value, 42)  # no failure writes out_len

    def test_simplify(self):
        points, keep_alive = slice_of(*self.ZIGZAG)
        out = (Point * 6)()
        length = ctypes.c_size_t(99)
        self.assertEqual(lib.my_lib_points_simplify(points, 0.5, out, 6, ctypes.byref(length)), OK)
        self.assertEqual(coordinates(out, length.value), [(0, 0), (2, -0.1), (3, 5), (5, 7)])
        self.assertEqual(lib.my_lib_points_simplify(points, math.inf, out, 6, ctypes.byref(length)), OK)
        self.assertEqual(coordinates(out, length.value), [(0, 0), (5, 7)])
        self.assertEqual(lib.my_lib_points_simplify(points, 0.0, out, 6, ctypes.byref(length)), OK)
        self.assertEqual(coordinates(out, length.value), [(0, 0), (1, 0.1), (2, -0.1), (3, 5), (5, 7)])
        self.assertEqual(lib.my_lib_points_simplify(PointSlice(None, 0), 1.0, None, 0, ctypes.byref(length)), OK)
        self.assertEqual(length.value, 0)

    def test_simplify_too_small_and_errors(self):
        points, keep_alive = slice_of(*self.ZIGZAG)
        length = ctypes.c_size_t(0)
        self.assertEqual(lib.my_lib_points_simplify(points, 0.5, None, 0, ctypes.byref(length)), OUTPUT_TOO_SMALL)
        self.assertEqual(length.value, 4)
        self.assertEqual(last_error(), (OUTPUT_TOO_SMALL, b"out_points has room for 0 points, the result has 4"))
        out = (Point * 6)()
        length = ctypes.c_size_t(42)
        self.assertEqual(lib.my_lib_points_simplify(points, math.nan, out, 6, ctypes.byref(length)), INVALID_ARGUMENT)
        self.assertEqual(last_error(), (INVALID_ARGUMENT, b"tolerance must be a number, got NaN"))
        self.assertEqual(lib.my_lib_points_simplify(points, -0.25, out, 6, ctypes.byref(length)), INVALID_ARGUMENT)
        self.assertEqual(last_error(), (INVALID_ARGUMENT, b"tolerance must not be negative, got -0.25"))
        self.assertEqual(length.value, 42)
        self.assertEqual(lib.my_lib_points_simplify(points, 0.5, out, 6, None), NULL_POINTER)
        self.assertEqual(last_error(), (NULL_POINTER, b"out_len is NULL"))
        self.assertEqual(lib.my_lib_points_simplify(PointSlice(None, 3), 0.5, out, 6, ctypes.byref(length)),
                         NULL_POINTER)
        self.assertEqual(last_error(), (NULL_POINTER, b"points.ptr is NULL"))
        self.assertEqual(lib.my_lib_points_simplify(points, 0.5, misaligned(out), 5, ctypes.byref(length)),
                         INVALID_ARGUMENT)
        self.assertEqual(last_error(), (INVALID_ARGUMENT, b"out_points is not aligned to 8 bytes"))

    def test_simplify_in_place(self):
        points, array = slice_of(*self.ZIGZAG)
        length = ctypes.c_size_t(0)
        self.assertEqual(lib.my_lib_points_simplify(points, 0.5, array, len(array), ctypes.byref(length)), OK)
        self.assertEqual(length.value, 4)
        self.assertEqual(coordinates(array, 6), [(0, 0), (2, -0.1), (3, 5), (5, 7), (4, 6), (5, 7)])


class TutorialAliasTest(unittest.TestCase):
    def test_the_six_tutorial_functions(self):
        self.assertEqual(lib.add_numbers(2, 3), 5)
        self.assertEqual(lib.safe_add(-3, 2), -1)
        self.assertEqual(lib.safe_add(2**31 - 1, 1), 2**31 - 1)
        self.assertEqual(lib.get_greeting(), b"Hello from Rust")
        point = lib.make_point(3.0, 4.0)
        self.assertEqual((point.x, point.y), (3.0, 4.0))
        buffer = lib.allocate_buffer(16)
        self.assertTrue(buffer)
        buffer[15] = 7
        self.assertEqual(lib.my_lib_buffer_len(buffer), 16)
        lib.free_buffer(buffer)
        lib.free_buffer(None)
        self.assertFalse(lib.allocate_buffer(0))
        self.assertFalse(lib.allocate_buffer(2**64 - 1))
        self.assertEqual(last_error()[0], ALLOCATION_FAILED)


if __name__ == "__main__":
    unittest.main()
