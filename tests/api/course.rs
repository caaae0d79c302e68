//! Every value the course's notes print (docs/contract.md §10), reproduced through the HTTP API from the
//! problems `/v1/examples` serves, to the precision printed: the trace's full-precision value is
//! within one unit of the printed value's last digit (the notes round or truncate, and carry
//! their own rounded intermediates forward).

use serde_json::Value;

use crate::helpers::{adam, get_json, post_json, post_text};

/// One unit in the last digit of a printed decimal: "0.004708" → 1e-6, "3.99e-5" → 1e-7.
fn last_digit_unit(printed: &str) -> f64 {
    let (mantissa, exponent) = printed
        .split_once(['e', 'E'])
        .map_or((printed, 0), |(m, e)| (m, e.parse::<i32>().unwrap_or(0)));
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    10f64.powi(exponent - decimals)
}

fn assert_printed(solution: &Value, pointer: &str, printed: &str, what: &str) {
    let value = solution
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("{what}: nothing at {pointer}"));
    let expected: f64 = printed.parse().unwrap();
    let unit = last_digit_unit(printed);
    assert!(
        (value - expected).abs() <= unit,
        "{what}: the notes print {printed}, the trace has {value} at {pointer}"
    );
}

/// Each `(pointer, printed, what)` of `solution` is within a unit of the printed value's last
/// digit.
fn assert_all_printed(solution: &Value, printed: &[(&str, &str, &str)]) {
    for (pointer, printed, what) in printed {
        assert_printed(solution, pointer, printed, what);
    }
}

async fn solve_example(id: &str) -> Value {
    let (status, example) = get_json(&format!("/v1/examples/{id}")).await;
    assert_eq!(status, 200, "{id}: {example}");
    let (status, solution) = post_json("/v1/solve", &example["problem"]).await;
    assert_eq!(status, 200, "{id}: {solution}");
    solution
}

