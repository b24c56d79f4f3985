# frozen_string_literal: true

require "timeout"
require_relative "../support/offloading_scheduler"

# On Ruby 3.4 and later, a bulk operation called from a non-blocking fiber
# is handed to the scheduler's blocking_operation_wait (RB_NOGVL_OFFLOAD_SAFE):
# the other fibers go on meanwhile, and stopping the fiber stops the work.
RSpec.describe "MyLib::Points under a Fiber scheduler", :valgrind_skip, if: RUBY_VERSION >= "3.4" do
  def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  # The process's CPU time: the bounds on stopping are in CPU time, which
  # other work on the machine cannot stretch (the work is one thread).
  def cpu = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)

  # 1,000,000 random points; simplify(0) keeps them all (about 0.5 s).
  let(:points) { MyLib::Points.from_packed(Array.new(2_000_000) { rand }.pack("d*")) }

  # Runs the block in a fiber of `scheduler`, on a thread of its own (so
  # that this thread keeps no scheduler), with a ticker fiber beside it
  # that sleeps 1 ms at a time; returns the block's value and the ticks.
  def with_ticker(scheduler)
    Thread.new do
      Fiber.set_scheduler(scheduler)
      ticks = 0
      result = nil
      ticker = Fiber.schedule { loop { sleep 0.001; ticks += 1 } } # rubocop:disable Style/Semicolon
      Fiber.schedule do
        result = yield
      ensure
        ticker.raise(StopIteration)
      end
      scheduler.run
      [result, ticks]
    end.value
  end

  # Ticks of a ticker during `duration` seconds while the same simplify
  # runs on a plain thread, outside the scheduler: the same load on the
  # machine and the GVL, nothing offloaded (the machine is shared, so an
  # idle baseline would measure the other builds).
  def ticks_beside_a_thread(scheduler, duration)
    worker = Thread.new { points.simplify(0) }
    with_ticker(scheduler) { sleep duration }.last
  ensure
    worker&.join
  end
  describe "the minimal scheduler of spec/support" do
    it "keeps the other fibers running during a call, with the same result" do
      expected = points.simplify(0).to_packed
      scheduler = OffloadingScheduler.new
      (result, elapsed), ticks = with_ticker(scheduler) do
        started = now
        [points.simplify(0).to_packed, now - started]
      end
      baseline = ticks_beside_a_thread(OffloadingScheduler.new, elapsed)
      puts format("  simplify(1e6 points) offloaded: %.0f ms, %d ticks of 1 ms beside it, " \
                  "%d beside the same work on a plain thread (%.0f%%)",
                  elapsed * 1000, ticks, baseline, 100.0 * ticks / baseline)
      expect(result).to eq(expected)
      expect(scheduler.pool.operations).to eq(1)
      expect(ticks).to be >= baseline / 2
    end

    it "stops the work within 50 ms of CPU time after a Timeout" do
      scheduler = OffloadingScheduler.new
      huge = MyLib::Points.from_packed(Array.new(20_000) { rand }.pack("d*") * 1000) # tens of seconds of work
      (late, spent), = with_ticker(scheduler) do
        started = now
        cpu_started = cpu
        Timeout.timeout(0.3) { huge.simplify(0) }
      rescue Timeout::Error
        [now - started - 0.3, cpu - cpu_started]
      end
      puts format("  Timeout.timeout(0.3) stopped an offloaded simplify(1e7 points) %.1f ms after the deadline " \
                  "(%.1f ms of CPU from the start)", late * 1000, spent * 1000)
      expect(scheduler.pool.operations).to eq(1)
      # The work (one thread) had at most 0.3 s of CPU before the deadline;
      # stopping it may take 50 ms more, the ticker's wakeups included.
      expect(spent).to be < 0.35
    end
  end

  describe "async" do
    # In the Gemfile from Ruby 3.4 on: a missing async fails, never skips.
    before { require "async" }

    # async offloads through its worker pool, which io-event provides only
    # with its C extension; the pool of spec/support stands in for it.
    def async_scheduler(pool) = Async::Scheduler.new(worker_pool: pool)

    it "keeps the reactor serving other tasks during a call, and task.stop stops it within 50 ms of CPU time" do
      expected = points.simplify(0).to_packed
      pool = OffloadingScheduler::ThreadPerOperation.new
      huge = MyLib::Points.from_packed(Array.new(20_000) { rand }.pack("d*") * 1000)
      outcome = Thread.new do
        scheduler = async_scheduler(pool)
        Fiber.set_scheduler(scheduler)
        result = nil
        ticks = 0
        elapsed = nil
        latency = nil
        scheduler.run do |task|
          ticker = task.async { loop { sleep 0.001; ticks += 1 } } # rubocop:disable Style/Semicolon
          started = now
          result = points.simplify(0).to_packed
          elapsed = now - started
          busy_ticks = ticks
          ticks = 0
          beside = Thread.new { points.simplify(0) }
          sleep elapsed
          idle = ticks
          beside.join
          stopped = task.async { huge.simplify(0) }
          sleep 0.3
          stop_at = now
          cpu_at_stop = cpu
          stopped.stop
          stopped.wait
          latency = [now - stop_at, cpu - cpu_at_stop]
          ticker.stop
          ticks = [busy_ticks, idle]
        end
        [result, elapsed, ticks, latency]
      end.value
      result, elapsed, (ticks, baseline), latency = outcome
      puts format("  async: simplify(1e6 points) %.0f ms, %d ticks beside it, %d beside the same work on a " \
                  "plain thread (%.0f%%); " \
                  "task.stop stopped simplify(1e7 points) after %.1f ms (%.1f ms of CPU)",
                  elapsed * 1000, ticks, baseline, 100.0 * ticks / baseline, latency[0] * 1000, latency[1] * 1000)
      expect(result).to eq(expected)
      expect(pool.operations).to eq(2)
      expect(ticks).to be >= baseline / 2
      expect(latency[1]).to be < 0.05
    end
  end
end
