//! Property tests for the Test fetch's masked URL field: whatever the URL, the text shown
//! never holds the stored password, and the URL fetched is the stored one where the mask still
//! stands, or the user's where they typed over it.

use proptest::prelude::*;
use provdesk::device::{MaskedUrl, MaskedUrlError, mask_url_password};
use provdesk::secret::MASK;

/// Passwords as a URL's userinfo may hold them: never `/ ? #`, which end the host part. They
/// start with `Q`, which no other part of the generated URLs holds, so a leak is never a
/// coincidence of the host or path.
fn password() -> impl Strategy<Value = String> {
    "Q[A-Za-z0-9._~!$&'()*+,;=:@%ü-]{0,24}"
}

fn user() -> impl Strategy<Value = String> {
    "[a-z0-9._~-]{1,12}"
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,10}(\\.[a-z]{2,5}){0,2}",
        Just("127.0.0.1".to_string()),
        Just("[::1]".to_string()),
    ]
}

fn rest() -> impl Strategy<Value = String> {
    "(:[1-9][0-9]{0,4})?(/[a-z0-9%@._~-]{0,12}){0,3}(\\?[a-z0-9=&@]{0,10})?"
}

fn url() -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![Just("http://"), Just("https://"), Just("HTTPS://")],
        user(),
        password(),
        host(),
        rest(),
    )
        .prop_map(|(scheme, user, password, host, rest)| {
            (format!("{scheme}{user}:{password}@{host}{rest}"), password)
        })
}

proptest! {
    /// Masked and taken back unedited, the URL is the stored one to the byte; the text shown
    /// holds the mask and not the password.
    #[test]
    fn the_round_trip_neither_leaks_nor_loses_the_password((url, password) in url()) {
        let masked = MaskedUrl::masked(&url);
        prop_assert!(masked.is_masked());
        prop_assert!(!masked.text().contains(&password), "{}", masked.text());
        prop_assert!(masked.text().contains(MASK));
        prop_assert_eq!(masked.text(), mask_url_password(&url));
        let debug = format!("{masked:?}");
        prop_assert!(!debug.contains(&password), "{}", debug);
        prop_assert_eq!(masked.real().unwrap(), url.clone());
        let mut revealed = masked.clone();
        revealed.reveal();
        prop_assert_eq!(revealed.text(), url.as_str());
    }

    /// An edit after the host (path, query) keeps the stored password, and the text shown
    /// still does not hold it.
    #[test]
    fn an_edited_path_keeps_the_stored_password(
        (url, password) in url(),
        path in "(/[a-z0-9@._~-]{0,12}){1,3}",
    ) {
        let mut masked = MaskedUrl::masked(&url);
        masked.text_mut().push_str(&path);
        prop_assert!(!masked.text().contains(&password));
        prop_assert_eq!(masked.real().unwrap(), format!("{url}{path}"));
    }

    /// The mask typed over: the typed password is used, the stored one is gone; the mask
    /// deleted with the rest of the userinfo: no password at all.
    #[test]
    fn a_typed_password_or_no_userinfo_replaces_the_stored_one(
        (url, password) in url(),
        typed in "[a-z0-9]{1,12}",
    ) {
        let masked = MaskedUrl::masked(&url);
        let mut retyped = masked.clone();
        *retyped.text_mut() = masked.text().replacen(MASK, &typed, 1);
        let real = retyped.real().unwrap();
        prop_assert!(!real.contains(&password), "{real}");
        prop_assert_eq!(real, url.replacen(&password, &typed, 1));

        let mut bare = masked.clone();
        let (scheme, after) = masked.text().split_once("://").unwrap();
        let host_on = after.split_once('@').unwrap().1;
        *bare.text_mut() = format!("{scheme}://{host_on}");
        let real = bare.real().unwrap();
        prop_assert!(!real.contains(&password), "{real}");
        prop_assert!(!real.contains('@') || host_on.contains('@'));
    }

    /// Another host with the mask left standing: nothing to fetch, and the words say which
    /// server the password is for without the password.
    #[test]
    fn the_stored_password_goes_to_no_other_host((url, password) in url(), other in "[a-z]{3,10}\\.test") {
        let mut masked = MaskedUrl::masked(&url);
        let (scheme, after) = masked.text().split_once("://").unwrap();
        let (userinfo, host_on) = after.split_once('@').unwrap();
        let path = host_on.find(['/', '?']).map_or("", |at| &host_on[at..]);
        *masked.text_mut() = format!("{scheme}://{userinfo}@{other}{path}");
        let error = masked.real().unwrap_err();
        prop_assert!(matches!(error, MaskedUrlError::OtherServer { .. }), "{error:?}");
        prop_assert!(!error.to_string().contains(&password));
    }

    /// Any text typed into the field is taken without a panic, and a URL with part of the
    /// mask left is refused in words without the stored password.
    #[test]
    fn any_edit_is_taken_without_a_panic((url, password) in url(), text in "\\PC{0,60}") {
        let mut masked = MaskedUrl::masked(&url);
        *masked.text_mut() = text;
        match masked.real() {
            Ok(_) => {}
            Err(error) => prop_assert!(!error.to_string().contains(&password)),
        }
        let mut partial = MaskedUrl::masked(&url);
        *partial.text_mut() = partial.text().replacen(MASK, "•••", 1);
        prop_assert!(partial.real().is_err());
    }
}
