# frozen_string_literal: true

require "open3"
require "rbconfig"

# The README and the guides in docs/ against what they describe: the rake
# tasks they name exist, the tasks that matter are named somewhere, the
# README links every guide, and CI runs the README's test command.
RSpec.describe "The README and the guides" do
  root = File.expand_path("../..", __dir__)
  documents = ["README.md", *Dir.glob("docs/*.md", base: root).sort]

  # What `rake <flag>` prints, run once for the whole file.
  rake_output = Hash.new do |cache, flag|
    output, status = Open3.capture2(RbConfig.ruby, "-S", "rake", flag, chdir: root)
    raise "rake #{flag} failed" unless status.success?

    cache[flag] = output
  end

  # Every task rake knows, with or without a description, and its
  # prerequisites: `rake -P`, whose lines are "rake <name>" followed by one
  # indented line per prerequisite.
  let(:prerequisites) do
    rake_output["-P"].lines(chomp: true).slice_before(/\Arake /).to_h do |task, *prerequisites|
      [task.delete_prefix("rake ").sub(/\[.*\]\z/, ""), prerequisites.map(&:strip)]
    end
  end

  # The tasks `rake -T` lists, in its order: those with a description.
  let(:described) { rake_output["-T"].lines.map { |line| line[/\Arake (\S+)/, 1].sub(/\[.*\]\z/, "") } }

  # What a document shows as code: fenced blocks, then inline spans (which
  # may wrap onto the next line), with whitespace runs made single spaces.
  def code_of(text)
    blocks = text.scan(/^```[^\n]*\n(.*?)^```$/m).flatten
    spans = text.gsub(/^```[^\n]*\n.*?^```$/m, "").scan(/`([^`]+)`/).flatten
    (blocks + spans).map { |code| code.gsub(/\s+/, " ") }
  end

  # The tasks a piece of code runs: `rake <task>`, as in `bundle exec rake
  # c_abi:all` (not `rake -T`, nor a bare `bundle exec rake`).
  def rake_tasks_in(code)
    code.scan(/(?<![\w-])rake ([a-z_][\w:]*)(?:\[[^\]]*\])?/).flatten
  end

  documents.each do |document|
    it "#{document} names only rake tasks that exist" do
      code = code_of(File.read(File.join(root, document)))
      unknown = code.flat_map { |piece| rake_tasks_in(piece) }.uniq - prerequisites.keys
      expect(unknown).to eq([]), "#{document} names tasks that `rake -P` does not know: #{unknown.join(', ')}"
    end
  end

  it "documents every task of `rake` and `rake ci` that has a description" do
    code = documents.flat_map { |document| code_of(File.read(File.join(root, document))) }
    documented = code.flat_map { |piece| rake_tasks_in(piece) } + code.map(&:strip)
    matter = (prerequisites.fetch("default") + prerequisites.fetch("ci")).uniq & described
    expect(matter).to include("spec", "c_abi:all", "platform:gate")
    undocumented = matter - documented
    expect(undocumented).to eq([]), "tasks of `rake` or `rake ci` in no document: #{undocumented.join(', ')}"
  end

  it "keeps `rake` the inner loop, and `rake ci` what it runs with the whole suite, and more" do
    rust_checks = %w[compile cargo:test cargo:clippy cargo:fmt]
    expect(prerequisites.fetch("default")).to eq([*rust_checks, "spec:quick"])
    expect(prerequisites.fetch("ci").first(5)).to eq([*rust_checks, "spec"])
    expect(prerequisites.fetch("ci").size).to be > 5
  end

  it "lists the tasks a newcomer needs first in `rake -T`" do
    expect(described.first(5)).to eq(%w[default ci spec compile bench])
  end

  it "gives the test command that .ci/run runs" do
    command = "bin/setup && bundle exec rake ci"
    expect(File.read(File.join(root, "README.md"))).to include("```sh\n#{command}\n```")
    expect(File.read(File.join(root, ".ci/run")).lines(chomp: true)).to include(command)
  end

  it "links every guide from the README, which stays short" do
    readme = File.read(File.join(root, "README.md"))
    guides = Dir.glob("docs/*.md", base: root)
    expect(guides.reject { |guide| readme.include?("](#{guide})") }).to eq([])
    expect(readme.lines.size).to be <= 250
  end

  documents.each do |document|
    it "#{document} links only to files that exist" do
      text = File.read(File.join(root, document)).gsub(/^```[^\n]*\n.*?^```$/m, "")
      targets = text.scan(/\]\(([^)#\s]+)(?:#[^)]*)?\)/).flatten.grep_v(%r{\A[a-z]+://})
      missing = targets.reject { |target| File.exist?(File.join(root, File.dirname(document), target)) }
      expect(missing).to eq([])
    end
  end
end
