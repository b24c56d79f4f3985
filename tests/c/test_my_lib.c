/*
 * A C host for my_lib: calls every function of include/my_lib.h, error paths
 * included, against libmy_lib.so built without Ruby. Run under valgrind by
 * `bundle exec rake c_abi:c`, which fails on any memcheck error or leak.
 */
#include "my_lib.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int checks = 0;
static int failures = 0;

#define CHECK(condition)                                                   \
  do {                                                                     \
    checks++;                                                              \
    if (!(condition)) {                                                    \
      failures++;                                                          \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,     \
              #condition);                                                 \
    }                                                                      \
  } while (0)

/* The thread's last error is `status` with exactly `message`. */
static int last_error_is(MyLibStatus status, const char *message) {
  const char *actual = my_lib_last_error_message();
  return my_lib_last_error_status() == status && actual != NULL &&
         strcmp(actual, message) == 0;
}

static int no_last_error(void) {
  return my_lib_last_error_status() == MY_LIB_STATUS_OK &&
         my_lib_last_error_message() == NULL;
}

static void test_arithmetic(void) {
  CHECK(my_lib_wrapping_add(2, 3) == 5);
  CHECK(my_lib_wrapping_add(INT32_MAX, 1) == INT32_MIN);
  CHECK(my_lib_saturating_add(INT32_MAX, 1) == INT32_MAX);
  CHECK(my_lib_saturating_add(INT32_MIN, -1) == INT32_MIN);

  int32_t sum = 0;
  CHECK(my_lib_checked_add(40, 2, &sum) == MY_LIB_STATUS_OK && sum == 42);
  CHECK(no_last_error());
  CHECK(my_lib_checked_add(INT32_MAX, 1, &sum) == MY_LIB_STATUS_OVERFLOW);
  CHECK(sum == 42);
  CHECK(last_error_is(MY_LIB_STATUS_OVERFLOW,
                      "2147483647 + 1 overflows a 32-bit signed integer "
                      "(-2147483648 to 2147483647)"));
  CHECK(my_lib_checked_add(1, 1, NULL) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_sum is NULL"));
  /* Any later call clears the last error. */
  CHECK(my_lib_wrapping_add(0, 0) == 0);
  CHECK(no_last_error());
}

static void test_text(void) {
  CHECK(strcmp(my_lib_greeting(), "Hello from Rust") == 0);
  CHECK(strcmp(my_lib_version(), "0.1.0") == 0);

  char *greeting = my_lib_greet("C");
  CHECK(greeting != NULL && strcmp(greeting, "Hello, C!") == 0);
  my_lib_string_free(greeting);
  my_lib_string_free(NULL);
  CHECK(no_last_error());

  CHECK(my_lib_greet(NULL) == NULL);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "name is NULL"));
  CHECK(my_lib_greet("caf\xC3") == NULL);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_UTF8,
                      "invalid UTF-8 byte sequence \\xC3 at byte 3"));
}

