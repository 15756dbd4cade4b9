//! The table's loaded rows: a window of the matching devices around the rows on screen, asked
//! of SQLite as the table scrolls, instead of every device held in memory. The table knows
//! the total and draws that many rows; a row outside the window shows as loading until its
//! page arrives (a scroll of a few rows never gets there: the window keeps a margin).

use std::ops::Range;

use crate::device::Device;

/// Rows loaded beyond each edge of the screen.
pub const MARGIN: usize = 150;

/// The matching devices from `offset` on, and how many match in all.
#[derive(Debug, Default)]
pub struct RowWindow {
    offset: usize,
    devices: Vec<Device>,
    total: usize,
    /// The rows last asked for, so that a page is asked once while it is on its way.
    asked: Option<Range<usize>>,
}

impl RowWindow {
    /// How many devices match the query.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The device at `index` among the matches, when it is loaded.
    pub fn get(&self, index: usize) -> Option<&Device> {
        index
            .checked_sub(self.offset)
            .and_then(|at| self.devices.get(at))
    }

    /// The loaded device with this id.
    pub fn find(&self, id: i64) -> Option<&Device> {
        self.devices.iter().find(|d| d.id == id)
    }

    /// Where the loaded device with this id stands among the matches.
    pub fn position(&self, id: i64) -> Option<usize> {
        self.devices
            .iter()
            .position(|d| d.id == id)
            .map(|at| self.offset + at)
    }

    /// Puts `device` in place of its loaded copy, if loaded: a device just saved is edited
    /// again as saved, not as the page loaded before the save had it.
    pub fn replace(&mut self, device: Device) {
        if let Some(loaded) = self.devices.iter_mut().find(|d| d.id == device.id) {
            *loaded = device;
        }
    }

    /// The loaded devices.
    pub fn loaded(&self) -> &[Device] {
        &self.devices
    }

    /// The loaded devices between `from` and `to` (both included), when all are loaded.
    pub fn span(&self, from: usize, to: usize) -> Option<&[Device]> {
        let start = from.checked_sub(self.offset)?;
        self.devices.get(start..=to - self.offset)
    }

    /// Takes a page: `devices` from `offset` on, of `total` matches.
    pub fn fill(&mut self, offset: usize, devices: Vec<Device>, total: usize) {
        self.offset = offset;
        self.devices = devices;
        self.total = total;
        self.asked = None;
    }

    /// The rows to ask for so that the `visible` ones and a margin are loaded, or `None`
    /// when they are loaded (half a margin is enough) or already asked for.
    pub fn wanted(&mut self, visible: Range<usize>) -> Option<Range<usize>> {
        let needed =
            visible.start.saturating_sub(MARGIN / 2)..(visible.end + MARGIN / 2).min(self.total);
        let loaded = self.offset..self.offset + self.devices.len();
        let covers = |rows: &Range<usize>| rows.start <= needed.start && needed.end <= rows.end;
        if covers(&loaded) || self.asked.as_ref().is_some_and(covers) {
            return None;
        }
        let want = visible.start.saturating_sub(MARGIN)..visible.end + MARGIN;
        self.asked = Some(want.clone());
        Some(want)
    }

    /// The page to ask for when the query changes: the same rows as now.
    pub fn around(visible: &Range<usize>) -> Range<usize> {
        visible.start.saturating_sub(MARGIN)..visible.end + MARGIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::Mac;

    fn devices(range: Range<usize>) -> Vec<Device> {
        range
            .map(|n| Device::bare(n as i64, Mac::parse(&format!("7C2F80{n:06X}")).unwrap()))
            .collect()
    }

    #[test]
    fn rows_are_found_by_index_and_id_inside_the_window_only() {
        let mut window = RowWindow::default();
        window.fill(1000, devices(1000..1300), 100_000);
        assert_eq!(window.total(), 100_000);
        assert_eq!(window.get(1000).unwrap().id, 1000);
        assert_eq!(window.get(1299).unwrap().id, 1299);
        assert!(window.get(999).is_none() && window.get(1300).is_none());
        assert_eq!(window.position(1200), Some(1200));
        assert_eq!(window.position(5), None);
        assert_eq!(window.span(1001, 1003).unwrap().len(), 3);
        assert!(window.span(990, 1003).is_none());
        assert!(window.span(1290, 1310).is_none());
    }

    #[test]
    fn a_page_is_asked_once_and_only_near_the_edge() {
        let mut window = RowWindow::default();
        window.fill(0, devices(0..340), 100_000);
        assert_eq!(window.wanted(0..40), None, "on screen and margin loaded");
        assert_eq!(window.wanted(200..240), None, "half a margin left");
        let asked = window.wanted(300..340).expect("past the edge");
        assert_eq!(asked, 150..490);
        assert_eq!(window.wanted(301..341), None, "already on its way");
        window.fill(150, devices(150..490), 100_000);
        assert_eq!(window.wanted(300..340), None);
        assert_eq!(window.wanted(99_960..100_000), Some(99_810..100_150));
    }

    #[test]
    fn a_saved_device_replaces_its_loaded_copy_only() {
        let mut window = RowWindow::default();
        window.fill(0, devices(0..10), 10);
        let mut saved = devices(3..4).remove(0);
        saved.notes = "saved".into();
        window.replace(saved);
        assert_eq!(window.find(3).unwrap().notes, "saved");
        let mut unloaded = devices(50..51).remove(0);
        unloaded.notes = "elsewhere".into();
        window.replace(unloaded);
        assert!(window.find(50).is_none(), "not loaded, not added");
        assert_eq!(window.loaded().len(), 10);
    }
}
