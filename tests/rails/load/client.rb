# frozen_string_literal: true

require "json"
require "net/http"
require "set"
require "uri"

require_relative "expected_summary"

module RailsLoadTest
  # One keep-alive connection's share of the load: a rotation of the app's
  # routes with random arguments, and a Rust panic every PANIC_EVERY requests.
  # Every response is checked (status, type, body, and the X-Worker-Pid of a
  # serving process); what is wrong is collected in #failures.
  class Client
    PANIC_EVERY = 25
    CACHE_KEYS = 8 # per connection, so that its own requests hit the cache
    PANIC_BODY = { "status" => 500, "error" => "Internal Server Error" }.freeze
    ROUTES = %i[point points_summary buffer cached_point].freeze

    attr_reader :sent, :failures, :panic_messages, :requests_by_pid, :cache_hits, :cache_misses

    def initialize(port, index, serving_pids)
      @sent = 0
      @port = port
      @index = index
      @serving_pids = serving_pids
      @random = Random.new(index)
      @failures = []
      @panic_messages = []
      @requests_by_pid = Hash.new(0)
      @cached_points = {}
      @cached_on = Set.new # [pid, key]: the processes whose memory store has key
      @cache_hits = 0
      @cache_misses = 0
    end

    # Sends `count` requests on one connection; connection errors end it.
    def run(count)
      http = Net::HTTP.new("127.0.0.1", @port)
      http.max_retries = 0 # a retry would hide a connection the server dropped
      http.read_timeout = 30
      http.start do
        while @sent < count
          if @sent % PANIC_EVERY == PANIC_EVERY - 1 && count - @sent >= 2
            panic_then_serve(http)
          else
            send(ROUTES[@sent % ROUTES.size], http)
          end
        end
      end
      self
    rescue IOError, SystemCallError, Timeout::Error => e
      @failures << "connection #{@index}: #{e.class}: #{e.message} after #{@sent} of #{count} requests"
      self
    end

    private

    # GET /point: a Point rendered as JSON.
    def point(http)
      x = random_coordinate
      y = random_coordinate
      send_and_check(http, Net::HTTP::Get.new("/point?#{URI.encode_www_form(x: x, y: y)}"),
                     status: 200, type: "application/json", body: { "x" => x, "y" => y })
    end

    # POST /points/summary: 1 to 64 random points as JSON, summarised by
    # MyLib::Points.
    def points_summary(http)
      pairs = Array.new(@random.rand(1..64)) { [random_coordinate, random_coordinate] }
      post = Net::HTTP::Post.new("/points/summary", "Content-Type" => "application/json")
      post.body = JSON.generate(points: pairs)
      send_and_check(http, post, status: 200, type: "application/json", body: ExpectedSummary.new(pairs))
    end

    # POST /buffer: random bytes (any value, not text) back through a Buffer.
    def buffer(http)
      bytes = @random.bytes(@random.rand(0..8192))
      post = Net::HTTP::Post.new("/buffer", "Content-Type" => "application/octet-stream")
      post.body = bytes
      send_and_check(http, post, status: 200, type: "application/octet-stream", body: bytes)
    end

    # GET /cached_points/:key: a miss the first time a process sees the key,
    # then hits, which are Points rebuilt from Marshal's bytes.
    def cached_point(http)
      key = "c#{@index}-#{(@cache_hits + @cache_misses) % CACHE_KEYS}"
      x, y = @cached_points[key] ||= [random_coordinate, random_coordinate]
      path = "/cached_points/#{key}?#{URI.encode_www_form(x: x, y: y)}"
      response, pid = send_and_check(http, Net::HTTP::Get.new(path),
                                     status: 200, type: "application/json", body: { "x" => x, "y" => y })
      return unless pid

      expected = @cached_on.add?([pid, key]) ? "miss" : "hit"
      expected == "hit" ? @cache_hits += 1 : @cache_misses += 1
      fail_with("GET /cached_points/#{key}", "X-Cache #{response["X-Cache"].inspect}, not #{expected}") unless
        response["X-Cache"] == expected
    end

    # GET /panic: a Rust panic, which must answer 500; then the next request on
    # the connection must be served, by the same process.
    def panic_then_serve(http)
      message = "panic #{@index}-#{@sent}"
      @panic_messages << message
      panic = Net::HTTP::Get.new("/panic?#{URI.encode_www_form(message: message)}")
      _, panicked_pid = send_and_check(http, panic, status: 500, type: "application/json", body: PANIC_BODY)
      _, next_pid = point(http)
      return if panicked_pid.nil? || next_pid == panicked_pid

      fail_with("after #{message}", "the next request was served by pid #{next_pid.inspect}, not #{panicked_pid}")
    end

    # Sends `request` on `http` and checks the response; returns it and the pid that
    # served it (nil if the response was wrong).
    def send_and_check(http, request, status:, type:, body:)
      request["Accept"] = "application/json"
      response = http.request(request)
      @sent += 1
      pid = Integer(response["X-Worker-Pid"], exception: false)
      @requests_by_pid[pid] += 1
      problems = []
      problems << "status #{response.code}, not #{status}" unless response.code == status.to_s
      problems << "Content-Type #{response.content_type.inspect}, not #{type}" unless response.content_type == type
      received = decode(response.body.to_s, type)
      problems << body_mismatch(received, body) unless body == received
      problems << "X-Worker-Pid #{pid.inspect}, not one of #{@serving_pids}" unless @serving_pids.include?(pid)
      fail_with("#{request.method} #{request.path}", *problems)
      [response, problems.empty? ? pid : nil]
    end

    def decode(body, type)
      return body.b unless type == "application/json"

      JSON.parse(body)
    rescue JSON::ParserError
      body
    end

    def body_mismatch(received, expected)
      return "body #{received.inspect[0, 300]}, not #{expected.inspect[0, 300]}" unless
        received.is_a?(String) && expected.is_a?(String)

      first_difference = received.each_byte.zip(expected.each_byte).index { |got, sent| got != sent }
      "#{received.bytesize} bytes back for #{expected.bytesize} sent, " \
        "the first difference at byte #{first_difference || [received.bytesize, expected.bytesize].min}"
    end

    def fail_with(what, *problems)
      @failures.concat(problems.map { |problem| "connection #{@index}, #{what}: #{problem}" })
    end

    # Any Float of either sign over twelve orders of magnitude, all of whose
    # digits must survive the trip through the query string, Rust and JSON.
    def random_coordinate
      (@random.rand - 0.5) * 10.0**@random.rand(-6..6)
    end
  end
end
