# frozen_string_literal: true

require "narray"

module Bench
  # The Points operations on NArray (Debian's ruby-narray), vectorised: a
  # 2×n DFLOAT array, row 0 the xs and row 1 the ys, whole-array arithmetic
  # wherever an operation allows it.
  module NArrayPoints
    module_function

    def from_packed(bytes) = NArray.to_na(bytes, NArray::DFLOAT, 2, bytes.bytesize / 16)

    def to_packed(points) = points.to_s

    def centroid(points)
      return nil if points.shape[1].zero?

      points.mean(1).to_a
    end

    def bounding_box(points)
      return nil if points.shape[1].zero?

      xs = points[0, true]
      ys = points[1, true]
      [[xs.min, ys.min], [xs.max, ys.max]]
    end

    def path_length(points)
      return 0.0 if points.shape[1] < 2

      steps = points[true, 1..-1] - points[true, 0..-2]
      NMath.sqrt((steps**2).sum(0)).sum
    end

    def squared_distances(points, (qx, qy))
      ((points - NArray[qx, qy].reshape(2, 1))**2).sum(0)
    end

    def nearest(points, query, k)
      indexes = squared_distances(points, query).sort_index[0...k]
      points[true, indexes].to_a
    end

    def within(points, query, radius)
      points[true, squared_distances(points, query).le(radius * radius).where]
    end

    # Ramer–Douglas–Peucker: the stretches are visited one by one, the
    # distances of a stretch's points to its segment computed at once.
    def simplify(points, tolerance)
      count = points.shape[1]
      return points.dup if count < 3

      keep = NArray.byte(count)
      keep[0] = keep[-1] = 1
      stretches = [[0, count - 1]]
      until stretches.empty?
        first, last = stretches.pop
        next if last - first < 2

        distances = segment_distances(points[true, (first + 1)...last], points[true, first], points[true, last])
        farthest = distances.sort_index[-1]
        next unless distances[farthest] > tolerance

        index = first + 1 + farthest
        keep[index] = 1
        stretches.push([first, index], [index, last])
      end
      points[true, keep.where]
    end

    # The distances from each point (column) of `points` to the segment a–b.
    def segment_distances(points, a, b)
      ax, ay = a.to_a
      dx = b[0] - ax
      dy = b[1] - ay
      length2 = (dx * dx) + (dy * dy)
      xs = points[0, true] - ax
      ys = points[1, true] - ay
      t = length2.zero? ? NArray.float(xs.size) : ((xs * dx) + (ys * dy)) / length2
      t[t.lt(0.0).where] = 0.0
      t[t.gt(1.0).where] = 1.0
      NMath.sqrt(((xs - (t * dx))**2) + ((ys - (t * dy))**2))
    end
  end
end
