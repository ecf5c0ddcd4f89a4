//! A person's rights over their data (PIPL arts. 45 and 47): download everything held about
//! them, and delete their account. Both read or touch every domain, so they live above them.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod reseal;
#[cfg(feature = "ssr")]
pub mod rotation;
#[cfg(feature = "ssr")]
pub mod service;
