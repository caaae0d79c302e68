//! The pictures (docs/contract.md §13): the course's conjugate-gradient figure parses as XML,
//! has one path per configuration and one marker per update at the trace's weights, and its
//! contour lines are closed or end on the frame; every picture comes out of the CLI byte for
//! byte; bad requests are 422s; a diverging run draws without NaN.

use serde_json::{json, Value};

use crate::helpers::{get_json, gradtrace, momentum, pointers, post, post_json};

const PICTURES: &str = "/v1/plot";

async fn post_svg(path: &str, body: &Value) -> (u16, String, String) {
    let reply = post(path, body).await;
    (
        reply.status.as_u16(),
        reply.content_type().to_string(),
        String::from_utf8_lossy(&reply.body).into_owned(),
    )
}

async fn cg_example() -> Value {
    let (status, example) = get_json("/v1/examples/conjugate_gradient_vs_gradient_descent").await;
    assert_eq!(status, 200);
    assert_eq!(example["endpoint"], "/v1/compare");
    example["problem"].clone()
}

fn attribute(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} on {node:?}"))
}

fn with_class<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .collect()
}

/// The frame's pixels and data ranges: maps a value to its pixel.
struct Frame {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

impl Frame {
    fn read(doc: &roxmltree::Document<'_>) -> Frame {
        let node = with_class(doc, "frame")[0];
        Frame {
            x: attribute(node, "x"),
            y: attribute(node, "y"),
            width: attribute(node, "width"),
            height: attribute(node, "height"),
            x_range: (attribute(node, "data-x-min"), attribute(node, "data-x-max")),
            y_range: (attribute(node, "data-y-min"), attribute(node, "data-y-max")),
        }
    }

    fn pixel(&self, wx: f64, wy: f64) -> (f64, f64) {
        let (x0, x1) = self.x_range;
        let (y0, y1) = self.y_range;
        (
            self.x + (wx - x0) / (x1 - x0) * self.width,
            self.y + self.height - (wy - y0) / (y1 - y0) * self.height,
        )
    }

    fn on_edge(&self, (px, py): (f64, f64)) -> bool {
        let near = |a: f64, b: f64| (a - b).abs() < 0.011;
        near(px, self.x)
            || near(px, self.x + self.width)
            || near(py, self.y)
            || near(py, self.y + self.height)
    }
}

/// The points of a path's `d` (`M x y L x y … [Z]`), and whether it closes.
fn points(d: &str) -> (Vec<(f64, f64)>, bool) {
    let numbers: Vec<f64> = d
        .split([' ', 'M', 'L', 'Z'])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("a number"))
        .collect();
    let points = numbers.chunks(2).map(|p| (p[0], p[1])).collect();
    (points, d.trim_end().ends_with('Z'))
}

#[tokio::test]
async fn the_conjugate_gradient_figure_puts_every_marker_at_its_weights() {
    let body = cg_example().await;
    let (status, content_type, svg) = post_svg(&format!("{PICTURES}/surface"), &body).await;
    assert_eq!(status, 200, "{svg}");
    assert_eq!(content_type, "image/svg+xml");
    let doc = roxmltree::Document::parse(&svg).expect("the picture is XML");
    let frame = Frame::read(&doc);
    let (_, compared) = post_json("/v1/compare?detail=values", &body).await;
    let results = compared["results"].as_array().expect("results");
    assert_eq!(with_class(&doc, "optimizer-path").len(), results.len());
    let markers = with_class(&doc, "marker");
    for (i, result) in results.iter().enumerate() {
        let steps = result["steps"].as_array().expect("steps");
        let mine: Vec<_> = markers
            .iter()
            .filter(|m| m.attribute("data-config") == Some(&i.to_string()))
            .collect();
        assert_eq!(mine.len(), steps.len(), "configuration {i}");
        assert!(steps.len() > 1);
        for (marker, step) in mine.iter().zip(steps) {
            assert_eq!(
                marker.attribute("data-update"),
                Some(step["index"].to_string().as_str())
            );
            let w = &step["weights_after"];
            let (px, py) = frame.pixel(w[0].as_f64().unwrap(), w[1].as_f64().unwrap());
            // Written with two decimals: within half a hundredth of a pixel.
            assert!(
                (attribute(**marker, "cx") - px).abs() <= 0.0051,
                "{marker:?} {px}"
            );
            assert!(
                (attribute(**marker, "cy") - py).abs() <= 0.0051,
                "{marker:?} {py}"
            );
            let title = marker
                .first_element_child()
                .and_then(|t| t.text())
                .unwrap_or("");
            assert!(
                title.contains(&format!("update {}", step["index"])),
                "{title}"
            );
        }
    }
    assert_eq!(with_class(&doc, "start").len(), results.len());
    assert_eq!(with_class(&doc, "end").len(), results.len());
    let contours = with_class(&doc, "contour");
    assert!(contours.len() >= 12, "{} contour lines", contours.len());
    for contour in contours {
        let (points, closed) = points(contour.attribute("d").unwrap_or(""));
        let (first, last) = (points[0], points[points.len() - 1]);
        assert!(
            closed || (frame.on_edge(first) && frame.on_edge(last)),
            "a contour line stops inside the frame: {first:?} … {last:?}"
        );
    }
    // The loss spans more than two decades here: the levels are logarithmic, named in words.
    assert!(svg.contains("logarithmically spaced"));
    let legend = with_class(&doc, "legend-entry");
    assert_eq!(legend.len(), 2);
    assert!(svg.contains("gd: α = 45"));
    assert!(svg.contains(">w<tspan class=\"sub\""));
}

