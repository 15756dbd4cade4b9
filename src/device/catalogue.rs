//! The catalogue's rows: every model provdesk knows, each fact with its source.
//!
//! Correct a fact here and everything follows: the renderer, the validator, the test fetch, the
//! recognition of phones, the catalogue view and `provdesk models`. A fact no published document
//! states is marked unconfirmed with the reason, and used with a note wherever it matters.

use super::format::ConfigFormat;
use super::model::{
    AccountField, AuthAttempt, CredentialParams, Family, ManualEntry, ModelSpec, ParamValue,
    SipParam, SipParams, UrlCredentials, UserAgentShape,
};
use super::source::{
    BROADSOFT_SPECTRALINK, Fact, GENERIC, NO_ALGORITHM_DOCUMENTED, Source, Sourced, WAZO_GIGASET,
    WAZO_NX70_SIP, WAZO_PROVIDER_FRAME_SIP, WIKI_GPPPO, WIKI_HTTP_DIGEST, WIKI_MAXWELL_DIGEST,
    WIKI_MAXWELL_NESTED, WIKI_MULTICELL_DIGEST, WIKI_NX70_USER_AGENT, WIKI_REDIRECT_SERVER,
    WIKI_XML_FILE, sourced, unconfirmed,
};
use crate::digest::Algorithm;

/// Gigaset documents digest support but not its algorithms; the DECT/IP firmware answers the
/// MD5 challenges of RFC 2617 and nothing is known of SHA-256 support. The test fetch and its
/// `algorithm_unsupported` diagnosis read this.
const GIGASET_ALGORITHMS: &[Algorithm] = &[Algorithm::Md5];

const GIGASET_LADDER: &[AuthAttempt] = &[
    AuthAttempt::Anonymous,
    AuthAttempt::MacPassword,
    AuthAttempt::Configured,
];
const GIGASET_LADDER_WITH_MANUAL: &[AuthAttempt] = &[
    AuthAttempt::Anonymous,
    AuthAttempt::MacPassword,
    AuthAttempt::Configured,
    AuthAttempt::Manual,
];
const PLAIN_LADDER: &[AuthAttempt] = &[AuthAttempt::Anonymous, AuthAttempt::Configured];

const PROVIDER_FRAME_CREDENTIALS: CredentialParams = CredentialParams {
    username_param: "S_PROV_USERNAME",
    password_param: "S_PROV_PASSWORD",
    max_len: Some(50),
};
const PROVISIONING11_CREDENTIALS: CredentialParams = CredentialParams {
    username_param: "System.Security.HTTPAuthUsername",
    password_param: "System.Security.HTTPAuthPassword",
    max_len: None,
};

/// The N720 takes `S_PROV_PASSWORD` only with `I_PHONE_SYSTEM` = 5 (BroadSoft); 0 is the default.
const N720_PASSWORD_REQUIRES: ParamValue = ParamValue {
    param: "I_PHONE_SYSTEM",
    value: "5",
};

const MAXWELL_DISPLAY_ENTRY: ManualEntry = ManualEntry::Display {
    tries: 3,
    idle_timeout_s: 60,
    from_firmware: "2.18.3",
};

/// productID of the N610/N670/N870 multicell systems.
const MULTICELL_PRODUCT_ID: &str = "e2";
/// productID Maxwell Basic/2/3/4 share; `%DVID` tells them apart.
const MAXWELL_PRODUCT_ID: &str = "mx3b";

const fn sip(pattern: &'static str, class: &'static str, value: AccountField) -> SipParam {
    SipParam {
        pattern,
        class,
        value,
    }
}

/// A ProviderFrame's SIP account elements, `#` the account's number from 1.
const PROVIDER_FRAME_SIP: SipParams = SipParams {
    number_width: 0,
    params: &[
        sip("S_SIP_LOGIN_ID_#", "string", AccountField::AuthUser),
        sip("S_SIP_PASSWORD_#", "string", AccountField::Password),
        sip("S_SIP_USER_ID_#", "string", AccountField::User),
        sip("S_SIP_DISPLAYNAME_#", "string", AccountField::DisplayName),
        sip("S_SIP_DOMAIN_#", "string", AccountField::Registrar),
        sip("S_SIP_SERVER_#", "string", AccountField::Registrar),
        sip("S_SIP_REGISTRAR_#", "string", AccountField::Registrar),
        sip("I_SIP_SERVER_PORT_#", "integer", AccountField::Port),
        sip("I_SIP_REGISTRAR_PORT_#", "integer", AccountField::Port),
        sip("S_OUTBOUND_PROXY_#", "string", AccountField::OutboundProxy),
        sip("B_SIP_ACCOUNT_IS_ACTIVE_#", "boolean", AccountField::Active),
    ],
};

