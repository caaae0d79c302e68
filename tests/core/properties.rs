//! Property tests: random problems, extreme values included, never panic the core, never put a
//! non-finite number in the JSON, and a diverging run stops with the finite trace before it.

use gradtrace::solve::*;
use proptest::prelude::*;

use crate::support::{assert_all_finite, assert_lines_match_the_trace, problem};

fn extreme() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -3.0..3.0f64,
        1 => prop::sample::select(vec![0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, f64::MAX, f64::MIN_POSITIVE, 1e-8, 0.999999]),
        1 => prop::num::f64::NORMAL,
    ]
}

fn unit() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0..1.0f64,
        prop::sample::select(vec![0.0, 0.9, 0.999, 0.999999999])
    ]
}

fn positive() -> impl Strategy<Value = f64> {
    prop_oneof![
        1e-6..10.0f64,
        prop::sample::select(vec![1e-300, 1e300, f64::MAX, 1.0])
    ]
}

fn non_negative() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), positive()]
}

fn optimizer() -> impl Strategy<Value = Optimizer> {
    let form = prop::sample::select(vec![MomentumForm::Average, MomentumForm::Sum]);
    prop_oneof![
        positive().prop_map(|learning_rate| Optimizer::Gd { learning_rate }),
        (positive(), unit(), form.clone()).prop_map(|(learning_rate, beta, form)| {
            Optimizer::Momentum {
                learning_rate,
                beta,
                form,
            }
        }),
        (positive(), unit(), form).prop_map(|(learning_rate, beta, form)| Optimizer::Nesterov {
            learning_rate,
            beta,
            form
        }),
        (
            positive(),
            non_negative(),
            non_negative(),
            prop::option::of(1usize..4)
        )
            .prop_map(|(learning_rate, epsilon, initial_accumulator, window)| {
                Optimizer::Adagrad {
                    learning_rate,
                    epsilon,
                    initial_accumulator,
                    window,
                }
            }),
        (positive(), unit(), non_negative()).prop_map(|(learning_rate, rho, epsilon)| {
            Optimizer::Adadelta {
                learning_rate,
                rho,
                epsilon,
            }
        }),
        (positive(), unit(), non_negative()).prop_map(|(learning_rate, beta, epsilon)| {
            Optimizer::Rmsprop {
                learning_rate,
                beta,
                epsilon,
            }
        }),
        (positive(), unit(), unit(), non_negative()).prop_map(
            |(learning_rate, beta1, beta2, epsilon)| Optimizer::Adam {
                learning_rate,
                beta1,
                beta2,
                epsilon
            }
        ),
        (positive(), unit(), unit(), non_negative(), non_negative()).prop_map(
            |(learning_rate, beta1, beta2, epsilon, weight_decay)| Optimizer::AdamW {
                learning_rate,
                beta1,
                beta2,
                epsilon,
                weight_decay
            }
        ),
        (positive(), unit(), unit(), non_negative()).prop_map(
            |(learning_rate, beta1, beta2, epsilon)| Optimizer::Amsgrad {
                learning_rate,
                beta1,
                beta2,
                epsilon
            }
        ),
        (positive(), unit(), unit(), non_negative(), non_negative()).prop_map(
            |(learning_rate, beta1, beta2, epsilon, momentum_decay)| Optimizer::Nadam {
                learning_rate,
                beta1,
                beta2,
                epsilon,
                momentum_decay
            }
        ),
        (
            prop::sample::select(vec![
                BetaFormula::FletcherReeves,
                BetaFormula::PolakRibiere,
                BetaFormula::PolakRibierePlus,
                BetaFormula::HestenesStiefel
            ]),
            prop_oneof![
                positive().prop_map(|max_step| LineSearch::Exact { max_step }),
                positive().prop_map(|learning_rate| LineSearch::Fixed { learning_rate })
            ],
            1usize..4,
            non_negative()
        )
            .prop_map(|(beta_formula, line_search, restart_every, tolerance)| {
                Optimizer::ConjugateGradient {
                    beta_formula,
                    line_search,
                    restart_every,
                    tolerance,
                }
            }),
    ]
}

