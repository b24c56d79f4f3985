/* The C ABI from 8 native threads at once: every result is right, and each
 * thread's last error is its own (a failure in one thread never shows in
 * another, and a success clears only the caller's). Build: see rake
 * c_abi:threads. Exits 0 when every check passed. */
#define _POSIX_C_SOURCE 200809L /* pthread barriers, under -std=c11 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "my_lib.h"

#define THREADS 8
#define ROUNDS 20000

static atomic_int failures = 0;
static pthread_barrier_t start;

static void fail(int thread, int round, const char *what) {
  if (atomic_fetch_add(&failures, 1) < 10)
    fprintf(stderr, "thread %d, round %d: %s\n", thread, round, what);
}

/* Each thread provokes its own kind of failure, then checks that the last
 * error it reads is exactly that one, whatever the other threads did since. */
static int provoke_and_check(int thread) {
  int32_t sum = 0;
  switch (thread % 3) {
  case 0:
    return my_lib_checked_add(INT32_MAX, thread + 1, &sum) == MY_LIB_STATUS_OVERFLOW &&
           my_lib_last_error_status() == MY_LIB_STATUS_OVERFLOW &&
           strstr(my_lib_last_error_message(), "overflows") != NULL;
  case 1:
    return my_lib_checked_add(1, 2, NULL) == MY_LIB_STATUS_NULL_POINTER &&
           my_lib_last_error_status() == MY_LIB_STATUS_NULL_POINTER &&
           strcmp(my_lib_last_error_message(), "out_sum is NULL") == 0;
  default:
    return my_lib_greet("caf\xC3") == NULL && my_lib_last_error_status() == MY_LIB_STATUS_INVALID_UTF8 &&
           strcmp(my_lib_last_error_message(), "invalid UTF-8 byte sequence \\xC3 at byte 3") == 0;
  }
}

static void *hammer(void *arg) {
  int thread = (int)(intptr_t)arg;
  char name[32], expected[48];
  snprintf(name, sizeof name, "thread %d", thread);
  snprintf(expected, sizeof expected, "Hello, thread %d!", thread);
  pthread_barrier_wait(&start);

  for (int round = 0; round < ROUNDS; round++) {
    if (!provoke_and_check(thread)) fail(thread, round, "its own last error was not kept");

    char *greeting = my_lib_greet(name);
    if (greeting == NULL || strcmp(greeting, expected) != 0) fail(thread, round, "wrong greeting");
    my_lib_string_free(greeting);
    if (my_lib_last_error_status() != MY_LIB_STATUS_OK || my_lib_last_error_message() != NULL)
      fail(thread, round, "a success did not clear the thread's last error");

    uint8_t *buffer = NULL;
    uint8_t payload[4] = {(uint8_t)thread, (uint8_t)round, 0xAB, 0xCD};
    MyLibByteSlice data = {payload, sizeof payload};
    MyLibByteSlice view = {NULL, 0};
    if (my_lib_buffer_alloc(16, &buffer) != MY_LIB_STATUS_OK ||
        my_lib_buffer_write(buffer, 12, data) != MY_LIB_STATUS_OK ||
        my_lib_buffer_read(buffer, 12, 4, &view) != MY_LIB_STATUS_OK || view.len != 4 ||
        memcmp(view.ptr, payload, 4) != 0)
      fail(thread, round, "buffer round trip");
    my_lib_buffer_free(buffer);

    int32_t sum = 0;
    if (my_lib_checked_add(thread, round, &sum) != MY_LIB_STATUS_OK || sum != thread + round)
      fail(thread, round, "checked_add");
  }
  return NULL;
}

int main(void) {
  pthread_t threads[THREADS];
  pthread_barrier_init(&start, NULL, THREADS);
  for (int t = 0; t < THREADS; t++) pthread_create(&threads[t], NULL, hammer, (void *)(intptr_t)t);
  for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
  pthread_barrier_destroy(&start);
  int failed = atomic_load(&failures);
  printf("test_threads: %d threads x %d rounds, %d failures\n", THREADS, ROUNDS, failed);
  return failed == 0 ? 0 : 1;
}
