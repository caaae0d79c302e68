//! The playground's files (docs/contract.md §13): the page at `/` loads only files this service
//! serves, each with its media type, under a policy that forbids loading from anywhere else.
//! The page in a real browser is `tests/browser`.

use crate::helpers::get;

fn page_references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for part in html.split(attribute).skip(1) {
            if let Some(end) = part.find('"') {
                found.push(part[..end].to_string());
            }
        }
    }
    found
}

#[tokio::test]
async fn the_page_loads_only_files_of_this_service() {
    let page = get("/").await;
    assert_eq!(page.status, 200);
    let policy = page
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(policy.starts_with("default-src 'self'"), "{policy}");
    let html = String::from_utf8_lossy(&page.body).to_string();
    let references = page_references(&html);
    assert!(references.len() >= 4, "{references:?}");
    for reference in references {
        if reference == "data:," || reference == "/docs/" {
            continue;
        }
        assert!(reference.starts_with("/playground/"), "{reference}");
        let reply = get(&reference).await;
        assert_eq!(reply.status, 200, "{reference}");
    }
}

#[tokio::test]
async fn every_file_is_served_with_its_media_type_and_katex_finds_its_fonts() {
    for (path, media_type, bytes) in gradtrace::api::playground::FILES {
        let reply = get(&format!("/playground/{path}")).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.content_type(), *media_type, "{path}");
        assert_eq!(reply.body, *bytes, "{path}");
    }
    // Each font the stylesheet names first (woff2, what browsers load) is one of the files.
    let css = get("/playground/katex/katex.min.css").await;
    let css = String::from_utf8_lossy(&css.body).to_string();
    let fonts: Vec<&str> = css
        .split("url(")
        .skip(1)
        .filter_map(|p| p.split(')').next())
        .filter(|u| u.ends_with(".woff2"))
        .collect();
    assert_eq!(fonts.len(), 20);
    for font in fonts {
        let reply = get(&format!("/playground/katex/{font}")).await;
        assert_eq!(reply.status, 200, "{font}");
    }
    let missing = get("/playground/nothing.js").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.content_type(), "application/problem+json");
}
