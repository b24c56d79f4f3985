import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.util.Map;

public class Hello {
  @Structure.FieldOrder({"x", "y"})
  public static class Point extends Structure implements Structure.ByValue {
    public double x;
    public double y;
  }

  public interface MyLib extends Library {
    MyLib LIB = Native.load("my_lib", MyLib.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));

    Pointer my_lib_greet(String name); // ours to free, with my_lib_string_free
    void my_lib_string_free(Pointer string);
    int my_lib_checked_add(int a, int b, IntByReference outSum);
    String my_lib_last_error_message();
    Point my_lib_point_new(double x, double y);
    double my_lib_point_distance(Point a, Point b);
  }

  public static void main(String[] args) {
    MyLib lib = MyLib.LIB;
    Pointer greeting = lib.my_lib_greet("Java");
    System.out.println(greeting.getString(0, "UTF-8"));
    lib.my_lib_string_free(greeting);

    IntByReference sum = new IntByReference();
    if (lib.my_lib_checked_add(40, 2, sum) == 0) System.out.println("40 + 2 = " + sum.getValue());
    int status = lib.my_lib_checked_add(Integer.MAX_VALUE, 1, sum);
    if (status != 0) System.out.println("error " + status + ": " + lib.my_lib_last_error_message());

    Point a = lib.my_lib_point_new(0, 0), b = lib.my_lib_point_new(3, 4);
    System.out.printf("distance %.1f%n", lib.my_lib_point_distance(a, b));
  }
}
