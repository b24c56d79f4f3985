//! `MyLib::Point`: an immutable, frozen 2D point over [`core::point::Point`].
//!
//! Every instance is frozen when it is made, and the type is declared
//! `frozen_shareable`, so Points are shareable between Ractors. The JSON and
//! Marshal methods, `dup` and `clone` are Ruby, in `lib/my_lib/point.rb`.
//!
//! Methods compute a [`CorePoint`] (or a number) inside the guard, and wrap
//! new Points, Floats and Hashes after it has returned: those allocations
//! are not protected and may raise `NoMemoryError`, which is harmless only
//! where, as there, no frame waits to run a destructor (see the
//! [module documentation](super)).
//!
//! [`core::point::Point`]: crate::core::point::Point

use magnus::{
    DataTypeFunctions, Error, Module, Object, RClass, RHash, RModule, RString, Ruby, TryConvert,
    TypedData, Value, method, prelude::*, typed_data::Obj,
};

use super::{boundary::guard, convert, describe};
use crate::core::point::Point as CorePoint;

/// A Ruby `MyLib::Point`. Ruby owns the object; the coordinates live inside
/// it and are dropped with it.
#[derive(TypedData)]
#[magnus(class = "MyLib::Point", free_immediately, size, frozen_shareable)]
pub struct Point(CorePoint);

impl DataTypeFunctions for Point {}

impl Point {
    /// The coordinates, for the other classes of the Ruby layer.
    pub(super) fn core(&self) -> CorePoint {
        self.0
    }
}

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
    fn new(ruby: &Ruby, class: Value, x: Value, y: Value) -> Result<Obj<Point>, Error> {
        let (class, point) = guard(ruby, || {
            let class = RClass::try_convert(class)?;
            let point = CorePoint::new(convert::real(ruby, x, "x")?, convert::real(ruby, y, "y")?);
            Ok((class, point))
        })?;
        Ok(frozen(ruby.obj_wrap_as(Point(point), class)))
    }

    fn x(ruby: &Ruby, rb_self: Value) -> Result<f64, Error> {
        guard(ruby, || Ok(this(rb_self)?.x))
    }

    fn y(ruby: &Ruby, rb_self: Value) -> Result<f64, Error> {
        guard(ruby, || Ok(this(rb_self)?.y))
    }

    /// `==` and `eql?`: `other` is a Point with equal coordinates, compared
    /// as Floats, so `-0.0 == 0.0` and a NaN coordinate equals nothing.
    fn eq(ruby: &Ruby, rb_self: Value, other: Value) -> Result<bool, Error> {
        guard(ruby, || {
            let point = this(rb_self)?;
            Ok(convert::instance::<Point>(ruby, other).is_some_and(|other| point == other.0))
        })
    }

    /// A hash that agrees with `eql?`: `-0.0` hashes as `0.0`, and all NaNs
    /// alike. It is seeded per process, like Ruby's own hashes.
    fn hash(ruby: &Ruby, rb_self: Value) -> Result<i64, Error> {
        guard(ruby, || {
            let [x, y] = this(rb_self)?.hash_key();
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&x.to_ne_bytes());
            key[8..].copy_from_slice(&y.to_ne_bytes());
            // SAFETY: `rb_memhash` reads exactly `len` bytes from `ptr`, here
            // the 16 bytes of `key`, alive on the stack for the whole call;
            // it keeps no pointer, runs no Ruby code and cannot raise.
            let hash = unsafe { rb_sys::rb_memhash(key.as_ptr().cast(), key.len() as _) };
            // Keep 63 bits, sign-extended, so the hash is a Fixnum like
            // Ruby's own (`ST2FIX`).
            Ok(((hash << 1) as i64) >> 1)
        })
    }

    /// `to_a` and `deconstruct`: `[x, y]`.
    fn to_a(ruby: &Ruby, rb_self: Value) -> Result<(f64, f64), Error> {
        guard(ruby, || {
            let point = this(rb_self)?;
            Ok((point.x, point.y))
        })
    }

    /// `{x: x, y: y}`.
    fn to_h(ruby: &Ruby, rb_self: Value) -> Result<RHash, Error> {
        let point = guard(ruby, || this(rb_self))?;
        let hash = ruby.hash_new();
        hash.aset(ruby.to_symbol("x"), point.x)?;
        hash.aset(ruby.to_symbol("y"), point.y)?;
        Ok(hash)
    }

    /// Pattern matching asks for some keys (or `nil` for all); both are
    /// always given, which the protocol allows.
    fn deconstruct_keys(ruby: &Ruby, rb_self: Value, _keys: Value) -> Result<RHash, Error> {
        Point::to_h(ruby, rb_self)
    }

    /// `#<MyLib::Point x=1.0, y=2.0>`, the coordinates as Ruby prints Floats,
    /// formatted without calling Ruby (see [`describe`]).
    fn inspect(ruby: &Ruby, rb_self: Value) -> Result<RString, Error> {
        guard(ruby, || {
            let point = this(rb_self)?;
            let text = format!(
                "#<{} x={}, y={}>",
                describe::class_name(rb_self),
                describe::float_text(point.x),
                describe::float_text(point.y)
            );
            convert::utf8_string(ruby, &text)
        })
    }

    fn add(ruby: &Ruby, rb_self: Value, other: Value) -> Result<Obj<Point>, Error> {
        let sum = guard(ruby, || {
            Ok(this(rb_self)? + point_argument(ruby, other, "other")?)
        })?;
        Ok(new_frozen(ruby, sum))
    }

    fn sub(ruby: &Ruby, rb_self: Value, other: Value) -> Result<Obj<Point>, Error> {
        let difference = guard(ruby, || {
            Ok(this(rb_self)? - point_argument(ruby, other, "other")?)
        })?;
        Ok(new_frozen(ruby, difference))
    }

    /// Scales both coordinates by an Integer, Float or Rational.
    fn mul(ruby: &Ruby, rb_self: Value, factor: Value) -> Result<Obj<Point>, Error> {
        let product = guard(ruby, || {
            Ok(this(rb_self)? * convert::real(ruby, factor, "factor")?)
        })?;
        Ok(new_frozen(ruby, product))
    }

    fn distance_to(ruby: &Ruby, rb_self: Value, other: Value) -> Result<f64, Error> {
        guard(ruby, || {
            Ok(this(rb_self)?.distance_to(point_argument(ruby, other, "other")?))
        })
    }
}

