//! The digest engine against every known-answer vector in FACTS.md §4, and against an
//! independent implementation (the `http-auth` crate) over generated inputs.

use proptest::prelude::*;
use provdesk::digest::{Algorithm, DigestChallenge, DigestInput, Qop, compute, parse_challenges};
use provdesk::secret::Secret;

fn challenge(header: &str) -> DigestChallenge {
    DigestChallenge::from_challenge(&parse_challenges(header).unwrap()[0]).unwrap()
}

#[test]
fn rfc_2617_section_3_5() {
    let c = challenge(
        r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
    );
    let password = Secret::new("Circle Of Life");
    let input = DigestInput {
        username: "Mufasa",
        password: &password,
        method: "GET",
        uri: "/dir/index.html",
        body: b"",
        cnonce: "0a4f113b",
        nc: 1,
    };
    let with_qop = compute(&c, Algorithm::Md5, Some(Qop::Auth), &input);
    assert_eq!(with_qop.ha1.expose(), "939e7578ed9e3c518a452acee763bce9");
    assert_eq!(with_qop.ha2, "39aff3a2bab6126f332b942af96d3366");
    assert_eq!(with_qop.a2, "GET:/dir/index.html");
    assert_eq!(with_qop.nc, "00000001");
    assert_eq!(with_qop.response, "6629fae49393a05397450978507c4ef1");
    assert_eq!(
        with_qop.response_input.expose(),
        "939e7578ed9e3c518a452acee763bce9:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000001:0a4f113b:auth:39aff3a2bab6126f332b942af96d3366"
    );
    let without_qop = compute(&c, Algorithm::Md5, None, &input);
    assert_eq!(without_qop.response, "670fd8c2df070c60b045671b8b24ff02");

    let header = with_qop.authorization();
    assert!(
        header.contains(r#"response="6629fae49393a05397450978507c4ef1""#),
        "{header}"
    );
    assert!(header.contains(r#"opaque="5ccc069c403ebaf9f0171e9517f40e41""#));
    assert!(header.contains("nc=00000001"));
    assert!(!header.contains("Circle"), "no password in the header");
    let masked = with_qop.response_input_masked();
    assert!(!masked.contains("939e7578"), "HA1 is masked: {masked}");
    assert!(masked.ends_with(":auth:39aff3a2bab6126f332b942af96d3366"));
    let debug = format!("{with_qop:?}");
    for secret in ["Circle", "939e7578", "6629fae4"] {
        assert!(
            !debug.contains(secret),
            "no password, HA1 or response in a {{:?}}: {debug}"
        );
    }
    assert!(debug.contains("testrealm@host.com"), "the rest is shown");
}

#[test]
fn rfc_7616_section_3_9_1_md5_and_sha256() {
    let c = challenge(
        r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#,
    );
    let password = Secret::new("Circle of Life");
    let input = DigestInput {
        username: "Mufasa",
        password: &password,
        method: "GET",
        uri: "/dir/index.html",
        body: b"",
        cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
        nc: 1,
    };
    assert_eq!(
        compute(&c, Algorithm::Md5, Some(Qop::Auth), &input).response,
        "8ca523f5e9506fed4657c9700eebdbec"
    );
    assert_eq!(
        compute(&c, Algorithm::Sha256, Some(Qop::Auth), &input).response,
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
    );
}

#[test]
fn rfc_7616_section_3_9_2_sha512_256_with_userhash() {
    let c = challenge(
        r#"Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true"#,
    );
    let password = Secret::new("Secret, or not?");
    let input = DigestInput {
        username: "Jäsøn Doe",
        password: &password,
        method: "GET",
        uri: "/doe.json",
        body: b"",
        cnonce: "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
        nc: 1,
    };
    let result = compute(&c, Algorithm::Sha512_256, Some(Qop::Auth), &input);
    assert_eq!(
        result.username_field,
        "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b"
    );
    assert_eq!(
        result.response,
        "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5"
    );
    assert!(result.authorization().contains("userhash=true"));
}

#[test]
fn a_non_ascii_user_name_goes_as_username_star() {
    let c = challenge(r#"Digest realm="r", nonce="n", qop="auth", charset=UTF-8"#);
    let password = Secret::new("x");
    let input = DigestInput {
        username: "Jäsøn Doe",
        password: &password,
        method: "GET",
        uri: "/",
        body: b"",
        cnonce: "c",
        nc: 1,
    };
    let header = compute(&c, Algorithm::Md5, Some(Qop::Auth), &input).authorization();
    assert!(
        header.contains("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe"),
        "{header}"
    );
}

#[test]
fn session_variants_and_auth_int_hash_what_the_rfc_says() {
    let c = challenge(r#"Digest realm="r", nonce="N", qop="auth-int""#);
    let password = Secret::new("p");
    let input = DigestInput {
        username: "u",
        password: &password,
        method: "POST",
        uri: "/x?y=1",
        body: b"hello",
        cnonce: "C",
        nc: 2,
    };
    let md5 = |s: &str| Algorithm::Md5.hash_hex(s.as_bytes());
    let result = compute(&c, Algorithm::Md5Sess, Some(Qop::AuthInt), &input);
    assert_eq!(result.a1.expose(), format!("{}:N:C", md5("u:r:p")));
    assert_eq!(result.a2, format!("POST:/x?y=1:{}", md5("hello")));
    assert_eq!(result.nc, "00000002");
    let expected = md5(&format!(
        "{}:N:00000002:C:auth-int:{}",
        md5(result.a1.expose()),
        md5(&result.a2)
    ));
    assert_eq!(result.response, expected);
}

/// Reads `name` from an Authorization header as a list of auth-params.
fn field(header: &str, name: &str) -> String {
    parse_challenges(header).unwrap()[0]
        .param(name)
        .unwrap_or_default()
        .to_string()
}

proptest! {
    #[test]
    fn agrees_with_http_auth(
        username in "[A-Za-z0-9._-]{1,12}",
        password in "[ -~]{0,20}",
        realm in "[A-Za-z0-9@. -]{1,20}",
        nonce in "[A-Za-z0-9+/=]{4,32}",
        path in "/[a-z0-9/._-]{0,20}",
        algorithm in prop::sample::select(vec!["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"]),
        qop in prop::sample::select(vec![None, Some("auth")]),
    ) {
        // A -sess algorithm without qop is undefined (A1 needs a cnonce that only qop sends).
        prop_assume!(qop.is_some() || !algorithm.ends_with("-sess"));
        let qop_param = qop.map(|q| format!(", qop=\"{q}\"")).unwrap_or_default();
        let header = format!(
            "Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm={algorithm}{qop_param}"
        );
        let mut theirs = http_auth::PasswordClient::try_from(header.as_str()).unwrap();
        let their_header = theirs
            .respond(&http_auth::PasswordParams {
                username: &username,
                password: &password,
                uri: &path,
                method: "GET",
                body: Some(&[]),
            })
            .unwrap();
        let cnonce = field(&their_header, "cnonce");
        let nc = u32::from_str_radix(&field(&their_header, "nc"), 16).unwrap_or(1);
        let c = challenge(&header);
        let secret = Secret::new(password.clone());
        let ours = compute(
            &c,
            Algorithm::parse(algorithm).unwrap(),
            qop.and_then(Qop::parse),
            &DigestInput {
                username: &username,
                password: &secret,
                method: "GET",
                uri: &path,
                body: b"",
                cnonce: &cnonce,
                nc,
            },
        );
        prop_assert_eq!(ours.response, field(&their_header, "response"));
    }

    #[test]
    fn the_header_parser_never_panics(header in "\\PC{0,200}") {
        let _ = parse_challenges(&header);
    }

    #[test]
    fn the_header_parser_never_panics_on_header_like_text(
        header in "(Digest|Basic|realm|nonce|qop|=|\"|\\\\|,| |auth|MD5|stale|TRUE|x){0,40}"
    ) {
        if let Ok(challenges) = parse_challenges(&header) {
            for challenge in &challenges {
                let _ = DigestChallenge::from_challenge(challenge);
            }
        }
    }
}
