/*
 * A C host for my_lib: calls every function of include/my_lib.h, error paths
 * included, against libmy_lib.so built without Ruby. Run under valgrind by
 * `bundle exec rake c_abi:c`, which fails on any memcheck error or leak.
 */
#include "my_lib.h"

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
  test_tutorial_aliases();
  /* Leave no last error behind, so its message is freed before exit. */
  CHECK(my_lib_wrapping_add(1, 1) == 2);

  printf("%d checks, %d failures\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
