# frozen_string_literal: true

# One process, 8 threads: `PORT=3000 SECRET_KEY_BASE=... bundle exec puma -C config/puma/single.rb`
environment "production"
bind "tcp://127.0.0.1:#{ENV.fetch("PORT")}"
threads 8, 8
