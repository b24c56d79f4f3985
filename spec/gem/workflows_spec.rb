# frozen_string_literal: true

require "yaml"
require_relative "../../tools/workflow_hygiene"

# The GitHub Actions workflows, read as files (they only run on GitHub): the
# release builds with the rake tasks a developer runs, never with commands of
# its own; every step is a rake task or the plumbing around one; the chain is
# build -> installed checks -> publish, with trusted publishing and
# attestations. `rake workflows:check` runs this with actionlint and zizmor.
RSpec.describe "The GitHub Actions workflows" do
  root = File.expand_path("../..", __dir__)
  load_workflow = ->(name) { YAML.safe_load(File.read(File.join(root, ".github/workflows", name)), aliases: false) }
  # Every `run:` of a workflow, with its job's id.
  runs_of = lambda do |workflow|
    workflow.fetch("jobs").flat_map do |id, job|
      Array(job["steps"]).filter_map { |step| [id, step["run"]] if step["run"] }
    end
  end
  uses_of = ->(workflow) { workflow.fetch("jobs").values.flat_map { |job| Array(job["steps"]).filter_map { |s| s["uses"] } } }
  rubies = %w[3.1 3.2 3.3 3.4 4.0]

  let(:release) { load_workflow.call("release.yml") }
  let(:ci) { load_workflow.call("ci.yml") }
  let(:nightly) { load_workflow.call("nightly.yml") }

  describe "release.yml" do
    it "builds every gem with `rake release:verify` (platform:gems, musl:gems) and no build command of its own" do
      build = release.dig("jobs", "build")
      expect(build["steps"].map { |step| step["run"].to_s }.join("\n")).to match(/rake workflows:check_tag release:verify/)
      own_builds = /\bcargo\s+(?:\+\S+\s+)?(?:build|rustc|zigbuild)\b|cargo-zigbuild|rb-sys-dock|rake-compiler-dock|
                    \bgem\s+build\b|\brake\s+(?:\S+\s+)*native:|\bcross\b|\bpython3?\s+-m\s+ziglang/x
      runs_of.call(release).each do |job, run|
        expect(run).not_to match(own_builds), "job #{job} builds with a command of its own:\n#{run}"
      end
      expect(uses_of.call(release).grep(/cross-gem|setup-ruby-and-rust/)).to be_empty
    end

    it "uses no cache, and leaves out the benchmark and async Gemfile groups" do
      expect(uses_of.call(release).grep(%r{\Aactions/cache|rust-cache})).to be_empty
      release.fetch("jobs").each_value do |job|
        Array(job["steps"]).each do |step|
          expect(step.dig("with", "bundler-cache")).not_to eq(true)
          expect(step.dig("with", "cargo-cache")).to be_nil
        end
      end
      gemfile_groups = File.read(File.join(root, "Gemfile")).scan(/^group :(\w+)/).flatten
      left_out = release.dig("env", "BUNDLE_WITHOUT").split(":")
      expect(left_out).to include(*gemfile_groups.grep(/bench|fiber|async/))
      expect(left_out.size).to eq(2)
      expect(gemfile_groups).to include(*left_out)
    end

    it "pins the Rust toolchain the licence file's std notice comes from" do
      pinned = File.read(File.join(root, "rakelib/licenses.rake"))[/RELEASE_RUST_TOOLCHAIN = "([^"]+)"/, 1]
      expect(release.dig("env", "RUST_TOOLCHAIN")).to eq(pinned)
      [ci, nightly].each do |workflow|
        toolchains = workflow.fetch("jobs").values.flat_map { |job| job["steps"] }.filter_map { |s| s.dig("with", "rustup-toolchain") }
        expect(toolchains.uniq).to eq([pinned])
      end
    end

    it "installs the gems on ruby:X and ruby:X-alpine, x86_64 and arm64, macOS arm64 and Intel, and Windows" do
      linux = release.dig("jobs", "installed-linux", "strategy", "matrix")
      expect(linux["runner"]).to contain_exactly("ubuntu-24.04", "ubuntu-24.04-arm")
      expect(linux["image"]).to contain_exactly(*rubies.flat_map { |ruby| ["ruby:#{ruby}", "ruby:#{ruby}-alpine"] })
      # Every image on both runners: a -linux-gnu and a -linux-musl gem for each.
      expect(linux).not_to include("exclude")
      other = release.dig("jobs", "installed-other", "strategy", "matrix")
      expect(other["os"]).to include("macos-15", "macos-15-intel", a_string_starting_with("windows-"))
      expect(other["os"]).not_to include("macos-13", "macos-14")
      expect(other["ruby"]).to eq(rubies)
      # The source gem, with Rust, on Linux too.
      expect(other["include"]).to include(a_hash_including("os" => "ubuntu-24.04", "gem-platform" => "ruby"))
      %w[installed-linux installed-other].each do |job|
        expect(runs_of.call(release).select { |id, _| id == job }.map(&:last).join)
          .to include("rake workflows:install_gem release:installed_spec")
        expect(release.dig("jobs", job, "needs")).to eq("build")
      end
    end

    it "publishes only from a pushed tag, after every check, in the rubygems environment, with attestations" do
      publish = release.dig("jobs", "publish")
      expect(publish["if"]).to eq("github.event_name == 'push' && github.ref_type == 'tag'")
      expect(publish["needs"]).to contain_exactly("build", "installed-linux", "installed-other")
      expect(publish["environment"]).to eq("rubygems")
      expect(publish["permissions"]).to eq("contents" => "write", "id-token" => "write", "attestations" => "write")
      uses = publish["steps"].filter_map { |step| step["uses"]&.split("@")&.first }
      expect(uses).to include("rubygems/configure-rubygems-credentials", "actions/attest-build-provenance")
      # Provenance before the push, the credentials just before it.
      push = publish["steps"].index { |step| step["run"].to_s.include?("rake workflows:push_gems") }
      expect(uses.index("actions/attest-build-provenance")).to be < push
      expect(publish["steps"].last["run"]).to include("gh release create", "pkg/SHA256SUMS")
      # Nothing else may sign or push.
      release.fetch("jobs").each do |id, job|
        next if id == "publish"

        expect(job.fetch("permissions")).to eq("contents" => "read")
      end
    end

    it "on workflow_dispatch runs everything but the push: the dry run prints the push order, with no credentials" do
      expect(release.fetch(true)).to include("workflow_dispatch") # YAML 1.1 reads `on:` as true
      dry_run = release.dig("jobs", "dry-run")
      expect(dry_run["if"]).to eq("github.event_name == 'workflow_dispatch'")
      expect(dry_run["needs"]).to contain_exactly("build", "installed-linux", "installed-other")
      step = dry_run["steps"].find { |s| s["run"].to_s.include?("rake workflows:push_gems") }
      expect(step.dig("env", "MY_LIB_DRY_RUN")).to eq("1")
      expect(dry_run).not_to include("environment")
    end
  end

  describe "ci.yml and nightly.yml" do
    it "run the suite on Linux, macOS and Windows on every Ruby, and the Rust checks as jobs of their own" do
      matrix = ci.dig("jobs", "rspec", "strategy", "matrix")
      expect(matrix["os"]).to include(a_string_starting_with("ubuntu-"), a_string_starting_with("macos-"),
                                      a_string_starting_with("windows-"))
      expect(matrix["ruby"]).to eq([*rubies, "head"])
      tasks = ci.fetch("jobs").values.flat_map { |job| Array(job.dig("strategy", "matrix", "task")) }
      expect(tasks).to include("cargo:test", "cargo:clippy", "cargo:fmt", "c_abi:miri", "sanitizers:asan",
                               "licenses:check", "workflows:check")
      expect(runs_of.call(ci).map(&:last).join).to include("rake licenses:advisories")
    end

    it "key the caches per Ruby" do
      ci.fetch("jobs").each do |id, job|
        job["steps"].select { |step| step.dig("with", "cargo-cache") == true }.each do |step|
          ruby = step.dig("with", "ruby-version")
          expect(step.dig("with", "cache-version")).to include(ruby == "${{ matrix.ruby }}" ? ruby : "ruby-#{ruby}"), id
        end
      end
    end

    it "run the hours-long GC.stress suite nightly, not on every push" do
      expect(runs_of.call(ci).map(&:last).join).not_to include("gc_stress")
      expect(nightly.fetch(true)).to include("schedule")
      expect(runs_of.call(nightly).map(&:last)).to eq(["bundle exec rake spec:gc_stress"])
    end
  end

  it "every step is a rake task, or the plumbing that installs and runs one" do
    plumbing = /\A(?:rustup |gh release create )/
    %w[release.yml ci.yml nightly.yml].each do |name|
      runs_of.call(load_workflow.call(name)).each do |job, run|
        expect(run.match?(/\brake\b/) || run.match?(plumbing)).to be(true), "#{name}, job #{job}: not a rake task:\n#{run}"
      end
    end
  end

  describe "tools/workflow_hygiene.rb" do
    it "passes every workflow here" do
      problems = Dir[File.join(root, ".github/workflows/*.yml")].flat_map { |file| WorkflowHygiene.problems(file) }
      expect(problems).to be_empty
    end

    it "finds each thing it checks in a workflow that breaks them all" do
      bad = <<~YAML
        name: bad
        on: push
        permissions: write-all
        jobs:
          one:
            runs-on: ubuntu-24.04
            permissions:
              id-token: write
            steps:
              - uses: actions/checkout@v5
              - uses: ruby/setup-ruby@0dafeac902942906541bc140009cdbf32665b601
              - uses: docker://alpine:3
      YAML
      problems = WorkflowHygiene.problems("bad.yml", bad)
      expect(problems).to contain_exactly(
        "bad.yml:10: actions/checkout@v5 is not pinned to a full commit SHA",
        "bad.yml:11: ruby/setup-ruby@0dafeac902942906541bc140009cdbf32665b601 has no `# vX.Y.Z` comment " \
        "naming the version of its commit",
        "bad.yml:12: docker://alpine:3 is not pinned by digest (@sha256:...)",
        "bad.yml: top-level permissions \"write-all\" are not {} or read-only",
        "bad.yml: job one: no timeout-minutes",
        "bad.yml: job one: id-token: write outside a protected environment (environment:)",
        "bad.yml: job one, step 1: actions/checkout without persist-credentials: false"
      )
    end
  end
end