#[tokio::test]
async fn every_picture_comes_out_of_the_cli_byte_for_byte() {
    let schedule = json!({
        "learning_rate": 0.2,
        "schedule": {"type": "step", "drop_rate": 0.5, "epochs_drop": 5},
        "epochs": [0, 5, 10, 15]
    });
    let cases: Vec<(String, Vec<&str>, Value)> = vec![
        (
            format!("{PICTURES}/surface"),
            vec!["plot", "surface", "-"],
            cg_example().await,
        ),
        (
            format!("{PICTURES}/surface?x=1&y=0&resolution=21"),
            vec![
                "plot",
                "surface",
                "--x",
                "1",
                "--y",
                "0",
                "--resolution",
                "21",
                "-",
            ],
            momentum(),
        ),
        (
            format!("{PICTURES}/loss"),
            vec!["plot", "loss", "-"],
            cg_example().await,
        ),
        (
            format!("{PICTURES}/loss"),
            vec!["plot", "loss", "-"],
            momentum(),
        ),
        (
            format!("{PICTURES}/schedule"),
            vec!["plot", "schedule", "-"],
            schedule,
        ),
    ];
    for (path, args, body) in cases {
        let (status, content_type, served) = post_svg(&path, &body).await;
        assert_eq!(
            (status, content_type.as_str()),
            (200, "image/svg+xml"),
            "{path}"
        );
        roxmltree::Document::parse(&served).expect("XML");
        let output = gradtrace(&args, &body.to_string());
        assert!(output.status.success(), "{args:?}");
        assert!(
            output.stdout == served.as_bytes(),
            "{path}: the CLI's bytes differ"
        );
    }
}

#[tokio::test]
async fn the_loss_picture_has_a_dot_per_update_and_a_square_per_epoch() {
    let mut body = momentum();
    body["epochs"] = json!(3);
    let (status, _, svg) = post_svg(&format!("{PICTURES}/loss"), &body).await;
    assert_eq!(status, 200);
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    // Two samples, three epochs: six updates and the start.
    assert_eq!(with_class(&doc, "update").len(), 7);
    assert_eq!(with_class(&doc, "epoch").len(), 3);
    assert_eq!(with_class(&doc, "curve").len(), 1);
}

#[tokio::test]
async fn a_picture_that_cannot_be_drawn_is_a_422_at_its_cause() {
    let surface = format!("{PICTURES}/surface");
    let cases = [
        (format!("{surface}?x=1&y=1"), momentum(), "/weights"),
        (format!("{surface}?x=2"), momentum(), "/weights"),
        (
            format!("{surface}?resolution=100000"),
            momentum(),
            "/resolution",
        ),
        (
            surface.clone(),
            json!({"samples": [{"x": [1], "t": 0.5}], "weights": [0.1], "algorithm": "gd", "hyperparameters": {"learning_rate": 0.1}}),
            "/weights",
        ),
        (surface.clone(), json!({"weights": [0.5, 0.5]}), "/samples"),
        (
            surface.clone(),
            json!({"problem": {"weights": [0.5]}, "configurations": [{"algorithm": "gd"}]}),
            "/problem/samples",
        ),
    ];
    // 61² grid points × 10,000 samples are over max_plot_evaluations.
    let many: Vec<Value> = (0..10_000)
        .map(|i| json!({"x": [1, f64::from(i) / 10_000.0], "t": 0.5}))
        .collect();
    let mut crowded = momentum();
    crowded["samples"] = json!(many);
    let cases = cases
        .into_iter()
        .chain([(surface.clone(), crowded, "/resolution")]);
    for (path, body, pointer) in cases {
        let (status, problem) = post_json(&path, &body).await;
        assert_eq!(status, 422, "{path}: {problem}");
        let pointers = pointers(&problem);
        assert!(
            pointers.iter().any(|p| p == pointer),
            "{path}: {pointers:?}"
        );
        if pointer == "/resolution" {
            // A limit names itself and how an operator raises it.
            let limit = &problem["errors"][0]["limit"];
            assert!(
                limit["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("max_plot_")),
                "{problem}"
            );
            assert!(limit["env"]
                .as_str()
                .is_some_and(|e| e.starts_with("GRADTRACE_MAX_PLOT_")));
        }
    }
}

#[tokio::test]
async fn a_query_outside_its_ranges_is_a_400() {
    for query in ["x=1001", "y=-1", "resolution=4", "resolution=100001", "z=1"] {
        let (status, _) = post_json(&format!("{PICTURES}/surface?{query}"), &momentum()).await;
        assert_eq!(status, 400, "{query}");
    }
}

#[tokio::test]
async fn the_bias_can_be_an_axis() {
    let mut body = momentum();
    body["bias"] = json!(0.1);
    let (status, _, svg) = post_svg(&format!("{PICTURES}/surface?x=2&y=0"), &body).await;
    assert_eq!(status, 200, "{svg}");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let names: Vec<&str> = with_class(&doc, "axis-name")
        .iter()
        .filter_map(|n| n.attribute("data-name"))
        .collect();
    assert_eq!(names, ["b", "w_1"]);
}

#[tokio::test]
async fn a_diverging_run_draws_without_a_nan() {
    let mut body = momentum();
    body["algorithm"] = json!("gd");
    body["hyperparameters"] = json!({"learning_rate": 1e300});
    body["epochs"] = json!(5);
    for path in ["surface", "loss"] {
        let (status, _, svg) = post_svg(&format!("{PICTURES}/{path}"), &body).await;
        assert_eq!(status, 200, "{path}: {svg}");
        roxmltree::Document::parse(&svg).expect("XML");
        for bad in ["NaN", "inf"] {
            assert!(!svg.contains(bad), "{path} has {bad}");
        }
    }
}
