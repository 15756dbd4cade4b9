//! Build facts for `provdesk --version` and the About section, and on Windows the resources
//! linked into provdesk.exe (icon, version information, manifest).
//!
//! The build date is `SOURCE_DATE_EPOCH` when set (reproducible builds: Debian, CI), else the
//! day this script ran; it is a calendar day in UTC, so two builds of one source on one day
//! agree.

use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=packaging/windows/provdesk.rc");
    println!("cargo:rerun-if-changed=packaging/windows/provdesk.manifest");
    println!("cargo:rerun-if-changed=packaging/windows/provdesk.ico");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");

    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=PROVDESK_TARGET={target}");
    println!("cargo:rustc-env=PROVDESK_BUILD_DATE={}", build_date());

    windows_resources();
}

/// The day of `SOURCE_DATE_EPOCH`, else today, as `YYYY-MM-DD` (UTC).
fn build_date() -> String {
    let seconds = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value.trim().parse::<i64>().unwrap_or_else(|_| {
            panic!("SOURCE_DATE_EPOCH={value:?} is not a number of seconds since 1970")
        }),
        Err(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
    };
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`);
/// a build script cannot use the crate's own dependencies, and this is all it needs of a
/// calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// On a Windows target, compiles packaging/windows/provdesk.rc (with the MinGW `windres` when
/// cross-building) and links it into the provdesk binary; for other targets embed-resource does
/// nothing.
fn windows_resources() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let number = |name: &str| std::env::var(name).unwrap_or_else(|_| "0".into());
    let out_dir =
        std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let header = format!(
        "#define PROVDESK_MAJOR {}\n#define PROVDESK_MINOR {}\n#define PROVDESK_PATCH {}\n\
         #define PROVDESK_VERSION \"{}\"\n",
        number("CARGO_PKG_VERSION_MAJOR"),
        number("CARGO_PKG_VERSION_MINOR"),
        number("CARGO_PKG_VERSION_PATCH"),
        std::env::var("CARGO_PKG_VERSION").unwrap_or_default(),
    );
    if let Err(error) = std::fs::write(out_dir.join("provdesk-version.h"), header) {
        panic!(
            "cannot write provdesk-version.h into {}: {error}",
            out_dir.display()
        );
    }
    if let Err(error) = embed_resource::compile_for(
        "packaging/windows/provdesk.rc",
        ["provdesk"],
        embed_resource::ParamsIncludeDirs([out_dir]),
    )
    .manifest_required()
    {
        panic!("cannot compile the Windows resources of provdesk.exe: {error}");
    }
}
