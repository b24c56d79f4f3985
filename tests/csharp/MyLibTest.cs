// A C# host for my_lib: P/Invoke (Mono) against libmy_lib.so built without
// Ruby. Calls every exported function, error paths included: the run fails
// if the IL of this test calls no P/Invoke of an exported name. Run by
// `bundle exec rake c_abi:csharp`, which passes the library's exported names
// (from nm -D) as arguments and puts its directory on LD_LIBRARY_PATH.
// Exits 1 on any failed check.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

// MyLibStatus, as in include/my_lib.h.
enum Status { Ok, NullPointer, InvalidArgument, Overflow, InvalidUtf8, OutOfBounds, AllocationFailed, Panic, OutputTooSmall }

[StructLayout(LayoutKind.Sequential)]
struct Point {
  public double X, Y;
  public Point(double x, double y) { X = x; Y = y; }
}

[StructLayout(LayoutKind.Sequential)]
struct BoundingBox { public Point Min, Max; }

// {ptr, len} views: they own nothing; the memory stays the host's (pinned
// for the call) or the buffer's.
[StructLayout(LayoutKind.Sequential)]
struct ByteSlice { public IntPtr Ptr; public UIntPtr Len; }

[StructLayout(LayoutKind.Sequential)]
struct PointSlice { public IntPtr Ptr; public UIntPtr Len; }

// include/my_lib.h. Out-parameters are `ref`, not `out`, so that a test can
// see that a failed call leaves them unchanged. Strings travel as pointers to
// UTF-8 bytes: my_lib's own, freed with my_lib_string_free when the header
// says they are ours.
static class Native {
  const string Library = "my_lib";

  [DllImport(Library)] public static extern int my_lib_wrapping_add(int a, int b);
  [DllImport(Library)] public static extern int my_lib_saturating_add(int a, int b);
  [DllImport(Library)] public static extern Status my_lib_checked_add(int a, int b, ref int outSum);
  [DllImport(Library, EntryPoint = "my_lib_checked_add")]
  public static extern Status my_lib_checked_add_to_null(int a, int b, IntPtr outSum);

  [DllImport(Library)] public static extern Status my_lib_buffer_alloc(UIntPtr len, ref IntPtr outBuffer);
  [DllImport(Library)] public static extern UIntPtr my_lib_buffer_len(IntPtr buffer);
  [DllImport(Library)] public static extern Status my_lib_buffer_write(IntPtr buffer, UIntPtr offset, ByteSlice data);
  [DllImport(Library)]
  public static extern Status my_lib_buffer_read(IntPtr buffer, UIntPtr offset, UIntPtr len, ref ByteSlice outBytes);
  [DllImport(Library)] public static extern void my_lib_buffer_free(IntPtr buffer);

  [DllImport(Library)] public static extern Status my_lib_last_error_status();
  [DllImport(Library)] public static extern IntPtr my_lib_last_error_message();

  [DllImport(Library)] public static extern Point my_lib_point_new(double x, double y);
  [DllImport(Library)] public static extern double my_lib_point_distance(Point a, Point b);
  [DllImport(Library)] public static extern Status my_lib_points_centroid(PointSlice points, ref Point outCentroid);
  [DllImport(Library)] public static extern Status my_lib_points_path_length(PointSlice points, ref double outLength);
  [DllImport(Library, EntryPoint = "my_lib_points_path_length")]
  public static extern Status my_lib_points_path_length_to_null(PointSlice points, IntPtr outLength);
  [DllImport(Library)] public static extern Status my_lib_points_bounding_box(PointSlice points, ref BoundingBox outBox);
  [DllImport(Library)]
  public static extern Status my_lib_points_nearest(PointSlice points, Point target, UIntPtr k, IntPtr outPoints,
                                                    ref UIntPtr outLen);
  [DllImport(Library)]
  public static extern Status my_lib_points_within(PointSlice points, Point center, double radius, IntPtr outPoints,
                                                   UIntPtr capacity, ref UIntPtr outLen);
  [DllImport(Library)]
  public static extern Status my_lib_points_simplify(PointSlice points, double tolerance, IntPtr outPoints,
                                                     UIntPtr capacity, ref UIntPtr outLen);

