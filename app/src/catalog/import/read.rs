//! A CSV or XLSX file into rows of text, and its header into the known columns.

use super::{Finding, ParsedFile, Problem, COLUMNS, MAX_ROWS};
use std::collections::HashMap;

pub(super) fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Excel in Chinese saves CSV as GB18030/GBK. Text in those encodings is almost never valid
    // UTF-8, so "valid UTF-8" is a safe test for which one a file is in.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(Problem::Unreadable);
            }
            text
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| Problem::Unreadable)?;
        rows.push(record.iter().map(str::to_string).collect());
        if rows.len() > MAX_ROWS + 1 {
            return Err(Problem::TooManyRows);
        }
    }
    Ok(rows)
}

pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, Problem> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| Problem::Unreadable)?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(_)) => return Err(Problem::Unreadable),
        None => return Err(Problem::Empty),
    };
    if range.height() > MAX_ROWS + 1 {
        return Err(Problem::TooManyRows);
    }
    let cell = |data: &Data| -> String {
        match data {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{d:02}")
            }
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
            Data::Error(_) => "#ERROR".to_string(),
        }
    };
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell).collect())
        .collect())
}

/// Where each known column is in the file, and what the file calls it.
pub(super) struct Columns {
    pub index: HashMap<&'static str, usize>,
    pub labels: HashMap<&'static str, String>,
}

impl Columns {
    pub fn label(&self, name: &'static str) -> String {
        self.labels
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }
}

/// Header names compare without spaces, case or the width of brackets: 职业（工种） = 职业(工种).
fn normalise_header(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

pub(super) fn map_header(header: &[String], parsed: &mut ParsedFile) -> Option<Columns> {
    let mut columns = Columns {
        index: HashMap::new(),
        labels: HashMap::new(),
    };
    for (i, text) in header.iter().enumerate() {
        let norm = normalise_header(text);
        if norm.is_empty() {
            continue;
        }
        let known = COLUMNS
            .iter()
            .find(|(en, zh, _)| norm == *en || norm == normalise_header(zh));
        match known {
            Some((name, _, _)) if columns.index.contains_key(name) => parsed.errors.push(Finding {
                line: 1,
                column: Some(text.trim().to_string()),
                problem: Problem::DuplicateColumn,
            }),
            Some((name, _, _)) => {
                columns.index.insert(name, i);
                columns.labels.insert(name, text.trim().to_string());
            }
            None => parsed.warnings.push(Finding {
                line: 1,
                column: Some(text.trim().to_string()),
                problem: Problem::UnknownColumn,
            }),
        }
    }
    for (name, zh, required) in COLUMNS {
        if *required && !columns.index.contains_key(name) {
            parsed.errors.push(Finding {
                line: 1,
                column: Some(format!("{name} / {zh}")),
                problem: Problem::MissingColumn,
            });
        }
    }
    parsed.errors.is_empty().then_some(columns)
}
