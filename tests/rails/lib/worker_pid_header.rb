# frozen_string_literal: true

# Rack middleware that names the process that answered in an X-Worker-Pid
# header (lower case, as Rack 3 requires), on every response, error pages included: the load test uses it to
# check that a Puma worker survives a failed request and keeps serving.
class WorkerPidHeader
  def initialize(app)
    @app = app
  end

  def call(env)
    status, headers, body = @app.call(env)
    headers["x-worker-pid"] = Process.pid.to_s
    [status, headers, body]
  end
end