fn schedule() -> impl Strategy<Value = Option<Schedule>> {
    let kind = prop_oneof![
        non_negative().prop_map(|decay_rate| ScheduleKind::TimeBased { decay_rate }),
        (prop_oneof![1e-6..1.0f64, Just(1.0)], 1u64..20).prop_map(|(drop_rate, epochs_drop)| {
            ScheduleKind::Step {
                drop_rate,
                epochs_drop,
            }
        }),
        non_negative().prop_map(|k| ScheduleKind::Exponential { k }),
    ];
    prop::option::of(
        (
            kind,
            prop_oneof![0u64..3, Just(u64::MAX / 2)],
            any::<bool>(),
        )
            .prop_map(|(kind, first_epoch, per_update)| Schedule {
                kind,
                first_epoch,
                per: if per_update {
                    SchedulePer::Update
                } else {
                    SchedulePer::Epoch
                },
            }),
    )
}

fn problems() -> impl Strategy<Value = Problem> {
    (1usize..4, 1usize..5)
        .prop_flat_map(|(n, m)| {
            (
                prop::collection::vec((prop::collection::vec(extreme(), n), extreme()), m),
                prop::collection::vec(extreme(), n),
                prop::option::of(extreme()),
                optimizer(),
                (
                    prop::sample::select(vec![
                        Activation::Logistic,
                        Activation::Linear,
                        Activation::Tanh,
                        Activation::Relu,
                    ]),
                    any::<bool>(),
                ),
                (any::<bool>(), 1u64..6, 1usize..6, any::<bool>()),
                schedule(),
                (any::<bool>(), any::<bool>()),
                prop::option::of(prop_oneof![
                    (0u32..6).prop_map(Rounding::Decimals),
                    (1u32..6).prop_map(Rounding::SignificantFigures)
                ]),
            )
        })
        .prop_map(
            |(
                samples,
                weights,
                bias,
                optimizer,
                (activation, cross_entropy),
                (bias_correction, epochs, batch_size, sum),
                schedule,
                (delta, outside),
                rounding,
            )| {
                let mut p = problem(samples, weights, optimizer);
                p.bias = bias;
                p.activation = activation;
                if cross_entropy && activation == Activation::Logistic {
                    p.loss = Loss::CrossEntropy;
                }
                p.bias_correction = bias_correction;
                p.epochs = epochs;
                p.batch_size = batch_size;
                if sum {
                    p.reduction = Reduction::Sum;
                }
                // An exact line search has no α to schedule.
                let exact = matches!(
                    p.optimizer,
                    Optimizer::ConjugateGradient {
                        line_search: LineSearch::Exact { .. },
                        ..
                    }
                );
                p.schedule = if exact { None } else { schedule };
                p.conventions = Conventions {
                    sign: if delta {
                        SignConvention::Delta
                    } else {
                        SignConvention::Gradient
                    },
                    epsilon: if outside {
                        EpsilonPlacement::OutsideSqrt
                    } else {
                        EpsilonPlacement::InsideSqrt
                    },
                };
                p.rounding = rounding;
                p
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_problem_panics_the_core_or_reaches_the_json_non_finite(p in problems()) {
        let solution = solve(&p);
        assert_all_finite(&solution);
        let updates_per_epoch = if matches!(p.optimizer, Optimizer::ConjugateGradient { .. }) {
            1
        } else {
            p.samples.len().div_ceil(p.batch_size.clamp(1, p.samples.len()))
        };
        let planned = p.epochs as usize * updates_per_epoch;
        match solution.status {
            Status::Completed => prop_assert_eq!(solution.steps.len(), planned),
            Status::Diverged => {
                prop_assert!(solution.steps.len() < planned);
                let update = solution.steps.len() as u64 + 1;
                prop_assert!(solution.warnings.iter().any(|w| w.code == "diverged" && w.step == Some(update)));
            }
            Status::Converged => prop_assert!(solution.steps.len() < planned),
        }
        if let Some(last) = solution.steps.last() {
            prop_assert_eq!(&solution.final_weights, &last.weights_after);
        }
        for (i, step) in solution.steps.iter().enumerate() {
            prop_assert_eq!(step.index, i as u64 + 1);
            assert_lines_match_the_trace(step);
        }
    }

    /// The two sign conventions give bit-identical weights and opposite dw (docs/contract.md §4).
    #[test]
    fn sign_conventions_change_only_the_sign_of_dw(p in problems()) {
        let mut delta = p.clone();
        delta.conventions.sign = SignConvention::Delta;
        let mut gradient = p;
        gradient.conventions.sign = SignConvention::Gradient;
        let (a, b) = (solve(&gradient), solve(&delta));
        prop_assert_eq!(a.steps.len(), b.steps.len());
        for (x, y) in a.steps.iter().zip(&b.steps) {
            prop_assert_eq!(&x.weights_after, &y.weights_after);
            prop_assert_eq!(&x.gradient, &y.gradient);
            let flipped: Vec<f64> = y.dw.iter().map(|d| -d).collect();
            prop_assert_eq!(&x.dw, &flipped);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// docs/contract.md §12: the values reading (with or without hand rounding) and the lines
    /// reading compute the same numbers, bit for bit, for every algorithm and option; a summary
    /// ends where they end. `{:?}` writes each f64 as its shortest round-trip digits (and -0.0
    /// as such), so equal text is equal bits.
    #[test]
    fn the_values_and_lines_readings_give_bit_identical_numbers(p in problems()) {
        let lines = solve_detail(&p, Detail::Lines);
        let values = solve_detail(&p, Detail::Values);
        let summary = solve_detail(&p, Detail::Summary);
        prop_assert_eq!(lines.steps.len(), values.steps.len());
        for (with_lines, without) in lines.steps.iter().zip(&values.steps) {
            prop_assert!(without.lines.is_empty());
            let stripped = Step { lines: Vec::new(), ..with_lines.clone() };
            prop_assert_eq!(format!("{stripped:?}"), format!("{without:?}"));
        }
        let ending = |s: &Solution| {
            format!("{:?} {:?} {:?} {:?}", s.status, s.warnings, s.final_weights, s.final_bias)
        };
        prop_assert_eq!(ending(&lines), ending(&values));
        prop_assert_eq!(ending(&lines), ending(&summary));
        prop_assert!(summary.steps.is_empty());
        prop_assert_eq!(format!("{:?}", lines.loss.per_epoch), format!("{:?}", summary.loss.per_epoch));
        let per_update = summary.loss.per_update.clone().unwrap_or_default();
        prop_assert_eq!(per_update.len(), lines.steps.len());
        if let Some(last) = per_update.last() {
            let last = last.is_finite().then_some(*last);
            prop_assert_eq!(format!("{last:?}"), format!("{:?}", lines.loss.final_));
        }
    }
}

/// One sample and as many epochs as the default size limit allows (`updates × (parameters + 1)`
/// at most `config::DEFAULT_TRACE_ENTRIES`): the longest runs the service computes.
fn longest_problems() -> impl Strategy<Value = Problem> {
    (1usize..4, any::<bool>())
        .prop_flat_map(|(n, with_bias)| {
            (
                prop::collection::vec(extreme(), n),
                extreme(),
                prop::collection::vec(extreme(), n),
                if with_bias {
                    extreme().prop_map(Some).boxed()
                } else {
                    Just(None).boxed()
                },
                optimizer(),
                any::<bool>(),
                schedule(),
            )
        })
        .prop_map(
            |(x, t, weights, bias, optimizer, bias_correction, schedule)| {
                let width = (weights.len() + usize::from(bias.is_some()) + 1) as u64;
                let mut p = problem(vec![(x, t)], weights, optimizer);
                p.bias = bias;
                p.bias_correction = bias_correction;
                p.epochs = gradtrace::config::DEFAULT_TRACE_ENTRIES / width;
                let exact = matches!(
                    p.optimizer,
                    Optimizer::ConjugateGradient {
                        line_search: LineSearch::Exact { .. },
                        ..
                    }
                );
                p.schedule = if exact { None } else { schedule };
                p
            },
        )
}

proptest! {
    // Each case is thousands of updates; a few cases cover the long tail (β^t underflowing to
    // 0, accumulators growing or vanishing for thousands of steps, a schedule annealing the rate
    // towards 0) that the short runs above never reach.
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn runs_as_long_as_the_size_limit_allows_stay_finite_to_the_last_update(p in longest_problems()) {
        let width = (p.weights.len() + usize::from(p.bias.is_some()) + 1) as u64;
        prop_assert!(p.epochs * width <= gradtrace::config::DEFAULT_TRACE_ENTRIES);
        let solution = solve(&p);
        assert_all_finite(&solution);
        if solution.status == Status::Completed {
            prop_assert_eq!(solution.steps.len() as u64, p.epochs);
        }
        if let Some(last) = solution.steps.last() {
            prop_assert_eq!(&solution.final_weights, &last.weights_after);
            assert_lines_match_the_trace(last);
        }
    }
}

#[test]
fn zero_epsilon_with_a_zero_gradient_for_the_whole_limit_never_divides_by_zero() {
    // A linear neuron that already fits its sample: every gradient, so every accumulator, is
    // exactly 0, and with ε = 0 every update divides 0 by 0 — for the whole default limit.
    for optimizer in [
        Optimizer::Adagrad {
            learning_rate: 0.1,
            epsilon: 0.0,
            initial_accumulator: 0.0,
            window: None,
        },
        Optimizer::Rmsprop {
            learning_rate: 0.1,
            beta: 0.9,
            epsilon: 0.0,
        },
        Optimizer::Adam {
            learning_rate: 0.1,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 0.0,
        },
        Optimizer::Adadelta {
            learning_rate: 1.0,
            rho: 0.95,
            epsilon: 0.0,
        },
        Optimizer::Nadam {
            learning_rate: 0.1,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 0.0,
            momentum_decay: 0.004,
        },
    ] {
        let mut p = problem(vec![(vec![1.0], 0.5)], vec![0.5], optimizer.clone());
        p.activation = Activation::Linear;
        p.bias_correction = true;
        p.epochs = gradtrace::config::DEFAULT_TRACE_ENTRIES / 2;
        let solution = solve(&p);
        assert_all_finite(&solution);
        assert_eq!(solution.status, Status::Completed, "{optimizer:?}");
        assert_eq!(
            solution.steps.len() as u64,
            gradtrace::config::DEFAULT_TRACE_ENTRIES / 2
        );
        assert_eq!(solution.final_weights, vec![0.5], "{optimizer:?}");
        assert!(
            solution
                .warnings
                .iter()
                .any(|w| w.code == "zero_denominator"),
            "{optimizer:?}"
        );
    }
}

#[test]
fn a_diverging_run_stops_with_the_finite_trace_before_it() {
    // A linear neuron with a huge rate: the weights grow by ~1e200 per update until they overflow.
    let mut p = problem(
        vec![(vec![1.0], 1.0), (vec![2.0], -1.0)],
        vec![1.0],
        Optimizer::Gd {
            learning_rate: 1e200,
        },
    );
    p.activation = Activation::Linear;
    p.batch_size = 1;
    p.epochs = 10;
    let solution = solve(&p);
    assert_eq!(solution.status, Status::Diverged);
    assert!(!solution.steps.is_empty() && solution.steps.len() < 20);
    let last = solution.steps.last().unwrap();
    assert_eq!(solution.final_weights, last.weights_after);
    let warning = solution
        .warnings
        .iter()
        .find(|w| w.code == "diverged")
        .unwrap();
    assert_eq!(warning.step, Some(last.index + 1));
    assert!(warning.message.contains("not finite"));
    assert_all_finite(&solution);
}
