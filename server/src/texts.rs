//! The sender: hands the outbox's texts to the deployment's SMS gateway (`--sms-gateway`), as
//! `POST` JSON `{"phone", "template", "params"}` with `Authorization: Bearer TOKEN` and an
//! `Idempotency-Key` (the same on every try of one text). A text the gateway took (2xx) is
//! marked sent and never sent again; any other answer, or none, is tried again later with
//! backoff until the text no longer matters. Every instance sends: a text is leased to one at
//! a time (see `app::texts::store::lease_due`).

use app::portal::Portal;
use std::time::Duration;

/// Where texts go.
#[derive(Clone)]
pub struct Gateway {
    pub url: String,
    pub token: String,
}

/// How often the outbox is looked at besides when this instance queues a text (retries, and
/// texts other instances queued).
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// Starts the sender (and the outbox's sweep). Without a gateway, texts stay in the outbox.
pub fn deliver(portal: Portal, gateway: Option<Gateway>) {
    tokio::spawn(async move {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("peixun/", env!("CARGO_PKG_VERSION")))
            .build();
        let client = match client {
            Ok(c) => c,
            Err(err) => {
                tracing::error!(%err, "cannot build the SMS gateway's client: no texts are sent");
                return;
            }
        };
        let mut swept = std::time::Instant::now();
        loop {
            tokio::select! {
                () = portal.texts_ready.notified() => {}
                () = tokio::time::sleep(LOOK_EVERY) => {}
            }
            if let Err(err) = app::texts::service::queue_notices(&portal).await {
                tracing::warn!(%err, "cannot queue the notices owed as texts");
            }
            if let Some(gateway) = &gateway {
                if let Err(err) = send_due(&portal, &client, gateway).await {
                    tracing::warn!(%err, "cannot read the outbox");
                }
            }
            if swept.elapsed() > Duration::from_secs(60) {
                swept = std::time::Instant::now();
                if let Err(err) = app::texts::service::sweep(&portal).await {
                    tracing::warn!(%err, "cannot sweep the outbox");
                }
            }
        }
    });
}

async fn send_due(
    portal: &Portal,
    client: &reqwest::Client,
    gateway: &Gateway,
) -> app::error::AppResult<()> {
    loop {
        let due = app::texts::service::lease(portal, 20).await?;
        if due.is_empty() {
            return Ok(());
        }
        for text in due {
            let body = serde_json::json!({
                "phone": text.phone,
                "template": text.template,
                "params": text.params,
            });
            let answer = client
                .post(&gateway.url)
                .bearer_auth(&gateway.token)
                .header("idempotency-key", format!("peixun-text-{}", text.id))
                .json(&body)
                .send()
                .await;
            match answer {
                Ok(r) if r.status().is_success() => {
                    app::texts::service::delivered(portal, text.id).await?;
                    metrics::counter!("peixun_texts_total", "result" => "sent").increment(1);
                }
                Ok(r) => {
                    let error = format!("the gateway answered HTTP {}", r.status().as_u16());
                    tracing::warn!(text = text.id, %error, "a text was not taken; tried again later");
                    app::texts::service::refused(portal, text.id, text.attempts, &error).await?;
                    metrics::counter!("peixun_texts_total", "result" => "refused").increment(1);
                }
                Err(err) => {
                    let error = err.without_url().to_string();
                    tracing::warn!(text = text.id, %error, "the gateway cannot be reached; tried again later");
                    app::texts::service::refused(portal, text.id, text.attempts, &error).await?;
                    metrics::counter!("peixun_texts_total", "result" => "unreachable").increment(1);
                }
            }
        }
    }
}
