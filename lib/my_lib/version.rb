# frozen_string_literal: true

module MyLib
  # The gem's version; the native extension reports its own as
  # {MyLib::NATIVE_VERSION}, and the two must agree.
  VERSION = "0.1.0"
end
