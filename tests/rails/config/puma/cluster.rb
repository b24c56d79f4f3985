# frozen_string_literal: true

# Two worker processes of 4 threads, forked from a master that has already
# loaded the app, and so my_lib's native extension (preload_app!).
environment "production"
bind "tcp://127.0.0.1:#{ENV.fetch("PORT")}"
workers 2
threads 4, 4
preload_app!
