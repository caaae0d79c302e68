//! A learning-rate schedule tabulated on its own (docs/contract.md §5), each rate with its
//! worked line, as the course's annealing examples do: the work of `POST /v1/schedule` and of
//! the schedule picture.

use super::error::Error;
use crate::solve::expr::Precision;
use crate::solve::schedule::rate_line;
use crate::wire::fields::FieldError;
use crate::wire::model::{ScheduleResponse, ScheduledRate};
use crate::wire::validate;

/// The table for a validated request.
pub fn tabulate(valid: validate::ValidSchedule) -> Result<ScheduleResponse, Error> {
    let kind = valid.schedule.kind;
    let mut rates = Vec::with_capacity(valid.epochs.len());
    let mut errors = Vec::new();
    for (i, &epoch) in valid.epochs.iter().enumerate() {
        let line = rate_line(valid.learning_rate, kind, epoch, Precision::Full);
        // The ranges make every rate finite; checked anyway because serde_json would write a
        // NaN as null without a word.
        if !line.value.is_finite() {
            errors.push(FieldError::new(
                format!("/epochs/{i}"),
                "gives a rate that is not a finite number",
            ));
            continue;
        }
        rates.push(ScheduledRate {
            epoch,
            learning_rate: line.value,
            line,
        });
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(ScheduleResponse {
        learning_rate: valid.learning_rate,
        schedule: valid.schedule.into(),
        rates,
        warnings: valid.warnings,
    })
}
