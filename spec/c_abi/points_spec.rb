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
end
