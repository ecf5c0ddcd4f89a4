//! What every handler shares: the portal (the service layer's handle), the page shell's
//! settings, and how the server is exposed.

use app::portal::Portal;
use app::site::Assets;
use axum::extract::FromRef;
use axum::http::HeaderMap;
use leptos::prelude::LeptosOptions;
use std::net::{IpAddr, SocketAddr};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub portal: Portal,
    pub assets: Assets,
    /// Served over HTTPS (behind a TLS proxy): Secure cookies and HSTS.
    #[from_ref(skip)]
    pub https: bool,
    /// Behind this many proxies (0: none): see `client_address`.
    #[from_ref(skip)]
    pub trust_proxy: u8,
    /// The unified identity service, when configured.
    #[from_ref(skip)]
    pub oidc: Option<std::sync::Arc<crate::oidc::Oidc>>,
}

/// How the server is exposed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exposure {
    pub https: bool,
    pub trust_proxy: u8,
}

/// The caller, as per-address limits count it (`app::throttle::client_key`).
pub fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    app::throttle::client_key(client_ip(state.trust_proxy, peer.ip(), headers))
}

/// The client's address behind `hops` trusted proxies. Each proxy appends the address it saw
/// to `X-Forwarded-For`, so reading from the right, each trusted hop names the next one out;
/// whatever lies further left was written by the client. An entry that is no address ends the
/// walk at the last hop known.
pub fn client_ip(hops: u8, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev().take(usize::from(hops)) {
        match parse_ip(entry) {
            Some(ip) => client = ip,
            None => break,
        }
    }
    client
}

/// An address as proxies write it: `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443`,
/// `203.0.113.7:5000`.
fn parse_ip(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(hops: u8, chain: &[&str]) -> String {
        let mut headers = HeaderMap::new();
        for value in chain {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        client_ip(hops, "10.0.0.1".parse().unwrap(), &headers).to_string()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        assert_eq!(client(0, &["203.0.113.7"]), "10.0.0.1");
    }

    #[test]
    fn the_entry_the_trusted_proxy_appended_is_the_client() {
        assert_eq!(client(1, &["1.1.1.1, 203.0.113.7"]), "203.0.113.7");
        assert_eq!(client(1, &["1.1.1.1", "203.0.113.7"]), "203.0.113.7");
        assert_eq!(
            client(2, &["1.1.1.1, 203.0.113.7, 10.2.2.2"]),
            "203.0.113.7"
        );
        assert_eq!(client(1, &["[2001:db8::1]:443"]), "2001:db8::1");
        assert_eq!(client(1, &["198.51.100.3:5000"]), "198.51.100.3");
    }

    #[test]
    fn fewer_entries_than_proxies_or_a_bad_one_stop_at_the_last_hop_known() {
        assert_eq!(client(3, &["203.0.113.7"]), "203.0.113.7");
        assert_eq!(client(1, &[]), "10.0.0.1");
        assert_eq!(client(1, &["203.0.113.7, not-an-address"]), "10.0.0.1");
        assert_eq!(client(2, &["not-an-address, 10.2.2.2"]), "10.2.2.2");
    }
}
