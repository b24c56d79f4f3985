# frozen_string_literal: true

Rails.application.routes.draw do
  get "point", to: "points#show"
  post "points/summary", to: "points_summaries#create"
  post "buffer", to: "buffers#echo"
  get "cached_points/:key", to: "cached_points#show"
  get "panic", to: "panics#show"
end
