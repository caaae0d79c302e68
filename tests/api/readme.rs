//! Every shell example in README.md works exactly as written: each ```sh block (but the two
//! set-up commands) runs under `bash -euo pipefail` against the real server on a free port, with
//! `localhost:8080` pointed at it and `cargo run --release -q --` at the test's own binary.

use std::path::PathBuf;
use std::process::Command;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

const SETUP_COMMANDS: [&str; 2] = ["cargo run --release", "cargo test"];

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The ```sh blocks of the README, in order.
fn shell_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(block.clone());
                current = None;
            }
            (Some(block), text) => {
                block.push_str(text);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_readme_example_works_as_written() {
    let readme = std::fs::read_to_string(repository().join("README.md")).expect("README.md");
    let blocks = shell_blocks(&readme);
    let setup: Vec<&String> = blocks
        .iter()
        .filter(|b| SETUP_COMMANDS.contains(&b.trim()))
        .collect();
    assert_eq!(
        setup.len(),
        2,
        "the README shows exactly the two set-up commands"
    );

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(gradtrace::serve(listener, async {
        let _ = stopped.await;
    }));

    let examples: Vec<String> = blocks
        .into_iter()
        .filter(|b| !SETUP_COMMANDS.contains(&b.trim()))
        .collect();
    assert!(examples.len() >= 10, "only {} examples", examples.len());
    for block in examples {
        let script = block
            .replace("localhost:8080", &addr.to_string())
            .replace("cargo run --release -q --", env!("CARGO_BIN_EXE_gradtrace"));
        let output = tokio::task::spawn_blocking(move || {
            Command::new("bash")
                .args(["-euo", "pipefail", "-c", &script])
                .current_dir(repository())
                .output()
                .expect("bash runs")
        })
        .await
        .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "README example failed:\n{block}\nstdout: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !stdout.trim().is_empty(),
            "README example printed nothing:\n{block}"
        );
        assert!(
            !stdout.contains("null\n") || block.contains("jq ."),
            "a jq path found nothing:\n{block}\n{stdout}"
        );
    }

    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
