//! Payment batches (支付批次) and the city's yearly budget, as types and pure rules. The HR
//! officer gathers approved claims into a batch, finance pays it from the download, and the
//! officer marks it paid with the date and finance's reference; a bank return (退票) sends one
//! claim back to approved for a later batch. The use cases are in `payment`.

use super::payee::PayeeView;
use crate::error::{FieldErrors, FieldProblem};
use crate::money::Yuan;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest payment reference kept (finance's voucher or transfer number).
pub const MAX_REFERENCE_CHARS: usize = 100;

/// A batch of claims paid together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PaymentBatch {
    pub id: i64,
    pub city: String,
    /// `open` (gathered, not yet paid) or `paid`.
    pub status: String,
    /// The claims in it (returned and removed ones not counted).
    pub claims_count: u32,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "1760.00"))]
    pub total_yuan: Yuan,
    pub created_at: String,
    /// Who gathered it, masked.
    pub created_by: Option<String>,
    pub paid_on: Option<String>,
    pub reference: Option<String>,
    pub paid_at: Option<String>,
    /// Who marked it paid, masked.
    pub paid_by: Option<String>,
    /// Its claims (in the answer for one batch; empty in the list).
    pub items: Vec<BatchItem>,
}

/// A claim in a batch, with its payee as it was when the claim joined the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BatchItem {
    pub claim_id: i64,
    /// `in` (to be paid), `paid`, `returned` (a bank return) or `removed` (the claim was
    /// undone before the batch was paid).
    pub status: String,
    /// The claimant (masked, except in the download for finance).
    pub claimant: String,
    /// The claimant's identity number (masked, except in the download for finance).
    pub id_number: String,
    pub payee: PayeeView,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "960.00"))]
    pub amount_yuan: Yuan,
    pub occupation: String,
    pub level: String,
    pub institution: String,
    pub certificate_number: String,
    /// Why it left the batch (the bank's words on a return, or what undid the claim).
    pub returned_reason: Option<String>,
    pub left_at: Option<String>,
}

/// A city's subsidy money for a year: its budget (if set) against what is approved (not yet
/// paid) and paid, by the claims' year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Budget {
    pub city: String,
    pub year: i32,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "500000.00"))]
    pub budget_yuan: Option<Yuan>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "1760.00"))]
    pub approved_yuan: Yuan,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "960.00"))]
    pub paid_yuan: Yuan,
    /// What the budget leaves after approved and paid (negative when past it).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>, example = "497280.00"))]
    pub left_yuan: Option<Yuan>,
}

impl Budget {
    pub fn new(city: &str, year: i32, budget: Option<Yuan>, approved: Yuan, paid: Yuan) -> Budget {
        Budget {
            city: city.to_string(),
            year,
            budget_yuan: budget,
            approved_yuan: approved,
            paid_yuan: paid,
            left_yuan: budget.map(|b| Yuan::from_fen(b.fen() - approved.fen() - paid.fen())),
        }
    }

    /// What approving `amount` more would take the total to, when that is past the budget.
    pub fn exceeded_by(&self, amount: Yuan) -> Option<Yuan> {
        over_budget(
            self.budget_yuan,
            Yuan::from_fen(self.approved_yuan.fen() + self.paid_yuan.fen()),
            amount,
        )
    }
}

/// Approving `amount` when `committed` (approved and paid this year) is already spoken for:
/// the new total when it goes past `budget`; `None` within it, or when no budget is set.
pub fn over_budget(budget: Option<Yuan>, committed: Yuan, amount: Yuan) -> Option<Yuan> {
    let after = Yuan::from_fen(committed.fen() + amount.fen());
    budget.filter(|b| after.fen() > b.fen()).map(|_| after)
}

/// Why a claim cannot join a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotBatchable {
    NotApproved,
    InABatch,
    Disputed,
    NoPayee,
}

/// What a batch needs of a claim: approved, in no batch, not disputed, and with a payee.
pub fn batchable(
    status: &str,
    in_batch: bool,
    disputed: bool,
    has_payee: bool,
) -> Result<(), NotBatchable> {
    if status != "approved" {
        Err(NotBatchable::NotApproved)
    } else if in_batch {
        Err(NotBatchable::InABatch)
    } else if disputed {
        Err(NotBatchable::Disputed)
    } else if !has_payee {
        Err(NotBatchable::NoPayee)
    } else {
        Ok(())
    }
}

