/*
 * Loads a my_lib shared object the way Ruby loads an extension, with
 * dlopen(), and calls through its panic boundary (core::unwind::catch_panic,
 * whose catch_depth is a thread-local) on the main thread, on a thread that
 * existed before the library was loaded, and on one created after:
 *
 *   dlopen_check LIBRARY.so     exit 0 and "dlopen_check: ok" when all hold
 *
 * Built with musl-gcc by spec/gem/musl_tls_spec.rb: musl's loader refuses a
 * library with initial-exec TLS ("initial-exec TLS resolves to dynamic
 * definition"), and allocates the TLS of a dlopen()ed library for threads
 * already running.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef int (*checked_add_fn)(int32_t, int32_t, int32_t *);
typedef char *(*greet_fn)(const char *);
typedef void (*string_free_fn)(char *);

static checked_add_fn checked_add;
static greet_fn greet;
static string_free_fn string_free;
static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loaded_cond = PTHREAD_COND_INITIALIZER;
static int loaded;

/* 0 when a few calls through the boundary return what they must. */
static int calls(const char *where) {
  for (int32_t i = 0; i < 1000; i++) {
    int32_t sum = 0;
    if (checked_add(i, 1, &sum) != 0 || sum != i + 1) {
      fprintf(stderr, "dlopen_check: %s: my_lib_checked_add(%d, 1) failed\n", where, (int)i);
      return 1;
    }
  }
  int32_t unused = 0;
  if (checked_add(INT32_MAX, 1, &unused) != 3) { /* MY_LIB_STATUS_OVERFLOW */
    fprintf(stderr, "dlopen_check: %s: my_lib_checked_add(INT32_MAX, 1) did not overflow\n", where);
    return 1;
  }
  char *greeting = greet("musl");
  int ok = greeting != NULL && strcmp(greeting, "Hello, musl!") == 0;
  if (greeting != NULL) string_free(greeting);
  if (!ok) fprintf(stderr, "dlopen_check: %s: my_lib_greet(\"musl\") failed\n", where);
  return !ok;
}

static void *early_thread(void *unused) {
  (void)unused;
  pthread_mutex_lock(&loaded_lock);
  while (!loaded) pthread_cond_wait(&loaded_cond, &loaded_lock);
  pthread_mutex_unlock(&loaded_lock);
  return (void *)(intptr_t)calls("a thread started before dlopen");
}

static void *late_thread(void *unused) {
  (void)unused;
  return (void *)(intptr_t)calls("a thread started after dlopen");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: dlopen_check LIBRARY.so\n");
    return 2;
  }
  pthread_t early, late;
  if (pthread_create(&early, NULL, early_thread, NULL) != 0) return 2;

  void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    fprintf(stderr, "dlopen_check: dlopen: %s\n", dlerror());
    return 1;
  }
  checked_add = (checked_add_fn)dlsym(library, "my_lib_checked_add");
  greet = (greet_fn)dlsym(library, "my_lib_greet");
  string_free = (string_free_fn)dlsym(library, "my_lib_string_free");
  if (checked_add == NULL || greet == NULL || string_free == NULL) {
    fprintf(stderr, "dlopen_check: dlsym: %s\n", dlerror());
    return 1;
  }
  pthread_mutex_lock(&loaded_lock);
  loaded = 1;
  pthread_cond_broadcast(&loaded_cond);
  pthread_mutex_unlock(&loaded_lock);

  int failed = calls("the main thread");
  void *result;
  pthread_join(early, &result);
  failed |= (int)(intptr_t)result;
  if (pthread_create(&late, NULL, late_thread, NULL) != 0) return 2;
  pthread_join(late, &result);
  failed |= (int)(intptr_t)result;
  if (!failed) puts("dlopen_check: ok");
  return failed;
}
