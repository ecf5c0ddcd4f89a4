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

/// No catalogue needs more columns than this (it has about thirty).
pub const MAX_COLUMNS: usize = 100;
/// The most one part of a workbook (a sheet, the shared strings) may hold unpacked, and all of
/// them together: a 20 MB upload of zeros unpacks to gigabytes.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
const MAX_UNPACKED_BYTES: u64 = 128 * 1024 * 1024;

/// Checks a workbook before calamine reads it: every part unpacks (counted as it really
/// unpacks, not as the file says) within the limits, and the shared strings do not announce
/// more strings than their size can hold (calamine reserves room for the announced count).
fn check_package(bytes: &[u8]) -> Result<(), Problem> {
    check_package_within(bytes, MAX_PART_BYTES, MAX_UNPACKED_BYTES)
}

fn check_package_within(bytes: &[u8], part_max: u64, total_max: u64) -> Result<(), Problem> {
    use std::io::Read;
    let too_much = Problem::TooMuchData {
        mb: total_max / 1024 / 1024,
    };
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| Problem::Unreadable)?;
    let mut total = 0u64;
    for index in 0..zip.len() {
        let mut part = zip.by_index(index).map_err(|_| Problem::Unreadable)?;
        let shared_strings = part
            .name()
            .map_err(|_| Problem::Unreadable)?
            .ends_with("sharedStrings.xml");
        let mut head = Vec::new();
        if shared_strings {
            (&mut part)
                .take(4096)
                .read_to_end(&mut head)
                .map_err(|_| Problem::Unreadable)?;
        }
        let rest = std::io::copy(&mut (&mut part).take(part_max), &mut std::io::sink())
            .map_err(|_| Problem::Unreadable)?;
        let size = head.len() as u64 + rest;
        let mut probe = [0u8; 1];
        let more = part.read(&mut probe).map_err(|_| Problem::Unreadable)?;
        total += size;
        if size + more as u64 > part_max || total > total_max {
            return Err(too_much);
        }
        if shared_strings {
            // Each string takes at least `<si><t/></si>` (13 bytes); 7 leaves room for
            // terse writers.
            let announced = ["uniqueCount", "count"]
                .iter()
                .filter_map(|name| attribute(&head, name))
                .max()
                .unwrap_or(0);
            if announced > size / 7 + 1 {
                return Err(Problem::Unreadable);
            }
        }
    }
    Ok(())
}

/// The number in `name="…"` within the start of an XML part, if there.
fn attribute(head: &[u8], name: &str) -> Option<u64> {
    let text = String::from_utf8_lossy(head);
    let sst = &text[text.find("<sst")?..];
    let sst = &sst[..sst.find('>')?];
    let at = sst
        .match_indices(name)
        .find(|(i, _)| {
            let before = sst[..*i].chars().last();
            before.is_some_and(char::is_whitespace) && sst[i + name.len()..].starts_with('=')
        })?
        .0;
    let value = sst[at + name.len() + 1..].trim_start_matches(['"', '\'']);
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    // A count too long for u64 is surely a lie.
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// The first sheet's cells as rows, from its first used row and column (as a spreadsheet
/// shows them), read one cell at a time: a sheet with one cell at A1 and one at XFD1048576
/// is refused as too many rows, never laid out in memory.
pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, Problem> {
    use calamine::{DataRef, Reader, Xlsx};
    check_package(bytes)?;
    let mut book: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| Problem::Unreadable)?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err(Problem::Empty);
    };
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|_| Problem::Unreadable)?;
    let text = |data: &DataRef| -> String {
        match data {
            DataRef::Empty => String::new(),
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => s.to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            DataRef::Float(f) => f.to_string(),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(dt) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                format!("{y:04}-{m:02}-{d:02}")
            }
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.chars().take(10).collect(),
            DataRef::Error(_) => "#ERROR".to_string(),
        }
    };
    // The used area so far: it only grows, so a sheet is refused as soon as it is too big.
    let (mut rows_seen, mut columns_seen) = (Span::default(), Span::default());
    let mut found = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| Problem::Unreadable)? {
        let value = text(cell.get_value());
        if value.is_empty() {
            continue;
        }
        let (row, column) = cell.get_position();
        if rows_seen.widen(row) > MAX_ROWS + 1 {
            return Err(Problem::TooManyRows);
        }
        if columns_seen.widen(column) > MAX_COLUMNS {
            return Err(Problem::TooManyColumns { max: MAX_COLUMNS });
        }
        found.push((row, column, value));
    }
    let (Some((top, _)), Some((left, _))) = (rows_seen.0, columns_seen.0) else {
        return Err(Problem::Empty);
    };
    let mut rows = vec![Vec::new(); rows_seen.width()];
    for (row, column, value) in found {
        let cells: &mut Vec<String> = &mut rows[(row - top) as usize];
        let at = (column - left) as usize;
        if cells.len() <= at {
            cells.resize(at + 1, String::new());
        }
        cells[at] = value;
    }
    Ok(rows)
}