static void test_buffers(void) {
  uint8_t *buffer = NULL;
  CHECK(my_lib_buffer_alloc(8, &buffer) == MY_LIB_STATUS_OK);
  CHECK(buffer != NULL && ((uintptr_t)buffer % 16) == 0);
  CHECK(my_lib_buffer_len(buffer) == 8);

  const uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
  MyLibByteSlice data = {hello, sizeof hello};
  CHECK(my_lib_buffer_write(buffer, 1, data) == MY_LIB_STATUS_OK);
  CHECK(memcmp(buffer, "\0hello\0\0", 8) == 0);
  buffer[0] = '>'; /* the host may write the bytes directly too */

  MyLibByteSlice view = {NULL, 0};
  CHECK(my_lib_buffer_read(buffer, 0, 3, &view) == MY_LIB_STATUS_OK);
  CHECK(view.ptr == buffer && view.len == 3 && memcmp(view.ptr, ">he", 3) == 0);

  CHECK(my_lib_buffer_write(buffer, 4, data) == MY_LIB_STATUS_OUT_OF_BOUNDS);
  CHECK(last_error_is(MY_LIB_STATUS_OUT_OF_BOUNDS,
                      "range 4...9 (length 5) is outside a buffer of 8 bytes"));
  CHECK(memcmp(buffer, ">hello\0\0", 8) == 0);
  CHECK(my_lib_buffer_read(buffer, SIZE_MAX, 2, &view) ==
        MY_LIB_STATUS_OUT_OF_BOUNDS);
  CHECK(view.ptr == buffer && view.len == 3);

  MyLibByteSlice null_data = {NULL, 1};
  CHECK(my_lib_buffer_write(buffer, 0, null_data) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "data.ptr is NULL"));
  CHECK(my_lib_buffer_write(NULL, 0, data) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(my_lib_buffer_read(buffer, 0, 1, NULL) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(my_lib_buffer_read(NULL, 0, 1, &view) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(my_lib_buffer_len(NULL) == 0);
  CHECK(my_lib_last_error_status() == MY_LIB_STATUS_NULL_POINTER);
  CHECK(my_lib_buffer_len(buffer + 1) == 0); /* not a buffer: misaligned */
  CHECK(my_lib_last_error_status() == MY_LIB_STATUS_INVALID_ARGUMENT);
  my_lib_buffer_free(buffer);

  uint8_t *untouched = (uint8_t *)&checks;
  CHECK(my_lib_buffer_alloc(0, &untouched) == MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT, "len must be at least 1"));
  CHECK(my_lib_buffer_alloc(SIZE_MAX, &untouched) ==
        MY_LIB_STATUS_ALLOCATION_FAILED);
  CHECK(untouched == (uint8_t *)&checks);
  CHECK(my_lib_buffer_alloc(1, NULL) == MY_LIB_STATUS_NULL_POINTER);
  my_lib_buffer_free(NULL);
  CHECK(no_last_error());
}

static void test_points(void) {
  MyLibPoint a = my_lib_point_new(0.0, 0.0);
  MyLibPoint b = my_lib_point_new(3.0, 4.0);
  CHECK(b.x == 3.0 && b.y == 4.0);
  CHECK(my_lib_point_distance(a, b) == 5.0);
  CHECK(isnan(my_lib_point_distance(a, my_lib_point_new(NAN, 0.0))));

  const MyLibPoint path[] = {{0.0, 0.0}, {3.0, 4.0}, {3.0, 10.0}};
  MyLibPointSlice points = {path, 3};
  MyLibPoint centroid = {0.0, 0.0};
  CHECK(my_lib_points_centroid(points, &centroid) == MY_LIB_STATUS_OK);
  CHECK(centroid.x == 2.0 && centroid.y == 14.0 / 3.0);
  double length = 0.0;
  CHECK(my_lib_points_path_length(points, &length) == MY_LIB_STATUS_OK);
  CHECK(length == 11.0);

  MyLibPointSlice empty = {NULL, 0};
  CHECK(my_lib_points_centroid(empty, &centroid) ==
        MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT,
                      "the centroid of no points is undefined"));
  CHECK(centroid.x == 2.0);
  CHECK(my_lib_points_path_length(empty, &length) == MY_LIB_STATUS_OK);
  CHECK(length == 0.0);

  MyLibPointSlice dangling = {NULL, 2};
  CHECK(my_lib_points_centroid(dangling, &centroid) ==
        MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "points.ptr is NULL"));
  CHECK(my_lib_points_path_length(dangling, &length) ==
        MY_LIB_STATUS_NULL_POINTER);
  CHECK(my_lib_points_centroid(points, NULL) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(my_lib_points_path_length(points, NULL) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_length is NULL"));
}

static int same_point(MyLibPoint p, double x, double y) {
  return p.x == x && p.y == y;
}

static void test_points_summary(void) {
  const MyLibPoint far[] = {{1e308, 1e308}, {1e308, 1e308}};
  MyLibPointSlice far_points = {far, 2};
  MyLibPoint centroid = {0.0, 0.0};
  CHECK(my_lib_points_centroid(far_points, &centroid) == MY_LIB_STATUS_OK);
  CHECK(same_point(centroid, 1e308, 1e308)); /* not infinity */
  /* The exact mean is finite, so the centroid is: no overflow to infinity. */
  MyLibPoint extreme[64];
  for (size_t i = 0; i < 64; i++) {
    extreme[i] = (MyLibPoint){DBL_MAX, -DBL_MAX};
  }
  for (size_t n = 1; n <= 64; n++) {
    MyLibPointSlice repeated = {extreme, n};
    centroid = (MyLibPoint){0.0, 0.0};
    CHECK(my_lib_points_centroid(repeated, &centroid) == MY_LIB_STATUS_OK);
    CHECK(isfinite(centroid.x) && isfinite(centroid.y));
    CHECK(centroid.x >= DBL_MAX * (1 - 2 * DBL_EPSILON) && centroid.y == -centroid.x);
  }

  const MyLibPoint scattered[] = {{1.0, -2.0}, {NAN, 7.0}, {-3.0, 5.0}, {2.0, NAN}};
  MyLibPointSlice points = {scattered, 4};
  MyLibBoundingBox box = {{0.0, 0.0}, {0.0, 0.0}};
  CHECK(my_lib_points_bounding_box(points, &box) == MY_LIB_STATUS_OK);
  CHECK(same_point(box.min, -3.0, -2.0) && same_point(box.max, 2.0, 7.0));
  CHECK(no_last_error());

  MyLibPointSlice empty = {NULL, 0};
  CHECK(my_lib_points_bounding_box(empty, &box) == MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT,
                      "the bounding box of no points is undefined"));
  CHECK(same_point(box.min, -3.0, -2.0) && same_point(box.max, 2.0, 7.0));
  CHECK(my_lib_points_bounding_box(points, NULL) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_box is NULL"));
  MyLibPointSlice dangling = {NULL, 1};
  CHECK(my_lib_points_bounding_box(dangling, &box) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "points.ptr is NULL"));

  /* An array of doubles read one double off: misaligned for MyLibPoint. */
  _Alignas(16) double raw[5] = {0.0, 0.0, 3.0, 4.0, 0.0};
  MyLibPointSlice misaligned = {(const MyLibPoint *)(void *)((char *)raw + 4), 2};
  double length = -1.0;
  CHECK(my_lib_points_path_length(misaligned, &length) ==
        MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT,
                      "points.ptr is not aligned to 8 bytes"));
  CHECK(length == -1.0);
  MyLibPointSlice aligned = {(const MyLibPoint *)(void *)raw, 2};
  CHECK(my_lib_points_path_length(aligned, &length) == MY_LIB_STATUS_OK);
  CHECK(length == 5.0);
}

