# frozen_string_literal: true

# A radius or tolerance that is not a Float is rounded down, exactly, to the
# largest Float not above it: every point within returns, and every point
# simplify drops, is within the number given (issue 22, item 5).
RSpec.describe "MyLib::Points radius and tolerance" do
  origin = MyLib::Point.new(0, 0)

  it "keeps within(origin, 2**53 + 3) from returning (2**53 + 4, 0)" do
    beyond = MyLib::Point.new(2**53 + 4, 0)
    inside = MyLib::Point.new(2**53 + 2, 0)
    points = MyLib::Points.new([beyond, inside])
    expect(points.within(origin, 2**53 + 3).to_a).to eq([inside])
    expect(points.within(origin, 2**53 + 4).to_a).to eq([beyond, inside])
  end

  it "keeps within(origin, 1/10r) from returning (0.1, 0), whose distance is more than 1/10" do
    expect(0.1.to_r).to be > 1/10r
    points = MyLib::Points.new([[0.1, 0], [0.09999999999999999, 0]])
    expect(points.within(origin, 1/10r).to_a).to eq([MyLib::Point.new(0.09999999999999999, 0)])
    expect(points.within(origin, 0.1).length).to eq(2)
  end

  it "keeps simplify(1/10r) from dropping (1, 0.1), which lies more than 1/10 from the line" do
    path = MyLib::Points.new([[0, 0], [1, 0.1], [2, 0]])
    expect(path.simplify(1/10r).length).to eq(3)
    expect(path.simplify(0.1).length).to eq(2)
    expect(path.simplify(1/5r).length).to eq(2)
  end

  it "takes an Integer beyond Float as Float::MAX, not a RangeError" do
    far = MyLib::Point.new(1e308, 1e308) # at about 1.41e308 from the origin
    beyond = MyLib::Point.new(-1e308, -1e308) # about 2.83e308 from far
    points = MyLib::Points.new([far, beyond])
    expect(points.within(origin, 10**400).length).to eq(2)
    expect(points.within(far, 10**400).to_a).to eq([far])
    expect(points.within(far, Float::INFINITY).length).to eq(2)
    expect(points.simplify(10**400).length).to eq(2)
  end

  it "rounds huge Rationals and tiny ones down too" do
    points = MyLib::Points.new([[1, 0], [0, 0]])
    expect(points.within(origin, Rational(10**400, 3)).length).to eq(2)
    expect(points.within(origin, Rational(1, 10**400)).to_a).to eq([origin])
    expect(points.within(MyLib::Point.new(1, 0), Rational(3, 3)).length).to eq(2)
  end

  it "keeps rejecting what is not a limit", rbs_skip: "passes arguments its signature rejects" do
    points = MyLib::Points.new([[1, 0]])
    expect { points.within(origin, -1/10r) }.to raise_error(ArgumentError, /radius must not be negative/)
    expect { points.within(origin, -1) }.to raise_error(ArgumentError, /radius must not be negative/)
    expect { points.within(origin, -(10**400)) }.to raise_error(ArgumentError, /radius must not be negative/)
    expect { points.within(origin, Rational(-1, 10**400)) }.to raise_error(ArgumentError, /radius must not be negative/)
    expect { points.simplify(Float::NAN) }.to raise_error(ArgumentError, /tolerance must be a number/)
    expect(points.within(origin, -0.0).to_a).to eq([])
    expect(points.within(origin, 1).to_a).to eq([MyLib::Point.new(1, 0)])
    to_f = Object.new.tap { |o| o.define_singleton_method(:to_f) { 1.0 } }
    expect { points.within(origin, to_f) }.to raise_error(TypeError, /radius must be an Integer, Float or Rational/)
    # Other Numerics (BigDecimal among them, a bundled gem since Ruby 3.4).
    decimal = Class.new(Numeric) { define_method(:to_f) { 0.1 } }.new
    [decimal, Complex(1, 0)].each do |tolerance|
      expect { points.simplify(tolerance) }.to raise_error(TypeError, /tolerance must be an Integer, Float or Rational/)
    end
  end
end
