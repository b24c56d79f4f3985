# frozen_string_literal: true

class CachedPointsController < ApplicationController
  # GET /cached_points/:key?x=1&y=2 renders the Point cached under +key+,
  # first caching Point(x, y) there if there is none. The memory store keeps
  # Marshal copies, so a hit is a Point rebuilt by Point._load. X-Cache tells
  # which happened: "hit" or "miss".
  def show
    hit = true
    point = Rails.cache.fetch(["point", params[:key]]) do
      hit = false
      point_from_params
    end
    response.set_header("X-Cache", hit ? "hit" : "miss")
    render json: point
  end
end