/// The N610/N670/N870's per-handset SIP accounts (wazo's Nx70 template). The registrar lives
/// in a provider profile (`SipProvider.<n>.*`) the accounts share, not in the account: a
/// template places it with `{{sip_registrar_1}}` where the installer wants it.
const NX70_SIP: SipParams = SipParams {
    number_width: 5,
    params: &[
        sip("SipAccount.#.AuthName", "", AccountField::AuthUser),
        sip("SipAccount.#.AuthPassword", "", AccountField::Password),
        sip("SipAccount.#.UserName", "", AccountField::User),
        sip("SipAccount.#.DisplayName", "", AccountField::DisplayName),
    ],
};

/// The S_SIP_…_n element names: the DE410 example publishes three of them.
const PROVIDER_FRAME_SIP_NAMES: Source = unconfirmed(
    "the DE410 example publishes S_SIP_LOGIN_ID_1, S_SIP_PASSWORD_1 and I_SIP_SERVER_PORT_1 as elements; the others are the symbolic items of wazo's N510 template (BS_IP_Data1.aucS_SIP_…_n) written as elements the same way",
);
const SIP_COUNT_NOT_PUBLISHED: Source = unconfirmed(
    "no Gigaset document at hand states the number of SIP accounts; the figure is provisional: check the accounts list of the device's web UI and correct this row",
);

const NOT_PUBLISHED_FOR_DE: Source = unconfirmed(
    "Gigaset publishes no digest parameter names for the DE series; the ProviderFrame names of the N510/N720 are assumed",
);
const NO_URL_CREDENTIALS_DOCUMENTED: Source =
    unconfirmed("no Gigaset document says this model takes user:pass@ in its provisioning URL");
const DE_PROFILE_INFERRED: Source = unconfirmed(
    "inferred from the DE410 example (PROFILE_NAME = the model's short name); not published for this model",
);

/// The facts every ProviderFrame row of the N series shares, with their sources.
const N_SERIES_SOURCES: [Sourced; 8] = [
    sourced(Fact::ConfigFormat, WIKI_HTTP_DIGEST),
    sourced(Fact::ProfileName, WAZO_GIGASET),
    sourced(Fact::CredentialParams, WIKI_HTTP_DIGEST),
    sourced(Fact::AuthLadder, WIKI_HTTP_DIGEST),
    sourced(Fact::DigestAlgorithms, NO_ALGORITHM_DOCUMENTED),
    sourced(Fact::ManualEntry, WIKI_HTTP_DIGEST),
    sourced(Fact::BasicAccepted, WIKI_HTTP_DIGEST),
    sourced(Fact::UrlCredentials, NO_URL_CREDENTIALS_DOCUMENTED),
];

const N510_SOURCES: &[&[Sourced]] = &[
    &N_SERIES_SOURCES,
    &[
        sourced(Fact::MinDigestFirmware, WIKI_HTTP_DIGEST),
        sourced(Fact::UserAgent, WAZO_GIGASET),
        sourced(Fact::SipAccounts, WAZO_PROVIDER_FRAME_SIP),
        sourced(Fact::SipParams, PROVIDER_FRAME_SIP_NAMES),
    ],
];

const N720_SOURCES: &[&[Sourced]] = &[
    &N_SERIES_SOURCES,
    &[
        sourced(Fact::MinDigestFirmware, WIKI_HTTP_DIGEST),
        sourced(Fact::PasswordRequires, WIKI_HTTP_DIGEST),
        sourced(Fact::UserAgent, WAZO_GIGASET),
        sourced(Fact::SipAccounts, WAZO_PROVIDER_FRAME_SIP),
        sourced(
            Fact::SipParams,
            unconfirmed(
                "wazo's N720 template writes the accounts as symbolic items BS_VOIP_Data.astVoipAccounts[n-1].aucS_SIP_…; the N510's S_SIP_…_n elements are assumed to be taken too",
            ),
        ),
    ],
];

