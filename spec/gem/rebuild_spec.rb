# frozen_string_literal: true

require "fileutils"
require "open3"
require "rbconfig"

RSpec.describe "rake compile" do
  root = File.expand_path("../..", __dir__)
  installed = File.join(root, "lib/my_lib", MyLibPlatform.extension_file_name)

  def rake_compile(root)
    Open3.capture2e(RbConfig.ruby, "-S", "rake", "compile", chdir: root)
  end

  it "does not rebuild an unchanged extension" do
    rake_compile(root) # settle whatever an earlier example left
    before = File.stat(installed)
    output, status = rake_compile(root)
    expect(status).to be_success, output
    expect(output).not_to include("Compiling")
    expect(File.stat(installed).mtime).to eq(before.mtime)
  end

  it "recompiles only the my_lib crate, not its dependencies, after a source change" do
    source = File.join(root, "ext/my_lib/src/lib.rs")
    FileUtils.touch(source)
    output, status = rake_compile(root)
    expect(status).to be_success, output
    expect(output.scan(/^\s*Compiling (\S+)/).flatten).to eq(["my_lib"])
    # What cargo built is what is installed (an identical build is not
    # copied again, so the installed file's mtime may be older).
    built = File.join(ENV.fetch("CARGO_TARGET_DIR", File.join(root, "target")), "release", MyLibPlatform.c_library_file_name)
    expect(File.mtime(built)).to be >= File.mtime(source)
    expect(FileUtils.compare_file(installed, built)).to be(true)
  end

  it "replaces the installed library by renaming, so loaded copies stay intact" do
    inode = File.stat(installed).ino
    # Two builds that differ: rb_sys's dev profile, then release again.
    %w[compile:dev compile:release].each do |task|
      output, status = Open3.capture2e(RbConfig.ruby, "-S", "rake", task, chdir: root)
      expect(status).to be_success, output
      expect(File.stat(installed).ino).not_to eq(inode)
      inode = File.stat(installed).ino
    end
    expect(MyLib::NATIVE_VERSION).to eq(MyLib::VERSION) # this process's copy still works
  end
end
