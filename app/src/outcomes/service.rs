//! The published outcomes of a course or an institution (see the module's privacy note).

use super::{store, Outcomes, MIN_PEOPLE};
use crate::error::AppResult;
use crate::portal::Portal;

/// The published outcomes of one catalogue item.
pub async fn of_course(portal: &Portal, code: &str) -> AppResult<Outcomes> {
    Ok(Outcomes::publish(store::of_course(&portal.db, code).await?))
}

/// The published outcomes of one institution, over its catalogue items that publish their own.
pub async fn of_institution(portal: &Portal, code: &str) -> AppResult<Outcomes> {
    Ok(Outcomes::publish(
        store::of_institution(&portal.db, code, MIN_PEOPLE).await?,
    ))
}