/// A payment as the officer records it: the day paid (not before the batch was gathered, not
/// after today; today when not given) and finance's reference (required).
pub fn check_payment(
    paid_on: Option<&str>,
    reference: Option<&str>,
    gathered_on: NaiveDate,
    today: NaiveDate,
) -> Result<(NaiveDate, String), FieldErrors> {
    let mut errors = FieldErrors::default();
    let day = match paid_on.map(str::trim).filter(|d| !d.is_empty()) {
        None => Some(today),
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Err(_) => {
                errors.add("paid_on", FieldProblem::NotADate);
                None
            }
            Ok(d) if d < gathered_on || d > today => {
                let (from, to) = (gathered_on, today);
                errors.add("paid_on", FieldProblem::DateOutside { from, to });
                None
            }
            Ok(d) => Some(d),
        },
    };
    let reference = reference
        .map(crate::text::plain_line)
        .filter(|r| !r.is_empty());
    match &reference {
        None => errors.add("reference", FieldProblem::Required),
        Some(r) if r.chars().count() > MAX_REFERENCE_CHARS => errors.add(
            "reference",
            FieldProblem::TooLong {
                max: MAX_REFERENCE_CHARS,
            },
        ),
        _ => {}
    }
    match (day, reference, errors.is_empty()) {
        (Some(d), Some(r), true) => Ok((d, r)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(n: i64) -> Yuan {
        Yuan::from_fen(n * 100)
    }

    #[test]
    fn approving_past_the_budget_is_told_with_the_new_total() {
        assert_eq!(over_budget(None, yuan(1_000_000), yuan(1)), None);
        assert_eq!(over_budget(Some(yuan(1500)), yuan(960), yuan(540)), None);
        assert_eq!(
            over_budget(Some(yuan(1500)), yuan(960), yuan(800)),
            Some(yuan(1760))
        );
        let b = Budget::new("510100", 2030, Some(yuan(1500)), yuan(900), yuan(60));
        assert_eq!(b.left_yuan, Some(yuan(540)));
        assert_eq!(b.exceeded_by(yuan(541)), Some(yuan(1501)));
        let none = Budget::new("510100", 2030, None, yuan(900), yuan(60));
        assert_eq!((none.left_yuan, none.exceeded_by(yuan(1))), (None, None));
    }

    #[test]
    fn only_an_approved_claim_with_a_payee_and_no_dispute_joins_a_batch() {
        use NotBatchable::*;
        assert_eq!(batchable("approved", false, false, true), Ok(()));
        assert_eq!(batchable("paid", false, false, true), Err(NotApproved));
        assert_eq!(batchable("submitted", false, false, true), Err(NotApproved));
        assert_eq!(batchable("approved", true, false, true), Err(InABatch));
        assert_eq!(batchable("approved", false, true, true), Err(Disputed));
        assert_eq!(batchable("approved", false, false, false), Err(NoPayee));
    }

    #[test]
    fn a_payment_has_a_day_within_the_batch_and_a_reference() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (gathered, today) = (d("2030-05-10"), d("2030-05-15"));
        assert_eq!(
            check_payment(Some("2030-05-12"), Some(" CZ-1 "), gathered, today),
            Ok((d("2030-05-12"), "CZ-1".into()))
        );
        assert_eq!(
            check_payment(None, Some("CZ-1"), gathered, today),
            Ok((today, "CZ-1".into()))
        );
        let problems = |paid_on, reference| {
            let e = check_payment(paid_on, reference, gathered, today).unwrap_err();
            e.0.into_iter().collect::<Vec<_>>()
        };
        assert_eq!(
            problems(Some("2030-02-30"), None),
            [
                ("paid_on".to_string(), FieldProblem::NotADate),
                ("reference".to_string(), FieldProblem::Required)
            ]
        );
        let outside = FieldProblem::DateOutside {
            from: gathered,
            to: today,
        };
        for day in ["2030-05-09", "2030-05-16"] {
            assert_eq!(
                problems(Some(day), Some("R")),
                [("paid_on".to_string(), outside.clone())]
            );
        }
        let long = "R".repeat(MAX_REFERENCE_CHARS + 1);
        assert_eq!(
            problems(None, Some(&long)),
            [(
                "reference".to_string(),
                FieldProblem::TooLong {
                    max: MAX_REFERENCE_CHARS
                }
            )]
        );
    }
}
