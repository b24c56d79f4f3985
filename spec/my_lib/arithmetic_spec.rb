# frozen_string_literal: true

RSpec.describe "MyLib.add_numbers" do
  i32_max = 2**31 - 1
  i32_min = -2**31
  limits = "(-2147483648 to 2147483647)"

  it "adds Integers" do
    expect(MyLib.add_numbers(2, 3)).to eq(5)
    expect(MyLib.add_numbers(-7, 7)).to eq(0)
  end

  it "handles 0, -1 and the ends of the 32-bit range" do
    expect(MyLib.add_numbers(0, 0)).to eq(0)
    expect(MyLib.add_numbers(-1, -1)).to eq(-2)
    expect(MyLib.add_numbers(i32_max, 0)).to eq(i32_max)
    expect(MyLib.add_numbers(i32_min, 0)).to eq(i32_min)
    expect(MyLib.add_numbers(i32_max, i32_min)).to eq(-1)
    expect(MyLib.add_numbers(i32_max - 1, 1)).to eq(i32_max)
  end

  it "raises RangeError naming the limits when the sum leaves 32 bits, instead of wrapping" do
    expect { MyLib.add_numbers(i32_max, 1) }
      .to raise_error(RangeError, "2147483647 + 1 overflows a 32-bit signed integer #{limits}")
    expect { MyLib.add_numbers(i32_min, -1) }.to raise_error(RangeError, /overflows.*#{Regexp.escape(limits)}/)
  end

  it "raises RangeError naming the operand and the limits for operands outside 32 bits" do
    expect { MyLib.add_numbers(i32_max + 1, 0) }
      .to raise_error(RangeError, "a = 2147483648 is outside a 32-bit signed integer #{limits}")
    expect { MyLib.add_numbers(0, i32_min - 1) }.to raise_error(RangeError, /\Ab = -2147483649 is outside/)
    expect { MyLib.add_numbers(2**100, 0) }.to raise_error(RangeError, /\Aa = #{2**100} is outside/)
  end

  it "refuses non-Integers with TypeError rather than truncating them",
     rbs_skip: "passes arguments its signature rejects" do
    expect { MyLib.add_numbers(1.9, 1) }.to raise_error(TypeError, "a must be an Integer, not Float")
    expect { MyLib.add_numbers(1, Rational(1)) }.to raise_error(TypeError, "b must be an Integer, not Rational")
    expect { MyLib.add_numbers(nil, 1) }.to raise_error(TypeError, /not NilClass/)
    expect { MyLib.add_numbers("1", 1) }.to raise_error(TypeError, /not String/)
  end
end
