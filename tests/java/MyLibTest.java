import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Java host for my_lib: JNA against libmy_lib.so built without Ruby. Calls
 * every exported function (the run fails if one is never called), error paths
 * included. Run by `bundle exec rake hosts:java`, which passes the library
 * (-Dmy_lib.library) and the names it exports (-Dmy_lib.exports, from nm -D).
 * Exits 1 on any failed check.
 */
public final class MyLibTest {
  // MyLibStatus, as in include/my_lib.h.
  static final int OK = 0;
  static final int NULL_POINTER = 1;
  static final int INVALID_ARGUMENT = 2;
  static final int OVERFLOW = 3;
  static final int INVALID_UTF8 = 4;
  static final int OUT_OF_BOUNDS = 5;
  static final int ALLOCATION_FAILED = 6;
  static final int OUTPUT_TOO_SMALL = 8;

  /** size_t, whatever its width on this platform. */
  public static final class SizeT extends IntegerType {
    private static final long serialVersionUID = 1L;

    public SizeT() {
      this(0);
    }

    public SizeT(long value) {
      super(Native.SIZE_T_SIZE, value, true);
    }
  }

  /** MyLibPoint; the ByValue subclass is passed and returned by value. */
  @Structure.FieldOrder({"x", "y"})
  public static class Point extends Structure {
    public double x;
    public double y;

    public static final class ByValue extends Point implements Structure.ByValue {}
  }

  /** A size_t out-parameter (as wide as a C long on Linux, hence NativeLong). */
  public static final class SizeTByReference extends ByReference {
    public SizeTByReference() {
      this(0);
    }

    public SizeTByReference(long value) {
      super(Native.SIZE_T_SIZE);
      getPointer().setNativeLong(0, new NativeLong(value, true));
    }

    long getValue() {
      return getPointer().getNativeLong(0).longValue();
    }
  }

  /** MyLibBoundingBox: two points by value, written through a pointer. */
  @Structure.FieldOrder({"min", "max"})
  public static class BoundingBox extends Structure {
    public Point min = new Point();
    public Point max = new Point();
  }

  /** MyLibByteSlice: {ptr, len}; by value as an argument, by pointer as an out-parameter. */
  @Structure.FieldOrder({"ptr", "len"})
  public static class ByteSlice extends Structure {
    public Pointer ptr;
    public SizeT len = new SizeT();

    public static final class ByValue extends ByteSlice implements Structure.ByValue {
      ByValue(Pointer ptr, long len) {
        this.ptr = ptr;
        this.len = new SizeT(len);
      }
    }
  }

  /** MyLibPointSlice: {ptr, len} of MyLibPoint, by value. */
  @Structure.FieldOrder({"ptr", "len"})
  public static class PointSlice extends Structure implements Structure.ByValue {
    public Pointer ptr;
    public SizeT len = new SizeT();

    PointSlice(Pointer ptr, long len) {
      this.ptr = ptr;
      this.len = new SizeT(len);
    }
  }

  /**
   * include/my_lib.h. Strings my_lib returns for us to free are Pointers (freed
   * with my_lib_string_free); static and borrowed ones are copied into Strings
   * at once, decoded as UTF-8.
   */
  public interface MyLib extends Library {
    int my_lib_wrapping_add(int a, int b);
    int my_lib_saturating_add(int a, int b);
    int my_lib_checked_add(int a, int b, IntByReference outSum);

    int my_lib_buffer_alloc(SizeT len, PointerByReference outBuffer);
    SizeT my_lib_buffer_len(Pointer buffer);
    int my_lib_buffer_write(Pointer buffer, SizeT offset, ByteSlice.ByValue data);
    int my_lib_buffer_read(Pointer buffer, SizeT offset, SizeT len, ByteSlice outBytes);
    void my_lib_buffer_free(Pointer buffer);

    int my_lib_last_error_status();
    String my_lib_last_error_message();

    Point.ByValue my_lib_point_new(double x, double y);
    double my_lib_point_distance(Point.ByValue a, Point.ByValue b);
    int my_lib_points_centroid(PointSlice points, Point outCentroid);
    int my_lib_points_path_length(PointSlice points, DoubleByReference outLength);
    int my_lib_points_bounding_box(PointSlice points, BoundingBox outBox);
    int my_lib_points_nearest(PointSlice points, Point.ByValue target, SizeT k, Pointer outPoints,
        SizeTByReference outLen);
    int my_lib_points_within(PointSlice points, Point.ByValue center, double radius, Pointer outPoints,
        SizeT capacity, SizeTByReference outLen);
    int my_lib_points_simplify(PointSlice points, double tolerance, Pointer outPoints, SizeT capacity,
        SizeTByReference outLen);

