# frozen_string_literal: true

require_relative "support/my_lib_c_api"

RSpec.describe "C ABI through ffi: points" do
  let(:c) { MyLibCApi }

  it "returns points by value" do
    point = c.my_lib_point_new(1.5, -2.5)
    expect(point).to be_a(MyLibCApi::Point)
    expect([point[:x], point[:y]]).to eq([1.5, -2.5])
    point = c.my_lib_point_new(3.0, 4.0)
    expect([point[:x], point[:y]]).to eq([3.0, 4.0])
  end

  it "takes points by value" do
    expect(c.my_lib_point_distance(c.my_lib_point_new(0, 0), c.my_lib_point_new(3, 4))).to eq(5.0)
    expect(c.my_lib_point_distance(c.my_lib_point_new(Float::NAN, 0), c.my_lib_point_new(0, 0))).to be_nan
  end

  describe "the tutorial's make_point, from the Ruby-free library" do
    include_context "the Ruby-free library"

    it "returns the point by value" do
      point = MyLibTutorialCApi.make_point(1.5, -2.5)
      expect(point).to be_a(MyLibCApi::Point)
      expect([point[:x], point[:y]]).to eq([1.5, -2.5])
    end
  end

  it "computes the centroid and path length of a point slice" do
    slice, _memory = MyLibCApi::PointSlice.of([[0, 0], [3, 4], [3, 10]])
    centroid = MyLibCApi::Point.new
    expect(c.my_lib_points_centroid(slice, centroid)).to eq(:ok)
    expect([centroid[:x], centroid[:y]]).to match([be_within(1e-12).of(2.0), be_within(1e-12).of(14.0 / 3)])
    length = FFI::MemoryPointer.new(:double)
    expect(c.my_lib_points_path_length(slice, length)).to eq(:ok)
    expect(length.read_double).to eq(11.0)
  end

  it "reports empty and NULL slices" do
    empty, _memory = MyLibCApi::PointSlice.of([])
    expect(c.my_lib_points_centroid(empty, MyLibCApi::Point.new)).to eq(:invalid_argument)
    expect(c.last_error).to eq([:invalid_argument, "the centroid of no points is undefined"])

    dangling = MyLibCApi::PointSlice.new.tap { |s| s[:len] = 2 }
    expect(c.my_lib_points_path_length(dangling, FFI::MemoryPointer.new(:double))).to eq(:null_pointer)
    expect(c.last_error).to eq([:null_pointer, "points.ptr is NULL"])
    expect(c.my_lib_points_centroid(empty, nil)).to eq(:null_pointer)
  end

  describe "bulk queries with caller-owned outputs" do
    let(:origin) { c.my_lib_point_new(0, 0) }
    let(:len) { FFI::MemoryPointer.new(:size_t) }
    let(:zigzag) { [[0, 0], [1, 0.1], [2, -0.1], [3, 5], [4, 6], [5, 7]] }

    def output(count) = FFI::MemoryPointer.new(MyLibCApi::Point, [count, 1].max)
    def found(memory) = MyLibCApi::PointSlice.read(memory, len.read(:size_t))
    def misaligned(memory) = memory + 1

    it "computes the centroid of huge coordinates without overflow" do
      slice, _memory = MyLibCApi::PointSlice.of([[1e308, 1e308], [1e308, 1e308]])
      centroid = MyLibCApi::Point.new
      expect(c.my_lib_points_centroid(slice, centroid)).to eq(:ok)
      expect(centroid.to_a).to eq([1e308, 1e308])
    end

    it "computes the bounding box, ignoring NaN coordinates" do
      slice, _memory = MyLibCApi::PointSlice.of([[1, -2], [Float::NAN, 7], [-3, 5], [2, Float::NAN]])
      box = MyLibCApi::BoundingBox.new
      expect(c.my_lib_points_bounding_box(slice, box)).to eq(:ok)
      expect([box[:min].to_a, box[:max].to_a]).to eq([[-3, -2], [2, 7]])

      empty, _empty_memory = MyLibCApi::PointSlice.of([])
      expect(c.my_lib_points_bounding_box(empty, box)).to eq(:invalid_argument)
      expect(c.last_error).to eq([:invalid_argument, "the bounding box of no points is undefined"])
      expect(box[:min].to_a).to eq([-3, -2])
      expect(c.my_lib_points_bounding_box(slice, nil)).to eq(:null_pointer)
      expect(c.last_error).to eq([:null_pointer, "out_box is NULL"])
    end

    it "rejects misaligned points" do
      slice, memory = MyLibCApi::PointSlice.of([[0, 0], [3, 4]])
      slice[:ptr] = misaligned(memory)
      slice[:len] = 1
      expect(c.my_lib_points_path_length(slice, FFI::MemoryPointer.new(:double))).to eq(:invalid_argument)
      expect(c.last_error).to eq([:invalid_argument, "points.ptr is not aligned to 8 bytes"])
    end

    it "finds the k nearest, closest first, earlier first among equals, never NaN points" do
      slice, _memory = MyLibCApi::PointSlice.of([[0, 2], [1, 0], [Float::NAN, 0], [-1, 0], [0, 0.5]])
      out = output(5)
      expect(c.my_lib_points_nearest(slice, origin, 3, out, len)).to eq(:ok)
      expect(found(out)).to eq([[0, 0.5], [1, 0], [-1, 0]])
      expect(c.my_lib_points_nearest(slice, origin, 5, out, len)).to eq(:ok)
      expect(found(out)).to eq([[0, 0.5], [1, 0], [-1, 0], [0, 2]])
      expect(c.my_lib_points_nearest(slice, origin, 0, nil, len)).to eq(:ok)
      expect(len.read(:size_t)).to eq(0)
      empty, _empty_memory = MyLibCApi::PointSlice.of([])
      expect(c.my_lib_points_nearest(empty, origin, 2, out, len)).to eq(:ok)
      expect(len.read(:size_t)).to eq(0)
    end

    it "reports NULL and misaligned nearest outputs" do
      slice, _memory = MyLibCApi::PointSlice.of([[1, 1]])
      out = output(2)
      expect(c.my_lib_points_nearest(slice, origin, 1, out, nil)).to eq(:null_pointer)
      expect(c.last_error).to eq([:null_pointer, "out_len is NULL"])
      expect(c.my_lib_points_nearest(slice, origin, 1, nil, len)).to eq(:null_pointer)
      expect(c.last_error).to eq([:null_pointer, "out_points is NULL"])
      dangling = MyLibCApi::PointSlice.new.tap { |s| s[:len] = 2 }
      expect(c.my_lib_points_nearest(dangling, origin, 1, out, len)).to eq(:null_pointer)
      expect(c.last_error).to eq([:null_pointer, "points.ptr is NULL"])
      expect(c.my_lib_points_nearest(slice, origin, 1, misaligned(out), len)).to eq(:invalid_argument)
      expect(c.last_error).to eq([:invalid_argument, "out_points is not aligned to 8 bytes"])
    end

    it "finds the points within a radius, boundary included, in their order" do
      slice, _memory = MyLibCApi::PointSlice.of([[3, 4], [9, 9], [0, 0], [3, 4.1], [-5, 0], [Float::NAN, 0]])
      out = output(6)
      expect(c.my_lib_points_within(slice, origin, 5.0, out, 6, len)).to eq(:ok)
      expect(found(out)).to eq([[3, 4], [0, 0], [-5, 0]])
      expect(c.my_lib_points_within(slice, origin, Float::INFINITY, out, 6, len)).to eq(:ok)
      expect(len.read(:size_t)).to eq(5)
    end

    it "says how much room within needs, writes nothing, and succeeds on retry" do
      slice, _memory = MyLibCApi::PointSlice.of([[3, 4], [9, 9], [0, 0], [-5, 0]])
      small = output(2)
      small.put_array_of_double(0, [-1.0] * 4)
      expect(c.my_lib_points_within(slice, origin, 5.0, small, 2, len)).to eq(:output_too_small)
      expect(c.last_error).to eq([:output_too_small, "out_points has room for 2 points, the result has 3"])
      expect(small.get_array_of_double(0, 4)).to eq([-1.0] * 4)
      needed = len.read(:size_t)
      expect(needed).to eq(3)
      retry_out = output(needed)
      expect(c.my_lib_points_within(slice, origin, 5.0, retry_out, needed, len)).to eq(:ok)
      expect(found(retry_out)).to eq([[3, 4], [0, 0], [-5, 0]])
      expect(c.last_error).to eq([:ok, nil])
    end

    it "rejects a NaN or negative radius with its message" do
      slice, _memory = MyLibCApi::PointSlice.of([[1, 1]])
      len.write(:size_t, 42)
      expect(c.my_lib_points_within(slice, origin, Float::NAN, output(1), 1, len)).to eq(:invalid_argument)
      expect(c.last_error).to eq([:invalid_argument, "radius must be a number, got NaN"])
      expect(c.my_lib_points_within(slice, origin, -1.0, output(1), 1, len)).to eq(:invalid_argument)
      expect(c.last_error).to eq([:invalid_argument, "radius must not be negative, got -1.0"])
      expect(len.read(:size_t)).to eq(42)
      expect(c.my_lib_points_within(slice, origin, 2.0, nil, 1, len)).to eq(:null_pointer)
      expect(c.last_error).to eq([:null_pointer, "out_points is NULL"])
    end

    it "simplifies a path, keeping its ends" do
      slice, _memory = MyLibCApi::PointSlice.of(zigzag)
      out = output(6)
      expect(c.my_lib_points_simplify(slice, 0.5, out, 6, len)).to eq(:ok)
      expect(found(out)).to eq([[0, 0], [2, -0.1], [3, 5], [5, 7]])
      expect(c.my_lib_points_simplify(slice, Float::INFINITY, out, 6, len)).to eq(:ok)
      expect(found(out)).to eq([[0, 0], [5, 7]])
      expect(c.my_lib_points_simplify(slice, 0.0, out, 6, len)).to eq(:ok)
      expect(found(out)).to eq([[0, 0], [1, 0.1], [2, -0.1], [3, 5], [5, 7]])
      empty, _empty_memory = MyLibCApi::PointSlice.of([])
      expect(c.my_lib_points_simplify(empty, 1.0, nil, 0, len)).to eq(:ok)
      expect(len.read(:size_t)).to eq(0)
    end

    it "simplifies in place" do
      slice, memory = MyLibCApi::PointSlice.of(zigzag)
      expect(c.my_lib_points_simplify(slice, 0.5, memory, 6, len)).to eq(:ok)
      expect(len.read(:size_t)).to eq(4)
      expect(MyLibCApi::PointSlice.read(memory, 6)).to eq([[0, 0], [2, -0.1], [3, 5], [5, 7], [4, 6], [5, 7]])
    end

    it "reports simplify's output too small, bad tolerances and bad pointers" do
      slice, _memory = MyLibCApi::PointSlice.of(zigzag)
      expect(c.my_lib_points_simplify(slice, 0.5, nil, 0, len)).to eq(:output_too_small)
      expect(len.read(:size_t)).to eq(4)
      expect(c.last_error).to eq([:output_too_small, "out_points has room for 0 points, the result has 4"])
      out = output(6)
      expect(c.my_lib_points_simplify(slice, Float::NAN, out, 6, len)).to eq(:invalid_argument)
      expect(c.last_error).to eq([:invalid_argument, "tolerance must be a number, got NaN"])
      expect(c.my_lib_points_simplify(slice, -0.25, out, 6, len)).to eq(:invalid_argument)
      expect(c.last_error).to eq([:invalid_argument, "tolerance must not be negative, got -0.25"])
      expect(c.my_lib_points_simplify(slice, 0.5, out, 6, nil)).to eq(:null_pointer)
      expect(c.last_error).to eq([:null_pointer, "out_len is NULL"])
      expect(c.my_lib_points_simplify(slice, 0.5, misaligned(out), 5, len)).to eq(:invalid_argument)
      expect(c.last_error).to eq([:invalid_argument, "out_points is not aligned to 8 bytes"])
    end
  end
end
