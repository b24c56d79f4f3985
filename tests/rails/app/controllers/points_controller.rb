# frozen_string_literal: true

class PointsController < ApplicationController
  # GET /point?x=1.5&y=-2 renders {"x":1.5,"y":-2.0} through Point#as_json.
  def show
    render json: point_from_params
  end
end