  [DllImport(Library)] public static extern IntPtr my_lib_greeting();
  [DllImport(Library)] public static extern IntPtr my_lib_greet(byte[] name); // NUL-terminated by the caller
  [DllImport(Library)] public static extern void my_lib_string_free(IntPtr text);
  [DllImport(Library)] public static extern IntPtr my_lib_version();

  [DllImport(Library)] public static extern int add_numbers(int a, int b);
  [DllImport(Library)] public static extern IntPtr get_greeting();
  [DllImport(Library)] public static extern IntPtr allocate_buffer(UIntPtr size);
  [DllImport(Library)] public static extern void free_buffer(IntPtr ptr);
  [DllImport(Library)] public static extern Point make_point(double x, double y);
  [DllImport(Library)] public static extern int safe_add(int a, int b);
}

static class MyLibTest {
  static int checks, failures;

  static void Check(bool condition, string what, [CallerLineNumber] int line = 0) {
    Interlocked.Increment(ref checks);
    if (condition) return;
    Interlocked.Increment(ref failures);
    Console.Error.WriteLine("MyLibTest.cs:" + line + ": check failed: " + what);
  }

  // A NUL-terminated UTF-8 string my_lib made, decoded; null for NULL.
  static string Utf8(IntPtr text) { return Marshal.PtrToStringUTF8(text); }

  static byte[] CString(byte[] bytes) { return bytes.Concat(new byte[] { 0 }).ToArray(); }
  static byte[] CString(string text) { return CString(Encoding.UTF8.GetBytes(text)); }

  static void CheckLastError(Status status, string message, [CallerLineNumber] int line = 0) {
    Status actualStatus = Native.my_lib_last_error_status();
    string actualMessage = Utf8(Native.my_lib_last_error_message());
    Check(actualStatus == status && actualMessage == message,
          "last error is " + actualStatus + " " + actualMessage + ", expected " + status + " " + message, line);
  }

  static void CheckNoLastError([CallerLineNumber] int line = 0) {
    Check(Native.my_lib_last_error_status() == Status.Ok && Native.my_lib_last_error_message() == IntPtr.Zero,
          "no last error", line);
  }

  static void TestArithmetic() {
    Check(Native.my_lib_wrapping_add(2, 3) == 5, "wrapping_add");
    Check(Native.my_lib_wrapping_add(int.MaxValue, 1) == int.MinValue, "wrapping_add wraps");
    Check(Native.my_lib_saturating_add(int.MaxValue, 1) == int.MaxValue, "saturating_add clamps up");
    Check(Native.my_lib_saturating_add(int.MinValue, -1) == int.MinValue, "saturating_add clamps down");

    int sum = -7;
    Check(Native.my_lib_checked_add(40, 2, ref sum) == Status.Ok && sum == 42, "checked_add writes the out-parameter");
    CheckNoLastError();
    Check(Native.my_lib_checked_add(int.MaxValue, 1, ref sum) == Status.Overflow, "checked_add overflows");
    Check(sum == 42, "a failed checked_add leaves the out-parameter");
    CheckLastError(Status.Overflow, "2147483647 + 1 overflows a 32-bit signed integer (-2147483648 to 2147483647)");
    Check(Native.my_lib_checked_add_to_null(1, 1, IntPtr.Zero) == Status.NullPointer, "checked_add with NULL");
    CheckLastError(Status.NullPointer, "out_sum is NULL");
    Check(Native.my_lib_wrapping_add(0, 0) == 0, "a later call");
    CheckNoLastError();
  }

