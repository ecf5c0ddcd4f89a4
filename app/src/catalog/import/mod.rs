//! Reading a city's catalogue spreadsheet (../shared/docs/catalog-format.md): CSV in UTF-8 or
//! GB18030/GBK, or XLSX; English or Chinese headers; every problem reported with its
//! spreadsheet line and column. This module only reads and checks (`read`: the file into
//! rows of text; `row`: a row into a course); `service` stores.

mod read;
mod row;

use super::Course;
use crate::i18n::Locale;
use leptos_i18n::td_string;
use read::{map_header, read_csv, read_xlsx};
use row::{read_item, RowReader};
use serde::Serialize;
use std::collections::HashMap;

pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_ROWS: usize = 100_000;

/// The kind of file, told by its name or content type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    /// From a file name (`.csv`, `.xlsx`); XLSX is also recognised by its ZIP signature.
    pub fn detect(name: &str, bytes: &[u8]) -> FileKind {
        if name.to_ascii_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
            FileKind::Xlsx
        } else {
            FileKind::Csv
        }
    }
}

/// The columns of the format: English name, Chinese name, required.
pub(super) const COLUMNS: &[(&str, &str, bool)] = &[
    ("code", "项目编号", true),
    ("title", "项目名称", true),
    ("occupation", "职业(工种)", true),
    ("occupation_code", "职业编码", false),
    ("industry", "行业领域", true),
    ("city", "市州", true),
    ("district", "区县", false),
    ("institution_code", "承训机构代码", true),
    ("institution", "承训机构", true),
    ("evaluation_org", "评价机构", false),
    ("evaluation_org_code", "评价机构代码", false),
    ("level", "培训等级", true),
    ("certificate_type", "证书类型", true),
    ("class_format", "班型", true),
    ("class_type", "办班类型", false),
    ("groups", "面向群体", true),
    ("min_age", "最低年龄", false),
    ("max_age", "最高年龄", false),
    ("hours", "课时", true),
    ("start_date", "开班日期", true),
    ("end_date", "结业日期", true),
    ("enroll_deadline", "报名截止", false),
    ("capacity", "计划人数", true),
    ("fee_yuan", "培训费(元)", true),
    ("subsidy_yuan", "补贴标准(元)", true),
    ("accessibility", "无障碍", false),
    ("address", "培训地址", true),
    ("contact_phone", "联系电话", false),
    ("description", "项目简介", false),
];

/// A validated catalogue row, ready to be stored: the course it describes and its line in
/// the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogItem {
    /// The spreadsheet line (the header is line 1).
    pub line: usize,
    pub course: Course,
}

impl From<CatalogItem> for Course {
    fn from(item: CatalogItem) -> Course {
        item.course
    }
}

/// What is wrong with a cell, a row or the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    FileTooLarge,
    TooManyRows,
    TooManyColumns { max: usize },
    TooMuchData { mb: u64 },
    Unreadable,
    Empty,
    MissingColumn,
    DuplicateColumn,
    UnknownColumn,
    Required,
    BadCode,
    TooLong { max: usize },
    UnknownValue { value: String },
    NotAnInteger,
    OutOfRange { min: i64, max: i64 },
    NotADate,
    EndBeforeStart,
    DeadlineAfterStart,
    MinAgeAboveMax,
    NotMoney,
    BadOccupationCode,
    BadInstitutionCode,
    BadEvaluationOrgCode,
    BadPhone,
    DuplicateCode { first_line: usize },
    CodeOfOtherCity,
    OutsideYourCity,
    CapacityBelowEnrolled { enrolled: u32 },
}

