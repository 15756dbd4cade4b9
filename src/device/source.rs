//! Where each catalogue fact comes from.
//!
//! Installers trust the catalogue: a wrong row means files the phone ignores without a word.
//! So every fact of every model names the document it was read from, or says it is unconfirmed
//! and why; the catalogue view, `provdesk models` and the notes of a render or a fetch show it.

use serde::Serialize;

/// One kind of fact a catalogue row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    ConfigFormat,
    ProductId,
    ProfileName,
    CredentialParams,
    PasswordRequires,
    AuthLadder,
    DigestAlgorithms,
    ManualEntry,
    BasicAccepted,
    UrlCredentials,
    MinDigestFirmware,
    Dvid,
    UserAgent,
    FolderFile,
    SipAccounts,
    SipParams,
}

impl Fact {
    /// The fact's name as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Fact::ConfigFormat => "configuration format",
            Fact::ProductId => "productID",
            Fact::ProfileName => "PROFILE_NAME",
            Fact::CredentialParams => "digest credential parameters",
            Fact::PasswordRequires => "password needs",
            Fact::AuthLadder => "credential ladder",
            Fact::DigestAlgorithms => "digest algorithms",
            Fact::ManualEntry => "manual entry after refusals",
            Fact::BasicAccepted => "HTTP Basic",
            Fact::UrlCredentials => "user:pass@ in the URL",
            Fact::MinDigestFirmware => "digest from firmware",
            Fact::Dvid => "%DVID",
            Fact::UserAgent => "User-Agent",
            Fact::FolderFile => "asks first, for a folder URL",
            Fact::SipAccounts => "SIP accounts",
            Fact::SipParams => "SIP account parameters",
        }
    }
}

/// Where a fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A published document that states the fact.
    Document {
        title: &'static str,
        address: &'static str,
    },
    /// Inferred or assumed: no published document states it.
    Unconfirmed { why: &'static str },
    /// Not a fact about a device but provdesk's own definition (the generic model).
    Provdesk { why: &'static str },
}

impl Source {
    pub fn is_unconfirmed(&self) -> bool {
        matches!(self, Source::Unconfirmed { .. })
    }
}

/// One fact of a row with its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sourced {
    pub fact: Fact,
    pub source: Source,
}

pub(super) const fn sourced(fact: Fact, source: Source) -> Sourced {
    Sourced { fact, source }
}

pub(super) const fn unconfirmed(why: &'static str) -> Source {
    Source::Unconfirmed { why }
}

/// Gigaset's provisioning wiki, "Auto provisioning: HTTP Digest" (seed 000): the credential
/// ladder, S_PROV_USERNAME/PASSWORD with their 50-character limit, the firmware each model needs,
/// digest only (Basic on DE for testing), the DE's one manual try.
pub(super) const WIKI_HTTP_DIGEST: Source = Source::Document {
    title: "Gigaset wiki (GPPPO): Auto provisioning: HTTP Digest",
    address: "https://teamwork.gigaset.com/gigawiki/display/GPPPO/Auto+provisioning%3A+HTTP+Digest",
};

/// Gigaset's provisioning wiki, "The XML provisioning file": the DE410's ProviderFrame file with
/// MAC_ADDRESS, VERSION (DDMMYYHHMM), PROFILE_NAME "DE410" and typed I_/B_/S_ elements.
pub(super) const WIKI_XML_FILE: Source = Source::Document {
    title: "Gigaset wiki (GPPPO): The XML provisioning file",
    address: "https://teamwork.gigaset.com/gigawiki/display/GPPPO/The+XML+provisioning+file",
};

/// Gigaset's provisioning wiki, "FAQ Maxwell - HTTP Digest" (seed 001): the Maxwell's
/// parameter names, ladder, display entry and URL credentials.
pub(super) const WIKI_MAXWELL_DIGEST: Source = Source::Document {
    title: "Gigaset wiki (GPPPO): FAQ Maxwell - HTTP Digest",
    address: "https://teamwork.gigaset.com/gigawiki/display/GPPPO/FAQ+Maxwell+-+HTTP+Digest",
};

/// Gigaset's provisioning wiki, "FAQ Maxwell - Auto provisioning Nested profiles": a Maxwell
/// provisioning 1.1 file with `productID="mx3b"`.
pub(super) const WIKI_MAXWELL_NESTED: Source = Source::Document {
    title: "Gigaset wiki (GPPPO): FAQ Maxwell - Auto provisioning Nested profiles",
    address: "https://teamwork.gigaset.com/gigawiki/display/GPPPO/FAQ+Maxwell+-+Auto+provisioning+Nested+profiles",
};

