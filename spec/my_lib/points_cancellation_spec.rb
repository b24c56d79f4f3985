# frozen_string_literal: true

# Every phase of every bulk operation on 10,000,000 points stops soon after
# Thread#raise: the scans, the selections and sorts of nearest and within,
# the build of the index (copy, top-level split, the rest) and the copies
# of the result. Each operation is first timed uninterrupted, then
# interrupted at fractions of that time chosen so that every phase is hit
# (the phases' shares of the time are measured and listed per operation
# below); every interrupt must end the call within 50 ms (a generous wall
# bound: a chunk of work is a few microseconds, and this machine is shared).
RSpec.describe MyLib::Points, "cancellation in every phase", :valgrind_skip do
  def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

  let(:size) { 10_000_000 }
  let(:latency_bound) { 0.05 }
  let(:stop) { Class.new(StandardError) }

  # 2,000,000 random points, repeated 5 times: 10,000,000 points.
  before(:all) { @packed = Array.new(4_000_000) { rand }.pack("d*") * 5 }
  after(:all) { @packed = nil }

  let(:center) { MyLib::Point.new(0.5, 0.5) }

  def fresh_points = described_class.from_packed(@packed)

  # A Points whose next nearest or within query builds the index.
  def points_about_to_index
    points = fresh_points
    20.times { points.within(center, 0) }
    points
  end

  # A Points with its index built.
  def indexed_points
    points = points_about_to_index
    points.nearest(center)
    points
  end

  # Runs `operation` (given the prepared receiver) in a thread, and
  # Thread#raise-s it `delay` seconds after it started. Returns the seconds
  # from the raise to the thread's end, or nil if the operation had ended
  # before the raise.
  def latency_of_raise(receiver, delay, operation)
    started = Queue.new
    stop = self.stop
    worker = Thread.new do
      Thread.current.report_on_exception = false
      started << now
      operation.call(receiver)
      :finished
    rescue stop
      :stopped
    end
    start = started.pop
    sleep([start + delay - now, 0].max)
    return worker.join && nil unless worker.alive?

    raised_at = now
    worker.raise(stop)
    outcome = worker.value
    latency = now - raised_at
    outcome == :stopped ? latency : nil
  end

  # Times `operation` once on a receiver from `prepare`, then interrupts it
  # at each fraction of that time (a new receiver each time), and expects
  # every interrupt to stop it within the bound.
  def expect_prompt_stops(name, fractions, prepare, operation)
    receiver = prepare.call
    started = now
    operation.call(receiver)
    duration = now - started
    receiver = nil
    GC.start
    latencies = fractions.map do |fraction|
      receiver = prepare.call
      latency = latency_of_raise(receiver, duration * fraction, operation)
      receiver = nil
      GC.start
      [fraction, latency]
    end
    report = latencies.map { |fraction, latency| format("%d%%: %s", fraction * 100, latency ? format("%.1f ms", latency * 1000) : "ended first") }
    puts format("  %s (%.2f s uninterrupted): %s", name, duration, report.join(", "))
    hit = latencies.filter_map(&:last)
    expect(hit.size).to be >= fractions.size - 1 # at most the last fraction may come too late
    expect(hit.max).to be < latency_bound
  end

  # Phases, on this machine: collect the candidates 8%, sort them 85%,
  # positions and copy of the points 7%.
  it "stops nearest(point, n) on a scanned set in every phase" do
    expect_prompt_stops("nearest(p, n), scan", [0.03, 0.2, 0.5, 0.8, 0.9, 0.95, 0.98],
                        method(:fresh_points), ->(points) { points.send(:nearest_points, center, size) })
  end

  # Phases: collect 10%, select the best n/2 of n 25%, sort them 60%, copy 5%.
  it "stops nearest(point, n / 2) on a scanned set in every phase, the selection included" do
    expect_prompt_stops("nearest(p, n/2), scan", [0.05, 0.15, 0.25, 0.35, 0.6, 0.9, 0.97],
                        method(:fresh_points), ->(points) { points.send(:nearest_points, center, size / 2) })
  end

  it "stops nearest(point, n) on an indexed set in every phase" do
    expect_prompt_stops("nearest(p, n), indexed", [0.05, 0.2, 0.5, 0.8, 0.95],
                        method(:indexed_points), ->(points) { points.send(:nearest_points, center, size) })
  end

  it "stops the public nearest(point, k), which also makes the Array" do
    expect_prompt_stops("nearest(p, n) -> Array", [0.1, 0.5, 0.9],
                        method(:fresh_points), ->(points) { points.nearest(center, size) })
  end

  # Phases: walk the tree 35%, sort the positions 55%, copy the points 10%.
  it "stops within(point, Infinity) on an indexed set in every phase" do
    expect_prompt_stops("within(p, inf), indexed", [0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95],
                        method(:indexed_points), ->(points) { points.within(center, Float::INFINITY) })
  end

  # Phases: copy the entries 3%, split at the top (a selection over all of
  # them) 7%, the rest of the build 80%, the query 10%.
  it "stops the query that builds the index in every phase" do
    expect_prompt_stops("nearest(p) building the index", [0.01, 0.03, 0.06, 0.1, 0.3, 0.6, 0.9],
                        method(:points_about_to_index), ->(points) { points.nearest(center) })
  end

  # Phases: the scan 50%, the copy of the points 50%.
  it "stops scans: within(point, Infinity) and nearest(point) on a scanned set" do
    expect_prompt_stops("within(p, inf), scan", [0.1, 0.4, 0.6, 0.9],
                        method(:fresh_points), ->(points) { points.within(center, Float::INFINITY) })
    expect_prompt_stops("nearest(p), scan", [0.2, 0.5],
                        method(:fresh_points), ->(points) { points.nearest(center) })
  end

  it "stops centroid, bounding_box, path_length and simplify" do
    %i[centroid bounding_box path_length].each do |name|
      expect_prompt_stops(name.to_s, [0.2, 0.5], method(:fresh_points), ->(points) { points.public_send(name) })
    end
    expect_prompt_stops("simplify(0.001)", [0.1, 0.5, 0.9], method(:fresh_points), ->(points) { points.simplify(0.001) })
  end
end
