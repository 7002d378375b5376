//! The report's output folder, replaced as a whole or not at all.
//!
//! A report is written into a hidden staging folder first.  Only when every
//! file is there does [`Staging::commit`] move it into place:
//!
//! - an output folder that does not exist yet is the staging folder renamed
//!   (one atomic step);
//! - an existing folder (which may hold the user's own files too) loses its
//!   `manifest.json` and `index.html` first, then receives the new files one
//!   rename at a time, drops the files the old manifest listed that the new
//!   report no longer has, and gets `index.html` and `manifest.json` last.
//!
//! So a run stopped at any moment leaves either the previous complete report,
//! or a folder without a manifest (and without `index.html`): never a mix
//! that looks complete.  Ctrl-C (and SIGTERM, SIGHUP) during the analysis
//! removes the staging folder and leaves the previous report untouched; during
//! the commit it waits for the commit to finish.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use anyhow::Context;

/// Written last when a report is replaced, so its presence means "complete".
pub const MANIFEST: &str = "manifest.json";
/// Written just before the manifest.
pub const INDEX: &str = "index.html";

/// The staging folder that an interruption must remove, if any.
static STAGING: Mutex<Option<PathBuf>> = Mutex::new(None);
/// Set while files are moved into the output folder.
static COMMITTING: AtomicBool = AtomicBool::new(false);
/// Set when an interruption arrived during the commit.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Exit status of a process ended by Ctrl-C (128 + SIGINT), as shells report it.
pub const INTERRUPTED_EXIT: i32 = 130;

/// Installs the Ctrl-C / SIGTERM / SIGHUP handler.  Before any report
/// exists it simply ends the process (nothing has been written yet).
pub fn install_interrupt_handler() {
    // A second installation (impossible in the binary) is not worth a panic.
    let _ = ctrlc::set_handler(|| {
        if COMMITTING.load(Ordering::SeqCst) {
            INTERRUPTED.store(true, Ordering::SeqCst);
            return;
        }
        let staged = STAGING.lock().ok().and_then(|mut s| s.take());
        if let Some(dir) = staged {
            discard(&dir);
            crate::term::note(
                false,
                "lexiscope: interrupted; the output folder was left as it was",
            );
        } else {
            crate::term::note(false, "lexiscope: interrupted");
        }
        std::process::exit(INTERRUPTED_EXIT);
    });
}

/// Removes the staging folder `dir` while writer threads may still be
/// creating files in it.  It is first renamed (its leftover name keeps the
/// process id, so a later run clears it if this one cannot): a file the
/// writers create after that fails, as no one re-creates the folder.  Files
/// they were creating in the meantime can still appear in the renamed
/// folder, so its removal is tried again until it is gone (for a second at
/// most).
fn discard(dir: &Path) {
    let mut doomed = dir.as_os_str().to_os_string();
    doomed.push("-interrupted");
    let doomed = PathBuf::from(doomed);
    let target = if std::fs::rename(dir, &doomed).is_ok() {
        doomed
    } else {
        dir.to_path_buf()
    };
    for _ in 0..100 {
        let _ = std::fs::remove_dir_all(&target);
        if !target.exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// True when an interruption arrived while a report was being committed.
pub fn interrupted_during_commit() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// A hidden folder the report is written into before it is moved in place.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    done: bool,
}

const STAGING_TAG: &str = ".lexiscope-partial-";

impl Staging {
    /// Creates the staging folder for the output folder `target`: inside it
    /// when it exists (so renames stay on one file system), beside it when it
    /// does not.  Leftovers of killed runs are removed first.
    pub fn new(target: &Path) -> anyhow::Result<Staging> {
        let pid = std::process::id();
        let dir = if target.is_dir() {
            remove_leftovers(target);
            target.join(format!("{STAGING_TAG}{pid}"))
        } else {
            let name = target
                .file_name()
                .with_context(|| format!("-o {}: not a folder name", target.display()))?
                .to_string_lossy()
                .into_owned();
            let parent = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            std::fs::create_dir_all(&parent)
                .with_context(|| format!("cannot create the output folder {}", parent.display()))?;
            remove_leftovers(&parent);
            parent.join(format!("{STAGING_TAG}{pid}-{name}"))
        };
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove the old {}", dir.display()))?;
        }
        std::fs::create_dir_all(dir.join("charts"))
            .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
        if let Ok(mut s) = STAGING.lock() {
            *s = Some(dir.clone());
        }
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            done: false,
        })
    }

    /// The folder to write the report into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Moves the report into the output folder.  `files` are the paths
    /// written, relative to the staging folder.
    pub fn commit(mut self, files: &[PathBuf]) -> anyhow::Result<()> {
        COMMITTING.store(true, Ordering::SeqCst);
        let result = self.move_into_place(files);
        if let Ok(mut s) = STAGING.lock() {
            *s = None;
        }
        COMMITTING.store(false, Ordering::SeqCst);
        self.done = result.is_ok();
        result
    }

    fn move_into_place(&self, files: &[PathBuf]) -> anyhow::Result<()> {
        let target = &self.target;
        if !target.exists() {
            return std::fs::rename(&self.dir, target).with_context(|| {
                format!(
                    "cannot move the finished report from {} to {}",
                    self.dir.display(),
                    target.display()
                )
            });
        }
        let old = old_manifest_files(&target.join(MANIFEST));
        // From here until the manifest is back the folder does not look complete.
        for name in [MANIFEST, INDEX] {
            remove_if_present(&target.join(name))?;
        }
        let last = |p: &PathBuf| p == Path::new(INDEX) || p == Path::new(MANIFEST);
        for rel in files.iter().filter(|p| !last(p)) {
            self.move_one(rel)?;
        }
        for stale in old.iter().filter(|p| !files.contains(p)) {
            remove_if_present(&target.join(stale))?;
        }
        for rel in [INDEX, MANIFEST] {
            let rel = PathBuf::from(rel);
            if files.contains(&rel) {
                self.move_one(&rel)?;
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(())
    }

    fn move_one(&self, rel: &Path) -> anyhow::Result<()> {
        let to = self.target.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        }
        std::fs::rename(self.dir.join(rel), &to)
            .with_context(|| format!("cannot move the new {} into place", to.display()))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
            if let Ok(mut s) = STAGING.lock() {
                *s = None;
            }
        }
    }
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot replace {}", path.display())),
    }
}

