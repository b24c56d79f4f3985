# frozen_string_literal: true

module RailsLoadTest
  # The answer POST /points/summary must give for `pairs`, worked out here in
  # Ruby: the count and the bounding box exactly, the centroid and the path
  # length within rounding (Ruby and Rust sum and take square roots
  # differently in the last bits), relative to the magnitude of their terms.
  class ExpectedSummary
    TOLERANCE = 1e-12

    def initialize(pairs)
      @pairs = pairs
    end

    # Whether `other`, the parsed JSON of a response, is that answer.
    def ==(other)
      other.is_a?(Hash) && other.keys.sort == %w[bounding_box centroid length path_length] &&
        other["length"] == @pairs.size && other["bounding_box"] == bounding_box &&
        centroid_close?(other["centroid"]) && close?(other["path_length"], path_length, path_length)
    end

    def inspect
      "length #{@pairs.size}, bounding_box #{bounding_box}, centroid #{centroid}, path_length #{path_length}"
    end

    private

    def bounding_box
      xs, ys = @pairs.transpose
      [{ "x" => xs.min, "y" => ys.min }, { "x" => xs.max, "y" => ys.max }]
    end

    def centroid
      @pairs.transpose.map { |coordinates| coordinates.sum / @pairs.size }
    end

    def centroid_close?(received)
      return false unless received.is_a?(Hash) && received.keys.sort == %w[x y]

      @pairs.transpose.zip(centroid, received.values_at("x", "y")).all? do |coordinates, expected, got|
        close?(got, expected, coordinates.sum(&:abs) / @pairs.size)
      end
    end

    def path_length
      @pairs.each_cons(2).sum { |(x0, y0), (x1, y1)| Math.hypot(x1 - x0, y1 - y0) }
    end

    def close?(got, expected, magnitude)
      got.is_a?(Float) && (got - expected).abs <= TOLERANCE * magnitude
    end
  end
end
