# frozen_string_literal: true

require "bundler"
require "fileutils"
require "securerandom"

module RailsLoadTest
  # The app of tests/rails running in Puma with one of its config/puma/*.rb,
  # bound to 127.0.0.1 on a port the kernel picks, its output in a log file.
  class PumaServer
    APP_ROOT = File.expand_path("..", __dir__)
    BOOT_TIMEOUT = 60
    STOP_TIMEOUT = 30

    attr_reader :pid, :port, :log_path

    # config: the name of a file of config/puma; workers: how many worker
    # processes it forks (0 in single mode).
    def initialize(config, workers:, log_path:)
      @config = config
      @workers = workers
      @log_path = log_path
    end

    # Starts Puma and returns once it listens and every worker has booted.
    def start
      FileUtils.mkdir_p(File.dirname(log_path))
      env = { "BUNDLE_GEMFILE" => File.join(APP_ROOT, "Gemfile"), "PORT" => "0",
              "SECRET_KEY_BASE" => SecureRandom.hex(64) }
      # Outside the Bundler environment of the caller (rake runs under the
      # gem's own Gemfile). Its own process group, so that stop can end the
      # workers too if the master hangs.
      @pid = Bundler.with_unbundled_env do
        Process.spawn(env, "bundle", "_#{Bundler::VERSION}_", "exec", "puma", "--config", "config/puma/#{@config}.rb",
                      chdir: APP_ROOT, in: File::NULL, out: log_path, err: %i[child out], pgroup: true)
      end
      wait_until_booted
    end

    # The pids that serve requests: the workers' in cluster mode, else Puma's.
    def serving_pids
      return [pid] if @workers.zero?

      log.scan(/Worker \d+ \(PID: (\d+)\) booted/).flatten.map(&:to_i)
    end

    # Whether Puma still runs: it is this process's child, so a dead one (a
    # zombie until then) is reaped here.
    def running?
      return false if @exited

      @exited = !Process.wait(pid, Process::WNOHANG).nil?
      !@exited
    end

    # Whether the process `worker`, a child of Puma's, exists.
    def worker_exists?(worker)
      Process.kill(0, worker)
      true
    rescue Errno::ESRCH
      false
    end

    def log
      File.binread(log_path)
    end

    # TERM (Puma's graceful stop), then KILL to the whole group after
    # STOP_TIMEOUT. Safe to call more than once, or after a failed start.
    def stop
      return unless pid && !@exited

      @exited = true
      Process.kill("TERM", pid)
      return if wait_for_exit(STOP_TIMEOUT)

      warn "Puma (pid #{pid}) did not stop within #{STOP_TIMEOUT} s: killing its process group"
      Process.kill("KILL", -pid)
      Process.wait(pid)
    rescue Errno::ESRCH, Errno::ECHILD
      nil # already gone
    end

    private

    def wait_until_booted
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + BOOT_TIMEOUT
      until booted?
        raise "Puma exited while booting (#{$?}); its log, #{log_path}:\n#{log}" unless running?
        raise "Puma did not boot within #{BOOT_TIMEOUT} s; its log, #{log_path}:\n#{log}" if
          Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

        sleep 0.1
      end
      @port = Integer(log[%r{Listening on http://127\.0\.0\.1:(\d+)}, 1])
    end

    def booted?
      log.include?("Use Ctrl-C to stop") && serving_pids.size == [@workers, 1].max
    end

    def wait_for_exit(timeout)
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
      until Process.wait(pid, Process::WNOHANG)
        return false if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

        sleep 0.1
      end
      true
    end
  end
end
