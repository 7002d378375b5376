//! A small harness: a temporary working folder, files written into it, and
//! the real `lexiscope` binary run inside it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary folder to run the binary in; removed when dropped.
pub struct Workdir {
    dir: tempfile::TempDir,
}

/// What a run produced.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with both streams shown unless the run exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.status, code,
            "exit code {} (expected {code})\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.status, self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        self.expect_code(0)
    }
}

/// The repository's root (for committed fixtures).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A committed fixture under tests/data.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/data").join(name)
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir {
            dir: tempfile::Builder::new()
                .prefix("lexiscope-test")
                .tempdir()
                .expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&p, contents).expect("write fixture");
        p
    }

    /// Reads a file of the working folder as text.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name))
            .unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lexiscope"));
        cmd.current_dir(self.path()).args(args);
        cmd
    }

    /// Runs the binary with `args` and no standard input.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .expect("run lexiscope");
        to_run(out)
    }

    /// Runs the binary with `args`, panics (both streams shown) unless it
    /// exits with 0, and returns what it printed on standard output.
    #[track_caller]
    pub fn stdout(&self, args: &[&str]) -> String {
        let run = self.run(args);
        run.ok();
        run.stdout
    }

    /// Runs the binary with `stdin` piped in.
    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn lexiscope");
        let mut input = child.stdin.take().expect("stdin");
        let data = stdin.to_string();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(data.as_bytes());
        });
        let out = child.wait_with_output().expect("wait");
        writer.join().expect("stdin writer");
        to_run(out)
    }
}

fn to_run(out: Output) -> Run {
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Parses CSV text into a header and rows.
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The first `n` lines of a text (for snapshots of CSV heads).
pub fn head(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

/// The executable `name` in a folder of `PATH`, or else in one of `extra`.
pub fn on_path(name: &str, extra: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(extra.iter().map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Says that a real client a test drives (a browser, a spreadsheet) is not
/// installed.  Under CI (the `CI` variable set) that is a failure, never a
/// skip: `.ci/run` installs the clients.  Elsewhere `why` goes straight to
/// the terminal (the harness hides what a passing test prints with
/// `eprintln!`) and the caller skips.
pub fn client_missing(test: &str, why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: CI is set but {why}"
    );
    use std::io::Write;
    let bar = "!".repeat(78);
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\n!! SKIPPED {test}: {why}\n!! Under CI (the CI variable set) this is a failure.\n{bar}\n"
    );
}
