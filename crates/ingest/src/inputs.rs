//! From the paths the user gave to the list of files to read.

use std::collections::HashMap;
use std::fs::{self, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::read::{FileInput, SourceName};
use crate::{IngestError, IngestOptions, InputFormat, Warning, WarningKind};

/// One step of the plan: a file to read, or a warning found while walking.
pub(crate) enum Planned {
    File(FileInput),
    /// `skipped_file` when the warning stands for a file not read.
    Warning {
        warning: Warning,
        skipped_file: bool,
    },
}

/// Checks every input and walks the folders. Inputs keep the order given;
/// inside a folder files are sorted by path, hidden files and folders
/// (names starting with `.`) are left out, links are followed and loops
/// reported. A file reached twice is read once.
pub(crate) fn plan(inputs: &[PathBuf], opts: &IngestOptions) -> Result<Vec<Planned>, IngestError> {
    let mut planned = Vec::new();
    let mut seen = Seen::default();
    let mut stdin_given = false;
    for input in inputs {
        if input.as_os_str() == "-" {
            if stdin_given {
                return Err(IngestError::StdinTwice);
            }
            stdin_given = true;
            planned.push(Planned::File(FileInput {
                path: None,
                name: SourceName {
                    display: Arc::from("stdin"),
                    id_base: "stdin".to_owned(),
                },
                format: opts.stdin_format,
                regular: false,
                size_hint: 0,
            }));
            continue;
        }
        let meta = fs::metadata(input).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => IngestError::NotFound {
                path: input.clone(),
            },
            _ => IngestError::Io {
                path: input.clone(),
                source: e,
            },
        })?;
        if meta.is_dir() {
            walk(input, &mut seen, &mut planned);
        } else {
            let display = input.display().to_string();
            let id_base = input
                .file_name()
                .map_or_else(|| display.clone(), |n| n.to_string_lossy().into_owned());
            if let Some(w) = seen.check(input, &meta, &display) {
                planned.push(w);
                continue;
            }
            planned.push(Planned::File(file_input(
                input.clone(),
                display,
                id_base,
                &meta,
            )));
        }
    }
    Ok(planned)
}

fn file_input(path: PathBuf, display: String, id_base: String, meta: &Metadata) -> FileInput {
    FileInput {
        format: format_of(&path),
        path: Some(path),
        name: SourceName {
            display: Arc::from(display),
            id_base,
        },
        regular: meta.is_file(),
        size_hint: meta.len(),
    }
}

/// The format a file name asks for (`.gz` looked through); `None` when it
/// must be sniffed.
pub(crate) fn format_of(path: &Path) -> Option<InputFormat> {
    let name = path.file_name()?.to_string_lossy();
    let name = match name.len().checked_sub(3) {
        Some(cut) if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".gz") => {
            &name[..cut]
        }
        _ => &name[..],
    };
    let (_, ext) = name.rsplit_once('.')?;
    InputFormat::from_extension(ext)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn walk(root: &Path, seen: &mut Seen, planned: &mut Vec<Planned>) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) => {
                if e.file_type().is_dir() {
                    continue;
                }
                let path = e.path();
                let display = path.display().to_string();
                let id_base = match path.strip_prefix(root) {
                    Ok(rel) => rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/"),
                    Err(_) => display.clone(),
                };
                let meta = match e.metadata() {
                    Ok(m) => m,
                    Err(err) => {
                        planned.push(Planned::Warning {
                            warning: Warning::new(
                                &display,
                                None,
                                WarningKind::Unreadable,
                                format!("cannot read ({err}); skipped"),
                            ),
                            skipped_file: true,
                        });
                        continue;
                    }
                };
                if let Some(w) = seen.check(path, &meta, &display) {
                    planned.push(w);
                    continue;
                }
                planned.push(Planned::File(file_input(
                    path.to_path_buf(),
                    display,
                    id_base,
                    &meta,
                )));
            }
            Err(err) => {
                let display = err.path().unwrap_or(root).display().to_string();
                let planned_warning = if let Some(ancestor) = err.loop_ancestor() {
                    Planned::Warning {
                        warning: Warning::new(
                            &display,
                            None,
                            WarningKind::SymlinkLoop,
                            format!(
                                "symbolic link leads back to {}, a folder above it; not followed",
                                ancestor.display()
                            ),
                        ),
                        skipped_file: false,
                    }
                } else {
                    let broken = err
                        .io_error()
                        .is_some_and(|e| e.kind() == io::ErrorKind::NotFound);
                    let what = if broken {
                        "broken symbolic link (its target does not exist); skipped".to_owned()
                    } else {
                        match err.io_error() {
                            Some(e) => format!("cannot read ({e}); skipped"),
                            None => format!("cannot read ({err}); skipped"),
                        }
                    };
                    Planned::Warning {
                        warning: Warning::new(&display, None, WarningKind::Unreadable, what),
                        skipped_file: true,
                    }
                };
                planned.push(planned_warning);
            }
        }
    }
}

/// Remembers the files planned so far, to read each one once.
#[derive(Default)]
struct Seen {
    files: HashMap<FileKey, String>,
}

#[cfg(unix)]
type FileKey = (u64, u64);
#[cfg(not(unix))]
type FileKey = PathBuf;

impl Seen {
    fn check(&mut self, path: &Path, meta: &Metadata, display: &str) -> Option<Planned> {
        let key = file_key(path, meta)?;
        match self.files.get(&key) {
            Some(first) => Some(Planned::Warning {
                warning: Warning::new(
                    display,
                    None,
                    WarningKind::Duplicate,
                    format!("same file as {first}, which is read already; skipped"),
                ),
                skipped_file: true,
            }),
            None => {
                self.files.insert(key, display.to_owned());
                None
            }
        }
    }
}

#[cfg(unix)]
fn file_key(_path: &Path, meta: &Metadata) -> Option<FileKey> {
    use std::os::unix::fs::MetadataExt;
    // Pipes and terminals (stdin, `<(...)`) are not regular: never deduplicate them.
    meta.is_file().then(|| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_key(path: &Path, meta: &Metadata) -> Option<FileKey> {
    if meta.is_file() {
        fs::canonicalize(path).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_names() {
        let f = |s: &str| format_of(Path::new(s));
        assert_eq!(f("a/b.csv"), Some(InputFormat::Csv));
        assert_eq!(f("b.CSV.GZ"), Some(InputFormat::Csv));
        assert_eq!(f("b.tsv.gz"), Some(InputFormat::Tsv));
        assert_eq!(f("x.ndjson"), Some(InputFormat::Jsonl));
        assert_eq!(f("x.jsonl.gz"), Some(InputFormat::Jsonl));
        assert_eq!(f("x.md"), Some(InputFormat::Text));
        assert_eq!(f("x.txt"), Some(InputFormat::Text));
        assert_eq!(f("x.gz"), None);
        assert_eq!(f("x.html"), None);
        assert_eq!(f("README"), None);
        assert_eq!(f("é.gz"), None);
    }
}
