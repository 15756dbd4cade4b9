//! Real lighttpd and Apache servers on loopback, guarding a document root with HTTP digest, so
//! the interop tests talk to the servers phones meet in the field instead of to our own idea of
//! them.
//!
//! Each server runs in the foreground as a child process, on a free port of 127.0.0.1, with its
//! configuration, document root, user file and logs in a temporary directory; dropping the
//! [`RealServer`] kills it, waits for it and removes the directory. Nothing of the system's own
//! configuration (`/etc/lighttpd`, `/etc/apache2`) is read, so an installed-but-stopped package is
//! all a test needs. The tests that use this are `#[ignore]`d: CI installs the servers
//! (`apt-get install -y lighttpd apache2 curl`) and runs them with `--include-ignored`.
//!
//! Credentials are computed here with the `md5` crate, independently of `provdesk::digest`, so a
//! bug in our digest code cannot hide itself by writing a matching user file.

use std::fs::{self, File};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use tempfile::TempDir;

/// How long a server may take to accept connections before the test gives up and shows its log.
const START_DEADLINE: Duration = Duration::from_secs(10);
/// Starts retried when the free port we picked was taken by someone else before the server bound
/// it (we have to release the probe socket so the server can bind, which leaves a short gap).
const START_ATTEMPTS: u32 = 5;
/// The server's own error log, inside the temporary directory.
const ERROR_LOG: &str = "error.log";
/// What the server printed on stdout and stderr: errors from before its error log was open, such
/// as a bad configuration line or a port already in use.
const CONSOLE_LOG: &str = "console.log";
/// The configuration file written for each server.
const CONFIG: &str = "server.conf";
/// The document root, inside the temporary directory.
const DOC_ROOT: &str = "www";

/// A running lighttpd or Apache. Dropping it kills the process and waits for it, so no test
/// leaves a server behind, even when it panics.
pub struct RealServer {
    child: Child,
    base_url: String,
    dir: TempDir,
}

impl RealServer {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL of `path` on this server; `path` may start with `/` or not.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path.trim_start_matches('/'))
    }

    /// The server's error log followed by its console output, for failure messages: lighttpd
    /// logs `digest: auth failed for NAME: wrong password`, Apache `AH01794: user NAME: password
    /// mismatch` and `AH01786: uri mismatch`.
    pub fn error_log(&self) -> String {
        let read = |name: &str| fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        format!(
            "--- {ERROR_LOG} ---\n{}--- {CONSOLE_LOG} ---\n{}",
            read(ERROR_LOG),
            read(CONSOLE_LOG)
        )
    }

    /// The server's process id, so a test can check that dropping the server ended it.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until the server accepts connections on `port`. `Err(log)` when it exited instead
    /// because the port was taken meanwhile (the caller retries on another port); panics with
    /// the log on any other exit or when the deadline passes.
    fn wait_until_ready(&mut self, port: u16) -> Result<(), String> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the server process") {
                let log = self.error_log();
                if log.contains("Address already in use") {
                    return Err(log);
                }
                panic!("the server exited with {status} before accepting connections\n{log}");
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                panic!(
                    "the server did not accept connections on port {port} within {START_DEADLINE:?}\n{}",
                    self.error_log()
                );
            }
            sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        // SIGKILL is enough: both servers keep no state outside the temporary directory, and
        // Apache's shared memory and mutexes are anonymous (checked with `ipcs` after a kill).
        // The process may already be gone if it crashed; reaping it still matters.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A user the server accepts.
pub struct DigestUser<'a> {
    pub name: &'a str,
    pub password: &'a str,
}