#[tokio::test]
async fn momentum_example_reproduces_every_printed_value() {
    let solution = solve_example("momentum").await;
    assert_all_printed(
        &solution,
        &[
            ("/steps/0/forward/0/net", "0.8", "y_in"),
            ("/steps/0/forward/0/output", "0.6899", "y"),
            ("/steps/0/dw/0", "0.02354", "(dw1)1"),
            ("/steps/0/dw/1", "0.01412", "(dw2)1"),
            ("/steps/0/state/velocity/0", "0.004708", "(v1)1"),
            ("/steps/0/state/velocity/1", "0.002824", "(v2)1"),
            ("/steps/0/weights_after/0", "0.5009", "(w1)2"),
            ("/steps/0/weights_after/1", "0.5006", "(w2)2"),
            // Erratum: with the second sample's own inputs y_in ≈ 0.50075, not the notes' 0.7512.
            (
                "/steps/1/forward/0/net",
                "0.50075",
                "second y_in (corrected)",
            ),
        ],
    );
    assert_eq!(solution["steps"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn adagrad_example_reproduces_every_printed_value() {
    let solution = solve_example("adagrad").await;
    assert_all_printed(
        &solution,
        &[
            ("/steps/0/dw/0", "-0.02354", "dw1 (gradient convention)"),
            ("/steps/0/state/square_sum/0", "0.000554", "(v1)1"),
            ("/steps/0/state/square_sum/1", "0.000199", "(v2)1"),
            ("/steps/0/weights_after/0", "0.7", "w1 after sample 1"),
            ("/steps/0/weights_after/1", "0.7", "w2 after sample 1"),
            ("/steps/1/forward/0/net", "0.7", "y_in of sample 2"),
            ("/steps/1/forward/0/output", "0.6682", "y of sample 2"),
            ("/steps/1/dw/0", "0.007559", "dw1 of sample 2"),
            ("/steps/1/dw/1", "0.007559", "dw2 of sample 2"),
            (
                "/steps/1/state/square_sum/0",
                "0.000611",
                "v1 after sample 2",
            ),
            (
                "/steps/1/state/square_sum/1",
                "0.000257",
                "v2 after sample 2",
            ),
            ("/steps/1/weights_after/0", "0.639", "w1 after sample 2"),
            ("/steps/1/weights_after/1", "0.606", "w2 after sample 2"),
            ("/steps/2/weights_after/0", "0.531", "w1 after sample 3"),
            ("/steps/2/weights_after/1", "0.412", "w2 after sample 3"),
        ],
    );
}

#[tokio::test]
async fn rmsprop_example_reproduces_every_printed_value_and_corrects_the_erratum() {
    let solution = solve_example("rmsprop").await;
    assert_all_printed(
        &solution,
        &[
            ("/steps/0/dw/0", "-0.02354", "dw1"),
            ("/steps/0/dw/1", "-0.01412", "dw2"),
            ("/steps/0/state/square_avg/0", "0.000111", "(v1)1"),
            ("/steps/0/state/square_avg/1", "0.0000399", "(v2)1"),
            ("/steps/0/weights_after/0", "0.947", "(w1)2"),
            // Erratum: the notes print (w2)2 = 4.971; it is ≈ 0.947 like (w1)2.
            ("/steps/0/weights_after/1", "0.947", "(w2)2 (corrected)"),
        ],
    );
}

#[tokio::test]
async fn the_adam_fixture_is_the_adam_example() {
    let (status, example) = get_json("/v1/examples/adam").await;
    assert_eq!(status, 200, "{example}");
    assert_eq!(example["problem"], adam());
}

#[tokio::test]
async fn the_exercises_without_printed_values_solve_completely() {
    for id in ["momentum_bias_correction", "adam"] {
        let solution = solve_example(id).await;
        assert_eq!(solution["status"], "completed", "{id}");
        assert!(!solution["steps"].as_array().unwrap().is_empty());
    }
}

#[tokio::test]
async fn examples_carry_the_notes_errata() {
    let (_, momentum) = get_json("/v1/examples/momentum").await;
    let errata = momentum["errata"].to_string();
    assert!(errata.contains("0.7512"), "momentum errata: {errata}");
    let (_, rmsprop) = get_json("/v1/examples/rmsprop").await;
    assert!(rmsprop["errata"].to_string().contains("4.971"));
}

async fn schedule_example(id: &str) -> Value {
    let (status, example) = get_json(&format!("/v1/examples/{id}")).await;
    assert_eq!(status, 200, "{id}: {example}");
    assert_eq!(example["endpoint"], "/v1/schedule");
    let (status, table) = post_json("/v1/schedule", &example["problem"]).await;
    assert_eq!(status, 200, "{id}: {table}");
    table
}

#[tokio::test]
async fn the_annealing_tables_reproduce_every_printed_rate() {
    for (id, rows) in [
        (
            "time_based_decay",
            [
                ("/rates/0", "1", "0.1"),
                ("/rates/1", "2", "0.067"),
                ("/rates/2", "3", "0.05"),
            ],
        ),
        (
            "step_decay",
            [
                ("/rates/0", "5", "0.1"),
                ("/rates/1", "10", "0.05"),
                ("/rates/2", "15", "0.025"),
            ],
        ),
        (
            "exponential_decay",
            [
                ("/rates/0", "1", "0.181"),
                ("/rates/1", "2", "0.164"),
                ("/rates/2", "3", "0.148"),
            ],
        ),
    ] {
        let table = schedule_example(id).await;
        for (row, epoch, printed) in rows {
            assert_eq!(
                table.pointer(&format!("{row}/epoch")).unwrap().to_string(),
                epoch
            );
            assert_printed(&table, &format!("{row}/learning_rate"), printed, id);
        }
    }
}

/// Every value an example lists as printed is where it says, within a unit of its last digit
/// (the endpoint's own list, so the examples cannot drift from what the tests check).
#[tokio::test]
async fn every_listed_printed_value_is_reproduced_where_the_example_says() {
    let (_, list) = get_json("/v1/examples").await;
    let mut checked = 0;
    for example in list["examples"].as_array().unwrap() {
        let (status, answer) =
            post_json(example["endpoint"].as_str().unwrap(), &example["problem"]).await;
        assert_eq!(status, 200, "{}", example["id"]);
        for printed in example["printed_values"].as_array().unwrap() {
            let value = answer
                .pointer(printed["where"].as_str().unwrap())
                .and_then(Value::as_f64);
            let expected = printed["printed"].as_f64().unwrap();
            let unit = last_digit_unit(&printed["printed"].to_string());
            assert!(
                value.is_some_and(|v| (v - expected).abs() <= unit),
                "{} {}: printed {expected}, got {value:?}",
                example["id"],
                printed["quantity"]
            );
            checked += 1;
        }
    }
    assert!(checked >= 35, "only {checked} printed values");
}

/// The notes' time-based table (α₀ 0.2, decay_rate 1: epochs 1, 2, 3 at 0.1, 0.067, 0.05) inside
/// a solve: with `first_epoch: 1` every update carries the notes' epoch number and rate, and the
/// Markdown header says so; without it the first epoch is 0 at α₀.
#[tokio::test]
async fn the_time_based_table_inside_a_solve_numbers_epochs_as_the_notes_do() {
    let solution = solve_example("time_based_decay_solve").await;
    let steps = solution["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 6, "two samples, three epochs");
    for (index, epoch, printed) in [
        (0, 1, "0.1"),
        (1, 1, "0.1"),
        (2, 2, "0.067"),
        (3, 2, "0.067"),
        (4, 3, "0.05"),
        (5, 3, "0.05"),
    ] {
        assert_eq!(steps[index]["epoch"], epoch, "step {index}");
        assert_printed(
            &solution,
            &format!("/steps/{index}/learning_rate"),
            printed,
            &format!("α of update {}", index + 1),
        );
    }

    let (_, example) = get_json("/v1/examples/time_based_decay_solve").await;
    let (status, page) = post_text("/v1/solve?format=markdown", &example["problem"]).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(
            "- epoch numbering: the first epoch is epoch 1 and uses α(1) = 0.1, as in the \
             course's tables\n"
        ),
        "{page}"
    );

    let mut from_zero = example["problem"].clone();
    from_zero["schedule"]
        .as_object_mut()
        .unwrap()
        .remove("first_epoch");
    let (_, solution) = post_json("/v1/solve", &from_zero).await;
    assert_eq!(solution["steps"][0]["epoch"], 0);
    assert_eq!(solution["steps"][0]["learning_rate"], 0.2);
    let (_, page) = post_text("/v1/solve?format=markdown", &from_zero).await;
    assert!(
        page.contains(
            "- epoch numbering: the first epoch is epoch 0 and uses α(0) = α₀ = 0.2; the \
             course's tables start at epoch 1 (set `schedule.first_epoch: 1` for them)\n"
        ),
        "{page}"
    );
}
