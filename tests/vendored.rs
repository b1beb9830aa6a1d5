//! The vendored serde-wasm-bindgen (vendor/serde-wasm-bindgen/, patched in through Cargo.toml's
//! `[patch.crates-io]`) is exactly its published release plus vendor/serde-wasm-bindgen/PATCH.diff:
//! the release is fetched through cargo (the version the vendored Cargo.toml names, from
//! crates.io), the diff applied to it strictly, and every vendored file compared byte for byte.
//! A change to the copy that is not in the diff, or a diff that no longer applies, fails here.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const NAME: &str = "serde-wasm-bindgen";

fn vendor() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor").join(NAME)
}

/// Every file under `dir`, by its path relative to `dir` (with `/`), with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().components();
                let rel = rel.map(|c| c.as_os_str().to_str().unwrap()).collect::<Vec<_>>().join("/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The version the vendored manifest names (cargo's normalized `[package]` comes first).
fn vendored_version() -> String {
    let manifest = fs::read_to_string(vendor().join("crate/Cargo.toml")).unwrap();
    let line = manifest.lines().find(|l| l.starts_with("version = ")).expect("a version in the vendored Cargo.toml");
    line.trim_start_matches("version = ").trim_matches('"').to_string()
}

/// The published crate's folder in cargo's registry: a throwaway project depending on exactly
/// that version, outside this one (whose patch would answer with the vendored copy), whose
/// `cargo metadata` downloads the release if it is not there yet and says where it is.
fn published(version: &str) -> PathBuf {
    let probe = std::env::temp_dir().join(format!("intune-esim-vendored-{}", std::process::id()));
    fs::create_dir_all(probe.join("src")).unwrap();
    fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n{NAME} = \"={version}\"\n"
        ),
    )
    .unwrap();
    fs::write(probe.join("src/lib.rs"), "").unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(probe.join("Cargo.toml"))
        .output()
        .unwrap();
    fs::remove_dir_all(&probe).ok();
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["name"] == NAME
                && p["version"] == version
                && p["source"].as_str().is_some_and(|s| s.starts_with("registry+"))
        })
        .expect("the published release in cargo metadata");
    Path::new(package["manifest_path"].as_str().unwrap()).parent().unwrap().to_path_buf()
}

/// The lines of `text`, each with its own end (`\n` or `\r\n`, kept as it is).
fn lines(text: &[u8]) -> Vec<&[u8]> {
    text.split_inclusive(|b| *b == b'\n').collect()
}

/// `diff` (unified, as `diff -ruN a b` writes it) applied to `tree`, strictly: each hunk where it
/// says, with every context and removed line as it says.
fn apply(tree: &mut BTreeMap<String, Vec<u8>>, diff: &[u8]) {
    let diff = lines(diff);
    let mut i = 0;
    while i < diff.len() {
        let Some(target) = diff[i].strip_prefix(b"+++ b/") else {
            i += 1;
            continue;
        };
        let path = String::from_utf8(target.to_vec()).unwrap().trim_end().to_string();
        let old = tree.get(&path).unwrap_or_else(|| panic!("PATCH.diff changes {path}, which the release has not"));
        let old = lines(old);
        let (mut new, mut at) = (Vec::new(), 0);
        i += 1;
        while i < diff.len() && diff[i].starts_with(b"@@ -") {
            let header = String::from_utf8(diff[i].to_vec()).unwrap();
            let range = |sign: char| -> (usize, usize) {
                let r = header.split(' ').find(|w| w.starts_with(sign)).unwrap()[1..].to_string();
                let mut n = r.split(',').map(|n| n.parse::<usize>().unwrap());
                (n.next().unwrap(), n.next().unwrap_or(1))
            };
            let ((start, mut removed), (_, mut added)) = (range('-'), range('+'));
            // A hunk of no old lines starts after line `start`, any other at line `start`.
            let start = if removed == 0 { start } else { start - 1 };
            assert!(start >= at, "{path}: hunks out of order");
            new.extend_from_slice(&old[at..start]);
            at = start;
            i += 1;
            while removed + added > 0 {
                let line = diff[i];
                i += 1;
                match line.first() {
                    Some(b' ') | Some(b'-') => {
                        assert_eq!(
                            old.get(at).copied(),
                            Some(&line[1..]),
                            "{path}: the diff does not apply at line {}",
                            at + 1
                        );
                        if line[0] == b' ' {
                            new.push(&line[1..]);
                            added -= 1;
                        }
                        at += 1;
                        removed -= 1;
                    }
                    Some(b'+') => {
                        new.push(&line[1..]);
                        added -= 1;
                    }
                    _ => panic!("{path}: a line of a hunk that is neither context, removed nor added"),
                }
            }
        }
        new.extend_from_slice(&old[at..]);
        let new = new.concat();
        tree.insert(path, new);
    }
}

#[test]
fn the_vendored_serde_wasm_bindgen_is_its_release_plus_patch_diff() {
    let version = vendored_version();
    let release = files(&published(&version));
    let sources: Vec<String> = release.keys().filter(|p| p.starts_with("src/")).cloned().collect();
    let vendored = files(&vendor().join("crate"));
    // Only what building needs is vendored; each file of it is the release's, patched.
    let mut expected: BTreeMap<String, Vec<u8>> =
        release.into_iter().filter(|(path, _)| vendored.contains_key(path)).collect();
    apply(&mut expected, &fs::read(vendor().join("PATCH.diff")).unwrap());
    for path in vendored.keys() {
        assert!(expected.contains_key(path), "vendor/{NAME}/crate/{path} is not a file of the release {version}");
    }
    for (path, bytes) in &expected {
        assert!(
            vendored[path] == *bytes,
            "vendor/{NAME}/crate/{path} differs from the release {version} plus PATCH.diff"
        );
    }
    // The crate's sources are all there: none of them dropped instead of patched.
    for path in &sources {
        assert!(vendored.contains_key(path), "vendor/{NAME}/crate/{path} of the release is missing");
    }
}