/// lighttpd (`mod_auth` + `mod_authn_file`) asking for digest on every path.
///
/// `algorithm` is the value of `auth.require`'s `"algorithm"` as lighttpd takes it: one of `MD5`,
/// `SHA-256`, `SHA-512-256` (each optionally `-sess`), or several joined by `|`, such as
/// `SHA-256|MD5`. lighttpd then sends one challenge per algorithm, strongest first; a space
/// instead of `|` is refused at start ("invalid algorithm").
///
/// The users go into a `plain` backend file (`name:password`), the one backend that serves every
/// algorithm, because lighttpd computes HA1 from the clear password for whichever algorithm the
/// client picked. (lighttpd 1.4.69's `htdigest` backend also takes SHA-256 HA1 lines, but only a
/// line whose hex length matches the algorithm's digest counts, so an MD5-only htdigest file
/// answers every SHA-256 attempt with 401; see [`lighttpd_htdigest`].)
///
/// lighttpd holds back each 401 for wrong credentials by about a second (its
/// `auth.delay-invalid-creds` feature, on by default); a request without credentials gets its
/// 401 at once. Left on, as in the field: a client's timeouts must allow for it.
pub fn lighttpd(
    algorithm: &str,
    realm: &str,
    users: &[DigestUser],
    files: &[(&str, &[u8])],
) -> RealServer {
    check_config_text("algorithm", algorithm);
    check_config_text("realm", realm);
    let program = find_program(
        &["lighttpd"],
        "install lighttpd (apt-get install -y lighttpd)",
    );
    start(&program, &["-D", "-f"], |dir, port| {
        write_doc_root(dir, files);
        let mut plain = String::new();
        for user in users {
            check_user_name(user.name);
            assert!(
                !user.password.contains(['\n', '\r']),
                "a plain user file cannot hold a line break in a password"
            );
            plain.push_str(&format!("{}:{}\n", user.name, user.password));
        }
        let users_file = write_private(dir, "users.plain", plain.as_bytes());
        let backend = format!(
            "auth.backend = \"plain\"\nauth.backend.plain.userfile = \"{}\"\n",
            users_file.display()
        );
        lighttpd_config(dir, port, &backend, realm, Some(algorithm))
    })
}

/// lighttpd guarding its files with a given htdigest file (`user:realm:HA1` lines, HA1 the MD5
/// hex of `user:realm:password`), as an administrator's `htdigest` tool writes it. The challenge
/// is MD5 only (lighttpd's default when `"algorithm"` is not set). The file is read in place on
/// every request, so a test may rewrite it while the server runs.
pub fn lighttpd_htdigest(realm: &str, htdigest_file: &Path, files: &[(&str, &[u8])]) -> RealServer {
    check_config_text("realm", realm);
    let htdigest_file = std::path::absolute(htdigest_file).expect("absolute htdigest path");
    check_config_text("htdigest path", &htdigest_file.to_string_lossy());
    let program = find_program(
        &["lighttpd"],
        "install lighttpd (apt-get install -y lighttpd)",
    );
    start(&program, &["-D", "-f"], |dir, port| {
        write_doc_root(dir, files);
        let backend = format!(
            "auth.backend = \"htdigest\"\nauth.backend.htdigest.userfile = \"{}\"\n",
            htdigest_file.display()
        );
        lighttpd_config(dir, port, &backend, realm, None)
    })
}

/// Apache (`mod_auth_digest` + `mod_authn_file`) asking for digest on every path: MD5 (the only
/// algorithm it implements), `AuthDigestQop auth`, an htdigest file written here.
///
/// Runs `apache2 -X` (`httpd -X` elsewhere): one process, in the foreground, with a configuration
/// of its own that loads each module explicitly. Apache refuses to serve as root, so when the
/// tests run as root (CI containers) the configuration names `User www-data` (or `nobody`) and the
/// temporary directory is made world-readable: the process binds the port and opens its logs as
/// root, then switches to that user before it reads a single file.
pub fn apache(realm: &str, users: &[DigestUser], files: &[(&str, &[u8])]) -> RealServer {
    check_config_text("realm", realm);
    let program = find_program(
        &["apache2", "httpd"],
        "install Apache (apt-get install -y apache2)",
    );
    let modules = apache_modules_dir();
    let run_as = running_as_root().then(unprivileged_user);
    start(&program, &["-X", "-f"], |dir, port| {
        write_doc_root(dir, files);
        let htdigest: String = users
            .iter()
            .map(|user| htdigest_line(user.name, realm, user.password))
            .collect();
        let htdigest_file = write_private(dir, "users.htdigest", htdigest.as_bytes());
        let run_dir = dir.join("run");
        fs::create_dir_all(&run_dir).expect("create Apache's run directory");
        if run_as.is_some() {
            make_world_readable(dir);
        }

        let mut config = String::new();
        // The MPM and mod_unixd (User/Group) are compiled in on some builds; load them only when
        // they are shared modules here. The others are needed for digest and must be there.
        for (name, file) in [("mpm_event", "mod_mpm_event.so"), ("unixd", "mod_unixd.so")] {
            let path = modules.join(file);
            if path.is_file() {
                config.push_str(&format!("LoadModule {name}_module {}\n", path.display()));
            }
        }
        for (name, file) in [
            ("authn_core", "mod_authn_core.so"),
            ("authn_file", "mod_authn_file.so"),
            ("authz_core", "mod_authz_core.so"),
            ("authz_user", "mod_authz_user.so"),
            ("auth_digest", "mod_auth_digest.so"),
            ("mime", "mod_mime.so"),
        ] {
            let path = modules.join(file);
            assert!(
                path.is_file(),
                "Apache module {} is missing",
                path.display()
            );
            config.push_str(&format!("LoadModule {name}_module {}\n", path.display()));
        }
        if let Some((user, gid)) = &run_as {
            config.push_str(&format!("User {user}\nGroup #{gid}\n"));
        }
        let root = dir.display();
        config.push_str(&format!(
            r#"ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/run/httpd.pid"
DefaultRuntimeDir "{root}/run"
ErrorLog "{root}/{ERROR_LOG}"
LogLevel info
DocumentRoot "{root}/{DOC_ROOT}"
TypesConfig /dev/null
AddType application/xml .xml
AddType text/plain .txt
<Location "/">
    AuthType Digest
    AuthName "{realm}"
    AuthDigestProvider file
    AuthUserFile "{htdigest}"
    AuthDigestAlgorithm MD5
    AuthDigestQop auth
    Require valid-user
</Location>
"#,
            htdigest = htdigest_file.display(),
        ));
        config
    })
}