  static void TestText() {
    Check(Utf8(Native.my_lib_greeting()) == "Hello from Rust", "greeting");
    Check(Utf8(Native.my_lib_version()) == "0.1.0", "version");

    // Non-ASCII both ways: C# string -> UTF-8 -> my_lib -> UTF-8 -> C# string.
    IntPtr greeting = Native.my_lib_greet(CString("Zoë 🌍"));
    Check(greeting != IntPtr.Zero && Utf8(greeting) == "Hello, Zoë 🌍!", "greet, non-ASCII");
    Native.my_lib_string_free(greeting);
    Native.my_lib_string_free(IntPtr.Zero);
    CheckNoLastError();

    Check(Native.my_lib_greet(CString(new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xC3 })) == IntPtr.Zero,
          "greet, invalid UTF-8");
    CheckLastError(Status.InvalidUtf8, "invalid UTF-8 byte sequence \\xC3 at byte 3");
    Check(Native.my_lib_greet(null) == IntPtr.Zero, "greet(NULL)");
    CheckLastError(Status.NullPointer, "name is NULL");
  }

  static byte[] Bytes(IntPtr memory, int length) {
    var bytes = new byte[length];
    Marshal.Copy(memory, bytes, 0, length);
    return bytes;
  }

  static void TestBuffers() {
    IntPtr buffer = IntPtr.Zero;
    Check(Native.my_lib_buffer_alloc((UIntPtr)8, ref buffer) == Status.Ok, "buffer_alloc");
    Check(buffer != IntPtr.Zero && buffer.ToInt64() % 16 == 0, "the buffer is 16-byte aligned");
    Check(Native.my_lib_buffer_len(buffer).ToUInt64() == 8, "buffer_len");
    Check(Bytes(buffer, 8).SequenceEqual(new byte[8]), "a new buffer is zeroed");

    // A {ptr, len} slice of a managed array, pinned so the GC cannot move it during the call.
    byte[] hello = Encoding.ASCII.GetBytes("hello");
    GCHandle pinned = GCHandle.Alloc(hello, GCHandleType.Pinned);
    try {
      var data = new ByteSlice { Ptr = pinned.AddrOfPinnedObject(), Len = (UIntPtr)hello.Length };
      Check(Native.my_lib_buffer_write(buffer, (UIntPtr)1, data) == Status.Ok, "buffer_write");
      Check(Bytes(buffer, 8).SequenceEqual(Encoding.ASCII.GetBytes("\0hello\0\0")), "bytes written");
      Marshal.WriteByte(buffer, 0, (byte)'>'); // the host may write the bytes directly too

      var view = new ByteSlice();
      Check(Native.my_lib_buffer_read(buffer, UIntPtr.Zero, (UIntPtr)3, ref view) == Status.Ok, "buffer_read");
      Check(view.Ptr == buffer && view.Len.ToUInt64() == 3, "the view points into the buffer");
      Check(Bytes(view.Ptr, 3).SequenceEqual(Encoding.ASCII.GetBytes(">he")), "the view's bytes");

      Check(Native.my_lib_buffer_write(buffer, (UIntPtr)4, data) == Status.OutOfBounds, "buffer_write past the end");
      CheckLastError(Status.OutOfBounds, "range 4...9 (length 5) is outside a buffer of 8 bytes");
      Check(Bytes(buffer, 8).SequenceEqual(Encoding.ASCII.GetBytes(">hello\0\0")), "a refused write writes nothing");
      Check(Native.my_lib_buffer_read(buffer, (UIntPtr)6, (UIntPtr)3, ref view) == Status.OutOfBounds,
            "buffer_read past the end");
      Check(view.Len.ToUInt64() == 3, "a refused read leaves the out-parameter");
    } finally {
      pinned.Free();
    }
    var dangling = new ByteSlice { Ptr = IntPtr.Zero, Len = (UIntPtr)1 };
    Check(Native.my_lib_buffer_write(buffer, UIntPtr.Zero, dangling) == Status.NullPointer, "a NULL slice");
    CheckLastError(Status.NullPointer, "data.ptr is NULL");
    Check(Native.my_lib_buffer_len(IntPtr.Zero).ToUInt64() == 0, "buffer_len(NULL)");
    Check(Native.my_lib_last_error_status() == Status.NullPointer, "buffer_len(NULL) is NULL_POINTER");
    Native.my_lib_buffer_free(buffer);

    IntPtr untouched = (IntPtr)0x1234;
    Check(Native.my_lib_buffer_alloc(UIntPtr.Zero, ref untouched) == Status.InvalidArgument, "buffer_alloc(0)");
    CheckLastError(Status.InvalidArgument, "len must be at least 1");
    Check(Native.my_lib_buffer_alloc(new UIntPtr(ulong.MaxValue), ref untouched) == Status.AllocationFailed,
          "buffer_alloc(SIZE_MAX)");
    Check(untouched == (IntPtr)0x1234, "a failed buffer_alloc leaves the out-parameter");
    Native.my_lib_buffer_free(IntPtr.Zero);
    CheckNoLastError();
  }

  static void TestPoints() {
    Point origin = Native.my_lib_point_new(0, 0);
    Point b = Native.my_lib_point_new(3, 4);
    Check(b.X == 3 && b.Y == 4, "point_new returns by value");
    Check(Native.my_lib_point_distance(origin, b) == 5, "point_distance takes points by value");
    Check(double.IsNaN(Native.my_lib_point_distance(origin, Native.my_lib_point_new(double.NaN, 0))), "distance to NaN");

    // A {ptr, len} slice of a managed Point[], pinned for the calls.
    var path = new[] { new Point { X = 0, Y = 0 }, new Point { X = 3, Y = 4 }, new Point { X = 3, Y = 10 } };
    GCHandle pinned = GCHandle.Alloc(path, GCHandleType.Pinned);
    try {
      var points = new PointSlice { Ptr = pinned.AddrOfPinnedObject(), Len = (UIntPtr)path.Length };
      var centroid = new Point();
      Check(Native.my_lib_points_centroid(points, ref centroid) == Status.Ok, "points_centroid");
      Check(centroid.X == 2 && centroid.Y == 14.0 / 3.0, "centroid " + centroid.X + ", " + centroid.Y);
      double length = -1;
      Check(Native.my_lib_points_path_length(points, ref length) == Status.Ok && length == 11, "points_path_length");

      var empty = new PointSlice();
      Check(Native.my_lib_points_centroid(empty, ref centroid) == Status.InvalidArgument, "centroid of nothing");
      CheckLastError(Status.InvalidArgument, "the centroid of no points is undefined");
      Check(centroid.X == 2, "a failed centroid leaves the out-parameter");
      Check(Native.my_lib_points_path_length(empty, ref length) == Status.Ok && length == 0, "path length of nothing");
      var dangling = new PointSlice { Ptr = IntPtr.Zero, Len = (UIntPtr)2 };
      Check(Native.my_lib_points_centroid(dangling, ref centroid) == Status.NullPointer, "a NULL slice");
      CheckLastError(Status.NullPointer, "points.ptr is NULL");
      Check(Native.my_lib_points_path_length_to_null(points, IntPtr.Zero) == Status.NullPointer, "path_length to NULL");
      CheckLastError(Status.NullPointer, "out_length is NULL");
    } finally {
      pinned.Free();
    }
  }

  // Runs `use` with the address of `points`, pinned so the GC cannot move them meanwhile.
  static void Pinned(Point[] points, Action<IntPtr> use) {
    GCHandle pinned = GCHandle.Alloc(points, GCHandleType.Pinned);
    try {
      use(pinned.AddrOfPinnedObject());
    } finally {
      pinned.Free();
    }
  }

  // The bulk operations: {ptr, len} input and caller-owned output arrays, all pinned managed arrays.
  static void TestPointSets() {
    var square = new[] { new Point(0, 0), new Point(2, 0), new Point(2, 2), new Point(0, 2) };
    var found = new[] { new Point(-1, -1), new Point(-1, -1), new Point(-1, -1) };
    var small = new[] { new Point(7, 7), new Point(7, 7) };
    var path = new[] { new Point(0, 0), new Point(1, 0.1), new Point(2, 0), new Point(3, 5) };
    Pinned(square, squareAt => Pinned(found, foundAt => Pinned(small, smallAt => Pinned(path, pathAt => {
      var all = new PointSlice { Ptr = squareAt, Len = (UIntPtr)4 };

      var box = new BoundingBox();
      Check(Native.my_lib_points_bounding_box(all, ref box) == Status.Ok, "points_bounding_box");
      Check(box.Min.Equals(new Point(0, 0)) && box.Max.Equals(new Point(2, 2)), "the bounding box");
      Check(Native.my_lib_points_bounding_box(new PointSlice(), ref box) == Status.InvalidArgument, "box of nothing");
      CheckLastError(Status.InvalidArgument, "the bounding box of no points is undefined");
      Check(box.Max.X == 2, "a failed bounding_box leaves the out-parameter");

      UIntPtr len = (UIntPtr)99;
      Check(Native.my_lib_points_nearest(all, new Point(2.1, 1.9), (UIntPtr)2, foundAt, ref len) == Status.Ok &&
            len.ToUInt64() == 2, "points_nearest");
      Check(found.SequenceEqual(new[] { new Point(2, 2), new Point(2, 0), new Point(-1, -1) }),
            "the 2 nearest, closest first, and nothing past them");
      Check(Native.my_lib_points_nearest(all, new Point(0, 0), UIntPtr.Zero, IntPtr.Zero, ref len) == Status.Ok &&
            len.ToUInt64() == 0, "k = 0 needs no array");

      Check(Native.my_lib_points_within(all, new Point(0, 0), 2, foundAt, (UIntPtr)3, ref len) == Status.Ok &&
            len.ToUInt64() == 3, "points_within");
      Check(found.SequenceEqual(new[] { new Point(0, 0), new Point(2, 0), new Point(0, 2) }),
            "the points within 2, in their order");
      Check(Native.my_lib_points_within(all, new Point(0, 0), 2, smallAt, (UIntPtr)2, ref len) ==
            Status.OutputTooSmall, "within, output too small");
      Check(len.ToUInt64() == 3 && small.All(point => point.Equals(new Point(7, 7))),
            "the length needed, and nothing written");
      CheckLastError(Status.OutputTooSmall, "out_points has room for 2 points, the result has 3");
      Check(Native.my_lib_points_within(all, new Point(0, 0), -1, foundAt, (UIntPtr)3, ref len) ==
            Status.InvalidArgument, "within a negative radius");
      CheckLastError(Status.InvalidArgument, "radius must not be negative, got -1.0");

      // In place: the output array is the input's own memory.
      Check(Native.my_lib_points_simplify(new PointSlice { Ptr = pathAt, Len = (UIntPtr)4 }, 0.5, pathAt, (UIntPtr)4,
                                          ref len) == Status.Ok && len.ToUInt64() == 3, "points_simplify in place");
      Check(path.Take(3).SequenceEqual(new[] { new Point(0, 0), new Point(2, 0), new Point(3, 5) }),
            "the simplified path");
      Check(Native.my_lib_points_simplify(new PointSlice { Ptr = pathAt, Len = (UIntPtr)3 }, double.NaN, foundAt,
                                          (UIntPtr)3, ref len) == Status.InvalidArgument,
            "simplify with a NaN tolerance");
      CheckLastError(Status.InvalidArgument, "tolerance must be a number, got NaN");
    }))));
  }

  static void TestTutorialAliases() {
    Check(Native.add_numbers(2, 3) == 5 && Native.add_numbers(int.MaxValue, 1) == int.MinValue, "add_numbers");
    Check(Native.safe_add(-3, 2) == -1 && Native.safe_add(int.MaxValue, 1) == int.MaxValue, "safe_add");
    Check(Utf8(Native.get_greeting()) == "Hello from Rust", "get_greeting");
    Point point = Native.make_point(1.5, -2.5);
    Check(point.X == 1.5 && point.Y == -2.5, "make_point");
    IntPtr buffer = Native.allocate_buffer((UIntPtr)32);
    Check(buffer != IntPtr.Zero && Native.my_lib_buffer_len(buffer).ToUInt64() == 32, "allocate_buffer");
    Native.free_buffer(buffer);
    Check(Native.allocate_buffer(UIntPtr.Zero) == IntPtr.Zero, "allocate_buffer(0)");
    Check(Native.my_lib_last_error_status() == Status.InvalidArgument, "allocate_buffer(0) is INVALID_ARGUMENT");
  }

  // Two managed threads (native threads to my_lib) fail differently at the
  // same time; each must read its own last error, never the other's.
  static void TestLastErrorIsPerThread() {
    Check(Native.my_lib_checked_add_to_null(1, 1, IntPtr.Zero) == Status.NullPointer, "the main thread's own error");
    const int rounds = 2000;
    var bothFailed = new Barrier(2);
    int mixedUp = 0;
    var overflowing = new Thread(() => {
      int sum = 0;
      for (int round = 0; round < rounds; round++) {
        Native.my_lib_checked_add(int.MaxValue, round + 1, ref sum);
        bothFailed.SignalAndWait();
        string message = Utf8(Native.my_lib_last_error_message());
        if (Native.my_lib_last_error_status() != Status.Overflow || message == null ||
            !message.StartsWith("2147483647 + " + (round + 1) + " overflows", StringComparison.Ordinal))
          Interlocked.Increment(ref mixedUp);
        bothFailed.SignalAndWait();
      }
    });
    var invalidText = new Thread(() => {
      byte[] invalid = CString(new byte[] { (byte)'x', 0xFF });
      for (int round = 0; round < rounds; round++) {
        Native.my_lib_greet(invalid);
        bothFailed.SignalAndWait();
        if (Native.my_lib_last_error_status() != Status.InvalidUtf8 ||
            Utf8(Native.my_lib_last_error_message()) != "invalid UTF-8 byte sequence \\xFF at byte 1")
          Interlocked.Increment(ref mixedUp);
        bothFailed.SignalAndWait();
      }
    });
    overflowing.Start();
    invalidText.Start();
    overflowing.Join();
    invalidText.Join();
    Check(mixedUp == 0, mixedUp + " of " + 2 * rounds + " last errors belonged to the other thread");
    CheckLastError(Status.NullPointer, "out_sum is NULL");
  }

  // The native functions this assembly's IL calls: every `call` whose target
  // is a P/Invoke, by its entry point (an EntryPoint alias counts as the
  // function it names).
  static SortedSet<string> NativeFunctionsCalled() {
    var opcodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
                                 .Select(field => (OpCode)field.GetValue(null))
                                 .ToDictionary(opcode => (ushort)opcode.Value);
    const BindingFlags everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static |
                                    BindingFlags.Instance | BindingFlags.DeclaredOnly;
    Module module = typeof(MyLibTest).Module;
    var called = new SortedSet<string>();
    foreach (Type type in module.GetTypes()) {
      var methods = type.GetMethods(everything).Cast<MethodBase>().Concat(type.GetConstructors(everything));
      foreach (MethodBase method in methods) {
        MethodBody body = method.GetMethodBody();
        if (body == null) continue;
        byte[] il = body.GetILAsByteArray();
        for (int at = 0; at < il.Length;) {
          ushort value = il[at] == 0xFE ? (ushort)(0xFE00 | il[at + 1]) : il[at];
          OpCode opcode = opcodes[value];
          at += opcode.Size;
          if (opcode.OperandType == OperandType.InlineMethod) {
            MethodBase target = module.ResolveMethod(BitConverter.ToInt32(il, at));
            if ((target.Attributes & MethodAttributes.PinvokeImpl) != 0) called.Add(EntryPoint(target));
          }
          at += OperandSize(opcode.OperandType, il, at);
        }
      }
    }
    return called;
  }

  static string EntryPoint(MethodBase pinvoke) {
    var import = (DllImportAttribute)pinvoke.GetCustomAttributes(typeof(DllImportAttribute), false).Single();
    return import.EntryPoint ?? pinvoke.Name;
  }

  static int OperandSize(OperandType type, byte[] il, int at) {
    switch (type) {
      case OperandType.InlineNone: return 0;
      case OperandType.ShortInlineBrTarget: case OperandType.ShortInlineI: case OperandType.ShortInlineVar: return 1;
      case OperandType.InlineVar: return 2;
      case OperandType.InlineI8: case OperandType.InlineR: return 8;
      case OperandType.InlineSwitch: return 4 + 4 * BitConverter.ToInt32(il, at);
      default: return 4;
    }
  }

  static int Main(string[] exportedNames) {
    TestArithmetic();
    TestText();
    TestBuffers();
    TestPoints();
    TestPointSets();
    TestTutorialAliases();
    TestLastErrorIsPerThread();

    var exported = new SortedSet<string>(exportedNames);
    SortedSet<string> called = NativeFunctionsCalled();
    Check(exported.Count > 0, "the exported names were passed as arguments");
    Check(!exported.Except(called).Any(), "exported but never called: " + string.Join(", ", exported.Except(called)));
    Check(!called.Except(exported).Any(), "called but not exported: " + string.Join(", ", called.Except(exported)));

    Console.WriteLine("csharp: " + checks + " checks, " + failures + " failures, " + called.Count + " of " +
                      exported.Count + " exported functions called");
    return failures == 0 ? 0 : 1;
  }
}
