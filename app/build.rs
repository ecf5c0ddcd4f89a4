//! Generates the `i18n` module (typed translation keys) from `locales/*.json`.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let cfg = Config::new("zh-CN")?
        .add_locale("en")?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out.clone())?;
    // The generated module unwraps values it built itself; the workspace denies `expect` and
    // `unwrap` in our own code, so it is allowed here, for this module only.
    let module = out.join("mod.rs");
    let code = std::fs::read_to_string(&module)?;
    let allowed = code.replacen(
        "pub mod i18n {",
        "pub mod i18n { #![allow(clippy::expect_used, clippy::unwrap_used)]",
        1,
    );
    std::fs::write(&module, allowed)?;
    Ok(())
}
