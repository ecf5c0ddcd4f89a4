//! `GET /api/v1/meta`: every enumeration with its zh-CN and en labels.

use app::reference::{
    Accessibility, CertificateType, City, ClassFormat, ClassType, Enumeration, Group, Industry,
    Level,
};
use axum::Json;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Label {
    code: &'static str,
    #[serde(rename = "zh-CN")]
    zh_cn: &'static str,
    en: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Meta {
    industry: Vec<Label>,
    group: Vec<Label>,
    level: Vec<Label>,
    certificate_type: Vec<Label>,
    class_format: Vec<Label>,
    class_type: Vec<Label>,
    accessibility: Vec<Label>,
    city: Vec<Label>,
}

fn labels<E: Enumeration>() -> Vec<Label> {
    E::all()
        .iter()
        .map(|v| Label {
            code: v.code(),
            zh_cn: v.zh(),
            en: v.en(),
        })
        .collect()
}

/// The enumerations of the API, each value with its zh-CN and en label.
#[utoipa::path(
    get,
    path = "/meta",
    tag = "reference",
    responses((status = 200, description = "Every enumeration", body = Meta))
)]
pub async fn meta() -> Json<Meta> {
    Json(Meta {
        industry: labels::<Industry>(),
        group: labels::<Group>(),
        level: labels::<Level>(),
        certificate_type: labels::<CertificateType>(),
        class_format: labels::<ClassFormat>(),
        class_type: labels::<ClassType>(),
        accessibility: labels::<Accessibility>(),
        city: labels::<City>(),
    })
}
