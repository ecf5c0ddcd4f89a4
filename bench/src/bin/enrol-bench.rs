//! The enrolment benchmark (`make bench`): PEOPLE signed-in trainees press "enrol" on one class
//! of CAPACITY seats at the same moment, over HTTP against the release `peixun` on SQLite (or
//! PostgreSQL with `BENCH_POSTGRES`).
//! Reports enrolments committed per second with p50/p99, beside the same server's `/healthz`
//! fired the same way as the baseline, and checks in its own output that the seats sold equal
//! the capacity (0 oversold) and that the waiting list is 1..=PEOPLE-CAPACITY.
//!
//! `cargo run --release -p peixun-bench --bin enrol-bench -- [PEOPLE] [CAPACITY]`

use app::access::Role;
use app::accounts::service as accounts;
use app::accounts::NewAccount;
use app::catalog::import::{self, FileKind};
use app::catalog::service::{self as catalog, ImportOptions};
use app::portal::Portal;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const CONNECTIONS: usize = 64;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A valid identity number for person `n`: a birth day per thousand people, a sequence number
/// within it, and the check character from the app's own rule.
fn id_number(n: usize) -> String {
    let day = 1 + (n / 1000) % 28;
    let first17 = format!("510104199003{day:02}{:03}", n % 1000);
    let mut digits = [0u8; 17];
    for (d, b) in digits.iter_mut().zip(first17.bytes()) {
        *d = b - b'0';
    }
    format!("{first17}{}", app::identity::check_character(&digits))
}

struct Shot {
    status: u16,
    body: serde_json::Value,
    took: Duration,
}

/// Fires one request per item, all at once, at most CONNECTIONS in flight.
async fn fire(requests: Vec<reqwest::RequestBuilder>) -> (Vec<Shot>, Duration) {
    let gate = Arc::new(Semaphore::new(CONNECTIONS));
    let started = Instant::now();
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|r| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.ok();
                let t = Instant::now();
                let (status, body) = match r.send().await {
                    Ok(resp) => (
                        resp.status().as_u16(),
                        resp.json().await.unwrap_or(serde_json::Value::Null),
                    ),
                    Err(_) => (0, serde_json::Value::Null),
                };
                Shot {
                    status,
                    body,
                    took: t.elapsed(),
                }
            })
        })
        .collect();
    let mut shots = Vec::with_capacity(tasks.len());
    for t in tasks {
        if let Ok(shot) = t.await {
            shots.push(shot);
        }
    }
    (shots, started.elapsed())
}

fn row(name: &str, shots: &[Shot], wall: Duration, baseline: Option<f64>) -> f64 {
    let mut times: Vec<Duration> = shots.iter().map(|s| s.took).collect();
    times.sort();
    let rate = shots.len() as f64 / wall.as_secs_f64();
    let ratio = baseline.map_or("1.00".to_string(), |b| format!("{:.2}", rate / b));
    println!(
        "| {name} | {} | {rate:.0} | {} | {} | {ratio} |",
        shots.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    );
    rate
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let people: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1000);
    let capacity: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(500);
    let dir = tempfile::tempdir()?;
    let url = peixun_bench::bench_database("enrol", dir.path()).await?;
    let backend = peixun_bench::backend_name(&url);
    println!(
        "# Enrolment benchmark: {people} people, one class of {capacity} seats, {backend}, {} cores",
        std::thread::available_parallelism()?.get()
    );

    let portal = Portal::open(
        &url,
        app::accounts::vault::Vault::from_base64(peixun_bench::BENCH_KEY)?,
        app::portal::Settings::default(),
    )
    .await?;
    let csv = format!(
        "code,title,occupation,industry,city,institution_code,institution,level,certificate_type,\
         class_format,groups,hours,start_date,end_date,capacity,fee_yuan,subsidy_yuan,address\n\
         BENCH-1,电工（初级）压测班,电工,advanced_manufacturing,510100,BENCH,压测学校,level5,\
         skill_level,night,all,100,2030-03-01,2030-04-30,{capacity},1800,1000,成都市\n"
    );
    catalog::import(
        &portal,
        import::parse(csv.as_bytes(), FileKind::Csv),
        ImportOptions::default(),
    )
    .await
    .map_err(|e| format!("import failed: {e:?}"))?;

    // Accounts are made in-process (each one hashes a password); only their sessions are
    // needed for the run.
    let started = Instant::now();
    let mut cookies = Vec::with_capacity(people);
    for n in 0..people {
        let id = accounts::create_account(
            &portal,
            NewAccount {
                role: Role::Trainee,
                phone: format!("137{n:08}"),
                password: "bench password 1".into(),
                name: "压测学员".into(),
                institution: None,
                evaluation_org: None,
                city: None,
                id_number: Some(id_number(n)),
            },
        )
        .await
        .map_err(|e| format!("account {n}: {e:?}"))?;
        let token = app::accounts::sessions::start(&portal, id).await?;
        cookies.push(format!("peixun_session={}", token.0));
    }
    println!(
        "(set-up: {people} accounts in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    drop(portal);

    let server = peixun_bench::ServerUnderTest::start(&url, 3991)?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()?;
    let outcome = if server.ready(&client, "/healthz").await {
        run(&client, &server.base, &cookies, capacity, backend).await
    } else {
        Err("the server did not become ready".to_string())
    };
    drop(server);
    outcome.map_err(Into::into)
}

