# frozen_string_literal: true

class ApplicationController < ActionController::API
  private

  # The Point given by the x and y query parameters.
  def point_from_params
    MyLib::Point.new(coordinate(:x), coordinate(:y))
  end

  # A missing or non-numeric coordinate is the client's error: 400, not 500.
  def coordinate(name)
    Float(params.require(name))
  rescue ArgumentError
    raise ActionController::BadRequest, "#{name} is not a number"
  end
end
