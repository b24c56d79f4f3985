# frozen_string_literal: true

# For `gem install` on the Rubies built here without the openssl extension:
# the musl Rubies of rakelib/musl.rake (tools/musl/build_ruby.sh) and the
# aarch64 Rubies cross-built by rakelib/platform.rake (no libssl-dev:arm64),
# whose RubyGems 4.0 cannot install any gem without it. RubyGems verifies
# a gem's checksums (checksums.yaml: SHA-256 and SHA-512) with
# OpenSSL::Digest, and without it cannot install any gem. This is that class
# alone, computed by Ruby's own digest extension, so the checksums are still
# verified. No OpenSSL::SSL: RubyGems sees no openssl (Gem::HAVE_OPENSSL is
# false) and checks no signature. Put on RUBYLIB for `gem install` only,
# never for the specs.
require "digest"

module OpenSSL
  # OpenSSL::Digest.new("SHA256") and the like, as RubyGems calls it.
  class Digest
    def self.new(algorithm)
      ::Digest.const_get(algorithm.to_s.upcase.delete("-")).new
    end
  end
end
