//! CSV export of the inventory, in the layout the import reads back unchanged.

use std::io::Write;

use super::formula::for_spreadsheet;
use crate::device::{Device, SipAccountDraft, SipField, mask_url_password};

/// The export's header: one import alias per column, in the headerless import order. The SIP
/// accounts' columns follow (see [`sip_header`]).
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

/// The SIP fields an export writes: all a user fills in but the password.
const EXPORTED_SIP_FIELDS: [SipField; 7] = [
    SipField::User,
    SipField::AuthUser,
    SipField::Registrar,
    SipField::Port,
    SipField::Transport,
    SipField::DisplayName,
    SipField::OutboundProxy,
];

/// `sip1_user` … `sipN_outbound_proxy` for accounts 1 to `accounts`.
pub fn sip_header(accounts: u8) -> Vec<String> {
    (1..=accounts)
        .flat_map(|index| {
            EXPORTED_SIP_FIELDS
                .iter()
                .map(move |field| format!("sip{index}_{}", field.key()))
        })
        .collect()
}

/// Writes the devices' own values (not those inherited from their site, so a re-import keeps
/// the inheritance), and their own SIP accounts up to the highest account number any of them
/// has. Secrets are not exported: no password column, a password inside a URL is masked. A
/// cell a spreadsheet would run as a formula is written after a `'` (see [`for_spreadsheet`]).
pub fn write_csv<W: Write>(devices: &[Device], out: W) -> csv::Result<()> {
    let accounts = devices
        .iter()
        .flat_map(|device| device.sip_accounts.iter().map(|account| account.index))
        .max()
        .unwrap_or(0);
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<String> = EXPORT_HEADER.iter().map(|h| h.to_string()).collect();
    header.extend(sip_header(accounts));
    writer.write_record(&header)?;
    for device in devices {
        let mac_id = device.mac_id.as_ref().map(ToString::to_string);
        let url = device.url.as_deref().map(mask_url_password);
        let mut record: Vec<String> = [
            device.mac.macd().as_str(),
            mac_id.as_deref().unwrap_or(""),
            device.model.as_deref().unwrap_or(""),
            device.site.as_deref().unwrap_or(""),
            device.provider.as_deref().unwrap_or(""),
            url.as_deref().unwrap_or(""),
            device.digest_username.as_deref().unwrap_or(""),
            device.notes.as_str(),
        ]
        .map(str::to_string)
        .to_vec();
        for index in 1..=accounts {
            let draft = device
                .sip_accounts
                .iter()
                .find(|a| a.index == index)
                .map(SipAccountDraft::of)
                .unwrap_or_default();
            record.extend(
                EXPORTED_SIP_FIELDS
                    .iter()
                    .map(|&field| draft.text(field).to_string()),
            );
        }
        writer.write_record(record.iter().map(|cell| for_spreadsheet(cell).into_owned()))?;
    }
    writer.flush()?;
    Ok(())
}