/// The coordinates of the receiver (always a Point: Ruby checks that before
/// calling a method defined on the class).
#[inline(always)]
fn this(rb_self: Value) -> Result<CorePoint, Error> {
    match convert::wrapped::<Point>(&rb_self) {
        Some(point) => Ok(point.0),
        None => not_a_point(rb_self),
    }
}

/// magnus's error for a receiver that is not a Point (which only a
/// `bind_call` on another type's object could make).
#[cold]
#[inline(never)]
fn not_a_point(rb_self: Value) -> Result<CorePoint, Error> {
    <&Point>::try_convert(rb_self).map(|point| point.0)
}

/// `point` as a new frozen `MyLib::Point`: results of arithmetic are
/// Points even when `self` is an instance of a subclass, as with Ruby's core
/// classes. Not protected: call it outside the guard.
pub(super) fn new_frozen(ruby: &Ruby, point: CorePoint) -> Obj<Point> {
    frozen(ruby.obj_wrap(Point(point)))
}

/// Freezes a new Point: frozen is what makes it shareable between Ractors.
fn frozen(point: Obj<Point>) -> Obj<Point> {
    point.freeze();
    point
}

/// The coordinates of `value`, which must be a `MyLib::Point`.
fn point_argument(ruby: &Ruby, value: Value, argument: &str) -> Result<CorePoint, Error> {
    convert::typed::<Point>(ruby, value, argument, "MyLib::Point").map(|point| point.0)
}
