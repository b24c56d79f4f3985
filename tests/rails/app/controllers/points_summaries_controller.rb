# frozen_string_literal: true

class PointsSummariesController < ApplicationController
  # POST /points/summary with {"points": [[x, y], ...]} renders what
  # MyLib::Points computes over them in Rust: their number, centroid,
  # bounding box ([min, max]) and the length of the path through them.
  def create
    points = points_from_params
    render json: { length: points.length, centroid: points.centroid, bounding_box: points.bounding_box,
                   path_length: points.path_length }
  end

  private

  # An element that is not a pair of numbers is the client's error: 400.
  def points_from_params
    MyLib::Points.new(params.require(:points))
  rescue TypeError => e
    raise ActionController::BadRequest, e.message
  end
end
