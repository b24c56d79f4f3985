//! `MyLib::Point`: an immutable, frozen 2D point over [`core::point::Point`].
//!
//! Every instance is frozen when it is made, and the type is declared
//! `frozen_shareable`, so Points are shareable between Ractors. The JSON and
//! Marshal methods, `dup` and `clone` are Ruby, in `lib/my_lib/point.rb`.
//!
//! [`core::point::Point`]: crate::core::point::Point

use magnus::{
    DataTypeFunctions, Error, Module, Object, RClass, RHash, RModule, Ruby, TypedData, Value,
    method, prelude::*, typed_data::Obj,
};

use super::{boundary::guard, convert};
use crate::core::point::Point as CorePoint;

/// A Ruby `MyLib::Point`. Ruby owns the object; the coordinates live inside
/// it and are dropped with it.
#[derive(TypedData)]
#[magnus(class = "MyLib::Point", free_immediately, size, frozen_shareable)]
pub struct Point(CorePoint);

impl DataTypeFunctions for Point {}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Point", ruby.class_object())?;
    // Resolves (on the main Ractor, once) the class magnus wraps Points in,
    // which also removes the default allocator: no `Point.allocate`.
    Point::class(ruby);
    class.define_singleton_method("new", method!(Point::new, 2))?;
    class.define_method("x", method!(Point::x, 0))?;
    class.define_method("y", method!(Point::y, 0))?;
    class.define_method("==", method!(Point::eq, 1))?;
    class.define_method("eql?", method!(Point::eq, 1))?;
    class.define_method("hash", method!(Point::hash, 0))?;
    class.define_method("to_a", method!(Point::to_a, 0))?;
    class.define_method("deconstruct", method!(Point::to_a, 0))?;
    class.define_method("to_h", method!(Point::to_h, 0))?;
    class.define_method("deconstruct_keys", method!(Point::deconstruct_keys, 1))?;
    class.define_method("inspect", method!(Point::inspect, 0))?;
    class.define_method("to_s", method!(Point::inspect, 0))?;
    class.define_method("+", method!(Point::add, 1))?;
    class.define_method("-", method!(Point::sub, 1))?;
    class.define_method("*", method!(Point::mul, 1))?;
    class.define_method("distance_to", method!(Point::distance_to, 1))?;
    Ok(())
}

impl Point {
    /// `Point.new(x, y)`: coordinates are Integers, Floats or Rationals,
    /// stored as Floats. The instance (of `class`, which may be a subclass)
    /// is frozen.
    fn new(ruby: &Ruby, class: RClass, x: Value, y: Value) -> Result<Obj<Point>, Error> {
        guard(ruby, || {
            let point = CorePoint::new(convert::real(ruby, x, "x")?, convert::real(ruby, y, "y")?);
            Ok(frozen(ruby.obj_wrap_as(Point(point), class)))
        })
    }

    fn x(ruby: &Ruby, rb_self: &Point) -> Result<f64, Error> {
        guard(ruby, || Ok(rb_self.0.x))
    }

    fn y(ruby: &Ruby, rb_self: &Point) -> Result<f64, Error> {
        guard(ruby, || Ok(rb_self.0.y))
    }

    /// `==` and `eql?`: `other` is a Point with equal coordinates, compared
    /// as Floats, so `-0.0 == 0.0` and a NaN coordinate equals nothing.
    fn eq(ruby: &Ruby, rb_self: &Point, other: Value) -> Result<bool, Error> {
        guard(ruby, || {
            Ok(<&Point>::try_convert(other).is_ok_and(|other| rb_self.0 == other.0))
        })
    }

