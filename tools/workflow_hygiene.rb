# frozen_string_literal: true

require "yaml"

# The rules every GitHub Actions workflow in .github/workflows follows,
# checked offline from the files alone (rake workflows:hygiene; actionlint and
# zizmor run beside it in rake workflows:check):
#
# - every action (`uses:`) is pinned to a full 40-hex commit SHA, with the
#   version it is in a comment after it (`# v7.0.1`): a tag can be moved, a
#   commit cannot; local actions (./) and docker:// images by digest aside;
# - every actions/checkout step sets `persist-credentials: false`, so the
#   token does not stay in .git/config for later steps;
# - the workflow's top-level permissions are `{}` or read-only, so a job gets
#   write access only by asking for it;
# - `id-token: write` (OIDC: trusted publishing, signing) only in a job that
#   runs in a protected environment (`environment:`);
# - every job has `timeout-minutes` (GitHub's default is 6 hours).
module WorkflowHygiene
  SHA = /\A[0-9a-f]{40}\z/
  # `uses: owner/repo/path@ref  # comment`, as a step or a job line.
  USES_LINE = /\A\s*(?:-\s+)?uses:\s*(?<quote>["']?)(?<ref>[^\s"'#]+)\k<quote>\s*(?:#\s*(?<comment>.*))?\z/
  VERSION_COMMENT = /\Av?\d+(?:\.\d+)*\b/

  module_function

  # The problems of one workflow, as "file:line: what" strings.
  def problems(path, text = File.read(path))
    name = File.basename(path)
    found = pinning_problems(name, text)
    workflow = YAML.safe_load(text, aliases: false)
    return found + ["#{name}: not a YAML mapping"] unless workflow.is_a?(Hash)

    found + permission_problems(name, workflow) + job_problems(name, workflow)
  end

  def pinning_problems(name, text)
    text.each_line.with_index(1).filter_map do |line, number|
      match = USES_LINE.match(line.chomp) or next
      ref = match[:ref]
      next if ref.start_with?("./")

      where = "#{name}:#{number}"
      if ref.start_with?("docker://")
        "#{where}: #{ref} is not pinned by digest (@sha256:...)" unless ref.include?("@sha256:")
      elsif !ref.include?("@") || !ref.split("@", 2).last.match?(SHA)
        "#{where}: #{ref} is not pinned to a full commit SHA"
      elsif !match[:comment].to_s.strip.match?(VERSION_COMMENT)
        "#{where}: #{ref} has no `# vX.Y.Z` comment naming the version of its commit"
      end
    end
  end

  def read_only?(permissions)
    permissions == {} || permissions == "read-all" ||
      (permissions.is_a?(Hash) && permissions.values.all? { |level| %w[read none].include?(level) })
  end

  def permission_problems(name, workflow)
    return ["#{name}: no top-level `permissions:` (use {} or read-only, and grant more per job)"] unless workflow.key?("permissions")
    return [] if read_only?(workflow["permissions"])

    ["#{name}: top-level permissions #{workflow['permissions'].inspect} are not {} or read-only"]
  end

  def job_problems(name, workflow)
    jobs = workflow["jobs"]
    return ["#{name}: no jobs"] unless jobs.is_a?(Hash) && !jobs.empty?

    jobs.flat_map do |id, job|
      where = "#{name}: job #{id}"
      found = []
      found << "#{where}: no timeout-minutes" unless job.key?("timeout-minutes") || job.key?("uses")
      permissions = job["permissions"]
      if permissions.is_a?(Hash) && permissions["id-token"] == "write" && !job["environment"]
        found << "#{where}: id-token: write outside a protected environment (environment:)"
      end
      if permissions == "write-all"
        found << "#{where}: permissions write-all"
      end
      Array(job["steps"]).each_with_index do |step, index|
        next unless step.is_a?(Hash) && step["uses"].to_s.start_with?("actions/checkout@")

        unless step.dig("with", "persist-credentials") == false
          found << "#{where}, step #{index + 1}: actions/checkout without persist-credentials: false"
        end
      end
      found
    end
  end
end
