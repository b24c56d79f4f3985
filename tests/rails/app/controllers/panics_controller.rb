# frozen_string_literal: true

class PanicsController < ApplicationController
  # GET /panic?message=boom panics in Rust, as a bug in my_lib would. The
  # panic reaches Ruby as MyLib::PanicError, so Rails logs it and answers 500,
  # and the worker carries on.
  def show
    MyLib::Testing.panic!(params.require(:message))
  end
end
