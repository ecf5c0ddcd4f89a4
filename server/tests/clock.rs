//! One clock: every date the portal decides on is the date in Sichuan (Beijing time, UTC+8),
//! whatever the server's own time zone, and tests set the instant. Between 00:00 and 08:00
//! Beijing time the UTC date is still yesterday's: these tests stand in that gap.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::accounts::service;
use app::accounts::vault::Vault;
use app::accounts::Registration;
use app::clock::Clock;
use app::portal::{Portal, Settings};
use chrono::{DateTime, NaiveDate, Utc};

/// 2026-12-01 00:30 in Beijing; still 2026-11-30 in UTC.
fn just_after_midnight_in_beijing() -> DateTime<Utc> {
    "2026-11-30T16:30:00Z".parse().expect("instant")
}

async fn portal_at(dir: &tempfile::TempDir, at: DateTime<Utc>) -> Portal {
    let url = common::database_url(dir.path());
    Portal::open(&url, Vault::ephemeral().unwrap(), Settings::default())
        .await
        .expect("open the test database")
        .with_clock(Clock::fixed(at))
}

/// The sign-up code texted to `phone` (no gateway here: read from the outbox).
async fn code_for(portal: &Portal, phone: &str) -> String {
    app::accounts::phone_codes::request(portal, phone, "register", "127.0.0.1", None)
        .await
        .expect("a code");
    let texts = app::texts::service::outbox(portal, Some(phone))
        .await
        .expect("the outbox");
    texts[0].params["code"]
        .as_str()
        .expect("a code")
        .to_string()
}

#[test]
fn the_clock_gives_the_date_in_beijing() {
    let clock = Clock::fixed(just_after_midnight_in_beijing());
    assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    assert_eq!(clock.now(), just_after_midnight_in_beijing());
}

#[tokio::test]
async fn a_birthday_counts_from_midnight_in_beijing() {
    let dir = tempfile::tempdir().unwrap();
    let portal = portal_at(&dir, just_after_midnight_in_beijing()).await;
    // Born on 2008-12-01: eighteen since half an hour ago, in Sichuan.
    let id = common::id_number("51010420081201121");
    let user = service::register(
        &portal,
        Registration {
            phone: "13800001201".into(),
            password: "培训 secret 2026".into(),
            name: "生日学员".into(),
            id_number: id,
            code: code_for(&portal, "13800001201").await,
        },
    )
    .await
    .expect("sign-up");
    let profile = service::profile_of(&portal, user).await.expect("profile");
    assert_eq!(profile.age, Some(18), "age on 2026-12-01 in Beijing");
}

#[tokio::test]
async fn someone_born_today_in_beijing_can_be_registered() {
    // A parent registering a newborn is not a use case, but the identity check must not call a
    // birth date "in the future" because the server's date is still yesterday's.
    let dir = tempfile::tempdir().unwrap();
    let portal = portal_at(&dir, just_after_midnight_in_beijing()).await;
    let id = common::id_number("51010420261201121");
    let result = service::register(
        &portal,
        Registration {
            phone: "13800001202".into(),
            password: "培训 secret 2026".into(),
            name: "新生".into(),
            id_number: id,
            code: code_for(&portal, "13800001202").await,
        },
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
}
