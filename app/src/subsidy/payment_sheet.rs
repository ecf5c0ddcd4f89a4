//! A payment batch for finance: one row per claim to pay (those undone before payment are left
//! out; returned ones say so), as CSV (UTF-8 with a BOM, so spreadsheets read the Chinese) or
//! XLSX. No cell runs as a formula: text starting with `=`, `+`, `-` or `@` gets a leading
//! apostrophe in both (`audit::safe_cell`), and XLSX cells are written as text, amounts as
//! numbers.

use super::batches::{BatchItem, PaymentBatch};
use super::payee::PayeeKind;
use crate::audit::safe_cell;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::reference::{Enumeration, Level};

/// The columns, in order.
pub const HEADERS: [&str; 13] = [
    "序号",
    "申领编号",
    "收款人",
    "证件号码",
    "收款方式",
    "开户银行",
    "账号",
    "金额（元）",
    "职业",
    "等级",
    "培训机构",
    "证书编号",
    "状态",
];

/// The column of the amount (a number in XLSX).
const AMOUNT: usize = 7;

fn status_text(status: &str) -> &'static str {
    match status {
        "paid" => "已发放",
        "returned" => "退票",
        _ => "待发放",
    }
}

/// A row's cells, as text (formula-safe).
fn cells(n: usize, i: &BatchItem) -> [String; 13] {
    let institution = PayeeKind::from_code(&i.payee.kind) == Some(PayeeKind::Institution);
    let kind = PayeeKind::from_code(&i.payee.kind).map_or("", |k| k.label(Locale::zh_CN));
    let level =
        Level::from_code(&i.level).map_or(i.level.clone(), |l| l.label(Locale::zh_CN).to_string());
    let payee = match (&i.payee.name, institution) {
        (Some(name), true) => name.clone(),
        _ => i.claimant.clone(),
    };
    let id_number = if institution { "" } else { &i.id_number };
    let text = [
        n.to_string(),
        i.claim_id.to_string(),
        payee,
        id_number.to_string(),
        kind.to_string(),
        i.payee.bank.clone().unwrap_or_default(),
        i.payee.account.clone().unwrap_or_default(),
        i.amount_yuan.to_string(),
        i.occupation.clone(),
        level,
        i.institution.clone(),
        i.certificate_number.clone(),
        status_text(&i.status).to_string(),
    ];
    text.map(|c| safe_cell(&c).into_owned())
}

fn rows(batch: &PaymentBatch) -> impl Iterator<Item = &BatchItem> {
    batch.items.iter().filter(|i| i.status != "removed")
}

pub fn csv(batch: &PaymentBatch) -> AppResult<Vec<u8>> {
    let fail = |e: csv::Error| AppError::Internal(e.to_string());
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    out.write_record(HEADERS).map_err(fail)?;
    for (n, item) in rows(batch).enumerate() {
        out.write_record(cells(n + 1, item)).map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub fn xlsx(batch: &PaymentBatch) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("批次{}", batch.id)).map_err(fail)?;
    let money = Format::new().set_num_format("0.00");
    for (col, title) in (0u16..).zip(HEADERS) {
        sheet.write_string(0, col, title).map_err(fail)?;
    }
    for (row, (n, item)) in (1u32..).zip(rows(batch).enumerate()) {
        for (col, cell) in (0u16..).zip(cells(n + 1, item)) {
            if usize::from(col) == AMOUNT {
                let yuan: f64 = item.amount_yuan.to_string().parse().unwrap_or_default();
                sheet
                    .write_number_with_format(row, col, yuan, &money)
                    .map_err(fail)?;
            } else {
                sheet.write_string(row, col, cell).map_err(fail)?;
            }
        }
    }
    book.save_to_buffer().map_err(fail)
}
