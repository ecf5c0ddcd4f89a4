//! The service layer's handle: the database, the key that protects personal data, and the
//! shared in-memory state built from the database. Pages, the JSON API and the CLI all hold
//! one `Portal` and call the domain services with it.

use crate::accounts::vault::Vault;
use crate::catalog::index::CatalogSearch;
use crate::clock::Clock;
use crate::error::{AppError, AppResult};
use crate::storage::{Db, OpenError};
use std::sync::Arc;

/// Settings an operator may change.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Sign-in attempts allowed per client address per minute (carrier-grade NAT puts many
    /// people behind one address, so this is generous).
    pub login_attempts_per_minute: u32,
    /// The address people reach the portal at, without a trailing slash (`--public-url`):
    /// what a QR code or a link sent outside the portal opens. Never taken from a request.
    pub public_url: String,
    /// Texts a phone may be sent in an hour (codes and notices together).
    pub texts_per_phone_per_hour: u32,
    /// Codes one client address may ask for in an hour (sign-up, reset, a new phone).
    pub codes_per_address_per_hour: u32,
    /// What the footer of a government site must show (never on a demo database).
    pub identifiers: crate::deployment::SiteIdentifiers,
    /// The unified identity service is configured: "用统一身份认证登录" is offered, and
    /// subsidy claims need a verified real name.
    pub real_name_service: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            login_attempts_per_minute: 300,
            public_url: "http://localhost:3000".into(),
            texts_per_phone_per_hour: 5,
            codes_per_address_per_hour: 30,
            identifiers: Default::default(),
            real_name_service: false,
        }
    }
}

#[derive(Clone)]
pub struct Portal {
    pub db: Db,
    pub vault: Arc<Vault>,
    pub settings: Arc<Settings>,
    /// The one clock every service reads (fixed in tests).
    pub clock: Clock,
    pub(crate) catalog: Arc<CatalogSearch>,
    /// Woken when a text is queued, so this instance's sender hands it on at once.
    pub texts_ready: Arc<tokio::sync::Notify>,
}

impl Portal {
    pub fn new(db: Db, vault: Vault, settings: Settings) -> Portal {
        Portal {
            db,
            vault: Arc::new(vault),
            settings: Arc::new(settings),
            clock: Clock::system(),
            catalog: Arc::new(CatalogSearch::default()),
            texts_ready: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// The same portal reached at `url` (known once the listener is bound).
    pub fn with_public_url(mut self, url: String) -> Portal {
        Arc::make_mut(&mut self.settings).public_url = url;
        self
    }

    /// The same portal reading `clock` (tests set the instant).
    pub fn with_clock(mut self, clock: Clock) -> Portal {
        self.clock = clock;
        self
    }

    /// Opens (and migrates) the database at `url`.
    pub async fn open(url: &str, vault: Vault, settings: Settings) -> Result<Portal, OpenError> {
        Ok(Portal::new(Db::open(url).await?, vault, settings))
    }
}

/// The portal of the request being rendered (the server puts it in every page's context).
pub fn from_context() -> AppResult<Portal> {
    leptos::prelude::use_context::<Portal>()
        .ok_or_else(|| AppError::Internal("no portal in context".into()))
}