impl Problem {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Problem::FileTooLarge => td_string!(
                locale,
                import.file_too_large,
                mb = MAX_FILE_BYTES / 1024 / 1024
            )
            .to_string(),
            Problem::TooManyRows => {
                td_string!(locale, import.too_many_rows, max = MAX_ROWS).to_string()
            }
            Problem::TooManyColumns { max } => {
                td_string!(locale, import.too_many_columns, max = *max).to_string()
            }
            Problem::TooMuchData { mb } => {
                td_string!(locale, import.too_much_data, mb = *mb).to_string()
            }
            Problem::Unreadable => td_string!(locale, import.unreadable).to_string(),
            Problem::Empty => td_string!(locale, import.empty).to_string(),
            Problem::MissingColumn => td_string!(locale, import.missing_column).to_string(),
            Problem::DuplicateColumn => td_string!(locale, import.duplicate_column).to_string(),
            Problem::UnknownColumn => td_string!(locale, import.unknown_column).to_string(),
            Problem::Required => td_string!(locale, import.required).to_string(),
            Problem::BadCode => td_string!(locale, import.bad_code).to_string(),
            Problem::TooLong { max } => td_string!(locale, import.too_long, max = *max).to_string(),
            Problem::UnknownValue { value } => {
                td_string!(locale, import.unknown_value, value = value).to_string()
            }
            Problem::NotAnInteger => td_string!(locale, import.not_an_integer).to_string(),
            Problem::OutOfRange { min, max } => {
                td_string!(locale, import.out_of_range, min = *min, max = *max).to_string()
            }
            Problem::NotADate => td_string!(locale, import.not_a_date).to_string(),
            Problem::EndBeforeStart => td_string!(locale, import.end_before_start).to_string(),
            Problem::DeadlineAfterStart => {
                td_string!(locale, import.deadline_after_start).to_string()
            }
            Problem::MinAgeAboveMax => td_string!(locale, import.min_age_above_max).to_string(),
            Problem::NotMoney => td_string!(locale, import.not_money).to_string(),
            Problem::BadOccupationCode => {
                td_string!(locale, import.bad_occupation_code).to_string()
            }
            Problem::BadInstitutionCode => {
                td_string!(locale, import.bad_institution_code).to_string()
            }
            Problem::BadEvaluationOrgCode => {
                td_string!(locale, import.bad_evaluation_org_code).to_string()
            }
            Problem::BadPhone => td_string!(locale, import.bad_phone).to_string(),
            Problem::DuplicateCode { first_line } => {
                td_string!(locale, import.duplicate_code, line = *first_line).to_string()
            }
            Problem::CodeOfOtherCity => td_string!(locale, import.code_of_other_city).to_string(),
            Problem::OutsideYourCity => td_string!(locale, import.outside_your_city).to_string(),
            Problem::CapacityBelowEnrolled { enrolled } => {
                td_string!(locale, import.capacity_below_enrolled, enrolled = *enrolled).to_string()
            }
        }
    }
}

/// The refusal of a file with `errors` (and `warnings`): nothing is written.
pub fn refused(errors: &[Finding], warnings: &[Finding]) -> crate::error::AppError {
    crate::error::AppError::FileRefused {
        problems: errors.iter().map(Finding::described).collect(),
        warnings: warnings.iter().map(Finding::described).collect(),
    }
}

/// A problem found at a place in the file. `line` 0 means the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub line: usize,
    pub column: Option<String>,
    #[serde(flatten)]
    pub problem: Problem,
}

impl Finding {
    pub fn file(problem: Problem) -> Finding {
        Finding {
            line: 0,
            column: None,
            problem,
        }
    }

    /// The finding in both languages, as the API and the pages show it.
    pub fn described(&self) -> crate::error::FileProblem {
        let code = serde_json::to_value(&self.problem)
            .ok()
            .and_then(|v| {
                v.get("problem")
                    .and_then(|c| c.as_str().map(str::to_string))
            })
            .unwrap_or_default();
        crate::error::FileProblem {
            line: self.line,
            column: self.column.clone(),
            problem: code,
            message: self.describe(Locale::zh_CN),
            message_en: self.describe(Locale::en),
        }
    }

    /// `line N, column C: reason`, in the locale's words.
    pub fn describe(&self, locale: Locale) -> String {
        let reason = self.problem.message(locale);
        match (&self.column, self.line, locale) {
            (_, 0, _) => reason,
            (Some(c), n, Locale::en) => format!("line {n}, column {c}: {reason}"),
            (None, n, Locale::en) => format!("line {n}: {reason}"),
            (Some(c), n, _) => format!("第 {n} 行，{c} 列：{reason}"),
            (None, n, _) => format!("第 {n} 行：{reason}"),
        }
    }
}

/// A file read and checked: its items, and the problems that make it unusable (errors) or
/// that only deserve a mention (warnings).
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub items: Vec<CatalogItem>,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

