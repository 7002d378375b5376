//! Replays every committed fuzz input (`fuzz/corpus/<target>/*`) through
//! the function its fuzz target runs, so `cargo test` on stable checks what
//! the fuzzer found interesting, crashes it once found included.

use std::path::{Path, PathBuf};

use lexiscope_fuzz_checks::TARGETS;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

#[test]
fn every_committed_input_passes_its_target() {
    let mut inputs = Vec::new();
    for (target, check) in TARGETS {
        let dir = corpus_dir(target);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("a readable folder entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        // A target without its corpus would pass without checking anything.
        assert!(
            files.len() >= 5,
            "{}: only {} inputs",
            dir.display(),
            files.len()
        );
        inputs.extend(files.into_iter().map(|f| (*target, *check, f)));
    }
    // Failures are listed at the end with their file names and messages,
    // instead of a backtrace each.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    for (target, check, file) in &inputs {
        let data = std::fs::read(file).expect("a readable corpus file");
        if let Err(panic) = std::panic::catch_unwind(|| check(&data)) {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{target}: {}: {why}", file.display()));
        }
    }
    std::panic::set_hook(hook);
    assert!(
        failures.is_empty(),
        "{} of {} inputs fail:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

#[test]
fn every_target_has_a_fuzz_target_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    for (target, _) in TARGETS {
        let source = root.join("fuzz_targets").join(format!("{target}.rs"));
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        assert!(
            text.contains(&format!("lexiscope_fuzz_checks::{target}(")),
            "{} does not call lexiscope_fuzz_checks::{target}",
            source.display()
        );
        assert!(
            manifest.contains(&format!("name = \"{target}\"")),
            "fuzz/Cargo.toml has no [[bin]] {target}"
        );
    }
}
