//! Writing result files without ever leaving half of them behind.
//!
//! An [`OutDir`] collects the files of `--out DIR` in a hidden staging directory beside `DIR`
//! (`.DIR.partial-PID`); each file is written to a temporary name and renamed, and only when
//! every file is in place does the staging directory become `DIR`, in one rename. If the run is
//! interrupted, or anything fails, the staging directory is removed: `DIR` holds either every
//! file or none. A single file (`--events FILE`, `--ocel FILE`, `--csv FILE`) is written the
//! same way: to a temporary name beside it, then renamed.
//!
//! Ctrl-C may end the process before destructors run, so every staging path is also kept in a
//! global list that [`abandon_all`] clears; the command line's Ctrl-C handler calls it.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Staging directories and temporary files not yet renamed into place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes every staging directory and temporary file still pending (for Ctrl-C).
pub fn abandon_all() {
    for path in pending().drain(..) {
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
}

fn forget(path: &Path) {
    pending().retain(|p| p != path);
}

/// Why `--out DIR` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutError {
    /// `DIR` exists and `--force` was not given.
    #[error("{} already exists", .0.display())]
    Exists(PathBuf),
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutError + '_ {
    move |source| OutError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The hidden sibling `.NAME.SUFFIX-PID` of `path`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{suffix}-{}", std::process::id()))
}

/// A directory of result files that appears all at once.
#[derive(Debug)]
pub struct OutDir {
    target: PathBuf,
    staging: PathBuf,
    force: bool,
    written: Vec<String>,
}

impl OutDir {
    /// Starts `dir`. An existing `dir` is refused unless `force`, in which case it is replaced
    /// when the new one is complete.
    pub fn create(dir: &Path, force: bool) -> Result<OutDir, OutError> {
        if dir.exists() && !force {
            return Err(OutError::Exists(dir.to_path_buf()));
        }
        let staging = sibling(dir, "partial");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
        }
        fs::create_dir_all(&staging).map_err(io_error(&staging))?;
        pending().push(staging.clone());
        Ok(OutDir {
            target: dir.to_path_buf(),
            staging,
            force,
            written: Vec::new(),
        })
    }

    /// The final directory.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Names of the files written so far, in order.
    pub fn files(&self) -> &[String] {
        &self.written
    }

    /// Writes `name` (a plain file name) with `bytes`: to a temporary name, then renamed.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutError> {
        let path = self.staging.join(name);
        let tmp = self.staging.join(format!(".{name}.tmp"));
        let mut f = fs::File::create(&tmp).map_err(io_error(&tmp))?;
        f.write_all(bytes).map_err(io_error(&tmp))?;
        f.sync_all().map_err(io_error(&tmp))?;
        fs::rename(&tmp, &path).map_err(io_error(&path))?;
        self.written.push(name.to_string());
        Ok(())
    }

    /// Moves the finished directory into place (replacing an old one if `force`).
    pub fn commit(mut self) -> Result<PathBuf, OutError> {
        if self.target.exists() {
            if !self.force {
                return Err(OutError::Exists(self.target.clone()));
            }
            // Move the old one aside first, so that `DIR` is never half old, half new.
            let old = sibling(&self.target, "old");
            fs::rename(&self.target, &old).map_err(io_error(&self.target))?;
            fs::rename(&self.staging, &self.target).map_err(io_error(&self.target))?;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.staging, &self.target).map_err(io_error(&self.target))?;
        }
        forget(&self.staging);
        self.staging = PathBuf::new();
        Ok(self.target.clone())
    }
}

impl Drop for OutDir {
    /// An uncommitted directory is removed.
    fn drop(&mut self) {
        if !self.staging.as_os_str().is_empty() {
            let _ = fs::remove_dir_all(&self.staging);
            forget(&self.staging);
        }
    }
}

/// Writes one file atomically: to a temporary name beside it, then renamed.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutError> {
    let tmp = sibling(path, "tmp");
    pending().push(tmp.clone());
    let result = (|| {
        let mut f = fs::File::create(&tmp).map_err(io_error(&tmp))?;
        f.write_all(bytes).map_err(io_error(&tmp))?;
        f.sync_all().map_err(io_error(&tmp))?;
        fs::rename(&tmp, path).map_err(io_error(path))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    forget(&tmp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pending list is global: these tests must not abandon each other's directories.
    static SERIAL: Mutex<()> = Mutex::new(());

    #[test]
    fn a_directory_appears_whole_or_not_at_all() {
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let mut out = OutDir::create(&dir, false).unwrap();
        out.write("a.txt", b"one").unwrap();
        assert!(!dir.exists(), "nothing is visible before the commit");
        out.commit().unwrap();
        assert_eq!(fs::read(dir.join("a.txt")).unwrap(), b"one");

        // An existing directory is refused without force, replaced with it.
        assert!(matches!(
            OutDir::create(&dir, false),
            Err(OutError::Exists(_))
        ));
        let mut out = OutDir::create(&dir, true).unwrap();
        out.write("b.txt", b"two").unwrap();
        out.commit().unwrap();
        assert!(dir.join("b.txt").exists() && !dir.join("a.txt").exists());

        // Dropped before the commit: no trace, not even the staging directory.
        let other = root.path().join("other");
        let mut out = OutDir::create(&other, false).unwrap();
        out.write("c.txt", b"three").unwrap();
        drop(out);
        assert!(!other.exists());
        let leftovers: Vec<_> = fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn abandoning_removes_what_is_pending() {
        let _serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let root = tempfile::tempdir().unwrap();
        let out = OutDir::create(&root.path().join("x"), false).unwrap();
        let staging = out.staging.clone();
        assert!(staging.exists());
        abandon_all();
        assert!(!staging.exists());
        std::mem::forget(out);
    }
}
