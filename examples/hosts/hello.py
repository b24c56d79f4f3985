import ctypes

lib = ctypes.CDLL("libmy_lib.so")


class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double)]


lib.my_lib_greet.argtypes = [ctypes.c_char_p]
lib.my_lib_greet.restype = ctypes.c_void_p  # ours to free, with my_lib_string_free
lib.my_lib_string_free.argtypes = [ctypes.c_void_p]
lib.my_lib_checked_add.argtypes = [ctypes.c_int32, ctypes.c_int32, ctypes.POINTER(ctypes.c_int32)]
lib.my_lib_last_error_message.restype = ctypes.c_char_p
lib.my_lib_point_new.argtypes = [ctypes.c_double, ctypes.c_double]
lib.my_lib_point_new.restype = Point
lib.my_lib_point_distance.argtypes = [Point, Point]
lib.my_lib_point_distance.restype = ctypes.c_double

greeting = lib.my_lib_greet("Python".encode())
print(ctypes.string_at(greeting).decode())
lib.my_lib_string_free(greeting)

total = ctypes.c_int32()
if lib.my_lib_checked_add(40, 2, ctypes.byref(total)) == 0:
    print(f"40 + 2 = {total.value}")
status = lib.my_lib_checked_add(2**31 - 1, 1, ctypes.byref(total))
if status != 0:
    print(f"error {status}: {lib.my_lib_last_error_message().decode()}")

a, b = lib.my_lib_point_new(0, 0), lib.my_lib_point_new(3, 4)
print(f"distance {lib.my_lib_point_distance(a, b):.1f}")
