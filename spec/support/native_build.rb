# frozen_string_literal: true

require "fileutils"
require "open3"
require "rbconfig"
require_relative "platform_tags"

# The two libraries the suite loads, built when they are missing or older
# than a Rust source or Cargo file, so that plain `bundle exec rspec` works in
# a fresh clone and after a Rust change: the extension (`require "my_lib"`)
# and the Ruby-free C library (spec/c_abi). `rake spec` builds both first, so
# there this only compares file times.
module MyLibNativeBuild
  ROOT = File.expand_path("../..", __dir__)
  TASKS = %w[compile c_abi:lib].freeze
  ARTIFACTS = ["lib/my_lib/#{MyLibPlatform.extension_file_name}",
               "target/c_abi/release/#{MyLibPlatform.c_library_file_name}"].freeze
  INPUTS = %w[Cargo.toml Cargo.lock ext/my_lib/Cargo.toml ext/my_lib/extconf.rb ext/my_lib/src/**/*].freeze

  module_function

  # Why each artifact must be built ("lib/my_lib/my_lib.so is missing"), or
  # an empty list.
  def reasons
    newest_input = Dir.glob(INPUTS, base: ROOT).map { |path| File.mtime(File.join(ROOT, path)) }.max
    ARTIFACTS.filter_map do |artifact|
      path = File.join(ROOT, artifact)
      if !File.exist?(path)
        "#{artifact} is missing"
      elsif newest_input && File.mtime(path) < newest_input
        "#{artifact} is older than the Rust sources"
      end
    end
  end

  # Builds what `reasons` names, in one line of output; stops the run with
  # the build's output when it fails. A library the build leaves as it was
  # (cargo found nothing to redo that changes it, or the install kept the
  # identical file) is touched, so that it is not rebuilt on every run.
  def ensure_built
    why = reasons
    return if why.empty?

    warn "spec_helper: #{why.join(', ')}: running rake #{TASKS.join(' ')} first"
    output, status = Open3.capture2e(RbConfig.ruby, "-S", "rake", *TASKS, chdir: ROOT)
    abort "#{output}\nspec_helper: rake #{TASKS.join(' ')} failed (above)" unless status.success?

    FileUtils.touch(ARTIFACTS.map { |artifact| File.join(ROOT, artifact) })
  end
end
