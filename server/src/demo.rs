//! The demo catalogue that ships inside the binary (`data/demo-catalog.csv`), loaded by
//! `peixun serve --demo` into an empty catalogue and marked as demo data on every page.

use app::catalog::import::{self, FileKind};
use app::catalog::service::{self, ImportError, ImportOptions};
use app::i18n::Locale;

pub const DEMO_CATALOG: &[u8] = include_bytes!("../data/demo-catalog.csv");

pub async fn load_if_empty(portal: &app::portal::Portal) -> Result<(), String> {
    if service::count(portal).await.map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let parsed = import::parse(DEMO_CATALOG, FileKind::Csv);
    let options = ImportOptions {
        demo: true,
        ..Default::default()
    };
    match service::import(portal, parsed, options).await {
        Ok(report) => {
            tracing::info!(created = report.created, "demo catalogue loaded");
            Ok(())
        }
        Err(ImportError::Refused(errors, _)) => Err(errors
            .iter()
            .map(|f| f.describe(Locale::en))
            .collect::<Vec<_>>()
            .join("; ")),
        Err(ImportError::Storage(err)) => Err(err.to_string()),
    }
}
