# frozen_string_literal: true

require "json"

module MyLib
  # An immutable point in the plane. The coordinates are Floats; instances
  # are frozen and can be shared between Ractors.
  #
  # == Equality and hashing
  # Two Points are equal (+==+ and +eql?+) when their coordinates are equal as
  # Floats: <tt>Point.new(1, 2) == Point.new(1.0, 2.0)</tt>. As with Floats,
  # +-0.0+ equals +0.0+ (and they hash alike), while a NaN coordinate makes a
  # Point equal to no Point, itself included; as a Hash key it is only found
  # again through the very same object.
  #
  # The methods written in Rust (ext/my_lib/src/ruby/point.rs) are documented
  # here with +@!method+; the JSON and Marshal methods are Ruby, below.
  #
  # @example
  #   a = MyLib::Point.new(0, 0)
  #   b = MyLib::Point.new(3, 4)
  #   a.distance_to(b)    #=> 5.0
  #   b - a               #=> #<MyLib::Point x=3.0, y=4.0>
  #   case b
  #   in {x:, y:} then "#{x}, #{y}"
  #   end                 #=> "3.0, 4.0"
  class Point
    # @!method self.new(x, y)
    #   @param x [Integer, Float, Rational]
    #   @param y [Integer, Float, Rational]
    #   @return [Point] a new frozen Point (NaN and infinite coordinates allowed)
    #   @raise [TypeError] when a coordinate is not an Integer, Float or Rational
    #   @raise [RangeError] when an Integer is too large for a Float
    #   @example
    #     MyLib::Point.new(1, Rational(1, 2))   #=> #<MyLib::Point x=1.0, y=0.5>

    # @!method x
    #   @return [Float] the x coordinate
    #   @example
    #     MyLib::Point.new(1, 2).x   #=> 1.0

    # @!method y
    #   @return [Float] the y coordinate
    #   @example
    #     MyLib::Point.new(1, 2).y   #=> 2.0

    # @!method ==(other)
    #   Whether +other+ is a Point with equal coordinates (see the class notes
    #   on -0.0 and NaN).
    #   @param other [Object]
    #   @return [Boolean]
    #   @example
    #     MyLib::Point.new(1, 2) == MyLib::Point.new(1.0, 2.0)   #=> true

    # @!method eql?(other)
    #   The same as {#==}, so that Points are usable as Hash keys.
    #   @param other [Object]
    #   @return [Boolean]
    #   @example
    #     { MyLib::Point.new(1, 2) => :a }[MyLib::Point.new(1, 2)]   #=> :a

    # @!method hash
    #   A hash code that agrees with {#eql?}: +-0.0+ hashes as +0.0+. Seeded
    #   per process, like Ruby's own.
    #   @return [Integer]
    #   @example
    #     MyLib::Point.new(0.0, 1).hash == MyLib::Point.new(-0.0, 1).hash   #=> true

    # @!method to_a
    #   @return [Array(Float, Float)] +[x, y]+
    #   @example
    #     MyLib::Point.new(1, 2).to_a   #=> [1.0, 2.0]

    # @!method deconstruct
    #   Array patterns: <tt>case point in [x, y]</tt>.
    #   @return [Array(Float, Float)] +[x, y]+
    #   @example
    #     case MyLib::Point.new(1, 2)
    #     in [x, y] then x + y
    #     end   #=> 3.0

    # @!method to_h
    #   @return [Hash{Symbol => Float}] <tt>{x: x, y: y}</tt>
    #   @example
    #     MyLib::Point.new(1, 2).to_h   #=> {:x=>1.0, :y=>2.0}

    # @!method deconstruct_keys(keys)
    #   Hash patterns: <tt>case point in {x:, y:}</tt>. Both keys are always
    #   given, whichever are asked for.
    #   @param keys [Array<Symbol>, nil]
    #   @return [Hash{Symbol => Float}] <tt>{x: x, y: y}</tt>
    #   @example
    #     case MyLib::Point.new(1, 2)
    #     in {x: 1.0, y:} then y
    #     end   #=> 2.0

    # @!method inspect
    #   @return [String] the class and coordinates, as Ruby prints Floats
    #   @example
    #     MyLib::Point.new(1, Float::NAN).inspect   #=> "#<MyLib::Point x=1.0, y=NaN>"

    # @!method to_s
    #   The same as {#inspect}.
    #   @return [String]
    #   @example
    #     "at #{MyLib::Point.new(1, 2)}"   #=> "at #<MyLib::Point x=1.0, y=2.0>"

    # @!method +(other)
    #   @param other [Point]
    #   @return [Point] the sum of the coordinates
    #   @raise [TypeError] when +other+ is not a Point
    #   @example
    #     MyLib::Point.new(1, 2) + MyLib::Point.new(3, 4)   #=> #<MyLib::Point x=4.0, y=6.0>

    # @!method -(other)
    #   @param other [Point]
    #   @return [Point] the difference of the coordinates
    #   @raise [TypeError] when +other+ is not a Point
    #   @example
    #     MyLib::Point.new(1, 2) - MyLib::Point.new(3, 4)   #=> #<MyLib::Point x=-2.0, y=-2.0>

    # @!method *(factor)
    #   @param factor [Integer, Float, Rational]
    #   @return [Point] both coordinates multiplied by +factor+
    #   @raise [TypeError] when +factor+ is not an Integer, Float or Rational
    #   @example
    #     MyLib::Point.new(1, 2) * 3   #=> #<MyLib::Point x=3.0, y=6.0>

    # @!method distance_to(other)
    #   The Euclidean distance, computed without intermediate overflow.
    #   @param other [Point]
    #   @return [Float]
    #   @raise [TypeError] when +other+ is not a Point
    #   @example
    #     MyLib::Point.new(0, 0).distance_to(MyLib::Point.new(3, 4))   #=> 5.0

    # The Point as JSON-ready data, for +to_json+ and Rails' +render json:+.
    #
    # @param _options [Hash, nil] accepted for Rails' +as_json(options)+; unused
    # @return [Hash{String => Float}] <tt>{"x" => x, "y" => y}</tt>
    # @example
    #   MyLib::Point.new(1, 2).as_json   #=> {"x"=>1.0, "y"=>2.0}
    def as_json(_options = nil)
      { "x" => x, "y" => y }
    end

    # The Point as a JSON object. NaN and infinite coordinates have no JSON
    # form and raise +JSON::GeneratorError+, as Floats do.
    #
    # @param args [Array] passed on to +Hash#to_json+ (a +JSON::State+ or options)
    # @return [String] <tt>{"x":1.0,"y":2.0}</tt>
    # @example
    #   MyLib::Point.new(1, 2).to_json   #=> "{\"x\":1.0,\"y\":2.0}"
    def to_json(*args)
      as_json.to_json(*args)
    end

    # Points are immutable, so a copy is the Point itself, as for Integers.
    #
    # @return [self]
    # @example
    #   point = MyLib::Point.new(1, 2)
    #   point.dup.equal?(point)   #=> true
    def dup
      self
    end

    # Points are immutable, so a clone is the Point itself, as for Integers.
    #
    # @param freeze [Boolean, nil] +false+ is refused: a Point is always frozen
    # @return [self]
    # @raise [ArgumentError] for <tt>freeze: false</tt>
    # @example
    #   point = MyLib::Point.new(1, 2)
    #   point.clone.equal?(point)   #=> true
    def clone(freeze: nil)
      raise ArgumentError, "can't unfreeze #{self.class}" if freeze == false

      self
    end

    # Marshal form: the two coordinates as little-endian doubles, so
    # <tt>Marshal.load(Marshal.dump(point)) == point</tt> and Rails.cache can
    # store Points.
    #
    # @param _level [Integer] Marshal's depth limit; unused
    # @return [String] 16 bytes
    # @example
    #   Marshal.load(Marshal.dump(MyLib::Point.new(1, 2)))   #=> #<MyLib::Point x=1.0, y=2.0>
    def _dump(_level)
      [x, y].pack("E2")
    end

    # Rebuilds a Point from {#_dump}'s bytes.
    #
    # @param data [String] 16 bytes from {#_dump}
    # @return [Point]
    # @raise [TypeError] when +data+ is not a String
    # @raise [ArgumentError] when +data+ is not 16 bytes
    # @example
    #   MyLib::Point._load([1.0, 2.0].pack("E2"))   #=> #<MyLib::Point x=1.0, y=2.0>
    def self._load(data)
      raise TypeError, "a marshaled #{name} is a String, not #{data.class}" unless data.is_a?(String)
      raise ArgumentError, "a marshaled #{name} is 16 bytes, not #{data.bytesize}" unless data.bytesize == 16

      new(*data.unpack("E2"))
    end
  end
end
