//! The CSV export against what a label file or a form may hold: whatever the devices' text,
//! no cell of the export begins as a spreadsheet formula, and importing the export gives back
//! the values it was written from.

use proptest::prelude::*;
use provdesk::device::{Device, Mac, SipAccount};
use provdesk::labels::{BatchDefaults, csv_batch, write_csv};

/// Text as a one-line value may hold it (no control character, no blank at either end, which
/// an import trims), often beginning as a formula or with the `'` the export adds.
fn name() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["", "=", "+", "-", "@", "'", "'=", "''+", "-1+", "=="]),
        "([^\\p{C}\\s]([^\\p{C}]{0,10}[^\\p{C}\\s])?)?",
    )
        .prop_map(|(start, rest)| format!("{start}{rest}"))
}

/// Notes, which may run over lines (and are kept trimmed, as every stored value is).
fn notes() -> impl Strategy<Value = String> {
    (
        name(),
        prop::sample::select(vec!["", "\nsecond line", "\r\n-2+3", "\n\t=1"]),
    )
        .prop_map(|(text, end)| format!("{text}{end}").trim().to_string())
}

fn device() -> impl Strategy<Value = Device> {
    (name(), name(), name(), notes(), name(), name(), name()).prop_map(
        |(site, provider, user, notes, sip_user, auth_user, display_name)| {
            let some = |text: String| (!text.is_empty()).then_some(text);
            Device {
                site: some(site),
                provider: some(provider),
                digest_username: some(user),
                notes,
                sip_accounts: (!sip_user.is_empty())
                    .then(|| SipAccount {
                        index: 1,
                        registrar: Some("sip.example.com".into()),
                        port: None,
                        transport: None,
                        user: sip_user,
                        auth_user: some(auth_user),
                        password: None,
                        display_name: some(display_name),
                        outbound_proxy: None,
                    })
                    .into_iter()
                    .collect(),
                ..Device::bare(1, Mac::parse("7C2F80820EC0").unwrap())
            }
        },
    )
}

proptest! {
    #[test]
    fn an_export_reads_back_unchanged_and_runs_no_formula(devices in prop::collection::vec(device(), 1..4)) {
        let devices: Vec<Device> = devices
            .into_iter()
            .enumerate()
            .map(|(index, device)| Device {
                mac: Mac::parse(&format!("7C2F8082{index:04X}")).unwrap(),
                ..device
            })
            .collect();
        let mut csv = Vec::new();
        write_csv(&devices, &mut csv).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.as_slice());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                prop_assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{:?} in {}", cell, String::from_utf8_lossy(&csv)
                );
            }
        }
        let batch = csv_batch("export.csv", &csv, &BatchDefaults::default());
        prop_assert_eq!(batch.rows.len(), devices.len(), "{:?}", batch);
        for (row, device) in batch.rows.iter().zip(&devices) {
            let read = row.outcome.as_ref().map_err(|problems| format!("{problems:?}"));
            let read = read.unwrap();
            prop_assert_eq!(&read.site, &device.site);
            prop_assert_eq!(&read.provider, &device.provider);
            prop_assert_eq!(&read.digest_username, &device.digest_username);
            prop_assert_eq!(&read.notes, &device.notes);
            let accounts = read.sip_accounts.clone().unwrap_or_default();
            prop_assert_eq!(accounts.len(), device.sip_accounts.len());
            for (read, written) in accounts.iter().zip(&device.sip_accounts) {
                prop_assert_eq!(&read.user, &written.user);
                prop_assert_eq!(&read.auth_user, &written.auth_user);
                prop_assert_eq!(&read.display_name, &written.display_name);
            }
        }
    }
}
