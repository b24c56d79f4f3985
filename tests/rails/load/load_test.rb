# frozen_string_literal: true

require_relative "client"
require_relative "puma_server"

# Boots the app in Puma, drives it with real HTTP on 127.0.0.1 and checks
# that every response was right and that no process serving it crashed.
module RailsLoadTest
  # config/puma/<name>.rb => how many workers it forks, for the report.
  MODES = {
    "single" => { workers: 0, label: "single mode, 8 threads" },
    "cluster" => { workers: 2, label: "cluster mode, 2 workers of 4 threads, preload_app!" }
  }.freeze

  # Raises with every problem found; prints the throughput.
  def self.run(mode, log_path:, requests: 2000, concurrency: 8)
    server = PumaServer.new(mode, workers: MODES.fetch(mode)[:workers], log_path: log_path)
    server.start
    serving_pids = server.serving_pids
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    clients = Array.new(concurrency) do |index|
      share = requests / concurrency + (index < requests % concurrency ? 1 : 0)
      Thread.new { Client.new(server.port, index, serving_pids).run(share) }
    end.map(&:value)
    seconds = Process.clock_gettime(Process::CLOCK_MONOTONIC) - started
    extra = reach_idle_processes(server.port, serving_pids, clients)

    everyone = clients + extra
    problems = server_problems(server, serving_pids, everyone) + everyone.flat_map(&:failures)
    report(mode, concurrency, seconds, clients, extra, server.log)
    return if problems.empty?

    raise "rails:load #{mode}: #{problems.size} problems (Puma's log: #{log_path}):\n  " +
          problems.first(20).join("\n  ")
  ensure
    server&.stop
  end

  # Under load one worker can take every keep-alive connection of the run
  # (seen with Puma 8 on a loaded machine: 2,000 requests to one worker, the
  # other alive and idle). Fresh connections, which the kernel spreads over
  # the workers' accepts, then go to the others, checked as every request
  # is: up to 50 of them, each a rotation of the routes. Returns their
  # clients; a process none of them reaches is still reported idle.
  def self.reach_idle_processes(port, serving_pids, clients)
    extra = []
    50.times do |attempt|
      served = (clients + extra).map(&:requests_by_pid).inject { |all, counts| all.merge(counts) { |_, a, b| a + b } }
      break if serving_pids.all? { |pid| served.fetch(pid, 0).positive? }

      extra << Client.new(port, clients.size + attempt, serving_pids).run(Client::ROUTES.size)
    end
    extra
  end

  # What the log and the process table say: the processes that booted still
  # run, none was started since, and Rails logged each panic as a PanicError.
  def self.server_problems(server, serving_pids, clients)
    problems = []
    problems << "Puma (pid #{server.pid}) is gone" unless server.running?
    serving_pids.each do |pid|
      problems << "the serving process #{pid} is gone" unless pid == server.pid || server.worker_exists?(pid)
    end
    problems << "processes booted during the run: #{server.serving_pids - serving_pids}" unless
      server.serving_pids == serving_pids
    logged = server.log.scan(/^MyLib::PanicError \((.*)\):$/).flatten.sort
    sent = clients.flat_map(&:panic_messages).sort
    unless logged == sent
      problems << "Rails logged #{logged.size} PanicErrors for #{sent.size} panics: " \
                  "not logged #{(sent - logged).first(5)}, unexpected #{(logged - sent).first(5)}"
    end
    idle = serving_pids.reject { |pid| clients.sum { |client| client.requests_by_pid[pid] }.positive? }
    problems << "processes #{idle} served no request" unless idle.empty?
    problems
  end

  # The rate counts the timed clients only; `extra`'s requests (after the
  # clock stopped) count in the split by process and the panics.
  def self.report(mode, concurrency, seconds, clients, extra, log)
    requests = clients.sum(&:sent)
    stack = [log[/my_lib test app: (.*)$/, 1], log[/Puma version: (\S+)/, 1]&.then { |version| "Puma #{version}" }]
    puts format("rails:load %<mode>s (%<label>s; %<stack>s): %<requests>d requests, %<concurrency>d at a time, " \
                "in %<seconds>.2f s: %<rate>.0f requests/s", mode: mode, label: MODES.fetch(mode)[:label],
                stack: stack.compact.join(", "), requests: requests, concurrency: concurrency, seconds: seconds,
                rate: requests / seconds)
    by_pid = (clients + extra).map(&:requests_by_pid).inject { |all, counts| all.merge(counts) { |_, a, b| a + b } }
    pids = by_pid.sort_by { |pid, _| pid || -1 }.map { |pid, count| "#{pid}: #{count}" }
    everyone = clients + extra
    untimed = extra.empty? ? "" : " (#{extra.sum(&:sent)} of them untimed, to reach idle workers)"
    puts "  requests by pid: #{pids.join(', ')}#{untimed}; " \
         "#{everyone.sum { |client| client.panic_messages.size }} requests panicked in Rust; " \
         "Rails.cache: #{everyone.sum(&:cache_misses)} misses, #{everyone.sum(&:cache_hits)} hits"
  end
end
