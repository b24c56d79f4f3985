# frozen_string_literal: true

# The README's short tour, run line by line: each `# => value` must be what
# the line returns (its `inspect`, for a `#<...>`), and each
# `# SomeError: message` what it raises.
RSpec.describe "The README's short tour" do
  readme = File.read(File.expand_path("../../README.md", __dir__))
  tour = readme[/^## A short tour\n.*?^```ruby\n(.*?)^```$/m, 1]

  it "returns and raises what its comments say" do
    expect(tour).not_to be_nil
    scope = binding
    claims = 0
    tour.lines(chomp: true).each do |line|
      code, comment = line.split(/\s+# /, 2)
      next if code.to_s.strip.empty?

      if (inspected = comment&.[](/\A=> (#<.*)\z/, 1))
        aggregate_failures(line) { expect(scope.eval(code).inspect).to eq(inspected) }
      elsif (value = comment&.[](/\A=> (.*)\z/, 1))
        aggregate_failures(line) { expect(scope.eval(code)).to eq(scope.eval(value)) }
      elsif (error, message = comment&.match(/\A((?:[A-Z]\w*)(?:::[A-Z]\w*)*): (.*)\z/)&.captures)
        aggregate_failures(line) { expect { scope.eval(code) }.to raise_error(Object.const_get(error), message) }
      else
        scope.eval(code)
        next
      end
      claims += 1
    end
    expect(claims).to be >= 10
  end
end
