# frozen_string_literal: true

class BuffersController < ApplicationController
  # POST /buffer with any bytes as the body answers the same bytes, after a
  # round trip through a MyLib::Buffer: written in, then read back out.
  def echo
    bytes = request.raw_post
    buffer = MyLib::Buffer.new(bytes.bytesize)
    buffer.write(0, bytes)
    send_data buffer.read, type: "application/octet-stream"
  ensure
    buffer&.close
  end
end
