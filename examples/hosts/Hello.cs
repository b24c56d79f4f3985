using System;
using System.Runtime.InteropServices;

static class Hello {
  [StructLayout(LayoutKind.Sequential)]
  struct Point { public double X, Y; }

  [DllImport("my_lib")] static extern IntPtr my_lib_greet(IntPtr name); // ours to free, with my_lib_string_free
  [DllImport("my_lib")] static extern void my_lib_string_free(IntPtr text);
  [DllImport("my_lib")] static extern int my_lib_checked_add(int a, int b, out int sum);
  [DllImport("my_lib")] static extern IntPtr my_lib_last_error_message();
  [DllImport("my_lib")] static extern Point my_lib_point_new(double x, double y);
  [DllImport("my_lib")] static extern double my_lib_point_distance(Point a, Point b);

  static void Main() {
    IntPtr name = Marshal.StringToCoTaskMemUTF8("C#");
    IntPtr greeting = my_lib_greet(name);
    Marshal.FreeCoTaskMem(name);
    Console.WriteLine(Marshal.PtrToStringUTF8(greeting));
    my_lib_string_free(greeting);

    int sum;
    if (my_lib_checked_add(40, 2, out sum) == 0) Console.WriteLine("40 + 2 = " + sum);
    int status = my_lib_checked_add(int.MaxValue, 1, out sum);
    if (status != 0) Console.WriteLine("error " + status + ": " + Marshal.PtrToStringUTF8(my_lib_last_error_message()));

    Point a = my_lib_point_new(0, 0), b = my_lib_point_new(3, 4);
    var invariant = System.Globalization.CultureInfo.InvariantCulture;
    Console.WriteLine("distance " + my_lib_point_distance(a, b).ToString("F1", invariant));
  }
}
