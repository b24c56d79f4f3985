//! Compile-time facts about the Ruby the extension is built for: with the
//! `ruby` feature, rb-sys-env turns what rb-sys found into cfgs such as
//! `ruby_gte_3_4`, which `src/ruby/nogvl.rs` uses to offload work to a Fiber
//! scheduler on Ruby 3.4 and later. Without it (the C library) there is no
//! Ruby, and no such cfg.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rustc-check-cfg=cfg(ruby_gte_3_4)");
    if std::env::var_os("CARGO_FEATURE_RUBY").is_some() {
        rb_sys_env::activate()?;
    }
    Ok(())
}