const MULTICELL_SOURCES: &[Sourced] = &[
    sourced(Fact::ConfigFormat, WAZO_GIGASET),
    sourced(Fact::ProductId, WAZO_GIGASET),
    sourced(
        Fact::CredentialParams,
        unconfirmed(
            "System.Security.HTTPAuth* are the Maxwell's names; not documented for this family: prefer user:pass@ in the URL (firmware 2.53 and later)",
        ),
    ),
    sourced(Fact::AuthLadder, WIKI_MULTICELL_DIGEST),
    sourced(Fact::DigestAlgorithms, NO_ALGORITHM_DOCUMENTED),
    sourced(
        Fact::ManualEntry,
        unconfirmed("no Gigaset document mentions typing credentials on this family"),
    ),
    sourced(Fact::BasicAccepted, WIKI_HTTP_DIGEST),
    sourced(Fact::UrlCredentials, WIKI_MULTICELL_DIGEST),
    sourced(Fact::UserAgent, WAZO_GIGASET),
    sourced(Fact::FolderFile, WIKI_GPPPO),
    sourced(Fact::SipAccounts, WIKI_NX70_USER_AGENT),
    sourced(Fact::SipParams, WAZO_NX70_SIP),
];

const MAXWELL_SOURCES: [Sourced; 9] = [
    sourced(Fact::ConfigFormat, WIKI_MAXWELL_NESTED),
    sourced(Fact::ProductId, WIKI_MAXWELL_NESTED),
    sourced(Fact::CredentialParams, WIKI_MAXWELL_DIGEST),
    sourced(Fact::AuthLadder, WIKI_MAXWELL_DIGEST),
    sourced(Fact::DigestAlgorithms, NO_ALGORITHM_DOCUMENTED),
    sourced(Fact::ManualEntry, WIKI_MAXWELL_DIGEST),
    sourced(Fact::BasicAccepted, WIKI_HTTP_DIGEST),
    sourced(Fact::UrlCredentials, WIKI_GPPPO),
    sourced(Fact::Dvid, WIKI_GPPPO),
];

const MAXWELL_SIP_SOURCES: [Sourced; 2] = [
    sourced(Fact::SipAccounts, SIP_COUNT_NOT_PUBLISHED),
    sourced(
        Fact::SipParams,
        unconfirmed(
            "Gigaset publishes no SIP account parameter names for the Maxwell; the N870's SipAccount.<n>.* names (same provisioning 1.1 platform) are assumed",
        ),
    ),
];

/// The Maxwell 3's User-Agent is published; its siblings' are assumed to have the same shape.
const MAXWELL_3_SOURCES: &[&[Sourced]] = &[
    &MAXWELL_SOURCES,
    &MAXWELL_SIP_SOURCES,
    &[sourced(Fact::UserAgent, WAZO_GIGASET)],
];

const MAXWELL_SIBLING_SOURCES: &[&[Sourced]] = &[
    &MAXWELL_SOURCES,
    &MAXWELL_SIP_SOURCES,
    &[sourced(
        Fact::UserAgent,
        unconfirmed(
            "the Maxwell 3's published User-Agent (shape and firmware), assumed for its siblings with their own %DVID prefix",
        ),
    )],
];

const MAXWELL_10_SOURCES: &[Sourced] = &[
    sourced(
        Fact::ConfigFormat,
        unconfirmed("assumed from the Maxwell Basic/2/3/4; Gigaset publishes no Maxwell 10 file"),
    ),
    sourced(
        Fact::ProductId,
        unconfirmed(
            "Gigaset publishes no productID for the Maxwell 10; the Maxwell 3's mx3b is assumed",
        ),
    ),
    sourced(Fact::CredentialParams, WIKI_MAXWELL_DIGEST),
    sourced(Fact::AuthLadder, WIKI_HTTP_DIGEST),
    sourced(Fact::DigestAlgorithms, NO_ALGORITHM_DOCUMENTED),
    sourced(Fact::ManualEntry, WIKI_MAXWELL_DIGEST),
    sourced(Fact::BasicAccepted, WIKI_HTTP_DIGEST),
    sourced(Fact::UrlCredentials, NO_URL_CREDENTIALS_DOCUMENTED),
];

