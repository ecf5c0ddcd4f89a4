//! The service layer's handle: the database and the shared in-memory state built from it.
//! Pages, the JSON API and the CLI all hold one `Portal` and call the domain services with it.

use crate::catalog::service::CatalogSearch;
use crate::storage::{Db, OpenError};
use std::sync::Arc;

#[derive(Clone)]
pub struct Portal {
    pub db: Db,
    pub(crate) catalog: Arc<CatalogSearch>,
}

impl Portal {
    pub fn new(db: Db) -> Portal {
        Portal {
            db,
            catalog: Arc::new(CatalogSearch::default()),
        }
    }

    /// Opens (and migrates) the database at `url`.
    pub async fn open(url: &str) -> Result<Portal, OpenError> {
        Ok(Portal::new(Db::open(url).await?))
    }
}
