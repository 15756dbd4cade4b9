//! provdesk: a desktop provisioning manager for Gigaset DECT/IP phones.
//!
//! One library with two faces. The map, bottom to top; a module may use the ones listed
//! before it, never one after it (tests/architecture.rs checks that no two modules use each
//! other and that no file circle exists):
//!
//! | module | what it is | may use |
//! |---|---|---|
//! | [`build_info`] | version, target and build date of this binary (from build.rs) | nothing |
//! | [`cancel`] | the cancel token of long jobs | nothing |
//! | `secret` | `Secret`: a value that never prints itself | nothing |
//! | [`printable`] | outside text made safe to show: control characters escaped, long text cut | nothing |
//! | [`words`] | counts in sentences: "1 device", "4 devices", never "device(s)"; "A, B, C, …" | nothing |
//! | [`sqlite_files`] | SQLite database files: those this process holds open, and whether a file is one | nothing |
//! | [`private_file`] | files that may hold secrets: user-only from the first byte, replaced whole, never over a database | sqlite_files |
//! | [`digest`] | RFC 7616/2617 digest: challenges, computation, verification; pure | secret |
//! | [`device`] | MAC, MAC-ID, the model catalogue (each fact with its source) and format table, recognising phones, devices, URLs, where files keep passwords | digest, secret, printable |
//! | [`labels`] | label import (CSV, scanner text, barcode photos), the import preview's model, and the CSV export | device, printable, words, secret |
//! | [`templates`] | per-model templates: variables, validation, render, htdigest, export | device, digest |
//! | [`inventory`] | the SQLite store: devices, sites, templates, redirect state, audit | device, labels, templates |
//! | [`fetch`] | the test fetch: the device's ladder over HTTP, events, diagnosis, HAR | device, digest |
//! | [`sip`] | the SIP REGISTER/OPTIONS test over UDP/TCP/TLS: DNS, timers, digest, events, diagnosis | device, digest, secret, printable, cancel |
//! | [`redirect`] | redirect services (Gigaset XML-RPC), the sync plan and its apply | device, inventory, fetch, cancel |
//! | [`sim`] | simulators of the servers provdesk talks to, with fault modes | the core above |
//! | [`serve`] | the provisioning server for real phones: resolve, render, digest, live log, rollout | the core above |
//! | [`ops`] | the use cases both faces run, each with progress, cancel and a typed report | the core above |
//! | [`cli`] | the command line: one file per subcommand, printing ops' reports | anything |
//! | [`ui`] | the window (eframe/egui): panels, the worker, widgets | anything but cli |
//!
//! The core (everything above `ops`) never names egui, eframe, rfd or clap.

/// mimalloc for every binary built on this library: the app, and its tests and benches, which
/// then measure what ships. A sync of 10,000 devices on loopback took a fifth less time with it
/// (`cargo bench --bench redirect`), the peer it is compared with in the same run 5% less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod build_info;
pub mod cancel;
pub mod cli;
pub mod device;
pub mod digest;
pub mod fetch;
pub mod inventory;
pub mod labels;
pub mod ops;
pub mod printable;
pub mod private_file;
pub mod redirect;
pub mod secret;
pub mod serve;
pub mod sim;
pub mod sip;
pub mod sqlite_files;
pub mod templates;
pub mod ui;
pub mod words;
