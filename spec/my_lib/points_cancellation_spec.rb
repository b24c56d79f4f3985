# frozen_string_literal: true

# Every phase of every bulk operation on 10,000,000 points stops soon after
# Thread#raise: the scans, the selections and sorts of nearest and within,
# the build of the index (copy, top-level split, the rest) and the copies
# of the result. Each operation is first timed uninterrupted, then
# interrupted at fractions of that time chosen so that every phase is hit.
# Phase costs, measured in the Rust core on 10,000,000 random points (this
# 2-core machine, shared): collecting nearest's candidates 100 ms, sorting
# 10,000,000 of them most of the 9.3 s of nearest(p, n) (6.1 s for n / 2,
# which selects first); within(p, Infinity) by scan 164 ms; the index
# build 4.8 s, of which the copy is about 1% and the top-level split 3%;
# within(p, Infinity) through the index 1.7 s (walk, then sort).
#
# Two clocks measure the time from the interrupt to the return. The
# process's CPU time counts what the call still does after the interrupt,
# whatever the load, until its native worker is idle again (Ruby's side
# returns at once; the worker stops at its next check of the cancel flag):
# it must stay under 100 ms (seen: up to 38 ms), and it includes giving the
# call's buffers back to the system (freeing 160 MB took 28 ms and 240 MB
# 35-44 ms of that on this VM, measured with a plain Rust Vec); a phase
# that does not check runs on for seconds (the old sorts did). The
# monotonic clock, to the Ruby thread's return, is only reported: it also
# counts waiting for a core (180 ms with the machine shared by a dozen busy
# processes).
RSpec.describe MyLib::Points, "cancellation in every phase", :valgrind_skip,
               rbs_skip: "calls on 10,000,000 points, each of whose results the checker would walk (minutes a call)" do
  def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  def cpu_now = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)

  let(:size) { 10_000_000 }
  let(:cpu_bound) { 0.1 }
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

  def thread_cpu_now = Process.clock_gettime(Process::CLOCK_THREAD_CPUTIME_ID)

  # Whether no my_lib worker thread is running (state R in /proc; true
  # where there is no /proc).
  def workers_asleep?
    Dir["/proc/self/task/*"].none? do |task|
      (File.read("#{task}/comm") rescue "").chomp == "my_lib worker" &&
        (File.read("#{task}/stat") rescue "")[/\) (\S)/, 1] == "R"
    end
  end

  # Waits until every my_lib worker is asleep again, for up to 10 s; returns
  # the CPU seconds this thread spent polling. Ruby's side of a call returns
  # as soon as it is cancelled, while its worker stops at the next check of
  # the cancel flag: the CPU after an interrupt is counted until then, so
  # that a phase that never checks (and runs on for seconds) is caught.
  def wait_for_idle_workers
    polling_from = thread_cpu_now
    deadline = now + 10
    pause = 0.001
    until workers_asleep? || now > deadline
      sleep pause
      pause = [pause * 2, 0.02].min
    end
    thread_cpu_now - polling_from
  end

  # Runs `operation` (given the prepared receiver) in a thread, and
  # Thread#raise-s it `delay` seconds after it started. Returns the CPU
  # seconds from the raise until the thread has ended and the native worker
  # is idle (less this thread's own polling), and the wall seconds from the
  # raise to the thread's end; or, if the operation had ended before the
  # raise, nil and the wall seconds it ran.
  def latency_of_raise(receiver, delay, operation)
    started = Queue.new
    stop = self.stop
    ended_at = nil
    worker = Thread.new do
      Thread.current.report_on_exception = false
      started << now
      operation.call(receiver)
      ended_at = now
      :finished
    rescue stop
      :stopped
    end
    start = started.pop
    sleep([start + delay - now, 0].max)
    unless worker.alive?
      worker.join
      return [nil, ended_at - start]
    end

    raised_at = now
    cpu_at = cpu_now
    worker.raise(stop)
    outcome = worker.value
    wall = now - raised_at
    polling = wait_for_idle_workers
    outcome == :stopped ? [[cpu_now - cpu_at - polling, wall], nil] : [nil, ended_at - start]
  end

  # Times `operation` on a receiver from `prepare`, then interrupts it
  # at each fraction of that time (a new receiver each time), and expects
  # every interrupt to stop it within the bound.
  def expect_prompt_stops(name, fractions, prepare, operation)
    # The quicker of two runs: one slowed by load would put the later
    # fractions past the end of every interrupted run.
    duration = Array.new(2) do
      receiver = prepare.call
      started = now
      operation.call(receiver)
      now - started
    end.min
    GC.start
    # An interrupt that came after the end (the sleep before it overshot,
    # or the run was quicker than the timed ones: load comes and goes) is
    # tried again at the same fraction, up to twice, of the time that run
    # took, which the later fractions aim by too.
    latencies = fractions.map do |fraction|
      latency = nil
      attempts = (1..3).find do
        receiver = prepare.call
        latency, ran_for = latency_of_raise(receiver, duration * fraction, operation)
        duration = ran_for if ran_for
        receiver = nil
        GC.start
        latency
      end
      [fraction, latency, attempts]
    end
    report = latencies.map do |fraction, (cpu, wall), attempts|
      outcome = cpu ? format("%.1f/%.1f ms", cpu * 1000, wall * 1000) : "ended first"
      format("%.1f%%: %s%s", fraction * 100, outcome, attempts.to_i > 1 ? " (try #{attempts})" : "")
    end
    puts format("  %s (%.2f s uninterrupted; CPU/wall from the raise): %s", name, duration, report.join(", "))
    hit = latencies.filter_map { |_, latency| latency }
    # Load on the machine changes the timing: most interrupts must land.
    expect(hit.size).to be >= (fractions.size + 1) / 2
    expect(hit.map(&:first).max).to be < cpu_bound
  end

  # Collecting the candidates is the first 1%, sorting them nearly all the
  # rest, then the positions and the copy of the points.
  it "stops nearest(point, n) on a scanned set in every phase" do
    expect_prompt_stops("nearest(p, n), scan", [0.004, 0.2, 0.5, 0.8, 0.9, 0.95, 0.98],
                        method(:fresh_points), ->(points) { points.send(:nearest_points, center, size) })
  end

  # Collect, select the best n/2 of n, sort them, copy.
  it "stops nearest(point, n / 2) on a scanned set in every phase, the selection included" do
    expect_prompt_stops("nearest(p, n/2), scan", [0.006, 0.03, 0.08, 0.15, 0.3, 0.6, 0.9, 0.97],
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

  # Walk the tree, sort the positions, copy the points.
  it "stops within(point, Infinity) on an indexed set in every phase" do
    expect_prompt_stops("within(p, inf), indexed", [0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95],
                        method(:indexed_points), ->(points) { points.within(center, Float::INFINITY) })
  end

  # Copy the entries (about 1%), split at the top (a selection over all of
  # them, 3%), the rest of the build, the query.
  it "stops the query that builds the index in every phase" do
    expect_prompt_stops("nearest(p) building the index", [0.003, 0.01, 0.02, 0.03, 0.1, 0.3, 0.6, 0.9],
                        method(:points_about_to_index), ->(points) { points.nearest(center) })
  end

  # The scan, then the copy of the points.
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