    /// A hash that agrees with `eql?`: `-0.0` hashes as `0.0`, and all NaNs
    /// alike. It is seeded per process, like Ruby's own hashes.
    fn hash(ruby: &Ruby, rb_self: &Point) -> Result<i64, Error> {
        guard(ruby, || {
            let [x, y] = rb_self.0.hash_key();
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&x.to_ne_bytes());
            key[8..].copy_from_slice(&y.to_ne_bytes());
            // SAFETY: `rb_memhash` reads exactly `len` bytes from `ptr`, here
            // the 16 bytes of `key`, alive on the stack for the whole call;
            // it keeps no pointer and runs no Ruby code.
            let hash = unsafe { rb_sys::rb_memhash(key.as_ptr().cast(), key.len() as _) };
            // Keep 63 bits, sign-extended, so the hash is a Fixnum like
            // Ruby's own (`ST2FIX`).
            Ok(((hash << 1) as i64) >> 1)
        })
    }

    /// `to_a` and `deconstruct`: `[x, y]`.
    fn to_a(ruby: &Ruby, rb_self: &Point) -> Result<(f64, f64), Error> {
        guard(ruby, || Ok((rb_self.0.x, rb_self.0.y)))
    }

    /// `{x: x, y: y}`.
    fn to_h(ruby: &Ruby, rb_self: &Point) -> Result<RHash, Error> {
        guard(ruby, || {
            let hash = ruby.hash_new();
            hash.aset(ruby.to_symbol("x"), rb_self.0.x)?;
            hash.aset(ruby.to_symbol("y"), rb_self.0.y)?;
            Ok(hash)
        })
    }

    /// Pattern matching asks for some keys (or `nil` for all); both are
    /// always given, which the protocol allows.
    fn deconstruct_keys(ruby: &Ruby, rb_self: &Point, _keys: Value) -> Result<RHash, Error> {
        Point::to_h(ruby, rb_self)
    }

    /// `#<MyLib::Point x=1.0, y=2.0>`, the coordinates as Ruby prints Floats.
    fn inspect(ruby: &Ruby, rb_self: Obj<Point>) -> Result<String, Error> {
        guard(ruby, || {
            let CorePoint { x, y } = rb_self.0;
            Ok(format!(
                "#<{} x={}, y={}>",
                rb_self.class(),
                ruby.float_from_f64(x).inspect(),
                ruby.float_from_f64(y).inspect()
            ))
        })
    }

    fn add(ruby: &Ruby, rb_self: &Point, other: Value) -> Result<Obj<Point>, Error> {
        guard(ruby, || {
            let other = point_argument(ruby, other, "other")?;
            Ok(new_frozen(ruby, rb_self.0 + other))
        })
    }

    fn sub(ruby: &Ruby, rb_self: &Point, other: Value) -> Result<Obj<Point>, Error> {
        guard(ruby, || {
            let other = point_argument(ruby, other, "other")?;
            Ok(new_frozen(ruby, rb_self.0 - other))
        })
    }

    /// Scales both coordinates by an Integer, Float or Rational.
    fn mul(ruby: &Ruby, rb_self: &Point, factor: Value) -> Result<Obj<Point>, Error> {
        guard(ruby, || {
            let factor = convert::real(ruby, factor, "factor")?;
            Ok(new_frozen(ruby, rb_self.0 * factor))
        })
    }

    fn distance_to(ruby: &Ruby, rb_self: &Point, other: Value) -> Result<f64, Error> {
        guard(ruby, || {
            let other = point_argument(ruby, other, "other")?;
            Ok(rb_self.0.distance_to(other))
        })
    }
}

/// `point` as a new frozen `MyLib::Point`: results of arithmetic are
/// Points even when `self` is an instance of a subclass, as with Ruby's core
/// classes.
fn new_frozen(ruby: &Ruby, point: CorePoint) -> Obj<Point> {
    frozen(ruby.obj_wrap(Point(point)))
}

/// Freezes a new Point: frozen is what makes it shareable between Ractors.
fn frozen(point: Obj<Point>) -> Obj<Point> {
    point.freeze();
    point
}

/// The coordinates of `value`, which must be a `MyLib::Point`.
fn point_argument(ruby: &Ruby, value: Value, argument: &str) -> Result<CorePoint, Error> {
    <&Point>::try_convert(value)
        .map(|point| point.0)
        .map_err(|_| {
            Error::new(
                ruby.exception_type_error(),
                format!("{argument} must be a MyLib::Point, not {}", value.class()),
            )
        })
}