/// One htdigest line, `user:realm:HA1` with HA1 = MD5 hex of `user:realm:password`, newline
/// included: what Apache's `htdigest` tool writes and both servers read.
pub fn htdigest_line(user: &str, realm: &str, password: &str) -> String {
    check_user_name(user);
    assert!(
        !realm.contains(':'),
        "realm {realm:?} cannot go into an htdigest file"
    );
    format!(
        "{user}:{realm}:{}\n",
        md5_hex(&format!("{user}:{realm}:{password}"))
    )
}

/// Lowercase hex MD5 of `text`.
pub fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Starts `program args… CONFIG` in a fresh temporary directory that `prepare` fills for a port,
/// retrying on another port when the one picked was taken before the server could bind it.
fn start(program: &Path, args: &[&str], prepare: impl Fn(&Path, u16) -> String) -> RealServer {
    for attempt in 1..=START_ATTEMPTS {
        let dir = tempfile::Builder::new()
            .prefix("provdesk-interop-")
            .tempdir()
            .expect("create a temporary directory");
        let port = free_port();
        let config = prepare(dir.path(), port);
        let config_file = dir.path().join(CONFIG);
        fs::write(&config_file, config).expect("write the server configuration");
        let console = File::create(dir.path().join(CONSOLE_LOG)).expect("create the console log");
        let child = Command::new(program)
            .args(args)
            .arg(&config_file)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(console.try_clone().expect("share the console log"))
            .stderr(console)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
        // From here on the server is owned by a RealServer, so a panic below still kills it.
        let mut server = RealServer {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            dir,
        };
        match server.wait_until_ready(port) {
            Ok(()) => return server,
            Err(log) if attempt == START_ATTEMPTS => {
                panic!("no free port after {START_ATTEMPTS} attempts\n{log}")
            }
            Err(_) => {}
        }
    }
    unreachable!("the last attempt returns or panics")
}

/// A port on 127.0.0.1 that nobody listens on right now: bind port 0, read what the kernel
/// chose, release it for the server.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("bind a free loopback port")
        .port()
}

/// The common part of both lighttpd configurations: loopback, the document root, the error log,
/// and digest on every path (`"/"` is a prefix of every request path).
fn lighttpd_config(
    dir: &Path,
    port: u16,
    backend: &str,
    realm: &str,
    algorithm: Option<&str>,
) -> String {
    let root = dir.display();
    let algorithm = algorithm
        .map(|algorithm| format!(", \"algorithm\" => \"{algorithm}\""))
        .unwrap_or_default();
    format!(
        r#"server.bind = "127.0.0.1"
server.port = {port}
server.document-root = "{root}/{DOC_ROOT}"
server.errorlog = "{root}/{ERROR_LOG}"
server.modules = ("mod_auth", "mod_authn_file")
mimetype.assign = (".xml" => "application/xml", ".txt" => "text/plain", "" => "application/octet-stream")
{backend}auth.require = ("/" => ("method" => "digest", "realm" => "{realm}", "require" => "valid-user"{algorithm}))
"#
    )
}