async fn run(
    client: &reqwest::Client,
    base: &str,
    cookies: &[String],
    capacity: usize,
    backend: &str,
) -> Result<(), String> {
    let people = cookies.len();
    let health: Vec<_> = (0..people)
        .map(|_| client.get(format!("{base}/healthz")))
        .collect();
    let (health_shots, health_wall) = fire(health).await;
    let enrol: Vec<_> = cookies
        .iter()
        .map(|c| {
            client
                .post(format!("{base}/api/v1/courses/BENCH-1/enroll"))
                .header("cookie", c)
                .header("content-type", "application/json")
                .body("{}")
        })
        .collect();
    let (shots, wall) = fire(enrol).await;

    println!("\n## {people} requests at once, at most {CONNECTIONS} in flight (release `peixun`, {backend})");
    println!(
        "| request | count | per second | p50 | p99 | vs /healthz |\n|---|---|---|---|---|---|"
    );
    let baseline = row(
        "`GET /healthz` (baseline)",
        &health_shots,
        health_wall,
        None,
    );
    row(
        "`POST /api/v1/courses/{code}/enroll`",
        &shots,
        wall,
        Some(baseline),
    );

    let approved = shots
        .iter()
        .filter(|s| s.status == 201 && s.body["status"] == "approved")
        .count();
    let mut positions: Vec<u64> = shots
        .iter()
        .filter(|s| s.status == 201 && s.body["status"] == "waitlisted")
        .filter_map(|s| s.body["waitlist_position"].as_u64())
        .collect();
    positions.sort_unstable();
    let failed = shots.iter().filter(|s| s.status != 201).count();
    let course = peixun_bench::get_json(client, &format!("{base}/api/v1/courses/BENCH-1")).await?;
    let seats_left = course["seats_left"].as_u64().unwrap_or(u64::MAX);
    let sold = capacity.saturating_sub(usize::try_from(seats_left).unwrap_or(capacity));
    let expected: Vec<u64> = (1..=(people.saturating_sub(capacity)) as u64).collect();
    let oversold = approved.saturating_sub(capacity);
    println!(
        "\nseats sold: {sold} of {capacity} (approved answers: {approved}); oversold: {oversold}; \
         waiting list 1..={}: {}; failed requests: {failed}",
        expected.len(),
        if positions == expected { "yes" } else { "NO" }
    );
    if approved != capacity.min(people) || sold != approved || positions != expected || failed > 0 {
        return Err(
            "CHECK FAILED: seats sold must equal the capacity, the waiting list must be 1..=N"
                .into(),
        );
    }
    println!("check: seats sold == capacity, 0 oversold");
    Ok(())
}