    String my_lib_greeting();
    Pointer my_lib_greet(String name); // encoded by JNA, as UTF-8 (see load())
    Pointer my_lib_greet(byte[] name); // any bytes, NUL-terminated by the caller
    void my_lib_string_free(Pointer string);
    String my_lib_version();

    int add_numbers(int a, int b);
    String get_greeting();
    Pointer allocate_buffer(SizeT size);
    void free_buffer(Pointer ptr);
    Point.ByValue make_point(double x, double y);
    int safe_add(int a, int b);
  }

  static final AtomicInteger checks = new AtomicInteger();
  static final AtomicInteger failures = new AtomicInteger();
  /** The native functions this run called, recorded by the proxy around the library. */
  static final Set<String> called = ConcurrentHashMap.newKeySet();
  static MyLib lib;

  static void check(boolean condition, String what) {
    checks.incrementAndGet();
    if (!condition) {
      failures.incrementAndGet();
      StackTraceElement caller = new Throwable().getStackTrace()[1];
      System.err.println("MyLibTest.java:" + caller.getLineNumber() + ": check failed: " + what);
    }
  }

  static void checkLastError(int status, String message) {
    int actualStatus = lib.my_lib_last_error_status();
    String actualMessage = lib.my_lib_last_error_message();
    check(actualStatus == status && message.equals(actualMessage),
        "last error is " + actualStatus + " " + actualMessage + ", expected " + status + " " + message);
  }

  static void checkNoLastError() {
    check(lib.my_lib_last_error_status() == OK && lib.my_lib_last_error_message() == null, "no last error");
  }

