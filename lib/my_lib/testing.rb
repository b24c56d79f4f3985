# frozen_string_literal: true

module MyLib
  # Hooks for testing how an application copes with my_lib failing. Defined
  # by the native extension (ext/my_lib/src/ruby/testing.rs).
  module Testing
    # @!method self.panic!(message)
    #   Panics in Rust with +message+, the way a bug in my_lib would: the
    #   panic is caught at the boundary and raised as {MyLib::PanicError}.
    #   @param message [String]
    #   @return [void] never returns
    #   @raise [MyLib::PanicError] always, with +message+
    #   @example
    #     begin
    #       MyLib::Testing.panic!("boom")
    #     rescue MyLib::PanicError => e
    #       e.message #=> "boom"
    #     end

    # @!method self.panic_without_gvl!(message)
    #   Panics in Rust with +message+ in work running without the GVL, the
    #   way a bug in a bulk operation of {MyLib::Points} would: the panic is
    #   caught before it can reach Ruby's C frames and raised as
    #   {MyLib::PanicError} once the GVL is back.
    #   @param message [String]
    #   @return [void] never returns
    #   @raise [MyLib::PanicError] always, with +message+
    #   @raise [TypeError] when +message+ is not a String
    #   @example
    #     begin
    #       MyLib::Testing.panic_without_gvl!("boom")
    #     rescue MyLib::PanicError => e
    #       e.message #=> "boom"
    #     end
  end
end
