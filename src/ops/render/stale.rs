//! Files an earlier render left in the output folder for devices this render did not write:
//! a web server would go on serving them (a removed phone, a phone written under a new name).
//! Another site's phone, still in the inventory, is told apart ([`Whose::Outside`]): in a
//! folder two sites share its file is current, so it is never removed unless asked for by
//! name. A file counts
//! only when its name has the shape of a name this render wrote, with another device's MAC in
//! the place of the MAC (`7C2F80820EC0.xml` → `<MAC>.xml`, `cfg-7C:2F:…:C0.txt` →
//! `cfg-<MAC with colons>.txt`), so nothing else in a shared folder (an index page, the
//! htdigest file, a firmware image) is ever offered for removal.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::device::Mac;

/// A device file of an earlier render, not written this time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFile {
    pub file_name: String,
    /// The MAC its name carries.
    pub mac: Mac,
    pub whose: Whose,
}

/// Whose file a stale file is, which decides whether removing it is safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// The device is gone from the inventory: nothing should hand its file out.
    Gone,
    /// A device this render was for, written under another name this time (its model or the
    /// template's file name changed): it no longer asks for this one.
    Renamed,
    /// A device in the inventory that this render was not for (another site's, or another
    /// device than the one rendered): its current file when the folder is shared, an old one
    /// only if it left the site, which the inventory cannot tell. Removed only when asked.
    Outside {
        /// Its site now; `None` when it has none.
        site: Option<String>,
    },
}

impl StaleFile {
    /// Whether removing "the old files" takes this one without it being asked for by name:
    /// never another site's phone still in the inventory.
    pub fn removed_by_default(&self) -> bool {
        !matches!(self.whose, Whose::Outside { .. })
    }
}

/// What removing stale files did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed {
    pub folder: PathBuf,
    pub removed: Vec<String>,
    /// Files that stayed, with why.
    pub failed: Vec<(String, String)>,
}

/// How the MAC is written in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `%MACD`: `7C2F80820EC0`.
    Digits,
    /// `%MACC`: `7C:2F:80:82:0E:C0`.
    Colons,
}

impl Form {
    fn write(self, mac: Mac) -> String {
        match self {
            Form::Digits => mac.macd(),
            Form::Colons => mac.macc(),
        }
    }

    fn len(self) -> usize {
        match self {
            Form::Digits => 12,
            Form::Colons => 17,
        }
    }
}

/// A written name with the MAC taken out: what comes before and after it, and how it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Shape {
    prefix: String,
    suffix: String,
    colons: bool,
}

impl Shape {
    /// The shape of `name`, written for `mac`; `None` when the name does not carry the MAC.
    fn of(name: &str, mac: Mac) -> Option<Self> {
        [Form::Colons, Form::Digits].into_iter().find_map(|form| {
            let (prefix, suffix) = name.split_once(&form.write(mac))?;
            Some(Self {
                prefix: prefix.to_string(),
                suffix: suffix.to_string(),
                colons: form == Form::Colons,
            })
        })
    }

    /// The MAC in `name` when the name has this shape, written exactly as a render writes it.
    fn mac_in(&self, name: &str) -> Option<Mac> {
        let form = if self.colons {
            Form::Colons
        } else {
            Form::Digits
        };
        let middle = name
            .strip_prefix(self.prefix.as_str())?
            .strip_suffix(self.suffix.as_str())?;
        if middle.len() != form.len() {
            return None;
        }
        let mac = Mac::parse(middle).ok()?;
        (form.write(mac) == middle).then_some(mac)
    }
}

/// The files in `folder` named as a device file of `written` (name, device) would be, for
/// another device, and not among `written`; sorted by name. `whose` is left [`Whose::Gone`]
/// for the caller to fill in.
pub fn find(folder: &Path, written: &[(String, Mac)]) -> std::io::Result<Vec<StaleFile>> {
    let shapes: BTreeSet<Shape> = written
        .iter()
        .filter_map(|(name, mac)| Shape::of(name, *mac))
        .collect();
    if shapes.is_empty() {
        return Ok(Vec::new());
    }
    let names: BTreeSet<&str> = written.iter().map(|(name, _)| name.as_str()).collect();
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        // A link or a folder is never a file a render wrote: a render replaces a link.
        if !entry.file_type()?.is_file() {
            continue;
        }
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if names.contains(name.as_str()) {
            continue;
        }
        if let Some(mac) = shapes.iter().find_map(|shape| shape.mac_in(&name)) {
            stale.push(StaleFile {
                file_name: name,
                mac,
                whose: Whose::Gone,
            });
        }
    }
    stale.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok(stale)
}