/// The lowest and highest index seen.
#[derive(Default)]
struct Span(Option<(u32, u32)>);

impl Span {
    /// Takes in `at`; the span's width after.
    fn widen(&mut self, at: u32) -> usize {
        let (low, high) = self.0.map_or((at, at), |(l, h)| (l.min(at), h.max(at)));
        self.0 = Some((low, high));
        self.width()
    }

    fn width(&self) -> usize {
        self.0.map_or(0, |(l, h)| (h - l) as usize + 1)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;
    use std::io::{Read, Write};

    /// A workbook whose first sheet has `cells` (row, column, text).
    fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (row, column, text) in cells {
            sheet.write_string(*row, *column, *text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// `bytes` with the part `name` replaced by `with` (deflated).
    fn replaced(bytes: &[u8], name: &str, with: &[u8]) -> Vec<u8> {
        let mut from = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1));
        for i in 0..from.len() {
            let mut part = from.by_index(i).unwrap();
            let part_name = part.name().unwrap().to_string();
            let mut content = Vec::new();
            part.read_to_end(&mut content).unwrap();
            out.start_file(part_name.as_str(), options).unwrap();
            if part_name == name {
                out.write_all(with).unwrap();
            } else {
                out.write_all(&content).unwrap();
            }
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_sheet_reads_from_its_first_used_cell() {
        let book = workbook(&[
            (2, 2, "code"),
            (2, 3, "title"),
            (3, 2, "CD-1"),
            (4, 3, "夜校"),
        ]);
        let rows = read_xlsx(&book).unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["code".to_string(), "title".to_string()],
                vec!["CD-1".to_string()],
                vec![String::new(), "夜校".to_string()],
            ]
        );
    }

    #[test]
    fn a_sheet_with_a_cell_at_each_far_corner_is_too_many_rows_not_a_grid_in_memory() {
        let book = workbook(&[(0, 0, "code"), (1_048_575, 16_383, "x")]);
        assert_eq!(read_xlsx(&book), Err(Problem::TooManyRows));
    }

    #[test]
    fn a_sheet_wider_than_any_catalogue_is_refused() {
        let book = workbook(&[(0, 0, "code"), (0, 100, "x")]);
        assert_eq!(
            read_xlsx(&book),
            Err(Problem::TooManyColumns { max: MAX_COLUMNS })
        );
        let book = workbook(&[(0, 5, "code"), (0, 104, "x")]);
        assert!(
            read_xlsx(&book).is_ok(),
            "a hundred columns, wherever they start"
        );
    }

    #[test]
    fn shared_strings_that_announce_more_than_they_hold_are_unreadable() {
        let book = workbook(&[(0, 0, "code"), (1, 0, "CD-1")]);
        let lie = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="99999999999999"><si><t>code</t></si><si><t>CD-1</t></si></sst>"#;
        let book = replaced(&book, "xl/sharedStrings.xml", lie);
        assert_eq!(read_xlsx(&book), Err(Problem::Unreadable));
        let honest = String::from_utf8_lossy(lie).replace("99999999999999", "2");
        let book = replaced(&book, "xl/sharedStrings.xml", honest.as_bytes());
        assert_eq!(read_xlsx(&book).unwrap().len(), 2);
    }

    #[test]
    fn a_workbook_that_unpacks_past_the_limits_is_refused_as_too_much_data() {
        let book = workbook(&[(0, 0, "code")]);
        let mut padded = b"<!--".to_vec();
        padded.resize(3 * 1024 * 1024, b' ');
        padded.extend_from_slice(b"-->");
        let bomb = replaced(&book, "docProps/app.xml", &padded);
        assert!(bomb.len() < 100 * 1024, "{} bytes packed", bomb.len());
        assert_eq!(
            check_package_within(&bomb, 2 * 1024 * 1024, 8 * 1024 * 1024),
            Err(Problem::TooMuchData { mb: 8 })
        );
        assert_eq!(
            check_package_within(&bomb, 4 * 1024 * 1024, 2 * 1024 * 1024),
            Err(Problem::TooMuchData { mb: 2 }),
            "all parts together"
        );
        assert_eq!(
            check_package_within(&bomb, 4 * 1024 * 1024, 8 * 1024 * 1024),
            Ok(())
        );
        assert_eq!(check_package(&book), Ok(()));
    }

    #[test]
    fn the_shared_strings_count_is_read_from_the_sst_tag() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="12" uniqueCount='7'>"#;
        assert_eq!(attribute(head, "uniqueCount"), Some(7));
        assert_eq!(attribute(head, "count"), Some(12));
        assert_eq!(attribute(b"<sst>", "count"), None);
        let huge = br#"<sst uniqueCount="999999999999999999999999">"#;
        assert_eq!(attribute(huge, "uniqueCount"), Some(u64::MAX));
    }
}
