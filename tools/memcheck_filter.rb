# frozen_string_literal: true

# Reads valgrind memcheck XML reports (--xml=yes) of a Ruby process and
# prints only what concerns my_lib, the method of the ruby_memcheck gem
# (which Debian does not package). Ruby itself leaks by design at exit (class
# tables, interned strings: also those it allocates while Init_my_lib defines
# our classes), so its own reports are noise. What is kept:
#   * a definite or indirect leak whose memory my_lib itself allocated: the
#     first frame above the allocator is in the my_lib extension (Rust's
#     allocations, the bytes a Buffer or a String owns, show up this way);
#   * any other error (invalid read or write, invalid or mismatched free...)
#     whose innermost frame is in my_lib.
#
#   ruby tools/memcheck_filter.rb REPORT.xml|DIR... ; exits 1 if anything is kept.

OURS = /my_lib\.(so|bundle)\z/
# Frames of valgrind's replacement allocator, below the caller we judge.
ALLOCATOR = /vgpreload_memcheck/

Frame = Struct.new(:obj, :fn, :where)
Finding = Struct.new(:report, :kind, :what, :frames)

def text(xml, tag) = xml[%r{<#{tag}>(.*?)</#{tag}>}m, 1]

def frames_of(error_xml)
  stack = error_xml[%r{<stack>(.*?)</stack>}m, 1].to_s
  stack.scan(%r{<frame>(.*?)</frame>}m).map do |(frame)|
    Frame.new(text(frame, "obj").to_s, text(frame, "fn").to_s,
              [text(frame, "file"), text(frame, "line")].compact.join(":"))
  end
end

def ours?(kind, frames)
  if kind.start_with?("Leak_")
    caller = frames.find { |frame| !frame.obj.match?(ALLOCATOR) }
    %w[Leak_DefinitelyLost Leak_IndirectlyLost].include?(kind) && caller&.obj&.match?(OURS)
  else
    frames.first&.obj&.match?(OURS)
  end
end

def findings_in(path)
  xml = File.read(path)
  # A child forked to exec another program (Open3, system) is traced until
  # the exec, and its report is never closed: it ran none of our code.
  unless xml.include?("</valgrindoutput>")
    warn "memcheck_filter: skipped #{File.basename(path)}, a child that exec'd before finishing its report"
    return []
  end
  xml.scan(%r{<error>(.*?)</error>}m).filter_map do |(error)|
    kind = text(error, "kind")
    frames = frames_of(error)
    next unless ours?(kind, frames)

    Finding.new(File.basename(path), kind, text(error, "text") || text(error, "what"), frames)
  end
end

reports = ARGV.flat_map { |arg| File.directory?(arg) ? Dir[File.join(arg, "*.xml")] : [arg] }
abort "memcheck_filter: no valgrind XML reports in #{ARGV.join(' ')}" if reports.empty?
findings = reports.flat_map { |report| findings_in(report) }
findings.each do |finding|
  puts "#{finding.kind}: #{finding.what} (#{finding.report})"
  finding.frames.first(12).each { |frame| puts "    #{frame.fn} #{frame.where} (#{File.basename(frame.obj)})" }
end
puts "memcheck_filter: #{reports.size} report(s), #{findings.size} finding(s) in my_lib"
exit(findings.empty? ? 0 : 1)