  /** The library, through a proxy that records each function called. */
  static MyLib load(String path) {
    MyLib direct = Native.load(path, MyLib.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
    return (MyLib) Proxy.newProxyInstance(MyLib.class.getClassLoader(), new Class<?>[] {MyLib.class},
        (proxy, method, args) -> {
          called.add(method.getName());
          return method.invoke(direct, args);
        });
  }

  static byte[] cString(byte... bytes) {
    return Arrays.copyOf(bytes, bytes.length + 1);
  }

  static void testArithmetic() {
    check(lib.my_lib_wrapping_add(2, 3) == 5, "wrapping_add");
    check(lib.my_lib_wrapping_add(Integer.MAX_VALUE, 1) == Integer.MIN_VALUE, "wrapping_add wraps");
    check(lib.my_lib_saturating_add(Integer.MAX_VALUE, 1) == Integer.MAX_VALUE, "saturating_add clamps up");
    check(lib.my_lib_saturating_add(Integer.MIN_VALUE, -1) == Integer.MIN_VALUE, "saturating_add clamps down");

    IntByReference sum = new IntByReference(-7);
    check(lib.my_lib_checked_add(40, 2, sum) == OK && sum.getValue() == 42, "checked_add writes the out-parameter");
    checkNoLastError();
    check(lib.my_lib_checked_add(Integer.MAX_VALUE, 1, sum) == OVERFLOW, "checked_add overflows");
    check(sum.getValue() == 42, "a failed checked_add leaves the out-parameter");
    checkLastError(OVERFLOW, "2147483647 + 1 overflows a 32-bit signed integer (-2147483648 to 2147483647)");
    check(lib.my_lib_checked_add(1, 1, null) == NULL_POINTER, "checked_add with NULL");
    checkLastError(NULL_POINTER, "out_sum is NULL");
    check(lib.my_lib_wrapping_add(0, 0) == 0, "a later call");
    checkNoLastError();
  }

  static void testText() {
    check("Hello from Rust".equals(lib.my_lib_greeting()), "greeting");
    check("0.1.0".equals(lib.my_lib_version()), "version");

    // Non-ASCII both ways: Java String -> UTF-8 -> my_lib -> UTF-8 -> Java String.
    Pointer greeting = lib.my_lib_greet("Zoë 🌍");
    check(greeting != null && "Hello, Zoë 🌍!".equals(greeting.getString(0, "UTF-8")), "greet, non-ASCII");
    lib.my_lib_string_free(greeting);
    Pointer fromBytes = lib.my_lib_greet(cString("Øre".getBytes(StandardCharsets.UTF_8)));
    byte[] expected = "Hello, Øre!".getBytes(StandardCharsets.UTF_8);
    check(fromBytes != null && Arrays.equals(fromBytes.getByteArray(0, expected.length + 1), cString(expected)),
        "greet, UTF-8 bytes, NUL-terminated");
    lib.my_lib_string_free(fromBytes);
    lib.my_lib_string_free(null);
    checkNoLastError();

    check(lib.my_lib_greet(cString((byte) 'c', (byte) 'a', (byte) 'f', (byte) 0xC3)) == null, "greet, invalid UTF-8");
    checkLastError(INVALID_UTF8, "invalid UTF-8 byte sequence \\xC3 at byte 3");
    check(lib.my_lib_greet((byte[]) null) == null, "greet(NULL)");
    checkLastError(NULL_POINTER, "name is NULL");
  }

  static void testBuffers() {
    PointerByReference out = new PointerByReference();
    check(lib.my_lib_buffer_alloc(new SizeT(8), out) == OK, "buffer_alloc");
    Pointer buffer = out.getValue();
    check(buffer != null && Pointer.nativeValue(buffer) % 16 == 0, "the buffer is 16-byte aligned");
    check(lib.my_lib_buffer_len(buffer).longValue() == 8, "buffer_len");
    check(Arrays.equals(buffer.getByteArray(0, 8), new byte[8]), "a new buffer is zeroed");

    // A {ptr, len} slice of Java-allocated native memory.
    Memory hello = new Memory(5);
    hello.write(0, "hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
    check(lib.my_lib_buffer_write(buffer, new SizeT(1), new ByteSlice.ByValue(hello, 5)) == OK, "buffer_write");
    check(Arrays.equals(buffer.getByteArray(0, 8), "\0hello\0\0".getBytes(StandardCharsets.US_ASCII)), "bytes written");
    buffer.setByte(0, (byte) '>'); // the host may write the bytes directly too

    ByteSlice view = new ByteSlice();
    check(lib.my_lib_buffer_read(buffer, new SizeT(0), new SizeT(3), view) == OK, "buffer_read");
    check(buffer.equals(view.ptr) && view.len.longValue() == 3, "the view points into the buffer");
    check(Arrays.equals(view.ptr.getByteArray(0, 3), ">he".getBytes(StandardCharsets.US_ASCII)), "the view's bytes");

    check(lib.my_lib_buffer_write(buffer, new SizeT(4), new ByteSlice.ByValue(hello, 5)) == OUT_OF_BOUNDS,
        "buffer_write past the end");
    checkLastError(OUT_OF_BOUNDS, "range 4...9 (length 5) is outside a buffer of 8 bytes");
    check(Arrays.equals(buffer.getByteArray(0, 8), ">hello\0\0".getBytes(StandardCharsets.US_ASCII)),
        "a refused write writes nothing");
    check(lib.my_lib_buffer_read(buffer, new SizeT(6), new SizeT(3), view) == OUT_OF_BOUNDS, "buffer_read past the end");
    check(view.len.longValue() == 3, "a refused read leaves the out-parameter");
    check(lib.my_lib_buffer_write(buffer, new SizeT(0), new ByteSlice.ByValue(null, 1)) == NULL_POINTER,
        "a NULL slice");
    checkLastError(NULL_POINTER, "data.ptr is NULL");
    check(lib.my_lib_buffer_len(null).longValue() == 0, "buffer_len(NULL)");
    check(lib.my_lib_last_error_status() == NULL_POINTER, "buffer_len(NULL) is NULL_POINTER");
    lib.my_lib_buffer_free(buffer);

    PointerByReference untouched = new PointerByReference(hello);
    check(lib.my_lib_buffer_alloc(new SizeT(0), untouched) == INVALID_ARGUMENT, "buffer_alloc(0)");
    checkLastError(INVALID_ARGUMENT, "len must be at least 1");
    check(lib.my_lib_buffer_alloc(new SizeT(-1), untouched) == ALLOCATION_FAILED, "buffer_alloc(SIZE_MAX)");
    check(hello.equals(untouched.getValue()), "a failed buffer_alloc leaves the out-parameter");
    lib.my_lib_buffer_free(null);
    checkNoLastError();
  }

  static void testPoints() {
    Point.ByValue origin = lib.my_lib_point_new(0, 0);
    Point.ByValue b = lib.my_lib_point_new(3, 4);
    check(b.x == 3 && b.y == 4, "point_new returns by value");
    check(lib.my_lib_point_distance(origin, b) == 5, "point_distance takes points by value");
    Point.ByValue nan = lib.my_lib_point_new(Double.NaN, 0);
    check(Double.isNaN(lib.my_lib_point_distance(origin, nan)), "distance to NaN");

    // A {ptr, len} slice of three points in Java-allocated native memory.
    double[] coordinates = {0, 0, 3, 4, 3, 10};
    Memory path = new Memory(Double.BYTES * coordinates.length);
    path.write(0, coordinates, 0, coordinates.length);
    Point centroid = new Point();
    check(lib.my_lib_points_centroid(new PointSlice(path, 3), centroid) == OK, "points_centroid");
    check(centroid.x == 2 && centroid.y == 14.0 / 3.0, "centroid " + centroid.x + ", " + centroid.y);
    DoubleByReference length = new DoubleByReference(-1);
    check(lib.my_lib_points_path_length(new PointSlice(path, 3), length) == OK && length.getValue() == 11,
        "points_path_length");

    check(lib.my_lib_points_centroid(new PointSlice(null, 0), centroid) == INVALID_ARGUMENT, "centroid of nothing");
    checkLastError(INVALID_ARGUMENT, "the centroid of no points is undefined");
    check(centroid.x == 2, "a failed centroid leaves the out-parameter");
    check(lib.my_lib_points_path_length(new PointSlice(null, 0), length) == OK && length.getValue() == 0,
        "path length of nothing");
    check(lib.my_lib_points_centroid(new PointSlice(null, 2), centroid) == NULL_POINTER, "a NULL slice");
    checkLastError(NULL_POINTER, "points.ptr is NULL");
    check(lib.my_lib_points_path_length(new PointSlice(path, 3), null) == NULL_POINTER, "path_length to NULL");
    checkLastError(NULL_POINTER, "out_length is NULL");
  }

  /** Native memory holding `coordinates` as MyLibPoint[coordinates.length / 2]. */
  static Memory points(double... coordinates) {
    Memory memory = new Memory((long) Double.BYTES * coordinates.length);
    memory.write(0, coordinates, 0, coordinates.length);
    return memory;
  }

  static boolean holds(Pointer memory, double... coordinates) {
    return Arrays.equals(memory.getDoubleArray(0, coordinates.length), coordinates);
  }

  static Point.ByValue point(double x, double y) {
    Point.ByValue point = new Point.ByValue();
    point.x = x;
    point.y = y;
    return point;
  }

  /** The bulk operations: {ptr, len} input and caller-owned output arrays, both in JNA Memory. */
  static void testPointSets() {
    Memory square = points(0, 0, 2, 0, 2, 2, 0, 2);
    PointSlice all = new PointSlice(square, 4);

    BoundingBox box = new BoundingBox();
    check(lib.my_lib_points_bounding_box(all, box) == OK, "points_bounding_box");
    check(box.min.x == 0 && box.min.y == 0 && box.max.x == 2 && box.max.y == 2, "the bounding box");
    check(lib.my_lib_points_bounding_box(new PointSlice(null, 0), box) == INVALID_ARGUMENT, "box of nothing");
    checkLastError(INVALID_ARGUMENT, "the bounding box of no points is undefined");
    check(box.max.x == 2, "a failed bounding_box leaves the out-parameter");
    check(lib.my_lib_points_bounding_box(all, null) == NULL_POINTER, "bounding_box to NULL");
    checkLastError(NULL_POINTER, "out_box is NULL");

    Memory found = points(-1, -1, -1, -1, -1, -1);
    SizeTByReference len = new SizeTByReference(99);
    check(lib.my_lib_points_nearest(all, point(2.1, 1.9), new SizeT(2), found, len) == OK && len.getValue() == 2,
        "points_nearest");
    check(holds(found, 2, 2, 2, 0, -1, -1), "the 2 nearest, closest first, and nothing past them");
    check(lib.my_lib_points_nearest(all, point(0, 0), new SizeT(0), null, len) == OK && len.getValue() == 0,
        "k = 0 needs no array");
    check(lib.my_lib_points_nearest(all, point(0, 0), new SizeT(1), found, null) == NULL_POINTER, "nearest, NULL len");
    checkLastError(NULL_POINTER, "out_len is NULL");

    check(lib.my_lib_points_within(all, point(0, 0), 2, found, new SizeT(3), len) == OK && len.getValue() == 3,
        "points_within");
    check(holds(found, 0, 0, 2, 0, 0, 2), "the points within 2, in their order");
    Memory small = points(7, 7, 7, 7);
    check(lib.my_lib_points_within(all, point(0, 0), 2, small, new SizeT(2), len) == OUTPUT_TOO_SMALL,
        "within, output too small");
    check(len.getValue() == 3 && holds(small, 7, 7, 7, 7), "the length needed, and nothing written");
    checkLastError(OUTPUT_TOO_SMALL, "out_points has room for 2 points, the result has 3");
    check(lib.my_lib_points_within(all, point(0, 0), -1, found, new SizeT(3), len) == INVALID_ARGUMENT,
        "within a negative radius");
    checkLastError(INVALID_ARGUMENT, "radius must not be negative, got -1.0");

    // In place: the output array is the input's own memory.
    Memory path = points(0, 0, 1, 0.1, 2, 0, 3, 5);
    check(lib.my_lib_points_simplify(new PointSlice(path, 4), 0.5, path, new SizeT(4), len) == OK
        && len.getValue() == 3, "points_simplify in place");
    check(holds(path, 0, 0, 2, 0, 3, 5), "the simplified path");
    check(lib.my_lib_points_simplify(new PointSlice(path, 3), Double.NaN, found, new SizeT(3), len)
        == INVALID_ARGUMENT, "simplify with a NaN tolerance");
    checkLastError(INVALID_ARGUMENT, "tolerance must be a number, got NaN");
  }

  static void testTutorialAliases() {
    check(lib.add_numbers(2, 3) == 5 && lib.add_numbers(Integer.MAX_VALUE, 1) == Integer.MIN_VALUE, "add_numbers");
    check(lib.safe_add(-3, 2) == -1 && lib.safe_add(Integer.MAX_VALUE, 1) == Integer.MAX_VALUE, "safe_add");
    check("Hello from Rust".equals(lib.get_greeting()), "get_greeting");
    Point.ByValue point = lib.make_point(1.5, -2.5);
    check(point.x == 1.5 && point.y == -2.5, "make_point");
    Pointer buffer = lib.allocate_buffer(new SizeT(32));
    check(buffer != null && lib.my_lib_buffer_len(buffer).longValue() == 32, "allocate_buffer");
    buffer.setMemory(0, 32, (byte) 0xAB);
    lib.free_buffer(buffer);
    check(lib.allocate_buffer(new SizeT(0)) == null, "allocate_buffer(0)");
    check(lib.my_lib_last_error_status() == INVALID_ARGUMENT, "allocate_buffer(0) is INVALID_ARGUMENT");
  }

  /**
   * Two Java threads (native threads to my_lib) fail differently at the same
   * time; each must read its own last error, never the other's.
   */
  static void testLastErrorIsPerThread() throws Exception {
    check(lib.my_lib_checked_add(1, 1, null) == NULL_POINTER, "the main thread's own error");
    int rounds = 2000;
    CyclicBarrier bothFailed = new CyclicBarrier(2);
    AtomicInteger mixedUp = new AtomicInteger();
    Thread overflowing = new Thread(() -> {
      IntByReference sum = new IntByReference();
      for (int round = 0; round < rounds; round++) {
        lib.my_lib_checked_add(Integer.MAX_VALUE, round + 1, sum);
        await(bothFailed);
        if (lib.my_lib_last_error_status() != OVERFLOW
            || !lib.my_lib_last_error_message().startsWith("2147483647 + " + (round + 1) + " overflows")) {
          mixedUp.incrementAndGet();
        }
        await(bothFailed);
      }
    });
    Thread invalidText = new Thread(() -> {
      for (int round = 0; round < rounds; round++) {
        lib.my_lib_greet(cString((byte) 'x', (byte) 0xFF));
        await(bothFailed);
        if (lib.my_lib_last_error_status() != INVALID_UTF8
            || !"invalid UTF-8 byte sequence \\xFF at byte 1".equals(lib.my_lib_last_error_message())) {
          mixedUp.incrementAndGet();
        }
        await(bothFailed);
      }
    });
    overflowing.start();
    invalidText.start();
    overflowing.join();
    invalidText.join();
    check(mixedUp.get() == 0, mixedUp.get() + " of " + 2 * rounds + " last errors belonged to the other thread");
    checkLastError(NULL_POINTER, "out_sum is NULL");
  }

  static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) throws Exception {
    lib = load(System.getProperty("my_lib.library"));
    testArithmetic();
    testText();
    testBuffers();
    testPoints();
    testPointSets();
    testTutorialAliases();
    testLastErrorIsPerThread();

    Set<String> exported = new TreeSet<>(Arrays.asList(System.getProperty("my_lib.exports").split(",")));
    Set<String> neverCalled = new TreeSet<>(exported);
    neverCalled.removeAll(called);
    Set<String> notExported = new TreeSet<>(called);
    notExported.removeAll(exported);
    check(neverCalled.isEmpty(), "exported but never called: " + neverCalled);
    check(notExported.isEmpty(), "called but not exported: " + notExported);

    System.out.println("java: " + checks.get() + " checks, " + failures.get() + " failures, "
        + called.size() + " of " + exported.size() + " exported functions called");
    System.exit(failures.get() == 0 ? 0 : 1);
  }
}
