//! CSV export of the inventory, in the layout the import reads back unchanged.

use std::io::Write;

use crate::device::{Device, mask_url_password};

/// The export's header: one import alias per column, in the headerless import order.
pub const EXPORT_HEADER: [&str; 8] = [
    "MAC",
    "MAC-ID",
    "Model",
    "Site",
    "Provider",
    "URL",
    "Digest username",
    "Notes",
];

/// Writes the devices' own values (not those inherited from their site, so a re-import keeps
/// the inheritance). Secrets are not exported; a password inside a URL is masked.
pub fn write_csv<W: Write>(devices: &[Device], out: W) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(EXPORT_HEADER)?;
    for device in devices {
        let mac_id = device.mac_id.as_ref().map(ToString::to_string);
        let url = device.url.as_deref().map(mask_url_password);
        writer.write_record([
            device.mac.macd().as_str(),
            mac_id.as_deref().unwrap_or(""),
            device.model.as_deref().unwrap_or(""),
            device.site.as_deref().unwrap_or(""),
            device.provider.as_deref().unwrap_or(""),
            url.as_deref().unwrap_or(""),
            device.digest_username.as_deref().unwrap_or(""),
            device.notes.as_str(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}
