//! The public JSON API, over real HTTP against a spawned server (../shared/docs/api.md).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Server;
use serde_json::Value;

#[tokio::test]
async fn healthz_answers_ok_and_readyz_checks_the_database() {
    let s = Server::start(&[]).await;
    let (status, body) = s.get_json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({"status": "ok"}));
    let (status, body) = s.get_json("/readyz").await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({"status": "ready"}));
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
    // The one course answer is the list's item plus its outcomes (nobody trained yet: hidden).
    let mut item = list["items"][0].clone();
    item["outcomes"] = course["outcomes"].clone();
    assert_eq!(course, item);
    assert_eq!(course["outcomes"]["enrolled"], serde_json::Value::Null);
    assert_eq!(course["outcomes"]["min_people"], 10);
    let (status, body) = s.get_json("/api/v1/courses/NO-SUCH-CODE").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    let (status, body) = s.get_json("/api/v1/no-such-endpoint").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn search_understands_chinese_pinyin_and_initials() {
    let s = Server::demo().await;
    let titles = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| format!("{} {}", i["title"], i["occupation"]))
            .collect()
    };
    let (status, zh) = s
        .get_json("/api/v1/courses?q=%E7%94%B5%E5%B7%A5&per_page=100")
        .await; // 电工
    assert_eq!(status, 200);
    assert!(zh["total"].as_u64().unwrap() > 0);
    for t in titles(&zh) {
        assert!(t.contains("电工"), "{t}");
    }
    let (_, pinyin) = s.get_json("/api/v1/courses?q=diangong&per_page=100").await;
    assert_eq!(
        titles(&pinyin).len(),
        titles(&zh).len(),
        "diangong finds the 电工 courses"
    );
    let (_, initials) = s.get_json("/api/v1/courses?q=dg&per_page=100").await;
    for t in titles(&zh) {
        assert!(titles(&initials).contains(&t), "dg also finds {t}");
    }
    let (_, elderly) = s
        .get_json("/api/v1/courses?q=%E5%85%BB%E8%80%81%E6%8A%A4%E7%90%86&per_page=100")
        .await; // 养老护理
    assert!(elderly["total"].as_u64().unwrap() > 0);
    for t in titles(&elderly) {
        assert!(t.contains("养老护理"), "{t}");
    }
    let (_, tea) = s.get_json("/api/v1/courses?q=cys&per_page=100").await;
    assert!(titles(&tea).iter().any(|t| t.contains("茶艺师")));
    let (_, none) = s
        .get_json("/api/v1/courses?q=%E9%92%A2%E7%90%B4%E8%B0%83%E5%BE%8B")
        .await; // 钢琴调律
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn group_filter_keeps_courses_open_to_that_group_or_all() {
    let s = Server::demo().await;
    let (_, veterans) = s
        .get_json("/api/v1/courses?group=veteran&per_page=100")
        .await;
    assert!(veterans["total"].as_u64().unwrap() > 0);
    for item in veterans["items"].as_array().unwrap() {
        let groups: Vec<&str> = item["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap())
            .collect();
        assert!(
            groups.contains(&"all") || groups.contains(&"veteran"),
            "{groups:?}"
        );
    }
    let (_, facets) = s.get_json("/api/v1/courses?city=510100").await;
    for facet in [
        "industry",
        "city",
        "district",
        "class_format",
        "class_type",
        "level",
        "accessibility",
        "free",
        "has_seats",
    ] {
        assert!(facets["facets"][facet].is_object(), "facet {facet}");
    }
}

#[tokio::test]
async fn meta_lists_every_enumeration_in_both_languages() {
    let s = Server::start(&[]).await;
    let (status, meta) = s.get_json("/api/v1/meta").await;
    assert_eq!(status, 200);
    let sizes = [
        ("industry", 10),
        ("group", 11),
        ("level", 9),
        ("certificate_type", 5),
        ("class_format", 6),
        ("class_type", 5),
        ("accessibility", 5),
        ("city", 21),
    ];
    for (name, n) in sizes {
        let list = meta[name].as_array().unwrap_or_else(|| panic!("{name}"));
        assert_eq!(list.len(), n, "{name}");
        for v in list {
            assert!(
                v["code"].is_string() && v["zh-CN"].is_string() && v["en"].is_string(),
                "{v}"
            );
        }
    }
    assert_eq!(
        meta["city"][0],
        serde_json::json!({"code": "510100", "zh-CN": "成都市", "en": "Chengdu"})
    );
}

#[tokio::test]
async fn institutions_list_and_detail() {
    let s = Server::demo().await;
    let (status, list) = s
        .get_json("/api/v1/institutions?city=510700&per_page=100")
        .await;
    assert_eq!(status, 200);
    let items = list["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert_eq!(list["total"].as_u64().unwrap() as usize, items.len());
    for i in items {
        assert_eq!(i["city"], "510700");
        assert!(i["courses"].as_u64().unwrap() >= 1);
    }
    let code = items[0]["code"].as_str().unwrap();
    let (status, one) = s.get_json(&format!("/api/v1/institutions/{code}")).await;
    assert_eq!(status, 200);
    assert_eq!(one["name"], items[0]["name"]);
    assert_eq!(
        one["course_list"].as_array().unwrap().len() as u64,
        items[0]["courses"].as_u64().unwrap()
    );
    let (status, _) = s.get_json("/api/v1/institutions/NOPE").await;
    assert_eq!(status, 404);
    let (status, body) = s.get_json("/api/v1/institutions?city=chengdu").await;
    assert_eq!(status, 400);
    assert!(body["error"]["fields"]["city"].is_string());
}

#[tokio::test]
async fn the_openapi_document_lists_every_public_path_and_each_answers() {
    let s = Server::demo().await;
    let (status, doc) = s.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    // Enumerations are documented by the codes the API speaks.
    let cities = doc["components"]["schemas"]["City"]["enum"]
        .as_array()
        .unwrap();
    assert!(cities.contains(&serde_json::json!("510100")), "{cities:?}");
    assert_eq!(cities.len(), 21);
    // Every signed-in operation documents 401; every JSON body its 400 (a malformed body,
    // named field by field) and 415; 422 only where a rule may refuse.
    let enroll = &doc["paths"]["/api/v1/courses/{code}/enroll"]["post"]["responses"];
    assert!(enroll["401"].is_object(), "{enroll}");
    assert!(enroll["422"].is_object(), "{enroll}");
    let register = &doc["paths"]["/api/v1/auth/register"]["post"]["responses"];
    for code in ["400", "415"] {
        assert!(register[code].is_object(), "{code} in {register}");
    }
    assert!(register["422"].is_null(), "{register}");
    // Code generators need one operationId per operation, and parameters where they are.
    let mut ids = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            if let Some(other) = ids.insert(id.clone(), format!("{method} {path}")) {
                panic!("operationId {id} twice: {other} and {method} {path}");
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    let name = p["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{name} is no path parameter of {path}"
                    );
                }
            }
        }
    }
    let paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    for expected in [
        "/healthz",
        "/readyz",
        "/api/v1/meta",
        "/api/v1/courses",
        "/api/v1/courses/{code}",
        "/api/v1/institutions",
        "/api/v1/institutions/{code}",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} missing from {paths:?}"
        );
    }
    let (_, list) = s.get_json("/api/v1/courses?per_page=1").await;
    let course = list["items"][0]["code"].as_str().unwrap().to_string();
    let institution = list["items"][0]["institution_code"]
        .as_str()
        .unwrap()
        .to_string();
    // Every documented operation exists: public reads answer 200; the others answer, at
    // worst, that the caller is not signed in or sent nothing — never 404 or 405.
    for path in &paths {
        let concrete = path
            .replace(
                "{code}",
                if path.contains("institutions") {
                    &institution
                } else {
                    &course
                },
            )
            .replace("{id}", "1");
        for method in doc["paths"][path].as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = s
                .client
                .request(m.clone(), s.url(&concrete))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let public = [
                "/api/v1/courses",
                "/api/v1/institutions",
                "/api/v1/meta",
                "/healthz",
            ]
            .iter()
            .any(|p| path.starts_with(p))
                && method == "get";
            if public {
                assert_eq!(status, 200, "{method} {concrete}");
            } else {
                assert!(
                    ![404, 405].contains(&status) && status < 500,
                    "{method} {concrete} answers {status}"
                );
            }
        }
    }
    for expected in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/me/groups",
        "/api/v1/me/export",
        "/api/v1/staff/catalog/import",
    ] {
        assert!(paths.iter().any(|p| p == expected), "{expected} missing");
    }
    let params: Vec<&str> = doc["paths"]["/api/v1/courses"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "q",
        "industry",
        "city",
        "group",
        "level",
        "class_format",
        "class_type",
        "accessibility",
        "free",
        "has_seats",
        "starts_after",
        "starts_before",
        "sort",
        "page",
        "per_page",
    ] {
        assert!(params.contains(&p), "parameter {p} documented");
    }
}

