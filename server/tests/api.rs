//! The public JSON API, over real HTTP against a spawned server (../shared/docs/api.md).

mod common;

use common::Server;
use serde_json::Value;

#[tokio::test]
async fn healthz_answers_ok() {
    let s = Server::start(&[]).await;
    let (status, body) = s.get_json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

#[tokio::test]
async fn course_list_has_the_contract_shape() {
    let s = Server::demo().await;
    let (status, body) = s.get_json("/api/v1/courses").await;
    assert_eq!(status, 200);
    assert_eq!(body["page"], 1);
    assert_eq!(body["per_page"], 20);
    assert!(
        body["total"].as_u64().unwrap() >= 300,
        "demo catalogue has at least 300 items"
    );
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let course = &items[0];
    for field in [
        "code",
        "title",
        "occupation",
        "industry",
        "city",
        "institution",
        "level",
        "certificate_type",
        "class_format",
        "class_type",
        "groups",
        "hours",
        "start_date",
        "end_date",
        "enroll_deadline",
        "capacity",
        "seats_left",
        "fee_yuan",
        "subsidy_yuan",
        "accessibility",
        "address",
    ] {
        assert!(!course[field].is_null(), "field {field} is present");
    }
    assert!(
        course["fee_yuan"].as_str().unwrap().contains('.'),
        "money is a decimal string"
    );
    let facets = &body["facets"];
    assert_eq!(
        facets["industry"].as_object().unwrap().len(),
        10,
        "all ten areas have courses"
    );
    assert_eq!(
        facets["city"].as_object().unwrap().len(),
        21,
        "all 21 cities have courses"
    );
    let city_sum: u64 = facets["city"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(city_sum, body["total"].as_u64().unwrap());
}

#[tokio::test]
async fn filters_combine_as_or_within_a_facet_and_and_across() {
    let s = Server::demo().await;
    let (_, chengdu) = s.get_json("/api/v1/courses?city=510100&per_page=100").await;
    let (_, mianyang) = s.get_json("/api/v1/courses?city=510700&per_page=100").await;
    let (_, both) = s
        .get_json("/api/v1/courses?city=510100&city=510700&per_page=100")
        .await;
    let n = |v: &Value| v["total"].as_u64().unwrap();
    assert!(n(&chengdu) > 0 && n(&mianyang) > 0);
    assert_eq!(n(&both), n(&chengdu) + n(&mianyang));
    for item in both["items"].as_array().unwrap() {
        assert!(["510100", "510700"].contains(&item["city"].as_str().unwrap()));
    }
    // The city facet still counts the other cities, so a visitor sees what widening would give.
    assert_eq!(
        both["facets"]["city"]["510300"],
        chengdu["facets"]["city"]["510300"]
    );

    let (_, narrowed) = s
        .get_json("/api/v1/courses?city=510100&industry=elderly_childcare&per_page=100")
        .await;
    assert!(n(&narrowed) < n(&chengdu));
    for item in narrowed["items"].as_array().unwrap() {
        assert_eq!(item["city"], "510100");
        assert_eq!(item["industry"], "elderly_childcare");
    }
}

#[tokio::test]
async fn pages_do_not_overlap_and_sorting_by_subsidy_descends() {
    let s = Server::demo().await;
    let (_, p1) = s.get_json("/api/v1/courses?per_page=5&page=1").await;
    let (_, p2) = s.get_json("/api/v1/courses?per_page=5&page=2").await;
    let codes = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let (a, b) = (codes(&p1), codes(&p2));
    assert_eq!(a.len(), 5);
    assert!(a.iter().all(|c| !b.contains(c)));
    let (_, by_subsidy) = s.get_json("/api/v1/courses?sort=subsidy&per_page=50").await;
    let amounts: Vec<f64> = by_subsidy["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["subsidy_yuan"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");
    let (_, far) = s.get_json("/api/v1/courses?page=999").await;
    assert_eq!(far["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn bad_query_parameters_get_400_naming_each_field() {
    let s = Server::demo().await;
    let (status, body) = s
        .get_json("/api/v1/courses?per_page=101&industry=mining&free=perhaps&bogus=1")
        .await;
    assert_eq!(status, 400);
    let error = &body["error"];
    assert_eq!(error["code"], "invalid_request");
    assert!(!error["message"].as_str().unwrap().is_empty());
    for field in ["per_page", "industry", "free", "bogus"] {
        assert!(
            error["fields"][field].is_string(),
            "field {field} is named: {body}"
        );
        assert!(error["fields_en"][field].is_string());
    }
    // Nonsense that could trip a parser still gets a 4xx, never a 5xx.
    for q in [
        "page=-1",
        "page=99999999999999999999",
        "starts_after=2026-02-30",
        "q=%FF%FE",
        "city=%00",
        "sort=",
    ] {
        let status = s
            .get(&format!("/api/v1/courses?{q}"))
            .await
            .status()
            .as_u16();
        assert!(status == 200 || status == 400, "{q} gave {status}");
    }
}

#[tokio::test]
async fn one_course_by_code_and_unknown_codes_are_404_json() {
    let s = Server::demo().await;
    let (_, list) = s.get_json("/api/v1/courses?per_page=1").await;
    let code = list["items"][0]["code"].as_str().unwrap().to_string();
    let (status, course) = s.get_json(&format!("/api/v1/courses/{code}")).await;
    assert_eq!(status, 200);
    assert_eq!(course["code"], code.as_str());
    assert_eq!(course, list["items"][0]);
    let (status, body) = s.get_json("/api/v1/courses/NO-SUCH-CODE").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, body) = s.get_json("/api/v1/no-such-endpoint").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}