static void test_points_nearest(void) {
  /* (1,0) and (-1,0) tie at distance 1: the earlier comes first. */
  const MyLibPoint around[] = {{0.0, 2.0}, {1.0, 0.0}, {NAN, 0.0}, {-1.0, 0.0}, {0.0, 0.5}};
  MyLibPointSlice points = {around, 5};
  MyLibPoint origin = {0.0, 0.0};
  MyLibPoint found[5];
  size_t len = 99;
  CHECK(my_lib_points_nearest(points, origin, 3, found, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 3);
  CHECK(same_point(found[0], 0.0, 0.5) && same_point(found[1], 1.0, 0.0) &&
        same_point(found[2], -1.0, 0.0));
  CHECK(no_last_error());
  /* k beyond the points: every point with a distance, never the NaN one. */
  CHECK(my_lib_points_nearest(points, origin, 5, found, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 4 && same_point(found[3], 0.0, 2.0));
  /* k = 0 needs no array. */
  CHECK(my_lib_points_nearest(points, origin, 0, NULL, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 0);
  MyLibPointSlice empty = {NULL, 0};
  CHECK(my_lib_points_nearest(empty, origin, 2, found, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 0);
  MyLibPoint nowhere = {NAN, 0.0};
  CHECK(my_lib_points_nearest(points, nowhere, 2, found, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 0);

  /* Every failure leaves *out_len as it was. */
  len = 7;
  CHECK(my_lib_points_nearest(points, origin, 1, found, NULL) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_len is NULL"));
  CHECK(my_lib_points_nearest(points, origin, 2, NULL, &len) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_points is NULL"));
  CHECK(len == 7);
  MyLibPointSlice dangling = {NULL, 3};
  CHECK(my_lib_points_nearest(dangling, origin, 1, found, &len) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "points.ptr is NULL"));
  MyLibPoint *misaligned = (MyLibPoint *)(void *)((char *)found + 1);
  CHECK(my_lib_points_nearest(points, origin, 2, misaligned, &len) ==
        MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT,
                      "out_points is not aligned to 8 bytes"));
  CHECK(len == 7);
}

static void test_points_within(void) {
  const MyLibPoint around[] = {{3.0, 4.0}, {9.0, 9.0}, {0.0, 0.0}, {3.0, 4.1}, {-5.0, 0.0}, {NAN, 0.0}};
  MyLibPointSlice points = {around, 6};
  MyLibPoint origin = {0.0, 0.0};
  MyLibPoint found[6];
  size_t len = 99;
  /* The boundary is included; the points keep their order. */
  CHECK(my_lib_points_within(points, origin, 5.0, found, 6, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 3);
  CHECK(same_point(found[0], 3.0, 4.0) && same_point(found[1], 0.0, 0.0) &&
        same_point(found[2], -5.0, 0.0));
  CHECK(my_lib_points_within(points, origin, INFINITY, found, 6, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 5); /* never the NaN point */
  CHECK(my_lib_points_within(points, origin, 0.0, found, 6, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 1 && same_point(found[0], 0.0, 0.0));
  MyLibPointSlice empty = {NULL, 0};
  CHECK(my_lib_points_within(empty, origin, 1.0, NULL, 0, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 0);

  /* Too small: the needed length, nothing written; then retry. */
  MyLibPoint small[2] = {{-1.0, -1.0}, {-1.0, -1.0}};
  CHECK(my_lib_points_within(points, origin, 5.0, small, 2, &len) ==
        MY_LIB_STATUS_OUTPUT_TOO_SMALL);
  CHECK(len == 3);
  CHECK(last_error_is(MY_LIB_STATUS_OUTPUT_TOO_SMALL,
                      "out_points has room for 2 points, the result has 3"));
  CHECK(same_point(small[0], -1.0, -1.0) && same_point(small[1], -1.0, -1.0));
  CHECK(my_lib_points_within(points, origin, 5.0, NULL, 0, &len) ==
        MY_LIB_STATUS_OUTPUT_TOO_SMALL);
  CHECK(len == 3);
  MyLibPoint retry[3];
  CHECK(my_lib_points_within(points, origin, 5.0, retry, len, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 3 && same_point(retry[2], -5.0, 0.0));
  CHECK(no_last_error());

  len = 42;
  CHECK(my_lib_points_within(points, origin, NAN, found, 6, &len) ==
        MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT, "radius must be a number, got NaN"));
  CHECK(my_lib_points_within(points, origin, -1.0, found, 6, &len) ==
        MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT,
                      "radius must not be negative, got -1.0"));
  CHECK(len == 42);
  CHECK(my_lib_points_within(points, origin, 1.0, found, 6, NULL) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_len is NULL"));
  CHECK(my_lib_points_within(points, origin, 1.0, NULL, 6, &len) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_points is NULL"));
  CHECK(len == 42);
  MyLibPoint *misaligned = (MyLibPoint *)(void *)((char *)found + 4);
  CHECK(my_lib_points_within(points, origin, 1.0, misaligned, 5, &len) ==
        MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT,
                      "out_points is not aligned to 8 bytes"));
  CHECK(len == 42);
}

static void test_points_simplify(void) {
  MyLibPoint path[] = {{0.0, 0.0}, {1.0, 0.1}, {2.0, -0.1}, {3.0, 5.0}, {4.0, 6.0}, {5.0, 7.0}};
  MyLibPointSlice points = {path, 6};
  MyLibPoint kept[6];
  size_t len = 99;
  CHECK(my_lib_points_simplify(points, 0.5, kept, 6, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 4);
  CHECK(same_point(kept[0], 0.0, 0.0) && same_point(kept[1], 2.0, -0.1) &&
        same_point(kept[2], 3.0, 5.0) && same_point(kept[3], 5.0, 7.0));
  CHECK(my_lib_points_simplify(points, INFINITY, kept, 6, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 2 && same_point(kept[0], 0.0, 0.0) && same_point(kept[1], 5.0, 7.0));
  /* Tolerance 0 drops exactly the collinear (4, 6). */
  CHECK(my_lib_points_simplify(points, 0.0, kept, 6, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 5 && same_point(kept[3], 3.0, 5.0) && same_point(kept[4], 5.0, 7.0));
  MyLibPointSlice two = {path, 2};
  CHECK(my_lib_points_simplify(two, 100.0, kept, 2, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 2 && same_point(kept[1], 1.0, 0.1));
  MyLibPointSlice empty = {NULL, 0};
  CHECK(my_lib_points_simplify(empty, 1.0, NULL, 0, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 0);

  MyLibPoint small[3] = {{-1.0, -1.0}, {-1.0, -1.0}, {-1.0, -1.0}};
  CHECK(my_lib_points_simplify(points, 0.5, small, 3, &len) ==
        MY_LIB_STATUS_OUTPUT_TOO_SMALL);
  CHECK(len == 4);
  CHECK(last_error_is(MY_LIB_STATUS_OUTPUT_TOO_SMALL,
                      "out_points has room for 3 points, the result has 4"));
  CHECK(same_point(small[0], -1.0, -1.0) && same_point(small[2], -1.0, -1.0));

  len = 42;
  CHECK(my_lib_points_simplify(points, NAN, kept, 6, &len) == MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT, "tolerance must be a number, got NaN"));
  CHECK(my_lib_points_simplify(points, -0.25, kept, 6, &len) == MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT,
                      "tolerance must not be negative, got -0.25"));
  CHECK(len == 42);
  CHECK(my_lib_points_simplify(points, 0.5, kept, 6, NULL) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_len is NULL"));
  CHECK(my_lib_points_simplify(points, 0.5, NULL, 6, &len) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "out_points is NULL"));
  CHECK(len == 42);
  MyLibPointSlice dangling = {NULL, 4};
  CHECK(my_lib_points_simplify(dangling, 0.5, kept, 6, &len) == MY_LIB_STATUS_NULL_POINTER);
  CHECK(last_error_is(MY_LIB_STATUS_NULL_POINTER, "points.ptr is NULL"));
  MyLibPoint *misaligned = (MyLibPoint *)(void *)((char *)kept + 1);
  CHECK(my_lib_points_simplify(points, 0.5, misaligned, 5, &len) ==
        MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(last_error_is(MY_LIB_STATUS_INVALID_ARGUMENT,
                      "out_points is not aligned to 8 bytes"));
  CHECK(len == 42);

  /* In place: the result overwrites the front of the input. */
  CHECK(my_lib_points_simplify(points, 0.5, path, 6, &len) == MY_LIB_STATUS_OK);
  CHECK(len == 4);
  CHECK(same_point(path[0], 0.0, 0.0) && same_point(path[1], 2.0, -0.1) &&
        same_point(path[2], 3.0, 5.0) && same_point(path[3], 5.0, 7.0));
  CHECK(same_point(path[4], 4.0, 6.0)); /* past the result: untouched */
}

/* The tutorial's six functions, called as the tutorial's callers do. */
static void test_tutorial_aliases(void) {
  CHECK(add_numbers(2, 3) == 5);
  CHECK(add_numbers(INT32_MAX, 1) == INT32_MIN);
  CHECK(safe_add(-3, 2) == -1);
  CHECK(safe_add(INT32_MAX, 1) == INT32_MAX);
  CHECK(strcmp(get_greeting(), "Hello from Rust") == 0);

  MyLibPoint point = make_point(1.5, -2.5);
  CHECK(point.x == 1.5 && point.y == -2.5);

  uint8_t *buffer = allocate_buffer(32);
  CHECK(buffer != NULL);
  memset(buffer, 0xAB, 32);
  CHECK(my_lib_buffer_len(buffer) == 32);
  free_buffer(buffer);
  free_buffer(NULL);

  CHECK(allocate_buffer(0) == NULL);
  CHECK(my_lib_last_error_status() == MY_LIB_STATUS_INVALID_ARGUMENT);
  CHECK(allocate_buffer(SIZE_MAX) == NULL);
  CHECK(my_lib_last_error_status() == MY_LIB_STATUS_ALLOCATION_FAILED);
  CHECK(allocate_buffer((size_t)1 << 60) == NULL); /* valid size, no memory */
  CHECK(my_lib_last_error_status() == MY_LIB_STATUS_ALLOCATION_FAILED);
}

int main(void) {
  test_arithmetic();
  test_text();
  test_buffers();
  test_points();
  test_points_summary();
  test_points_nearest();
  test_points_within();
  test_points_simplify();
  test_tutorial_aliases();
  /* Leave no last error behind, so its message is freed before exit. */
  CHECK(my_lib_wrapping_add(1, 1) == 2);

  printf("%d checks, %d failures\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
