/*
 * Out of memory never aborts: each C function whose result needs memory in
 * proportion to its input returns MY_LIB_STATUS_ALLOCATION_FAILED, with the
 * last error set and no out-parameter written, when RLIMIT_AS leaves less
 * room than that; and works again once the limit is lifted. Each case runs
 * in a forked child (setrlimit is per process, and a case that aborts must
 * not take the others with it). Run by `bundle exec rake c_abi:memory`, not
 * under valgrind, whose own allocations the limit would starve.
 */
#define _GNU_SOURCE
#include "my_lib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* 4,194,304 points: 64 MiB of input; a result of all of them needs 32 MiB
 * of positions or 64 MiB of points, well over the ROOM the limit leaves. */
#define POINTS ((size_t)1 << 22)
#define ROOM ((rlim_t)16 << 20)
#define UNTOUCHED_LEN ((size_t)0xC0FFEE)

static MyLibPoint *input;
static MyLibPoint *output;

/* The address space in use now, from /proc/self/status (VmSize, in kB). */
static rlim_t address_space_in_use(void) {
  FILE *status = fopen("/proc/self/status", "r");
  char line[256];
  unsigned long kilobytes = 0;
  while (status != NULL && fgets(line, sizeof line, status) != NULL) {
    if (sscanf(line, "VmSize: %lu kB", &kilobytes) == 1) {
      break;
    }
  }
  if (status != NULL) {
    fclose(status);
  }
  return (rlim_t)kilobytes * 1024;
}

/* Sets the soft limit only, so that lift_limit can raise it again. */
static int limit_address_space(rlim_t bytes) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_AS, &limit) != 0) {
    return 0;
  }
  limit.rlim_cur = bytes;
  return setrlimit(RLIMIT_AS, &limit) == 0;
}

static int lift_limit(void) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_AS, &limit) != 0) {
    return 0;
  }
  limit.rlim_cur = limit.rlim_max;
  return setrlimit(RLIMIT_AS, &limit) == 0;
}

static int allocation_failed(MyLibStatus status) {
  const char *message = my_lib_last_error_message();
  return status == MY_LIB_STATUS_ALLOCATION_FAILED &&
         my_lib_last_error_status() == MY_LIB_STATUS_ALLOCATION_FAILED && message != NULL &&
         strncmp(message, "failed to allocate ", strlen("failed to allocate ")) == 0;
}

enum call { NEAREST, WITHIN, SIMPLIFY };
static const char *const call_names[] = {"my_lib_points_nearest(k = n)",
                                          "my_lib_points_within(radius = inf)",
                                          "my_lib_points_simplify(tolerance = 0)"};

static MyLibStatus make_call(enum call call, size_t *len) {
  MyLibPointSlice points = {input, POINTS};
  MyLibPoint origin = {0.0, 0.0};
  switch (call) {
  case NEAREST:
    return my_lib_points_nearest(points, origin, POINTS, output, len);
  case WITHIN:
    return my_lib_points_within(points, origin, INFINITY, output, POINTS, len);
  case SIMPLIFY:
    return my_lib_points_simplify(points, 0.0, output, POINTS, len);
  }
  return MY_LIB_STATUS_PANIC;
}

/* In the child: the call fails cleanly under the limit, the summaries (which
 * need no memory) still work, and the call succeeds once the limit is lifted.
 * Returns the exit status: 0, or the number of the first failed step. */
static int child(enum call call) {
  output[0] = (MyLibPoint){-1.0, -1.0};
  if (!limit_address_space(address_space_in_use() + ROOM)) {
    return 10;
  }
  size_t len = UNTOUCHED_LEN;
  if (!allocation_failed(make_call(call, &len))) {
    return 11;
  }
  if (len != UNTOUCHED_LEN || output[0].x != -1.0) {
    return 12;
  }
  MyLibPoint centroid;
  MyLibPointSlice points = {input, POINTS};
  if (my_lib_points_centroid(points, &centroid) != MY_LIB_STATUS_OK) {
    return 13;
  }
  if (!lift_limit()) {
    return 14;
  }
  if (make_call(call, &len) != MY_LIB_STATUS_OK || len == UNTOUCHED_LEN || len == 0) {
    return 15;
  }
  return 0;
}

int main(void) {
  input = malloc(POINTS * sizeof *input);
  output = malloc(POINTS * sizeof *output);
  if (input == NULL || output == NULL) {
    fprintf(stderr, "test_memory: no memory for the input\n");
    return 1;
  }
  /* A zigzag with no two points collinear with a third: every point is a
   * result of each call. */
  for (size_t i = 0; i < POINTS; i++) {
    input[i] = (MyLibPoint){(double)i, (double)((i * i) % 1000003)};
  }
  int failures = 0;
  for (int call = NEAREST; call <= SIMPLIFY; call++) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      _exit(child((enum call)call));
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
      fprintf(stderr, "test_memory: fork or wait failed\n");
      return 1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      printf("%s: ALLOCATION_FAILED under RLIMIT_AS, out_len untouched; OK after\n",
             call_names[call]);
    } else {
      failures++;
      if (WIFSIGNALED(status)) {
        fprintf(stderr, "%s: killed by signal %d (an abort?)\n", call_names[call],
                WTERMSIG(status));
      } else {
        fprintf(stderr, "%s: failed at step %d\n", call_names[call], WEXITSTATUS(status));
      }
    }
  }
  free(input);
  free(output);
  printf("%d calls, %d failures\n", SIMPLIFY + 1, failures);
  return failures == 0 ? 0 : 1;
}
