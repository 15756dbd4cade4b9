//! Broken markup that, repeated, once made a password scanner quadratic or lost a file's lines:
//! the masking tests check what comes out, `cargo bench --bench fetch` how long it takes.

pub const HOSTILE_SHAPES: [&str; 11] = [
    "://",
    "sip:",
    "sip:u:",
    "<a b=\"",
    "<password><![CDATA[",
    "<p name='pwd' value='",
    "password=",
    "<<<",
    "<password>",
    "<S_PROV_PASSWORD value=\"\"x\"\"",
    "<p password=\"a\"b",
];
