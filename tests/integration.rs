//! All integration tests in one binary. One binary per file linked the whole application, egui
//! and SQLite included, 50 times over: about 6 GB of test programs and minutes of linking on
//! two cores, and a CI run once failed when the linker ran out of disk. Each file stays a
//! module of its own, so `cargo test --test integration gui_redirect::` runs one file's tests.

mod support;

mod architecture;
mod cli_device_set;
mod cli_devices;
mod cli_fetch;
mod cli_fetch_hostile;
mod cli_fetch_secrets;
mod cli_import;
mod cli_kill;
mod cli_redirect;
mod cli_redirect_hardening;
mod cli_render;
mod cli_rollout;
mod cli_serve;
mod cli_simulate;
mod cli_sip;
mod cli_sites;
mod device_props;
mod digest_vectors;
mod fetch_faults;
mod fetch_hostile;
mod fetch_props;
mod gui_about;
mod gui_close;
mod gui_fetch;
mod gui_fetch_secrets;
mod gui_import;
mod gui_import_remove;
mod gui_inventory;
mod gui_redirect;
mod gui_routing;
mod gui_serve;
mod gui_sip;
mod gui_sites;
mod gui_templates;
mod interop_fetch;
mod interop_gui_fetch;
mod interop_serve;
mod interop_servers;
mod interop_sip;
mod interop_templates;
mod inventory_concurrency;
mod inventory_sip;
mod inventory_sites;
mod inventory_store;
mod labels_props;
mod redirect_client;
mod redirect_hostile;
mod redirect_props;
mod redirect_sync;
mod redirect_xmlrpc_props;
mod serve_hostile;
mod sim_provisioning;
mod sim_redirect_limits;
mod sim_tls;
mod sip_hostile;
mod sip_props;
mod sip_registrar;
mod sync_recovery;
mod templates_props;
mod templates_render;
