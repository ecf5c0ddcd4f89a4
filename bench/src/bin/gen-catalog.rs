//! Writes a realistic demand catalogue in the import format to stdout.
//!
//! `cargo run -p peixun-bench --bin gen-catalog -- ITEMS [SEED]`
//! The demo catalogue is `gen-catalog 320 2026 > server/data/demo-catalog.csv`.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let items: usize = args
        .next()
        .ok_or("usage: gen-catalog ITEMS [SEED]")?
        .parse()?;
    let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(2026);
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    peixun_bench::generate(items, seed, &mut lock)?;
    lock.flush()?;
    Ok(())
}
