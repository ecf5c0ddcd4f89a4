//! The demo catalogue that ships inside the binary (`data/demo-catalog.csv`), loaded by
//! `peixun serve --demo` into an empty catalogue and marked as demo data on every page.

use app::catalog::import::{self, FileKind};
use app::catalog::service::{self, ImportOptions};
use app::error::AppError;

pub const DEMO_CATALOG: &[u8] = include_bytes!("../data/demo-catalog.csv");

/// Demo data only goes into a demo database: one whose courses, if any, are all demo courses.
/// A real catalogue never gets the demo accounts (their password is published).
pub async fn refuse_real(portal: &app::portal::Portal) -> Result<(), String> {
    let real = service::real_count(portal)
        .await
        .map_err(|e| e.to_string())?;
    if real == 0 {
        return Ok(());
    }
    Err(format!(
        "this database holds {real} real courses: demo mode and demo accounts are refused on it \
         (start without --demo) / 该数据库有 {real} 个正式课程，不能使用演示模式或演示账号（请去掉 --demo 启动）"
    ))
}

pub async fn load_if_empty(portal: &app::portal::Portal) -> Result<(), String> {
    refuse_real(portal).await?;
    if service::count(portal).await.map_err(|e| e.to_string())? > 0 {
        return move_on(portal).await;
    }
    let parsed = import::parse(DEMO_CATALOG, FileKind::Csv);
    let options = ImportOptions {
        demo: true,
        ..Default::default()
    };
    match service::import(portal, parsed, options).await {
        Ok(report) => {
            tracing::info!(created = report.created, "demo catalogue loaded");
            move_on(portal).await
        }
        Err(AppError::FileRefused { problems, .. }) => Err(problems
            .iter()
            .map(|p| p.message_en.clone())
            .collect::<Vec<_>>()
            .join("; ")),
        Err(err) => Err(err.to_string()),
    }
}

/// The demo's classes open from today (see `service::move_demo_on`).
async fn move_on(portal: &app::portal::Portal) -> Result<(), String> {
    let moved = service::move_demo_on(portal)
        .await
        .map_err(|e| e.to_string())?;
    if moved > 0 {
        tracing::info!(moved, "demo classes moved on to open from today");
    }
    Ok(())
}

/// The demo accounts, one per role (listed in the README). Demo data only: never on a real
/// deployment.
pub const DEMO_PASSWORD: &str = "peixun-demo-2026";

pub async fn create_accounts(portal: &app::portal::Portal) -> Result<usize, String> {
    refuse_real(portal).await?;
    use app::access::Role;
    use app::accounts::service::create_account;
    use app::accounts::NewAccount;
    let institution = institution_of_first_course(portal).await;
    let accounts = [
        (
            Role::Trainee,
            "13900000001",
            "张小培",
            None,
            None,
            None,
            Some("510104199003071237"),
        ),
        (
            Role::InstitutionStaff,
            "13900000002",
            "李承训",
            Some(institution),
            None,
            None,
            None,
        ),
        (
            Role::Evaluator,
            "13900000003",
            "王评价",
            None,
            Some("成都市职业技能评价中心（示例）".to_string()),
            None,
            None,
        ),
        (
            Role::HrOfficer,
            "13900000004",
            "赵人社",
            None,
            None,
            Some("510100".to_string()),
            None,
        ),
        (Role::Admin, "13900000005", "管理员", None, None, None, None),
    ];
    let mut created = 0;
    for (role, phone, name, institution, evaluation_org, city, id_number) in accounts {
        let account = NewAccount {
            role,
            phone: phone.into(),
            password: DEMO_PASSWORD.into(),
            name: name.into(),
            institution,
            evaluation_org,
            city,
            id_number: id_number.map(str::to_string),
        };
        match create_account(portal, account).await {
            Ok(_) => created += 1,
            Err(app::error::AppError::Conflict(_)) => {}
            Err(e) => return Err(format!("{e}")),
        }
    }
    Ok(created)
}

/// The demo institution account works for 成都天府技能实训基地（示例）, the institution of the
/// demo catalogue's first course (CD-2026-0001, also CD-2026-0010), or, when another catalogue
/// is loaded, of the first course listed.
async fn institution_of_first_course(portal: &app::portal::Portal) -> String {
    if let Ok(course) = service::get(portal, "CD-2026-0001").await {
        return course.institution_code;
    }
    let list = service::search(
        portal,
        &app::catalog::CourseQuery {
            per_page: 1,
            ..Default::default()
        },
    )
    .await;
    list.ok()
        .and_then(|l| l.items.first().map(|c| c.institution_code.clone()))
        .unwrap_or_else(|| "91510100MA6C000001".to_string())
}
