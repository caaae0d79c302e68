//! The playground at `/` in a real browser, and its vendored KaTeX: `cargo test --test
//! browser`.
//!
//! `the_playground_works_in_chromium` starts the real server binary on a free port and runs
//! `tests/browser/playground.js` (playwright-core, pinned in `tests/browser/package-lock.json`)
//! with Debian's Chromium at `/usr/bin/chromium` (or `$CHROMIUM`); nothing downloads a browser.
//! Screenshots of each view go to `target/playground-screenshots/`. `.ci/run` installs
//! Chromium; on a machine without it, `GRADTRACE_SKIP_BROWSER=1` skips that test, saying so.
//!
//! `the_vendored_katex_is_the_published_package` runs `tests/browser/katex-integrity.js`: the
//! npm tarball of the KaTeX version pinned in `tests/katex/package-lock.json` against the
//! lock's sha512 `integrity`, and every file under `web/katex/` against the tarball's entry.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The server binary, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `gradtrace serve` on port 0 and read the address it logs.
fn start_server() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gradtrace"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = BufReader::new(stderr).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let at = line.find("listening on http://")?;
            let rest = &line[at + "listening on ".len()..];
            Some(rest.split_whitespace().next()?.to_string())
        })
        .expect("the server logs its address");
    // Keep reading, so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, url }
}

/// `npm ci` in `dir` unless its `node_modules` has `package`; never a browser download.
fn ensure_npm(dir: &Path, package: &str) {
    if dir.join("node_modules").join(package).is_dir() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .current_dir(dir)
        .status()
        .expect("npm is needed for this test (Node.js with npm)");
    assert!(status.success(), "npm ci in {} failed", dir.display());
}

#[test]
fn the_playground_works_in_chromium() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        assert!(
            std::env::var_os("GRADTRACE_SKIP_BROWSER").is_some(),
            "no Chromium at {chromium}: install Debian's chromium (.ci/run does), set CHROMIUM, \
             or set GRADTRACE_SKIP_BROWSER=1 to skip this test"
        );
        eprintln!("skipped: no Chromium at {chromium} and GRADTRACE_SKIP_BROWSER is set");
        return;
    }
    let dir = repository().join("tests/browser");
    ensure_npm(&dir, "playwright-core");
    let server = start_server();
    let shots = repository().join("target/playground-screenshots");
    let started = Instant::now();
    let output = Command::new("node")
        .arg("playground.js")
        .arg(&server.url)
        .arg(&shots)
        .env("CHROMIUM", &chromium)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .current_dir(&dir)
        .output()
        .expect("node runs");
    drop(server);
    assert!(
        output.status.success(),
        "the browser test failed after {:?}:\n{}\n{}",
        started.elapsed(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for view in [
        "1-solved",
        "3-marker-clicked",
        "4-graded",
        "5-permalink",
        "6-compare",
    ] {
        assert!(
            shots.join(format!("{view}.png")).is_file(),
            "no screenshot {view}"
        );
    }
}

#[test]
fn the_vendored_katex_is_the_published_package() {
    let output = Command::new("node")
        .arg("tests/browser/katex-integrity.js")
        .current_dir(repository())
        .output()
        .expect("node runs (Node.js with npm is needed for this test)");
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