/// The files an earlier report listed in its manifest, as safe relative
/// paths (anything absolute or with `..` is ignored, so a doctored manifest
/// cannot make us delete files elsewhere).
fn old_manifest_files(manifest: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let Some(files) = json["files"].as_array() else {
        return Vec::new();
    };
    files
        .iter()
        .filter_map(|f| f["path"].as_str())
        .map(PathBuf::from)
        .filter(|p| is_plain_relative(p))
        .collect()
}

/// True for a relative path made only of ordinary names.
pub fn is_plain_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Removes staging folders of runs that were killed (their process is gone).
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(STAGING_TAG) else {
            continue;
        };
        let pid = rest.split('-').next().unwrap_or("");
        let alive = match pid.parse::<u32>() {
            Ok(p) if p == std::process::id() => false,
            Ok(p) => process_alive(p),
            Err(_) => true,
        };
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_alive(_pid: u32) -> bool {
    // Without a cheap check, leave other runs' folders alone.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, s: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    }

    fn manifest(files: &[&str]) -> String {
        let list: Vec<_> = files
            .iter()
            .map(|f| serde_json::json!({ "path": f }))
            .collect();
        serde_json::json!({ "files": list }).to_string()
    }

    #[test]
    fn a_new_folder_appears_in_one_step() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("a/b/report");
        let s = Staging::new(&out).unwrap();
        assert!(s.dir().starts_with(root.path().join("a/b")));
        write(&s.dir().join("terms.csv"), "term,count\n");
        write(&s.dir().join(MANIFEST), "{}");
        s.commit(&["terms.csv".into(), MANIFEST.into()]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("terms.csv")).unwrap(),
            "term,count\n"
        );
        let left: Vec<_> = std::fs::read_dir(root.path().join("a/b"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["report"], "no staging folder left");
    }

    #[test]
    fn an_existing_folder_keeps_user_files_and_loses_stale_report_files() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        write(&out.join("my_notes.txt"), "mine");
        write(&out.join("terms.csv"), "old");
        write(&out.join("charts/old_chart.png"), "old");
        write(&out.join("../outside.txt"), "outside");
        write(
            &out.join(MANIFEST),
            &manifest(&[
                "terms.csv",
                "charts/old_chart.png",
                "../outside.txt",
                "/etc/passwd",
            ]),
        );
        let s = Staging::new(&out).unwrap();
        assert!(s.dir().starts_with(&out));
        write(&s.dir().join("terms.csv"), "new");
        write(&s.dir().join("charts/new_chart.png"), "new");
        write(&s.dir().join(INDEX), "<html>");
        write(&s.dir().join(MANIFEST), &manifest(&["terms.csv"]));
        let files: Vec<PathBuf> = ["terms.csv", "charts/new_chart.png", INDEX, MANIFEST]
            .iter()
            .map(PathBuf::from)
            .collect();
        s.commit(&files).unwrap();
        let read = |p: &str| std::fs::read_to_string(out.join(p)).ok();
        assert_eq!(read("terms.csv").as_deref(), Some("new"));
        assert_eq!(read("charts/new_chart.png").as_deref(), Some("new"));
        assert_eq!(read("charts/old_chart.png"), None, "stale chart removed");
        assert_eq!(
            read("my_notes.txt").as_deref(),
            Some("mine"),
            "user file kept"
        );
        assert_eq!(read("../outside.txt").as_deref(), Some("outside"));
        assert_eq!(read(INDEX).as_deref(), Some("<html>"));
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "charts",
                "index.html",
                "manifest.json",
                "my_notes.txt",
                "terms.csv"
            ]
        );
    }

    #[test]
    fn dropping_an_unfinished_staging_folder_removes_it() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        write(&out.join(MANIFEST), "{\"files\": []}");
        let s = Staging::new(&out).unwrap();
        let dir = s.dir().to_path_buf();
        write(&dir.join("terms.csv"), "half");
        drop(s);
        assert!(!dir.exists());
        assert_eq!(
            std::fs::read_to_string(out.join(MANIFEST)).unwrap(),
            "{\"files\": []}"
        );
    }

    #[test]
    fn leftovers_of_dead_runs_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        // No process has this id (above Linux's pid_max).
        let dead = out.join(format!("{STAGING_TAG}4194399"));
        write(&dead.join("terms.csv"), "half");
        let alive = out.join(format!("{STAGING_TAG}1"));
        std::fs::create_dir_all(&alive).unwrap();
        let s = Staging::new(&out).unwrap();
        assert!(!dead.exists());
        if cfg!(target_os = "linux") {
            assert!(alive.exists(), "pid 1 is running: its folder stays");
        }
        drop(s);
    }

    #[test]
    fn plain_relative_paths() {
        assert!(is_plain_relative(Path::new("charts/a.png")));
        assert!(!is_plain_relative(Path::new("../a.png")));
        assert!(!is_plain_relative(Path::new("/etc/passwd")));
        assert!(!is_plain_relative(Path::new("a/../../b")));
        assert!(!is_plain_relative(Path::new("")));
    }
}