/// The DE410's file is published; its siblings' PROFILE_NAME follows the same rule.
const fn de_sources(profile: Source) -> [Sourced; 9] {
    [
        sourced(Fact::ConfigFormat, WIKI_XML_FILE),
        sourced(Fact::ProfileName, profile),
        sourced(Fact::CredentialParams, NOT_PUBLISHED_FOR_DE),
        sourced(Fact::AuthLadder, WIKI_HTTP_DIGEST),
        sourced(Fact::DigestAlgorithms, NO_ALGORITHM_DOCUMENTED),
        sourced(Fact::ManualEntry, WIKI_HTTP_DIGEST),
        sourced(Fact::BasicAccepted, WIKI_HTTP_DIGEST),
        sourced(Fact::UrlCredentials, NO_URL_CREDENTIALS_DOCUMENTED),
        sourced(Fact::MinDigestFirmware, WIKI_HTTP_DIGEST),
    ]
}
const DE410_SOURCES: [Sourced; 9] = de_sources(WIKI_XML_FILE);
const DE_SIP_SOURCES: [Sourced; 2] = [
    sourced(Fact::SipAccounts, SIP_COUNT_NOT_PUBLISHED),
    sourced(Fact::SipParams, PROVIDER_FRAME_SIP_NAMES),
];
const DE_SIBLING_SOURCES: [Sourced; 9] = de_sources(DE_PROFILE_INFERRED);

const DX800A_SOURCES: &[Sourced] = &[
    sourced(Fact::ConfigFormat, WIKI_REDIRECT_SERVER),
    sourced(
        Fact::AuthLadder,
        unconfirmed("the N510's ladder, assumed: no document describes the DX800A's digest"),
    ),
    sourced(Fact::DigestAlgorithms, NO_ALGORITHM_DOCUMENTED),
    sourced(
        Fact::ManualEntry,
        unconfirmed("no document describes the DX800A after refused credentials"),
    ),
    sourced(Fact::BasicAccepted, WIKI_HTTP_DIGEST),
    sourced(Fact::UrlCredentials, NO_URL_CREDENTIALS_DOCUMENTED),
    sourced(Fact::SipAccounts, SIP_COUNT_NOT_PUBLISHED),
];

const SPECTRALINK_SOURCES: &[Sourced] = &[
    sourced(Fact::ConfigFormat, BROADSOFT_SPECTRALINK),
    sourced(
        Fact::AuthLadder,
        unconfirmed("a plain client: no credentials, then those of the URL"),
    ),
    sourced(
        Fact::DigestAlgorithms,
        unconfirmed("not documented; every algorithm provdesk knows is offered"),
    ),
    sourced(
        Fact::ManualEntry,
        unconfirmed("a server without a display: nothing to type on"),
    ),
    sourced(
        Fact::BasicAccepted,
        unconfirmed("not documented; accepted, as by most HTTP clients"),
    ),
    sourced(Fact::UrlCredentials, BROADSOFT_SPECTRALINK),
    sourced(
        Fact::SipAccounts,
        unconfirmed(
            "each handset is a SIP user in the server's own user list, which provdesk does not write; up to 255 accounts are kept",
        ),
    ),
];

const GENERIC_SOURCES: &[Sourced] = &[
    sourced(Fact::ConfigFormat, GENERIC),
    sourced(Fact::AuthLadder, GENERIC),
    sourced(Fact::DigestAlgorithms, GENERIC),
    sourced(Fact::ManualEntry, GENERIC),
    sourced(Fact::BasicAccepted, GENERIC),
    sourced(Fact::UrlCredentials, GENERIC),
    sourced(Fact::SipAccounts, GENERIC),
];

const fn maxwell(
    name: &'static str,
    aliases: &'static [&'static str],
    dvid: &'static str,
    product: &'static str,
    known_firmware: &'static str,
    sip_accounts: u8,
    sources: &'static [&'static [Sourced]],
) -> ModelSpec {
    ModelSpec {
        name,
        family: Family::Maxwell,
        aliases,
        config_format: ConfigFormat::Provisioning11,
        credentials: Some(PROVISIONING11_CREDENTIALS),
        auth_ladder: GIGASET_LADDER_WITH_MANUAL,
        manual_entry: MAXWELL_DISPLAY_ENTRY,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::FromFirmware("2.25"),
        min_digest_firmware: None,
        product_id: Some(MAXWELL_PRODUCT_ID),
        profile_name: None,
        password_requires: None,
        dvid: Some(dvid),
        user_agent: Some(UserAgentShape {
            product,
            known_firmware,
        }),
        folder_file: None,
        sip_accounts,
        sip_params: Some(NX70_SIP),
        note: None,
        sources,
    }
}

