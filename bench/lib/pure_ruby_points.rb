# frozen_string_literal: true

module Bench
  # The Points operations as a Ruby programmer writes them without native
  # code: an Array of [x, y] pairs and Enumerable.
  module PureRubyPoints
    module_function

    def from_packed(bytes) = bytes.unpack("d*").each_slice(2).to_a

    def to_packed(pairs) = pairs.flatten.pack("d*")

    def centroid(pairs)
      return nil if pairs.empty?

      sum_x = sum_y = 0.0
      pairs.each do |x, y|
        sum_x += x
        sum_y += y
      end
      [sum_x / pairs.size, sum_y / pairs.size]
    end

    def bounding_box(pairs)
      return nil if pairs.empty?

      xs, ys = pairs.transpose
      [[xs.min, ys.min], [xs.max, ys.max]]
    end

    def path_length(pairs)
      pairs.each_cons(2).sum(0.0) { |(x1, y1), (x2, y2)| Math.hypot(x2 - x1, y2 - y1) }
    end

    def nearest(pairs, (qx, qy), k)
      pairs.min_by(k) { |x, y| ((x - qx)**2) + ((y - qy)**2) }
    end

    def within(pairs, (qx, qy), radius)
      limit = radius * radius
      pairs.select { |x, y| ((x - qx)**2) + ((y - qy)**2) <= limit }
    end

    # Ramer–Douglas–Peucker with an explicit stack: keeps the ends, and the
    # farthest point of a stretch from the segment joining its ends whenever
    # it is farther than the tolerance.
    def simplify(pairs, tolerance)
      return pairs.dup if pairs.size < 3

      keep = Array.new(pairs.size, false)
      keep[0] = keep[-1] = true
      stretches = [[0, pairs.size - 1]]
      until stretches.empty?
        first, last = stretches.pop
        farthest, distance = farthest_from_segment(pairs, first, last)
        next unless farthest && distance > tolerance

        keep[farthest] = true
        stretches.push([first, farthest], [farthest, last])
      end
      pairs.select.with_index { |_, i| keep[i] }
    end

    def farthest_from_segment(pairs, first, last)
      ax, ay = pairs[first]
      bx, by = pairs[last]
      farthest = nil
      max = -1.0
      (first + 1).upto(last - 1) do |i|
        distance = segment_distance(*pairs[i], ax, ay, bx, by)
        if distance > max
          max = distance
          farthest = i
        end
      end
      [farthest, max]
    end

    # The distance from (x, y) to the segment a–b.
    def segment_distance(x, y, ax, ay, bx, by)
      dx = bx - ax
      dy = by - ay
      length2 = (dx * dx) + (dy * dy)
      t = length2.zero? ? 0.0 : (((x - ax) * dx) + ((y - ay) * dy)) / length2
      t = t.clamp(0.0, 1.0)
      Math.hypot(x - (ax + (t * dx)), y - (ay + (t * dy)))
    end
  end
end
