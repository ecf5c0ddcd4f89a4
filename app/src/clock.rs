//! The date in Sichuan (Beijing time, UTC+8): deadlines and start dates are local dates.

use chrono::{FixedOffset, NaiveDate, Utc};

pub fn today() -> NaiveDate {
    let now = Utc::now();
    FixedOffset::east_opt(8 * 3600).map_or_else(
        || now.date_naive(),
        |beijing| now.with_timezone(&beijing).date_naive(),
    )
}