/// A DE phone: ProviderFrame like the N series, one manual try after refused credentials, HTTP
/// Basic for testing.
const fn de(
    name: &'static str,
    aliases: &'static [&'static str],
    profile_name: &'static str,
    manual_from: &'static str,
    digest_from: &'static str,
    sip_accounts: u8,
    sources: &'static [&'static [Sourced]],
) -> ModelSpec {
    ModelSpec {
        name,
        family: Family::DeSeries,
        aliases,
        config_format: ConfigFormat::ProviderFrame,
        credentials: Some(PROVIDER_FRAME_CREDENTIALS),
        auth_ladder: GIGASET_LADDER_WITH_MANUAL,
        manual_entry: ManualEntry::OneTry {
            from_firmware: manual_from,
        },
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: true,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: Some(digest_from),
        product_id: None,
        profile_name: Some(profile_name),
        password_requires: None,
        dvid: None,
        user_agent: None,
        folder_file: None,
        sip_accounts,
        sip_params: Some(PROVIDER_FRAME_SIP),
        note: Some("HTTP Basic is accepted for testing only"),
        sources,
    }
}

/// Every model provdesk knows, in the order the UI lists them.
pub static CATALOGUE: &[ModelSpec] = &[
    ModelSpec {
        name: "N510 IP PRO",
        family: Family::NSeries,
        aliases: &["N510", "N510IP", "N510 PRO"],
        config_format: ConfigFormat::ProviderFrame,
        credentials: Some(PROVIDER_FRAME_CREDENTIALS),
        auth_ladder: GIGASET_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: Some("BL192"),
        product_id: None,
        profile_name: Some("N510"),
        password_requires: None,
        dvid: None,
        user_agent: Some(UserAgentShape {
            product: "N510 IP PRO",
            known_firmware: "42.245.00.000.000",
        }),
        folder_file: None,
        sip_accounts: 6,
        sip_params: Some(PROVIDER_FRAME_SIP),
        note: None,
        sources: N510_SOURCES,
    },
    ModelSpec {
        name: "N720 IP PRO",
        family: Family::NSeries,
        aliases: &["N720", "N720 DM PRO", "N720 SPK PRO", "N720 DM", "N720 SPK"],
        config_format: ConfigFormat::ProviderFrame,
        credentials: Some(PROVIDER_FRAME_CREDENTIALS),
        auth_ladder: GIGASET_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: Some("BL84"),
        product_id: None,
        profile_name: Some("N720"),
        password_requires: Some(N720_PASSWORD_REQUIRES),
        dvid: None,
        user_agent: Some(UserAgentShape {
            product: "Gigaset N720 DM PRO",
            known_firmware: "70.089.00.000.000",
        }),
        folder_file: None,
        sip_accounts: 100,
        sip_params: Some(PROVIDER_FRAME_SIP),
        note: Some(
            "S_PROV_PASSWORD is taken only with I_PHONE_SYSTEM = 5 (BroadSoft); 0 is the default",
        ),
        sources: N720_SOURCES,
    },
    ModelSpec {
        name: "N610/N670/N870 IP PRO",
        family: Family::NMulticell,
        aliases: &[
            "N610",
            "N670",
            "N870",
            "N610 IP PRO",
            "N670 IP PRO",
            "N870 IP PRO",
            "N870E",
            "N870E IP PRO",
        ],
        config_format: ConfigFormat::Provisioning11,
        credentials: Some(PROVISIONING11_CREDENTIALS),
        auth_ladder: GIGASET_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::FromFirmware("2.53"),
        min_digest_firmware: None,
        product_id: Some(MULTICELL_PRODUCT_ID),
        profile_name: None,
        password_requires: None,
        dvid: None,
        user_agent: Some(UserAgentShape {
            product: "Gigaset N870 IP PRO",
            known_firmware: "83.V2.11.0",
        }),
        folder_file: Some("provisioning.xml"),
        sip_accounts: 250,
        sip_params: Some(NX70_SIP),
        note: Some(
            "digest parameter names unpublished: from firmware 2.53 give the credentials as user:pass@ in the provisioning URL",
        ),
        sources: &[MULTICELL_SOURCES],
    },
    maxwell(
        "Maxwell Basic",
        &["Maxwell B", "Maxwell Basic PRO"],
        "82/2",
        "Maxwell Basic PRO",
        "82.2.18.4-release",
        6,
        MAXWELL_SIBLING_SOURCES,
    ),
    maxwell(
        "Maxwell 2",
        &["Maxwell 2S", "Maxwell 2 PRO"],
        "82/6",
        "Maxwell 2 PRO",
        "82.2.18.4-release",
        6,
        MAXWELL_SIBLING_SOURCES,
    ),
    maxwell(
        "Maxwell 3",
        &["Maxwell 3 PRO"],
        "82/1",
        "Maxwell 3 PRO",
        "82.2.18.4-release",
        12,
        MAXWELL_3_SOURCES,
    ),
    ModelSpec {
        note: Some("takes another firmware file than the Maxwell Basic/2/3 (%DVID 84/1)"),
        ..maxwell(
            "Maxwell 4",
            &["Maxwell 4 PRO"],
            "84/1",
            "Maxwell 4 PRO",
            "84.2.18.4-release",
            12,
            MAXWELL_SIBLING_SOURCES,
        )
    },
    ModelSpec {
        name: "Maxwell 10",
        family: Family::Maxwell,
        aliases: &["Maxwell 10S"],
        config_format: ConfigFormat::Provisioning11,
        credentials: Some(PROVISIONING11_CREDENTIALS),
        auth_ladder: GIGASET_LADDER_WITH_MANUAL,
        manual_entry: ManualEntry::Notification { tries: 3 },
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: None,
        product_id: Some(MAXWELL_PRODUCT_ID),
        profile_name: None,
        password_requires: None,
        dvid: None,
        user_agent: None,
        folder_file: None,
        sip_accounts: 12,
        sip_params: Some(NX70_SIP),
        note: Some(
            "contacts the redirect server ~50 s after boot and applies new XML ~2 min after boot",
        ),
        sources: &[MAXWELL_10_SOURCES, &MAXWELL_SIP_SOURCES],
    },
    de(
        "DE900 IP PRO",
        &["DE900", "DE900/DE700 IP PRO"],
        "DE900",
        "BL02.00.11",
        "BL02.00.10",
        12,
        &[&DE_SIBLING_SOURCES, &DE_SIP_SOURCES],
    ),
    de(
        "DE700 IP PRO",
        &["DE700"],
        "DE700",
        "BL02.00.11",
        "BL02.00.10",
        12,
        &[&DE_SIBLING_SOURCES, &DE_SIP_SOURCES],
    ),
    de(
        "DE410 IP PRO",
        &["DE410", "DE410/DE310 IP PRO"],
        "DE410",
        "BL02.00.08",
        "BL02.00.07",
        6,
        &[&DE410_SOURCES, &DE_SIP_SOURCES],
    ),
    de(
        "DE310 IP PRO",
        &["DE310"],
        "DE310",
        "BL02.00.08",
        "BL02.00.07",
        6,
        &[&DE_SIBLING_SOURCES, &DE_SIP_SOURCES],
    ),
    ModelSpec {
        name: "DX800A",
        family: Family::Dx,
        aliases: &["DX800", "DX800A all in one"],
        config_format: ConfigFormat::PatchFile,
        credentials: None,
        auth_ladder: GIGASET_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: None,
        product_id: None,
        profile_name: None,
        password_requires: None,
        dvid: None,
        user_agent: None,
        folder_file: None,
        sip_accounts: 6,
        sip_params: None,
        note: Some(
            "the patch file is loaded once through the web UI's restore function to enable the redirect server; the DX800A does not download it",
        ),
        sources: &[DX800A_SOURCES],
    },
    ModelSpec {
        name: "Spectralink IP-DECT Server",
        family: Family::Spectralink,
        aliases: &[
            "Spectralink",
            "IP-DECT Server",
            "Spectralink IP DECT",
            "KWS",
        ],
        config_format: ConfigFormat::SpectralinkXml,
        credentials: None,
        auth_ladder: PLAIN_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: &Algorithm::ALL,
        basic_accepted: true,
        url_credentials: UrlCredentials::Always,
        min_digest_firmware: None,
        product_id: None,
        profile_name: None,
        password_requires: None,
        dvid: None,
        user_agent: None,
        folder_file: None,
        sip_accounts: 255,
        sip_params: None,
        note: Some(
            "credentials go in the URL: http(s)://user:pass@host:port/path; BroadWorks R22+ may identify the MAC by client certificate",
        ),
        sources: &[SPECTRALINK_SOURCES],
    },
    ModelSpec {
        name: "Generic SIP device",
        family: Family::Generic,
        aliases: &["Generic", "SIP", "Other"],
        config_format: ConfigFormat::PlainText,
        credentials: None,
        auth_ladder: PLAIN_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: &Algorithm::ALL,
        basic_accepted: true,
        url_credentials: UrlCredentials::Always,
        min_digest_firmware: None,
        product_id: None,
        profile_name: None,
        password_requires: None,
        dvid: None,
        user_agent: None,
        folder_file: None,
        sip_accounts: 255,
        sip_params: None,
        note: None,
        sources: &[GENERIC_SOURCES],
    },
];