/// Gigaset's provisioning wiki: the N610/N670/N870 take digest credentials through the redirect
/// server as `user:pass@` in the URL from firmware 2.53, and climb none → MAC → configured.
pub(super) const WIKI_MULTICELL_DIGEST: Source = Source::Document {
    title: "Gigaset wiki (GPPPO): N610/N670/N870 - HTTP digest credentials via the Gigaset redirect server",
    address: "https://teamwork.gigaset.com/gigawiki/plugins/viewsource/viewpagesrc.action?pageId=1391168731",
};

/// Gigaset's provisioning wiki (GPPPO space) as summarised in the project's field facts: the
/// Maxwell %DVIDs, the multicell systems' `provisioning.xml`, the DX800A's restore file.
pub(super) const WIKI_GPPPO: Source = Source::Document {
    title: "Gigaset wiki, GPPPO space (shared/reference/FACTS.md §3)",
    address: "https://teamwork.gigaset.com/gigawiki/display/GPPPO",
};

/// Gigaset's provisioning wiki, "Gigaset Redirect server" (seed 002): the DX800A's patch file of
/// `BS_IP_Data…=` lines.
pub(super) const WIKI_REDIRECT_SERVER: Source = Source::Document {
    title: "Gigaset wiki (GPPPO): Gigaset Redirect server",
    address: "https://teamwork.gigaset.com/gigawiki/plugins/viewsource/viewpagesrc.action?pageId=373752043",
};

/// Wazo's open provisioning plugin for Gigaset: User-Agents, DHCP vendor classes, PROFILE_NAME
/// per model, and the N610/N670/N870 template with `productID="e2"`.
pub(super) const WAZO_GIGASET: Source = Source::Document {
    title: "wazo-provd-plugins, plugins/wazo-gigaset (common.py, N510/N720/Nx70 templates)",
    address: "https://github.com/wazo-platform/wazo-provd-plugins/tree/master/plugins/wazo-gigaset",
};

/// BroadSoft's partner guide for the Spectralink IP-DECT server (seed 003).
pub(super) const BROADSOFT_SPECTRALINK: Source = Source::Document {
    title: "BroadSoft Partner Configuration Guide - Spectralink IP-DECT Server Series (20-BD5445-00)",
    address: "shared/seeds/003_98b371f556b1add0.txt (the guide's text; BroadSoft partner documents)",
};

/// Gigaset's provisioning wiki, "FAQ Nx70 - User agent": the capacity the N670/N870 report
/// (`Handset=20` for an N670, up to 250 for an N870 with one DECT manager); each handset has
/// its own SIP account (`SipAccount.<handset>.*` in wazo's Nx70 template).
pub(super) const WIKI_NX70_USER_AGENT: Source = Source::Document {
    title: "Gigaset wiki (GPPPO): FAQ Nx70 - User agent",
    address: "https://teamwork.gigaset.com/gigawiki/display/GPPPO/FAQ+Nx70+-+User+agent",
};

/// wazo-provd-plugins' Gigaset N510 template: `BS_IP_Data1.aucS_SIP_LOGIN_ID_n`, `…PASSWORD_n`,
/// `…USER_ID_n`, `…DISPLAYNAME_n`, `…SERVER_n`, `…DOMAIN_n`, `…REGISTRAR_n`,
/// `uiI_SIP_SERVER_PORT_n`, `ucB_SIP_ACCOUNT_IS_ACTIVE_n`, "Account 3-6 can be added": six
/// accounts. Its N720 template configures "100 VoIP accounts" (`astVoipAccounts[0…]`).
pub(super) const WAZO_PROVIDER_FRAME_SIP: Source = Source::Document {
    title: "wazo-provd-plugins, plugins/wazo-gigaset/N720/templates (base_n510.tpl, base_n720.tpl)",
    address: "https://github.com/wazo-platform/wazo-provd-plugins/tree/master/plugins/wazo-gigaset/N720/templates",
};

/// wazo-provd-plugins' Gigaset Nx70 template: `SipAccount.<5-digit handset>.AuthName`,
/// `.AuthPassword`, `.UserName`, `.DisplayName`, the registrar in `SipProvider.<n>.*`.
pub(super) const WAZO_NX70_SIP: Source = Source::Document {
    title: "wazo-provd-plugins, plugins/wazo-gigaset/Nx70-83.v2.49.1/templates/base.tpl",
    address: "https://github.com/wazo-platform/wazo-provd-plugins/blob/master/plugins/wazo-gigaset/Nx70-83.v2.49.1/templates/base.tpl",
};

pub(super) const NO_ALGORITHM_DOCUMENTED: Source = unconfirmed(
    "Gigaset documents digest support but not its algorithms; MD5 (the RFC 2617 default) is assumed",
);

pub(super) const GENERIC: Source = Source::Provdesk {
    why: "a generic device is whatever the user's template makes of it",
};
