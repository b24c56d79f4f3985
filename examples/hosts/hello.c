#include <my_lib.h>
#include <stdio.h>

int main(void) {
  char *greeting = my_lib_greet("C"); /* ours to free, with my_lib_string_free */
  if (greeting == NULL) return 1;
  puts(greeting);
  my_lib_string_free(greeting);

  int32_t sum;
  if (my_lib_checked_add(40, 2, &sum) == MY_LIB_STATUS_OK) printf("40 + 2 = %d\n", sum);
  MyLibStatus status = my_lib_checked_add(INT32_MAX, 1, &sum);
  if (status != MY_LIB_STATUS_OK) printf("error %d: %s\n", status, my_lib_last_error_message());

  MyLibPoint a = my_lib_point_new(0, 0), b = my_lib_point_new(3, 4);
  printf("distance %.1f\n", my_lib_point_distance(a, b));
  return 0;
}
