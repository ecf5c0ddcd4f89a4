//! The HTTP server's wiring: pages (SSR through leptos_axum), the JSON API, the form posts,
//! static files, and the layers every response passes through.

use crate::state::{AppState, Exposure};
use crate::{api, forms};
use app::portal::Portal;
use app::site::{shell, App, Assets};
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Request, Response};
use axum::routing::post;
use axum::Router;
use hyper::body::Incoming;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The browser bundle's file names, from `assets.json` that `make build` writes beside the
/// hashed files; without it (a plain `cargo build`), the unhashed names.
fn read_assets(site_root: &Path) -> (String, Assets) {
    #[derive(serde::Deserialize)]
    struct Manifest {
        bundle: String,
        stylesheet: String,
    }
    let manifest = std::fs::read_to_string(site_root.join("assets.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Manifest>(&text).ok());
    match manifest {
        Some(m) => (
            m.bundle,
            Assets {
                stylesheet: m.stylesheet,
            },
        ),
        None => (
            "peixun".into(),
            Assets {
                stylesheet: "peixun.css".into(),
            },
        ),
    }
}

pub fn router(
    portal: Portal,
    site_root: &Path,
    exposure: Exposure,
    oidc: Option<std::sync::Arc<crate::oidc::Oidc>>,
) -> Router {
    let (bundle, assets) = read_assets(site_root);
    let leptos_options = LeptosOptions::builder()
        .output_name(bundle)
        .site_root(site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .env(leptos_config::Env::PROD)
        .build();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        portal: portal.clone(),
        assets: assets.clone(),
        https: exposure.https,
        trust_proxy: exposure.trust_proxy,
        oidc,
    };
    let routes = generate_route_list(App);
    let page_context = {
        let portal = portal.clone();
        move || provide_context(portal.clone())
    };
    let page_shell = {
        let options = leptos_options.clone();
        let assets = assets.clone();
        move || shell(options.clone(), assets.clone())
    };
    let fallback_shell = move |options: LeptosOptions| shell(options, assets.clone());

    // Hashed bundle files never change under their name: cache them for a year.
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(axum::middleware::map_response(immutable_when_ok));

    let (api, _) = api::router();
    crate::metrics::install();
    Router::new()
        .merge(api)
        .route("/prefs", post(crate::prefs::set))
        .route("/register", post(forms::register))
        .route("/register/code", post(forms::register_code))
        .route("/reset", post(forms::reset))
        .route("/reset/code", post(forms::reset_code))
        .route("/me/password", post(forms::change_password))
        .route("/me/phone", post(forms::change_phone))
        .route("/me/phone/code", post(forms::phone_code))
        .route("/me/notices", post(forms::set_notices))
        .route("/login", post(forms::login))
        .route("/login/code", post(forms::login_code))
        .route("/login/verify", post(forms::verify_sign_in))
        .route("/login/verify/resend", post(forms::verify_resend))
        .route("/auth/oidc/start", axum::routing::get(forms::oidc_start))
        .route(
            "/auth/oidc/callback",
            axum::routing::get(forms::oidc_callback),
        )
        .route("/auth/oidc/link", post(forms::oidc_link))
        .route("/auth/oidc/reclaim", post(forms::oidc_reclaim))
        .route("/identity-report", post(forms::identity_report))
        .route(
            "/staff/identity-cases/{id}",
            post(forms::decide_identity_case),
        )
        .route("/logout", post(forms::logout))
        .route("/me/groups", post(forms::declare_groups))
        .route("/me/delete", post(forms::delete_account))
        .route("/me/delete/code", post(forms::delete_code))
        .route("/courses/{code}/enroll", post(forms::enroll))
        .route("/verify", post(forms::verify))
        .route("/eligibility", post(forms::check))
        .route("/me/enrollments/{id}/cancel", post(forms::cancel))
        .route("/me/enrollments/{id}/rating", post(forms::rate))
        .route("/me/notifications/read", post(forms::mark_read))
        .route("/staff/enrollments/{id}/{action}", post(forms::staff))
        .route("/me/subsidies", post(forms::claim))
        .route("/me/disputes", post(forms::dispute))
        .route("/staff/subsidies/{id}/decision", post(forms::decide_claim))
        .route("/staff/disputes/{id}/resolve", post(forms::resolve_dispute))
        .route(
            "/staff/group-claims/{id}/decision",
            post(forms::decide_group),
        )
        .route("/staff/assessments", post(forms::assess))
        .route(
            "/staff/certificates/revoke",
            post(forms::revoke_certificate),
        )
        .route(
            "/staff/certificates/correct",
            post(forms::correct_certificate),
        )
        .route("/staff/recoveries/{id}", post(forms::decide_recovery))
        .route("/staff/payment-batches", post(forms::gather_batch))
        .route("/staff/payment-batches/{id}/paid", post(forms::batch_paid))
        .route("/staff/subsidies/{id}/returned", post(forms::returned))
        .route("/me/subsidies/{id}/payee", post(forms::change_claim_payee))
        .route(
            "/staff/catalog",
            post(forms::upload_catalog).layer(axum::extract::DefaultBodyLimit::max(
                app::catalog::import::MAX_FILE_BYTES + 64 * 1024,
            )),
        )
        .leptos_routes_with_context(&state, routes, page_context.clone(), page_shell)
        .nest("/pkg", pkg.with_state(()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(page_context, fallback_shell))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(axum::middleware::from_fn(crate::security::private_answers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::session::find_user,
        ))
        .layer(axum::middleware::from_fn(crate::security::same_site_writes))
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(axum::middleware::from_fn(crate::security::page_policy))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(move |req, next| {
            crate::security::headers(exposure.https, req, next)
        }))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        // The span of each request is made by `request::ids`, which is outermost.
        .layer(TraceLayer::new_for_http().make_span_with(|_: &Request<_>| tracing::Span::current()))
        .layer(axum::middleware::from_fn(crate::request::ids))
}

async fn immutable_when_ok<B>(mut response: Response<B>) -> Response<B> {
    if response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

/// Where and how the portal is served (`peixun serve`'s flags).
pub struct Listen {
    pub addr: SocketAddr,
    /// The metrics' own listener, if any.
    pub metrics: Option<SocketAddr>,
    pub site_root: std::path::PathBuf,
    pub exposure: Exposure,
    /// `--public-url`; else the address listened on.
    pub public_url: Option<String>,
    pub header_read_timeout: Duration,
    /// The unified identity service (its callback is filled in here).
    pub oidc: Option<crate::oidc::OidcConfig>,
    /// The SMS gateway (none: texts wait in the outbox).
    pub gateway: Option<crate::texts::Gateway>,
}

/// Serves the portal until Ctrl-C or SIGTERM.
pub async fn serve(listen: Listen, portal: Portal) -> std::io::Result<()> {
    let Listen {
        addr,
        metrics,
        site_root,
        exposure,
        public_url,
        header_read_timeout,
        oidc,
        gateway,
    } = listen;
    let site_root = site_root.as_path();
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let public_url = public_url.unwrap_or_else(|| {
        let scheme = if exposure.https { "https" } else { "http" };
        match local.ip().is_unspecified() {
            true => format!("{scheme}://localhost:{}", local.port()),
            false => format!("{scheme}://{local}"),
        }
    });
    let oidc = match oidc {
        Some(mut config) => {
            config.redirect = format!("{public_url}/auth/oidc/callback");
            let rp = crate::oidc::Oidc::new(config).map_err(std::io::Error::other)?;
            Some(std::sync::Arc::new(rp))
        }
        None => None,
    };
    let portal = portal.with_public_url(public_url);
    // Texts' links open the public address: the sender starts with it known.
    crate::texts::deliver(portal.clone(), gateway);
    sweep(portal.clone());
    watch_key_file(portal.clone());
    let app = router(portal, site_root, exposure, oidc);
    if let Some(at) = metrics {
        // Operations data on its own listener: the public one never serves it.
        let listener = tokio::net::TcpListener::bind(at).await?;
        tracing::info!("metrics at http://{}/metrics", listener.local_addr()?);
        let metrics = Router::new().route("/metrics", axum::routing::get(crate::metrics::render));
        tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, metrics).await {
                tracing::error!(%err, "the metrics listener stopped");
            }
        });
    }
    tracing::info!("listening on http://{local}");
    serve_connections(listener, app, header_read_timeout).await;
    Ok(())
}