/// Reads and checks a whole file. Nothing here touches the database.
pub fn parse(bytes: &[u8], kind: FileKind) -> ParsedFile {
    let mut parsed = ParsedFile::default();
    if bytes.len() > MAX_FILE_BYTES {
        parsed.errors.push(Finding::file(Problem::FileTooLarge));
        return parsed;
    }
    let table = match kind {
        FileKind::Csv => read_csv(bytes),
        FileKind::Xlsx => read_xlsx(bytes),
    };
    let rows = match table {
        Ok(rows) => rows,
        Err(problem) => {
            parsed.errors.push(Finding::file(problem));
            return parsed;
        }
    };
    let mut rows = rows.into_iter();
    let Some(header) = rows.next() else {
        parsed.errors.push(Finding::file(Problem::Empty));
        return parsed;
    };
    let columns = match map_header(&header, &mut parsed) {
        Some(c) => c,
        None => return parsed,
    };
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    for (index, row) in rows.enumerate() {
        let line = index + 2;
        if index >= MAX_ROWS {
            parsed.errors.clear();
            parsed.items.clear();
            parsed.errors.push(Finding::file(Problem::TooManyRows));
            return parsed;
        }
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut cells = RowReader {
            row: &row,
            columns: &columns,
            line,
            errors: &mut parsed.errors,
        };
        if let Some(item) = read_item(&mut cells) {
            match first_line_of.get(&item.course.code) {
                Some(&first_line) => parsed.errors.push(Finding {
                    line,
                    column: Some(columns.label("code")),
                    problem: Problem::DuplicateCode { first_line },
                }),
                None => {
                    first_line_of.insert(item.course.code.clone(), line);
                    parsed.items.push(item);
                }
            }
        }
    }
    if parsed.items.is_empty() && parsed.errors.is_empty() {
        parsed.errors.push(Finding::file(Problem::Empty));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::row::{is_occupation_code, is_phone};
    use super::*;
    use crate::catalog::OpenTo;
    use crate::money::Yuan;
    use crate::reference::{City, ClassFormat, ClassType, Group, Level};

    const HEADER: &str = "code,title,occupation,occupation_code,industry,city,district,institution_code,institution,evaluation_org,level,certificate_type,class_format,class_type,groups,min_age,max_age,hours,start_date,end_date,enroll_deadline,capacity,fee_yuan,subsidy_yuan,accessibility,address,contact_phone,description";
    const GOOD: &str = "CD-1,电工（初级）夜校班,电工,6-31-01-03,advanced_manufacturing,510100,武侯区,91510100MA6C000001,成都示范学校,,level5,skill_level,night,county_brand,all,18,60,120,2026-12-07,2027-01-29,2026-12-04,40,1800.00,1000.00,,成都市武侯区示例路1号,028-80000001,\"夜校授课，\n适合在职人员。\"";

    fn csv(rows: &[&str]) -> Vec<u8> {
        let mut s = String::from(HEADER);
        for r in rows {
            s.push('\n');
            s.push_str(r);
        }
        s.into_bytes()
    }

    fn describe(parsed: &ParsedFile) -> Vec<String> {
        parsed
            .errors
            .iter()
            .map(|f| f.describe(Locale::en))
            .collect()
    }

    #[test]
    fn reads_the_shared_sample() {
        let bytes = include_bytes!("../../../../server/tests/fixtures/sample-catalog.csv");
        let parsed = parse(bytes, FileKind::Csv);
        assert_eq!(describe(&parsed), Vec::<String>::new());
        assert_eq!(parsed.items.len(), 6);
        let second = &parsed.items[1].course;
        assert_eq!(second.city, City::Chengdu);
        assert_eq!(second.level, Level::Level4);
        assert_eq!(second.class_format, ClassFormat::Weekend);
        assert_eq!(second.class_type, ClassType::CommunityPublic);
        assert_eq!(second.enroll_deadline, second.start_date);
        assert_eq!(parsed.items[3].course.city, City::Liangshan);
        assert_eq!(
            parsed.items[3].course.groups,
            OpenTo::Groups(vec![Group::Veteran])
        );
    }

    #[test]
    fn a_good_row_reads_with_quoted_newlines() {
        let parsed = parse(&csv(&[GOOD]), FileKind::Csv);
        assert!(parsed.errors.is_empty(), "{:?}", describe(&parsed));
        let item = &parsed.items[0];
        assert_eq!(item.line, 2);
        assert_eq!(item.course.fee_yuan, Yuan::from_fen(180_000));
        assert_eq!(item.course.groups, OpenTo::All);
        assert_eq!(
            item.course.description.as_deref(),
            Some("夜校授课，\n适合在职人员。")
        );
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line_and_column() {
        let bad = GOOD
            .replace("advanced_manufacturing", "mining")
            .replace(",120,", ",0,")
            .replace("2027-01-29", "2026-11-01")
            .replace("1800.00", "-5");
        let parsed = parse(
            &csv(&[GOOD.replace("CD-1", "CD-2").as_str(), &bad]),
            FileKind::Csv,
        );
        assert_eq!(
            describe(&parsed),
            [
                "line 3, column industry: unknown value “mining”",
                "line 3, column hours: must be between 1 and 2000",
                "line 3, column fee_yuan: not an amount in yuan (e.g. 1800.00)",
                "line 3, column end_date: the end date is before the start date",
            ]
        );
        assert!(parsed.items.len() == 1);
    }

    #[test]
    fn duplicate_codes_and_missing_columns_are_errors() {
        let parsed = parse(&csv(&[GOOD, GOOD]), FileKind::Csv);
        assert_eq!(
            describe(&parsed),
            ["line 3, column code: the same code is already on line 2"]
        );
        let parsed = parse("code,title\nA,B".as_bytes(), FileKind::Csv);
        assert!(parsed
            .errors
            .iter()
            .all(|f| f.problem == Problem::MissingColumn && f.line == 1));
        assert_eq!(
            parsed.errors.len(),
            16,
            "every required column but code and title"
        );
    }

    #[test]
    fn chinese_headers_in_gbk_are_read() {
        let header = "项目编号,项目名称,职业（工种）,行业领域,市州,承训机构代码,承训机构,培训等级,证书类型,班型,面向群体,课时,开班日期,结业日期,计划人数,培训费(元),补贴标准(元),培训地址,备注";
        let row = "ZG-1,养老护理员（初级）,养老护理员,养老托育,自贡,ZG001,自贡培训学校,初级工,职业技能等级证书,周末班,农民工、失业人员,80,2027/3/1,2027/4/30,30,0,800,自贡市自流井区示例路,无";
        let text = format!("{header}\r\n{row}\r\n");
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
        assert!(std::str::from_utf8(&gbk).is_err());
        let parsed = parse(&gbk, FileKind::Csv);
        assert!(parsed.errors.is_empty(), "{:?}", describe(&parsed));
        assert_eq!(
            parsed.warnings.len(),
            1,
            "the unknown column 备注 is mentioned"
        );
        let item = &parsed.items[0];
        assert_eq!(item.course.city, City::Zigong);
        assert_eq!(
            item.course.groups,
            OpenTo::Groups(vec![Group::MigrantWorker, Group::Unemployed])
        );
        assert_eq!(
            item.course.start_date,
            chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
        );
    }

    #[test]
    fn reports_read_in_chinese_too() {
        let f = Finding {
            line: 7,
            column: Some("课时".into()),
            problem: Problem::OutOfRange { min: 1, max: 2000 },
        };
        assert_eq!(
            f.describe(Locale::zh_CN),
            "第 7 行，课时 列：应在 1 到 2000 之间"
        );
    }

    #[test]
    fn a_bad_evaluation_org_code_is_named_as_such() {
        let file = format!("{HEADER},evaluation_org_code\n{GOOD},EO 1");
        let said = describe(&parse(file.as_bytes(), FileKind::Csv));
        let why = "an evaluation organisation's code may hold only letters, digits and -";
        assert_eq!(said, [format!("line 2, column evaluation_org_code: {why}")]);
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert_eq!(
            parse(&big, FileKind::Csv).errors,
            [Finding::file(Problem::FileTooLarge)]
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        #[test]
        fn any_bytes_are_refused_or_read_never_a_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000)) {
            let _ = parse(&bytes, FileKind::Csv);
            let _ = parse(&bytes, FileKind::Xlsx);
        }

        #[test]
        fn any_cell_in_a_good_row_is_checked_never_a_panic(column in 0usize..28, cell in "\\PC{0,30}") {
            let mut cells: Vec<String> = GOOD.split(',').map(str::to_string).collect();
            if column < cells.len() {
                cells[column] = format!("\"{}\"", cell.replace('"', "\"\""));
            }
            let _ = parse(csv(&[&cells.join(",")]).as_slice(), FileKind::Csv);
        }
    }

    #[test]
    fn phone_and_code_checks() {
        assert!(is_phone("13800000002"));
        assert!(is_phone("028-80000001"));
        assert!(is_phone("0816-2000003"));
        assert!(!is_phone("12345"));
        assert!(!is_phone("10800000002"));
        assert!(is_occupation_code("6-31-01-03"));
        assert!(!is_occupation_code("6-31-01"));
        assert!(!is_occupation_code("6-31-01-0a"));
    }
}
