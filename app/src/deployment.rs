//! What a deployment is configured with that its pages show.

/// The identifiers a Chinese government website shows in its footer, from configuration
/// (`--site-sponsor`, `--site-code`, `--icp`, `--public-security-record`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteIdentifiers {
    /// 主办单位.
    pub sponsor: Option<String>,
    /// 网站标识码 (the government-website code).
    pub site_code: Option<String>,
    /// ICP 备案号.
    pub icp: Option<String>,
    /// 公安备案号.
    pub public_security: Option<String>,
}