/// Removes the stale files from `folder`. Each is checked again first: a plain name in the
/// folder, still a file (not a link or a folder someone put there since), carrying its MAC.
pub fn remove(folder: &Path, files: &[StaleFile]) -> Removed {
    let mut outcome = Removed {
        folder: folder.to_path_buf(),
        ..Removed::default()
    };
    for file in files {
        match remove_one(folder, file) {
            Ok(()) => outcome.removed.push(file.file_name.clone()),
            Err(why) => outcome.failed.push((file.file_name.clone(), why)),
        }
    }
    outcome
}

fn remove_one(folder: &Path, file: &StaleFile) -> Result<(), String> {
    let name = file.file_name.as_str();
    let plain = Path::new(name).file_name().and_then(|n| n.to_str()) == Some(name);
    let carries_mac = Shape::of(name, file.mac).is_some();
    if !plain || !carries_mac {
        return Err("not a device file's name; left alone".to_string());
    }
    let path = folder.join(name);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_file() => {}
        Ok(_) => return Err("no longer a plain file; left alone".to_string()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error.to_string()),
    }
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn mac(text: &str) -> Mac {
        Mac::parse(text).unwrap()
    }

    fn names(stale: &[StaleFile]) -> Vec<&str> {
        stale.iter().map(|f| f.file_name.as_str()).collect()
    }

    #[test]
    fn only_names_of_the_written_shape_with_another_mac_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "7C2F80820EC0.xml",
            "7C2F80820EC9.xml",
            "7c2f80820ec8.xml",
            "7C2F80820EC7.xml.bak",
            "index.xml",
            "users.htdigest",
            "7C2F80820EC.xml",
            "cfg-7C:2F:80:82:0E:C5.txt",
            "7C2F80820EC6.cfg",
        ] {
            fs::write(dir.path().join(name), b"x").unwrap();
        }
        fs::create_dir(dir.path().join("7C2F80820EC4.xml")).unwrap();
        let written = [("7C2F80820EC0.xml".to_string(), mac("7C2F80820EC0"))];
        let stale = find(dir.path(), &written).unwrap();
        assert_eq!(names(&stale), ["7C2F80820EC9.xml"]);
        assert_eq!(stale[0].mac, mac("7C2F80820EC9"));

        let written = [
            ("7C2F80820EC0.xml".to_string(), mac("7C2F80820EC0")),
            ("cfg-7C:2F:80:82:0E:C1.txt".to_string(), mac("7C2F80820EC1")),
        ];
        let stale = find(dir.path(), &written).unwrap();
        assert_eq!(
            names(&stale),
            ["7C2F80820EC9.xml", "cfg-7C:2F:80:82:0E:C5.txt"]
        );
    }

    #[test]
    fn a_render_whose_names_carry_no_mac_finds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("7C2F80820EC9.xml"), b"x").unwrap();
        let written = [("phone.xml".to_string(), mac("7C2F80820EC0"))];
        assert!(find(dir.path(), &written).unwrap().is_empty());
    }

    #[test]
    fn removing_takes_only_device_files_still_there() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("7C2F80820EC9.xml"), b"x").unwrap();
        fs::write(dir.path().join("index.xml"), b"keep").unwrap();
        fs::create_dir(dir.path().join("7C2F80820EC8.xml")).unwrap();
        let file = |name: &str, text: &str| StaleFile {
            file_name: name.to_string(),
            mac: mac(text),
            whose: Whose::Gone,
        };
        let outcome = remove(
            dir.path(),
            &[
                file("7C2F80820EC9.xml", "7C2F80820EC9"),
                file("index.xml", "7C2F80820EC9"),
                file("../7C2F80820EC7.xml", "7C2F80820EC7"),
                file("7C2F80820EC8.xml", "7C2F80820EC8"),
                file("7C2F80820EC6.xml", "7C2F80820EC6"),
            ],
        );
        assert_eq!(outcome.removed, ["7C2F80820EC9.xml", "7C2F80820EC6.xml"]);
        let failed: Vec<&str> = outcome.failed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            failed,
            ["index.xml", "../7C2F80820EC7.xml", "7C2F80820EC8.xml"]
        );
        assert!(!dir.path().join("7C2F80820EC9.xml").exists());
        assert!(dir.path().join("index.xml").exists());
        assert!(dir.path().join("7C2F80820EC8.xml").is_dir());
    }
}
