# frozen_string_literal: true

# A minimal Fiber scheduler (Ruby 3.4+), for the specs: timers (`sleep`,
# `Timeout`), fibers waiting for other threads (`Thread#join`), and
# `blocking_operation_wait`, the hook to which Ruby 3.4 hands a C function
# flagged RB_NOGVL_OFFLOAD_SAFE (MyLib's bulk operations).
#
# The contract of `blocking_operation_wait(work)`, as MyLib relies on it:
# * `work` is a Proc; calling it (once, on any Ruby thread) runs the
#   operation there, without the GVL; meanwhile the event loop serves the
#   other fibers.
# * Return, or raise, only once `work` has returned (or was never called):
#   the operation's data lives on the calling fiber's stack.
# * If the waiting fiber is stopped (Timeout, `Fiber#raise`, a task's
#   `stop`), interrupt the thread running `work` (`Thread#kill`): Ruby then
#   calls the operation's unblocking function, and MyLib's work stops
#   within microseconds; wait for it, then let the exception go on.
class OffloadingScheduler
  # Runs each operation on a thread of its own; also usable as async's
  # `worker_pool:` (it asks for `call(work)` and `close`).
  class ThreadPerOperation
    attr_reader :operations

    def initialize
      @operations = 0
    end

    def call(work)
      @operations += 1
      thread = Thread.new { work.call }
      thread.join
    ensure
      if thread&.alive?
        thread.kill
        thread.join
      end
    end

    def close; end
  end

  attr_reader :pool

  def initialize
    @pool = ThreadPerOperation.new
    @timers = [] # [deadline, fiber, exception or nil]
    @blocked = {}
    @woken = Thread::Queue.new
    @wake_reader, @wake_writer = IO.pipe
  end

  def blocking_operation_wait(work) = @pool.call(work)

  def fiber(&)
    Fiber.new(blocking: false, &).tap(&:resume)
  end

  def kernel_sleep(duration = nil)
    timer = add_timer(duration, Fiber.current) if duration
    @blocked[Fiber.current] = true
    Fiber.yield
  ensure
    @blocked.delete(Fiber.current)
    @timers.delete(timer)
  end

  def block(_blocker, timeout = nil)
    kernel_sleep(timeout)
  end

  # From any thread: `fiber`, blocked, may go on.
  def unblock(_blocker, fiber)
    @woken << fiber
    @wake_writer.write_nonblock(".", exception: false)
  end

  # `exception` and its arguments, as Fiber#raise takes them (Timeout
  # passes an exception object).
  def timeout_after(duration, *exception)
    timer = add_timer(duration, Fiber.current, exception)
    yield duration
  ensure
    @timers.delete(timer)
  end

  def io_wait(...) = raise(NotImplementedError, "OffloadingScheduler has no IO")

  def close = run

  def run
    loop do
      fire_timers
      resume(@woken.pop) until @woken.empty?
      break if @blocked.empty?

      wait = @timers.map(&:first).min&.-(now)
      next if wait&.<=(0)

      @wake_reader.read_nonblock(1024, exception: false) if IO.select([@wake_reader], nil, nil, wait)
    end
  end

  private

  def now = Process.clock_gettime(Process::CLOCK_MONOTONIC)

  def add_timer(duration, fiber, exception = nil)
    [now + duration, fiber, exception].tap { |timer| @timers << timer }
  end

  def fire_timers
    due, @timers = @timers.partition { |deadline, _, _| deadline <= now }
    due.sort_by(&:first).each do |_, fiber, exception|
      if exception
        fiber.raise(*exception) if @blocked.key?(fiber) && fiber.alive?
      else
        resume(fiber)
      end
    end
  end

  def resume(fiber)
    fiber.resume if @blocked.key?(fiber) && fiber.alive?
  end
end
