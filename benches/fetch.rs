//! The whole test-fetch ladder on loopback, measured beside `curl --digest` against the same
//! lighttpd in the same run (issue 4 target: provdesk ≤ 1.2× curl's process time).
//!
//! Both are whole processes doing the same exchange: a request without credentials, the 401
//! with lighttpd's MD5 challenge, the digest answer, the 200 with the file. provdesk plays an
//! N510 whose MAC password is right, so its ladder ends on the second request, as curl's does.
//! A third group runs the ladder in-process, without process start-up.
//!
//! Needs lighttpd and curl (`apt-get install -y lighttpd curl`); without them it says so and
//! measures nothing of the ladder.
//!
//! Then the masking of passwords in fetched bodies, on hostile shapes.

#[allow(dead_code)] // a bench uses a few of the tests' helpers
#[path = "../tests/support/servers.rs"]
mod servers;

#[path = "../tests/support/hostile.rs"]
mod hostile;

use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use hostile::HOSTILE_SHAPES;
use provdesk::device::{Mac, find_model, mask_passwords};
use provdesk::fetch::{FetchSpec, run_fetch};
use provdesk::secret::Secret;
use servers::{DigestUser, installed, lighttpd};

const MAC: &str = "7C2F80820EC0";
const MAC_PASSWORD: &str = "123456789012";
const FILE: &str = "/cfg/7C2F80820EC0.xml";
const CONTENT: &[u8] = b"<?xml version=\"1.0\"?>\n<ProviderFrame/>\n";

fn succeeded(command: &mut Command) {
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the program starts");
    assert!(status.success(), "{command:?} failed: {status}");
}

fn ladder(c: &mut Criterion) {
    if !installed("lighttpd") || !installed("curl") {
        eprintln!(
            "fetch bench skipped: install lighttpd and curl (apt-get install -y lighttpd curl)"
        );
        return;
    }
    let server = lighttpd(
        "MD5",
        "provdesk bench",
        &[DigestUser {
            name: MAC,
            password: MAC_PASSWORD,
        }],
        &[(FILE, CONTENT)],
    );
    let url = server.url(FILE);
    let pattern = format!("{}/cfg/%MACD.xml", server.base_url());
    let provdesk = env!("CARGO_BIN_EXE_provdesk");
    let credentials = format!("{MAC}:{MAC_PASSWORD}");

    let mut group = c.benchmark_group("fetch ladder, 2 requests, loopback lighttpd MD5");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("curl --digest (process)", |b| {
        b.iter(|| {
            succeeded(Command::new("curl").args([
                "-s",
                "-f",
                "-o",
                "/dev/null",
                "--digest",
                "-u",
                &credentials,
                &url,
            ]))
        })
    });
    group.bench_function("provdesk fetch (process)", |b| {
        b.iter(|| {
            succeeded(
                Command::new(provdesk)
                    .args([
                        "fetch",
                        &pattern,
                        "--mac",
                        MAC,
                        "--mac-password-env",
                        "BENCH_MAC_PASSWORD",
                        "--json",
                    ])
                    .env("BENCH_MAC_PASSWORD", MAC_PASSWORD),
            )
        })
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut spec = FetchSpec::ad_hoc(pattern.clone(), find_model("N510").unwrap());
    spec.mac = Some(Mac::parse(MAC).unwrap());
    spec.mac_password = Some(Secret::new(MAC_PASSWORD));
    group.bench_function("provdesk run_fetch (in-process)", |b| {
        b.iter(|| {
            let transcript = runtime
                .block_on(run_fetch(&spec, None, &mut |_| {}))
                .unwrap();
            assert!(transcript.ok());
        })
    });
    group.finish();
}

/// Masking passwords by position in 200 KB bodies of one broken shape repeated, each of which
/// once made a scanner quadratic: the time stays that of a pass or two over the body, beside
/// a plain body of the same size with one password.
fn masking(c: &mut Criterion) {
    let size = 200_000;
    let mut group = c.benchmark_group("mask passwords, 200 KB body");
    group.sample_size(10);
    let plain = format!(
        "{}<S_PROV_PASSWORD value=\"pw\"/>\n",
        "<VERSION value=\"1\"/>\n".repeat(size / 22)
    );
    group.bench_function("well-formed, one password", |b| {
        b.iter(|| mask_passwords(&plain))
    });
    for unit in HOSTILE_SHAPES {
        let text = unit.repeat(size / unit.len());
        group.bench_function(format!("{unit:?} repeated"), |b| {
            b.iter(|| mask_passwords(&text))
        });
    }
    group.finish();
}

criterion_group!(benches, ladder, masking);
criterion_main!(benches);
