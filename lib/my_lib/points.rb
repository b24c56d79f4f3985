# frozen_string_literal: true

require "json"

module MyLib
  # An immutable, contiguous array of points that Rust owns: 16 bytes a
  # point, the same +#[repr(C)]+ layout the C ABI's +MyLibPoint[]+ uses, and
  # no Ruby object per point until one is asked for. Enumerable, frozen, and
  # shareable between Ractors; operations return new Points.
  #
  # When memory for a result runs out, the operation raises +NoMemoryError+
  # and the process and the Points live on.
  #
  # Operations on large sets (see {.gvl_release_threshold}) run without the
  # GVL, so other Ruby threads run meanwhile, and they stop promptly when
  # the thread is interrupted (+Thread#kill+, +Thread#raise+,
  # +Timeout.timeout+, Ctrl-C).
  #
  # {#nearest} and {#within} scan the points for the first few queries, then
  # build a spatial index (a k-d tree) that later queries use; if memory for
  # it cannot be had, they go on scanning. Both give the same answers.
  #
  # The methods written in Rust (ext/my_lib/src/ruby/points.rs) are
  # documented here with +@!method+; the rest are Ruby, below.
  #
  # @example
  #   path = MyLib::Points.new([[0, 0], [3, 4], MyLib::Point.new(3, 10)])
  #   path.length                 #=> 3
  #   path.path_length            #=> 11.0
  #   path.centroid               #=> #<MyLib::Point x=2.0, y=4.666666666666667>
  #   path.nearest(MyLib::Point.new(3, 5))   #=> #<MyLib::Point x=3.0, y=4.0>
  #   MyLib::Points.from_packed([0.0, 0.0, 1.0, 1.0].pack("d*")).length   #=> 2
  class Points
    include Enumerable

    # @!method self.new(points)
    #   @param points [Array<Point, Array(Numeric, Numeric)>] Points or
    #     +[x, y]+ pairs of Integers, Floats or Rationals
    #   @return [Points] a new frozen Points
    #   @raise [TypeError] when +points+ is not an Array, or an element is
    #     neither a Point nor a pair of numbers
    #   @example
    #     MyLib::Points.new([[0, 0], MyLib::Point.new(1, 2)]).to_a
    #     #=> [#<MyLib::Point x=0.0, y=0.0>, #<MyLib::Point x=1.0, y=2.0>]

    # @!method self.from_packed(packed)
    #   Points from native-endian doubles in +pack("d*")+ order (x0, y0, x1,
    #   y1, ...), copied without making a Ruby object per point.
    #   @param packed [String] a multiple of 16 bytes
    #   @return [Points]
    #   @raise [TypeError] when +packed+ is not a String
    #   @raise [ArgumentError] when its length is not a multiple of 16
    #   @example
    #     MyLib::Points.from_packed([1.0, 2.0].pack("d*")).first   #=> #<MyLib::Point x=1.0, y=2.0>

    # @!method self.gvl_release_threshold
    #   From how many points the bulk operations release the GVL (50,000 by
    #   default, chosen by measurement); +nil+ when they never do.
    #   @return [Integer, nil]
    #   @example
    #     MyLib::Points.gvl_release_threshold   #=> 50000

    # @!method self.gvl_release_threshold=(points)
    #   Sets {.gvl_release_threshold} for the whole process: 0 releases it
    #   always, +nil+ never.
    #   @param points [Integer, nil]
    #   @return [Integer, nil]
    #   @raise [ArgumentError] when negative
    #   @raise [TypeError] when neither an Integer nor +nil+
    #   @example
    #     MyLib::Points.gvl_release_threshold = 0     # release it for every call
    #     MyLib::Points.gvl_release_threshold = nil   # never release it
    #     MyLib::Points.gvl_release_threshold         #=> nil

    # @!method to_packed
    #   The points as a binary String that {.from_packed} reads back exactly.
    #   @return [String] 16 bytes a point
    #   @example
    #     MyLib::Points.new([[1, 2]]).to_packed.unpack("d*")   #=> [1.0, 2.0]

    # @!method length
    #   @return [Integer] the number of points
    #   @example
    #     MyLib::Points.new([[1, 2], [3, 4]]).length   #=> 2

    # @!method size
    #   The same as {#length}.
    #   @return [Integer] the number of points
    #   @example
    #     MyLib::Points.new([]).size   #=> 0

    # @!method at(index)
    #   @param index [Integer] counted from the end when negative
    #   @return [Point, nil] the Point at +index+, +nil+ outside
    #   @raise [TypeError] when +index+ is not an Integer
    #   @example
    #     MyLib::Points.new([[1, 2], [3, 4]]).at(-1)   #=> #<MyLib::Point x=3.0, y=4.0>

    # @!method ==(other)
    #   Whether +other+ is a Points with equal points in the same order
    #   (compared as {Point#==} does).
    #   @param other [Object]
    #   @return [Boolean]
    #   @example
    #     MyLib::Points.new([[1, 2]]) == MyLib::Points.new([MyLib::Point.new(1.0, 2.0)])   #=> true
    #     MyLib::Points.new([[1, 2]]) == [MyLib::Point.new(1, 2)]                          #=> false

    # @!method eql?(other)
    #   The same as {#==}, so that Points are usable as Hash keys.
    #   @param other [Object]
    #   @return [Boolean]
    #   @example
    #     { MyLib::Points.new([[1, 2]]) => :a }[MyLib::Points.new([[1, 2]])]   #=> :a

    # @!method hash
    #   @return [Integer] a hash code that agrees with {#eql?}
    #   @example
    #     MyLib::Points.new([[1, 2]]).hash == MyLib::Points.new([[1.0, 2.0]]).hash   #=> true

    # @!method centroid
    #   The mean of the points, finite whenever the exact mean is (the
    #   centroid of +[Float::MAX, -Float::MAX]+ three times is exactly that
    #   point) and on each axis within <tt>ε·|μ| + 8·ε·A + 2**-1075</tt> of the
    #   exact mean +μ+, where +A+ is the mean of the absolute values and +ε+
    #   is +Float::EPSILON+ (up to 2**30 points).
    #   @return [Point, nil] +nil+ when there are no points
    #   @example
    #     MyLib::Points.new([[0, 0], [2, 4]]).centroid   #=> #<MyLib::Point x=1.0, y=2.0>

    # @!method bounding_box
    #   The smallest axis-aligned box holding every point. NaN coordinates
    #   are ignored, unless every point has one.
    #   @return [Array(Point, Point), nil] +[min, max]+; +nil+ when there are no points
    #   @example
    #     MyLib::Points.new([[1, -2], [-3, 4]]).bounding_box
    #     #=> [#<MyLib::Point x=-3.0, y=-2.0>, #<MyLib::Point x=1.0, y=4.0>]

    # @!method path_length
    #   The length of the open path through the points in order.
    #   @return [Float] 0.0 for fewer than two points
    #   @example
    #     MyLib::Points.new([[0, 0], [3, 4], [3, 10]]).path_length   #=> 11.0

    # @!method within(center, radius)
    #   The points at a distance of at most +radius+ from +center+, in
    #   their order here, decided exactly on the given doubles (a point a
    #   rounding beyond +radius+ is left out). Points with a NaN coordinate
    #   are never found. An Integer or Rational +radius+ is first rounded
    #   down, exactly, to the largest Float not above it (+1/10r+ to
    #   +0.09999999999999999+, +2**53 + 3+ to +2**53 + 2+, one beyond
    #   +Float::MAX+ to +Float::MAX+), so every point returned is within
    #   the number given; a point whose distance lies between the two is
    #   left out. Pass +Float::INFINITY+ for no bound.
    #   @param center [Point]
    #   @param radius [Integer, Float, Rational] >= 0, may be infinite
    #   @return [Points]
    #   @raise [TypeError] when +center+ is not a Point or +radius+ not a number
    #   @raise [ArgumentError] when +radius+ is negative or NaN
    #   @example
    #     MyLib::Points.new([[0, 0], [5, 5], [1, 0]]).within(MyLib::Point.new(0, 0), 1).length   #=> 2

    # @!method simplify(tolerance)
    #   The path simplified by Ramer–Douglas–Peucker: every dropped point
    #   lies within +tolerance+ of the simplified path. The first and last
    #   points are always kept. O(n log n) on typical paths, O(n²) at worst.
    #   An Integer or Rational +tolerance+ is first rounded down, exactly,
    #   to the largest Float not above it (as +radius+ in {#within}), so
    #   every dropped point is within the number given.
    #   @param tolerance [Integer, Float, Rational] >= 0
    #   @return [Points]
    #   @raise [TypeError] when +tolerance+ is not a number
    #   @raise [ArgumentError] when +tolerance+ is negative or NaN
    #   @example
    #     MyLib::Points.new([[0, 0], [1, 0.1], [2, 0]]).simplify(0.5).to_a
    #     #=> [#<MyLib::Point x=0.0, y=0.0>, #<MyLib::Point x=2.0, y=0.0>]

    # The nearest point to +point+, or with +k+, the +k+ nearest, closest
    # first (of equally distant points, the earlier one first), as
    # +Array#min+ does, by exact distance on the given doubles. Points with
    # a NaN coordinate are never found. Near-linear for any +k+.
    #
    # @param point [Point]
    # @param k [Integer, nil] how many; +nil+ for the single nearest Point
    # @return [Point, nil, Array<Point>] a Point (+nil+ when empty) without
    #   +k+, an Array of at most +k+ Points with it
    # @raise [TypeError] when +point+ is not a Point or +k+ not an Integer
    # @raise [ArgumentError] when +k+ is negative
    # @example
    #   points = MyLib::Points.new([[0, 0], [5, 5], [1, 0]])
    #   points.nearest(MyLib::Point.new(4, 4))      #=> #<MyLib::Point x=5.0, y=5.0>
    #   points.nearest(MyLib::Point.new(0, 0), 2)   #=> [#<MyLib::Point x=0.0, y=0.0>, #<MyLib::Point x=1.0, y=0.0>]
    def nearest(point, k = nil)
      k.nil? ? nearest_points(point, 1).at(0) : nearest_points(point, k).to_a
    end

    # Yields each Point in order.
    #
    # @yieldparam point [Point]
    # @return [self, Enumerator] an Enumerator (with a size) without a block
    # @example
    #   points = MyLib::Points.new([[1, 2], [3, 4]])
    #   points.each { |point| puts point.x }   # prints 1.0 and 3.0, returns points
    #   points.each.size                      #=> 2
    #   points.each.with_index.map { |point, i| point.y * i }   #=> [0.0, 4.0]
    def each
      return enum_for(:each) { length } unless block_given?

      index = 0
      while index < length
        yield at(index)
        index += 1
      end
      self
    end

    # @return [Array<Point>] every point, as Points
    # @example
    #   MyLib::Points.new([[1, 2]]).to_a   #=> [#<MyLib::Point x=1.0, y=2.0>]
    def to_a
      Array.new(length) { |index| at(index) }
    end
    alias entries to_a

    # @return [Boolean] whether there are no points
    # @example
    #   MyLib::Points.new([]).empty?   #=> true
    def empty?
      length.zero?
    end

    # Points as +Array#[]+ takes them: one index, a start and a length, or
    # a Range.
    #
    # @overload [](index)
    #   @param index [Integer]
    #   @return [Point, nil]
    # @overload [](start, length)
    #   @param start [Integer]
    #   @param length [Integer]
    #   @return [Points, nil] +nil+ when +start+ is outside or +length+ negative
    # @overload [](range)
    #   @param range [Range<Integer>]
    #   @return [Points, nil] +nil+ when the range starts outside
    # @raise [TypeError] when the arguments are not Integers or a Range of them
    # @example
    #   points = MyLib::Points.new([[0, 0], [1, 1], [2, 2]])
    #   points[1]         #=> #<MyLib::Point x=1.0, y=1.0>
    #   points[1, 5].length   #=> 2
    #   points[0..-2].length  #=> 2
    def [](index, length = NOT_GIVEN)
      return slice_from(index, length) unless NOT_GIVEN.equal?(length)
      return slice_range(index) if index.is_a?(Range)

      at(index)
    end
    alias slice []

    # @param count [Integer] how many (omit it for one Point)
    # @return [Point, nil, Array<Point>] as +Array#first+
    # @raise [ArgumentError] when +count+ is negative
    # @raise [TypeError] when +count+ is given and not an Integer
    # @example
    #   points = MyLib::Points.new([[0, 0], [1, 1], [2, 2]])
    #   points.first      #=> #<MyLib::Point x=0.0, y=0.0>
    #   points.first(2)   #=> [#<MyLib::Point x=0.0, y=0.0>, #<MyLib::Point x=1.0, y=1.0>]
    #   MyLib::Points.new([]).first   #=> nil
    def first(count = NOT_GIVEN)
      return at(0) if NOT_GIVEN.equal?(count)
      raise TypeError, "count must be an Integer, not #{count.class}" unless count.is_a?(Integer)
      raise ArgumentError, "negative array size" if count.negative?

      self[0, count].to_a
    end

    # @param count [Integer] how many (omit it for one Point)
    # @return [Point, nil, Array<Point>] as +Array#last+
    # @raise [ArgumentError] when +count+ is negative
    # @raise [TypeError] when +count+ is given and not an Integer
    # @example
    #   points = MyLib::Points.new([[0, 0], [1, 1], [2, 2]])
    #   points.last       #=> #<MyLib::Point x=2.0, y=2.0>
    #   points.last(5).length   #=> 3
    def last(count = NOT_GIVEN)
      return at(-1) if NOT_GIVEN.equal?(count)
      raise TypeError, "count must be an Integer, not #{count.class}" unless count.is_a?(Integer)
      raise ArgumentError, "negative array size" if count.negative?

      self[[length - count, 0].max, count].to_a
    end

    # @return [String] the class, the length and the first points
    # @example
    #   MyLib::Points.new([[1, 2]]).inspect   #=> "#<MyLib::Points length=1 [(1.0, 2.0)]>"
    def inspect
      shown = self[0, INSPECTED].map { |point| "(#{point.x.inspect}, #{point.y.inspect})" }
      shown << "..." if length > INSPECTED
      "#<#{self.class} length=#{length} [#{shown.join(', ')}]>"
    end
    alias to_s inspect

    # How many points {#inspect} shows.
    INSPECTED = 3

    # Tells an omitted optional argument from an explicit +nil+, which is
    # refused as Array refuses it.
    NOT_GIVEN = Object.new.freeze
    private_constant :NOT_GIVEN
    private_constant :INSPECTED

    # The points as JSON-ready data: an Array of +{"x" => x, "y" => y}+.
    #
    # @param _options [Hash, nil] accepted for Rails' +as_json(options)+; unused
    # @return [Array<Hash{String => Float}>]
    # @example
    #   MyLib::Points.new([[1, 2]]).as_json   #=> [{"x"=>1.0, "y"=>2.0}]
    def as_json(_options = nil)
      map(&:as_json)
    end

    # @param args [Array] passed on to +Array#to_json+
    # @return [String] a JSON array of <tt>{"x":…,"y":…}</tt> objects
    # @example
    #   MyLib::Points.new([[1, 2]]).to_json   #=> "[{\"x\":1.0,\"y\":2.0}]"
    def to_json(*args)
      as_json.to_json(*args)
    end

    # Points are immutable, so a copy is the Points itself.
    # @return [self]
    # @example
    #   points = MyLib::Points.new([[1, 2]])
    #   points.dup.equal?(points)   #=> true
    def dup
      self
    end

    # Points are immutable, so a clone is the Points itself.
    # @param freeze [Boolean, nil] +false+ is refused: Points are always frozen
    # @return [self]
    # @raise [ArgumentError] for <tt>freeze: false</tt>
    # @example
    #   points = MyLib::Points.new([[1, 2]])
    #   points.clone.equal?(points)   #=> true
    #   points.clone(freeze: false)   # raises ArgumentError
    def clone(freeze: nil)
      raise ArgumentError, "can't unfreeze #{self.class}" if freeze == false

      self
    end

    # Marshal form: {#to_packed}, so Rails.cache can store Points.
    # @param _level [Integer] Marshal's depth limit; unused
    # @return [String]
    # @example
    #   points = MyLib::Points.new([[1, 2]])
    #   Marshal.load(Marshal.dump(points)) == points   #=> true
    #   points._dump(-1).bytesize                      #=> 16
    def _dump(_level)
      to_packed
    end

    # Rebuilds Points from {#_dump}'s bytes.
    # @param data [String]
    # @return [Points]
    # @raise [ArgumentError] when the length of +data+ is not a multiple of 16
    # @example
    #   points = MyLib::Points.new([[1, 2]])
    #   MyLib::Points._load(points._dump(-1)) == points   #=> true
    def self._load(data)
      from_packed(data)
    end

    private

    # +self[start, count]+ with Array's rules.
    def slice_from(start, count)
      raise TypeError, "start must be an Integer, not #{start.class}" unless start.is_a?(Integer)
      raise TypeError, "length must be an Integer, not #{count.class}" unless count.is_a?(Integer)

      start += length if start.negative?
      return nil if start.negative? || start > length || count.negative?

      slice_of(start, [count, length - start].min)
    end

    # +self[range]+ with Array's rules (endless and beginless ranges too).
    def slice_range(range)
      first = range.begin || 0
      last = range.end
      raise TypeError, "range bounds must be Integers, not #{range}" unless first.is_a?(Integer) && (last.nil? || last.is_a?(Integer))

      first += length if first.negative?
      return nil if first.negative? || first > length

      stop = if last.nil? then length
             else
               last += length if last.negative?
               range.exclude_end? ? last : last + 1
             end
      slice_of(first, [stop - first, 0].max.clamp(0, length - first))
    end
  end
end