#[tokio::test]
async fn other_sites_may_read_the_api_from_the_browser() {
    let s = Server::demo().await;
    let r = s
        .client
        .get(s.url("/api/v1/courses"))
        .header("Origin", "https://www.sczwfw.gov.cn")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let r = s
        .client
        .get(s.url("/api/openapi.json"))
        .header("Origin", "https://example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn malformed_paths_and_methods_still_answer_json_4xx() {
    let s = Server::demo().await;
    let r = s
        .client
        .post(s.url("/api/v1/courses"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["code"].is_string());
    let r = s.get("/api/v1/courses/%FF%FE").await;
    assert!(r.status().is_client_error(), "{}", r.status());
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["code"].is_string());
}

#[tokio::test]
async fn a_running_server_picks_up_a_catalogue_imported_by_another_process() {
    let s = Server::start(&[]).await;
    let (_, before) = s.get_json("/api/v1/courses").await;
    assert_eq!(before["total"], 0);
    let db = common::database_url(s.dir.path());
    let out = common::peixun(&[
        "import-catalog",
        common::fixture("sample-catalog.csv").to_str().unwrap(),
        "--database-url",
        &db,
    ]);
    assert!(out.status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let (_, now) = s.get_json("/api/v1/courses?q=%E7%94%B5%E5%B7%A5").await; // 电工
        if now["total"] == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the import never showed: {now}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
