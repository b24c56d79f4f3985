//! The committed header, `include/my_lib.h`, must be what cbindgen generates
//! from this crate now. Set `MY_LIB_BLESS_HEADER=1` to rewrite it instead.

use std::path::Path;

#[test]
#[cfg_attr(miri, ignore = "runs cargo metadata, a process Miri cannot spawn")]
fn committed_header_is_up_to_date() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header_path = crate_dir.join("../../include/my_lib.h");
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("ext/my_lib/cbindgen.toml is readable and valid");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen can parse the crate")
        .write(&mut generated);

    if std::env::var_os("MY_LIB_BLESS_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(&header_path, &generated).expect("include/my_lib.h is writable");
        return;
    }
    let committed = std::fs::read(&header_path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/my_lib.h differs from what cbindgen generates now.\n\
         Review the change, then regenerate it with `bundle exec rake c_abi:header` \
         (MY_LIB_BLESS_HEADER=1 cargo test --no-default-features header).\n\
         --- generated ---\n{}",
        String::from_utf8_lossy(&generated)
    );
}