/// Writes `files` under the document root; names are relative (a leading `/` is allowed) and may
/// contain directories.
fn write_doc_root(dir: &Path, files: &[(&str, &[u8])]) {
    let root = dir.join(DOC_ROOT);
    fs::create_dir_all(&root).expect("create the document root");
    for (name, content) in files {
        let name = name.trim_start_matches('/');
        assert!(
            !name.is_empty() && !name.split('/').any(|part| part == ".."),
            "document root file name {name:?} must be a relative path inside the root"
        );
        let path = root.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create a document root directory");
        }
        fs::write(&path, content).expect("write a document root file");
    }
}

/// Writes a user file next to the configuration, outside the document root so it is never
/// served, and returns its path.
fn write_private(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, content).expect("write a user file");
    path
}

/// Opens the temporary directory to the unprivileged user Apache switches to when started as
/// root: `TempDir` creates the directory 0700, which www-data cannot traverse, and a strict umask
/// would keep the files from it too. These are throwaway test credentials, so world-readable is
/// fine.
fn make_world_readable(dir: &Path) {
    let mode = if dir.is_dir() { 0o755 } else { 0o644 };
    fs::set_permissions(dir, fs::Permissions::from_mode(mode)).expect("open up the test files");
    if dir.is_dir() {
        for entry in fs::read_dir(dir).expect("list the test files") {
            make_world_readable(&entry.expect("list the test files").path());
        }
    }
}

/// Whether this process's effective user is root (the `Uid:` line of `/proc/self/status` lists
/// real, effective, saved and filesystem ids).
fn running_as_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("Uid:"))?;
            Some(line.split_whitespace().nth(2)? == "0")
        })
        .unwrap_or(false)
}

/// The user Apache runs as when started as root, with its primary group id: `www-data` where it
/// exists (Debian), else `nobody`.
fn unprivileged_user() -> (String, String) {
    let passwd = fs::read_to_string("/etc/passwd").expect("read /etc/passwd");
    ["www-data", "nobody"]
        .into_iter()
        .find_map(|wanted| {
            passwd.lines().find_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                (fields.len() > 3 && fields[0] == wanted)
                    .then(|| (wanted.to_string(), fields[3].to_string()))
            })
        })
        .expect("Apache needs a www-data or nobody user to run as when started as root")
}

/// Where this system keeps Apache's shared modules (Debian, Fedora, Alpine layouts).
fn apache_modules_dir() -> PathBuf {
    [
        "/usr/lib/apache2/modules",
        "/usr/lib64/httpd/modules",
        "/usr/lib/httpd/modules",
        "/usr/lib/apache2",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|dir| dir.join("mod_auth_digest.so").is_file())
    .expect("mod_auth_digest.so not found: install Apache (apt-get install -y apache2)")
}

/// The first of `names` in `PATH` or the sbin directories (which a non-root `PATH` often lacks,
/// and where both servers live); panics with `install_hint` when there is none.
fn find_program(names: &[&str], install_hint: &str) -> PathBuf {
    program_path(names)
        .unwrap_or_else(|| panic!("{} not found: {install_hint}", names.join(" or ")))
}

fn program_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Whether a program is installed (on PATH or in an sbin folder), for benches that say so and
/// measure less without it.
#[allow(dead_code)] // only the benches ask: an interop test without its server is #[ignore]d
pub fn installed(name: &str) -> bool {
    program_path(&[name]).is_some()
}

/// Text pasted into a configuration between double quotes: neither server's parser would take a
/// quote, a backslash or a line break there the way we mean it.
fn check_config_text(what: &str, text: &str) {
    assert!(
        !text.contains(['"', '\\', '\n', '\r']),
        "{what} {text:?} cannot go into a server configuration"
    );
}

/// User files are lines of fields separated by `:`, so a user name may hold neither.
fn check_user_name(name: &str) {
    assert!(
        !name.is_empty() && !name.contains([':', '\n', '\r']),
        "user name {name:?} cannot go into a user file"
    );
}