/// The accept loop: `axum::serve` gives hyper no timer, so a client could take forever over
/// its headers and hold a connection each time (slowloris). Here hyper closes a connection
/// whose request headers have not all come within `header_read_timeout`. On Ctrl-C or SIGTERM
/// it stops accepting and lets requests in flight finish (for at most 30 seconds).
async fn serve_connections(listener: TcpListener, app: Router, header_read_timeout: Duration) {
    use hyper::server::conn::http1::Builder;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use tower::ServiceExt;
    // HTTP/1.1 only, as behind the TLS proxy (and as `axum::serve` did with axum's features).
    let mut builder = Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(%err, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(axum::body::Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request)
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or sends garbage ends only its own connection.
            if let Err(err) = connection.await {
                tracing::debug!(%err, "connection ended");
            }
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(30)) => {
            tracing::warn!("stopping with requests still in flight after 30 seconds");
        }
    }
}

/// Seconds between sweeps for work that falls due with time (the waiting lists of classes that
/// have started, sign-in counts that no longer matter); `PEIXUN_SWEEP_SECONDS` sets another (the test suite's servers sweep every
/// second). Every instance sweeps; the write lock and the checks under it make a second
/// instance's sweep find nothing left to do.
const SWEEP_SECONDS: u64 = 60;

fn sweep(portal: Portal) {
    let every = std::env::var("PEIXUN_SWEEP_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|s| *s > 0)
        .unwrap_or(SWEEP_SECONDS);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(every));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = app::enrollment::waitlist::release_started(&portal).await {
                tracing::warn!(%err, "cannot release the waiting lists of started classes");
            }
            if let Err(err) = app::throttle::store::purge(&portal.db, portal.clock.seconds()).await
            {
                tracing::warn!(%err, "cannot purge old sign-in counts");
            }
            if let Err(err) = app::accounts::phone_codes::purge(&portal).await {
                tracing::warn!(%err, "cannot purge old phone codes");
            }
            if let Err(err) = app::accounts::real_name_service::purge(&portal).await {
                tracing::warn!(%err, "cannot purge unfinished real-name sign-ins");
            }
        }
    });
}

/// Reads the key file again when it changes (`peixun rotate-key`), so a new key seals here
/// within seconds; a file whose hash key changed is refused and the ring in use kept.
fn watch_key_file(portal: Portal) {
    if portal.vault.path().is_none() {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(app::privacy::rotation::REFRESH);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match portal.vault.refresh() {
                Ok(true) => {
                    let ring = portal.vault.ring();
                    let key = ring.current().map(|k| k.id).unwrap_or_default();
                    tracing::info!(key, "the key file changed: sealing with key {key}");
                }
                Ok(false) => {}
                Err(err) => tracing::error!(%err, "cannot take the changed key file"),
            }
        }
    });
}

/// Finishes the requests in flight, then stops, on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
