# frozen_string_literal: true

# The centroid's promise, against Ruby's exact Rational arithmetic: finite
# whenever the exact mean is (always, for finite coordinates), and on each
# axis within ε·|μ| + 8·ε·A + 2⁻¹⁰⁷⁵ of the exact mean μ, where A is the
# mean of the absolute values and ε is Float::EPSILON.
RSpec.describe MyLib::Points, "#centroid" do
  def within_bound?(mean, coordinates)
    return false unless mean.finite?

    exact = coordinates.sum(Rational(0)) { |c| c.to_r } / coordinates.size
    absolute = coordinates.sum(Rational(0)) { |c| c.to_r.abs } / coordinates.size
    epsilon = Float::EPSILON.to_r
    (mean.to_r - exact).abs <= epsilon * exact.abs + 8 * epsilon * absolute + Rational(1, 2**1075)
  end

  def expect_within_bound(pairs)
    mean = described_class.new(pairs).centroid
    expect(within_bound?(mean.x, pairs.map(&:first))).to be(true), "x = #{mean.x} for #{pairs.first(3)}..."
    expect(within_bound?(mean.y, pairs.map(&:last))).to be(true), "y = #{mean.y} for #{pairs.first(3)}..."
  end

  it "is exact for the reported overflow: (Float::MAX, -Float::MAX) three times" do
    expect(described_class.new([[Float::MAX, -Float::MAX]] * 3).centroid).to eq(MyLib::Point.new(Float::MAX, -Float::MAX))
  end

  it "is finite and within the bound for [Float::MAX, 0] repeated 1 to 64 times (3, 9, 11, 12 overflowed)" do
    (1..64).each { |n| expect_within_bound([[Float::MAX, 0.0]] * n) }
  end

  it "is within the bound on random huge, tiny, mixed-sign and cancelling coordinates" do
    random = Random.new(15)
    families = [
      -> { (random.rand(2.0) - 1.0) * Float::MAX },                  # huge, either sign
      -> { [Float::MAX, -Float::MAX].sample(random: random) },      # the extremes
      -> { (random.rand(2.0) - 1.0) * Float::MIN * 4 },             # subnormal and tiny
      -> { (random.rand(2.0) - 1.0) * 2.0**random.rand(-1074..1023) }, # any magnitude
      -> { 1e15 + random.rand * 1e-3 },                              # offset with small features
    ]
    300.times do
      fx = families.sample(random: random)
      fy = families.sample(random: random)
      pairs = Array.new(random.rand(1..30)) { [fx.call, fy.call] }
      # Cancellation: each point followed by its nudged opposite.
      pairs += pairs.map { |x, y| [-x + random.rand * Float::MIN, -y] } if random.rand < 0.5
      expect_within_bound(pairs)
    end
  end

  it "rejects a mean outside the bound (the oracle can fail)" do
    expect(within_bound?(7.0 / 3, [1.0, 2.0, 4.0])).to be(true)
    expect(within_bound?(7.0 / 3 * (1 + 64 * Float::EPSILON), [1.0, 2.0, 4.0])).to be(false)
    expect(within_bound?(Float::INFINITY, [Float::MAX] * 3)).to be(false)
  end
end
