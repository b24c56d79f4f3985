# frozen_string_literal: true

require_relative "harness"

module Bench
  # Per-call overhead: one call compiled into a `while` loop, timed over
  # enough iterations for ~2 ms, minus the same loop around a bare local
  # read, measured in the same round. So a figure is the cost of the call
  # alone (argument passing, method dispatch, the method's work).
  #
  # On a shared machine a batch is sometimes descheduled or stalled; a
  # round keeps the fastest of `batches` batches of each contender, which
  # drops those, and the figure is the median over rounds. The GC is
  # disabled inside a batch and run before it, so allocating calls are
  # charged for their allocation but not for a collection that happens to
  # fall in one contender's batch.
  class PerCall
    # `code` is a Ruby expression; it may use the local `it_` (the case's
    # receiver, made by `subject`).
    Case = Struct.new(:call, :contender, :code, :subject, keyword_init: true)

    EMPTY = "it_"

    def initialize(cases, rounds:, batches: 3, target_ns: 2_000_000)
      @cases = cases
      @rounds = rounds
      @target_ns = target_ns
      @batches = batches
      @loops = {}
    end

    # Returns [{call:, contender:, ns:, samples:}] (ns per call, loop-subtracted).
    def run
      iterations = calibrate
      contenders = { empty: timer(EMPTY, nil, iterations) }
      @cases.each_with_index { |c, i| contenders[i] = timer(c.code, c.subject&.call, iterations) }
      samples = Harness.interleaved(contenders, rounds: @rounds, warmup: 2)
      empty = samples.delete(:empty)
      @cases.each_with_index.map do |c, i|
        per_call = samples[i].zip(empty).map { |t, e| (t - e).to_f / iterations }
        { call: c.call, contender: c.contender, ns: Harness.median(per_call), samples: per_call }
      end
    end

    private

    # Iterations for the slowest case to take about `target_ns`.
    def calibrate
      probe = 20_000
      slowest = @cases.map do |c|
        timer(c.code, c.subject&.call, probe).call
      end.max
      [(probe * @target_ns / slowest.to_f).ceil, probe].max
    end

    def timer(code, subject, iterations)
      method = compiled(code)
      lambda do
        Array.new(@batches) do
          GC.start
          GC.disable
          method.call(iterations, subject)
        ensure
          GC.enable
        end.min
      end
    end

    # A method timing `iterations` runs of `code` inside its own loop, so
    # no block call is added to what is measured.
    def compiled(code)
      @loops[code] ||= begin
        name = :"loop_#{@loops.size}"
        Loops.module_eval(<<~RUBY, __FILE__, __LINE__ + 1)
          def self.#{name}(iterations, it_)
            i = 0
            started = Bench::Harness.now
            while i < iterations
              #{code}
              i += 1
            end
            Bench::Harness.now - started
          end
        RUBY
        Loops.method(name)
      end
    end

    # Holds the compiled loops.
    module Loops; end
  end
end
