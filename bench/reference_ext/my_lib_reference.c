/*
 * MyLibReference: what a careful hand-written C extension does for the calls
 * whose per-call overhead `rake bench` compares with my_lib's. It does the
 * same work with the same checks and the same errors:
 *
 *   MyLibReference.add_numbers(a, b)   Integers only (TypeError), operands and
 *                                      sum within int32 (RangeError)
 *   MyLibReference::Point.new(x, y)    Integer, Float or Rational coordinates
 *                                      stored as doubles, instance frozen
 *   MyLibReference::Point#x, #y        the coordinates as Floats
 */
#include <ruby.h>
#include <math.h>

static VALUE range_error_outside_int32(const char *argument, VALUE value)
{
    rb_raise(rb_eRangeError, "%s = %" PRIsVALUE " is outside a 32-bit signed integer (%d to %d)",
             argument, value, INT32_MIN, INT32_MAX);
}

static int32_t operand(VALUE value, const char *argument)
{
    if (FIXNUM_P(value)) {
        long n = FIX2LONG(value);
        if (n < INT32_MIN || n > INT32_MAX) range_error_outside_int32(argument, value);
        return (int32_t)n;
    }
    if (RB_TYPE_P(value, T_BIGNUM)) range_error_outside_int32(argument, value);
    rb_raise(rb_eTypeError, "%s must be an Integer, not %" PRIsVALUE, argument, rb_obj_class(value));
}

static VALUE add_numbers(VALUE self, VALUE a, VALUE b)
{
    (void)self;
    int32_t x = operand(a, "a"), y = operand(b, "b"), sum;
    if (__builtin_add_overflow(x, y, &sum)) {
        rb_raise(rb_eRangeError, "%d + %d overflows a 32-bit signed integer (%d to %d)", x, y, INT32_MIN,
                 INT32_MAX);
    }
    return INT2FIX(sum);
}

struct point { double x, y; };

static size_t point_memsize(const void *point) { (void)point; return sizeof(struct point); }

static const rb_data_type_t point_type = {
    .wrap_struct_name = "MyLibReference::Point",
    .function = { .dfree = RUBY_TYPED_DEFAULT_FREE, .dsize = point_memsize },
    .flags = RUBY_TYPED_FREE_IMMEDIATELY | RUBY_TYPED_FROZEN_SHAREABLE,
};

static double real(VALUE value, const char *argument)
{
    if (RB_FLOAT_TYPE_P(value)) return RFLOAT_VALUE(value);
    if (!RB_INTEGER_TYPE_P(value) && !RB_TYPE_P(value, T_RATIONAL)) {
        rb_raise(rb_eTypeError, "%s must be an Integer, Float or Rational, not %" PRIsVALUE, argument,
                 rb_obj_class(value));
    }
    double converted = rb_num2dbl(value);
    if (!isfinite(converted)) rb_raise(rb_eRangeError, "%s is out of the range of Float", argument);
    return converted;
}

static VALUE point_new(VALUE klass, VALUE x, VALUE y)
{
    double px = real(x, "x"), py = real(y, "y");
    struct point *point;
    VALUE object = TypedData_Make_Struct(klass, struct point, &point_type, point);
    point->x = px;
    point->y = py;
    return rb_obj_freeze(object);
}

static VALUE point_x(VALUE self)
{
    return DBL2NUM(((struct point *)rb_check_typeddata(self, &point_type))->x);
}

static VALUE point_y(VALUE self)
{
    return DBL2NUM(((struct point *)rb_check_typeddata(self, &point_type))->y);
}

void Init_my_lib_reference(void)
{
    VALUE module = rb_define_module("MyLibReference");
    rb_define_singleton_method(module, "add_numbers", add_numbers, 2);
    VALUE point = rb_define_class_under(module, "Point", rb_cObject);
    rb_undef_alloc_func(point);
    rb_define_singleton_method(point, "new", point_new, 2);
    rb_define_method(point, "x", point_x, 0);
    rb_define_method(point, "y", point_y, 0);
}
