//! Write-to-temporary-then-rename, so a reader never sees a half-written file.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::ReportError;

/// Writes `bytes` to `path` atomically: the bytes go to a hidden temporary
/// file in the same folder (`.NAME.XXXXXX.tmp`), which is synced and then
/// renamed over `path`. If anything fails, `path` is untouched (an older
/// version stays as it was) and the temporary file is removed.
///
/// The folder must exist.
pub fn atomic_write(path: impl AsRef<Path>, bytes: &[u8]) -> Result<(), ReportError> {
    let path = path.as_ref();
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes).map_err(|e| ReportError::io(path, e))?;
    commit(tmp, path)
}

/// Creates the temporary sibling of `path` that [`commit`] later renames onto it.
pub(crate) fn temp_beside(path: &Path) -> Result<NamedTempFile, ReportError> {
    let name = path.file_name().ok_or_else(|| {
        ReportError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
        )
    })?;
    let dir: PathBuf = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // Temporary files are private (0600) by default; the finished file
        // should get the usual permissions (0666 minus the umask).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
        .tempfile_in(&dir)
        .map_err(|e| ReportError::io(path, e))
}

/// Flushes the temporary file to disk and renames it onto `path`.
pub(crate) fn commit(mut tmp: NamedTempFile, path: &Path) -> Result<(), ReportError> {
    tmp.flush().map_err(|e| ReportError::io(path, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| ReportError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| ReportError::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        atomic_write(&path, b"first").unwrap();
        atomic_write(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(names_in(dir.path()), vec!["page.html".to_string()]);
    }

    #[test]
    fn missing_folder_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/folder/x.json");
        let err = atomic_write(&path, b"{}").unwrap_err();
        assert!(err.to_string().contains("x.json"), "{err}");
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn finished_files_get_ordinary_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ordinary = dir.path().join("ordinary.txt");
        std::fs::write(&ordinary, b"x").unwrap();
        let path = dir.path().join("a.csv");
        atomic_write(&path, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // Same mode as a file created the usual way (0666 minus the umask),
        // not the 0600 of a temporary file.
        assert_eq!(mode(&path), mode(&ordinary));
    }
}
