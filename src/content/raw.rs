//! The content files as written: one struct per file kind, mirroring the YAML keys exactly.
//!
//! Nothing here is validated beyond types; `content::validate` turns these into the model.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use crate::yaml::{KeyValue, Schema};

/// `site.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub theme: Option<String>,
    pub edit_url: Option<String>,
}

/// `content/researchers/**/*.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResearcher {
    pub name: String,
    pub id: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub headline: Option<String>,
    #[serde(default)]
    pub affiliations: Vec<RawAffiliation>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub open_to_collaborate: bool,
    #[serde(default)]
    pub claimed: bool,
    pub email: Option<String>,
    pub contact_url: Option<String>,
    #[serde(default)]
    pub identifiers: RawIdentifiers,
    pub avatar: Option<String>,
    pub bio: Option<String>,
    pub followers: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAffiliation {
    pub name: String,
    pub role: Option<String>,
    pub url: Option<String>,
    pub from: Option<Year>,
    pub to: Option<Year>,
}

/// External profiles of a researcher; each becomes a link to its service.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIdentifiers {
    pub orcid: Option<String>,
    pub google_scholar: Option<String>,
    pub dblp: Option<String>,
    pub arxiv: Option<String>,
    pub semantic_scholar: Option<String>,
    pub openreview: Option<String>,
    pub github: Option<String>,
    pub homepage: Option<String>,
}

/// `content/publications/**/*.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPublication {
    pub title: String,
    pub authors: Vec<RawAuthor>,
    pub year: Option<Year>,
    pub date: Option<DateText>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub venue: Option<String>,
    pub volume: Option<ScalarText>,
    pub issue: Option<ScalarText>,
    pub pages: Option<ScalarText>,
    pub publisher: Option<String>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default, deserialize_with = "unique_links")]
    pub links: BTreeMap<LinkKind, String>,
    #[serde(default)]
    pub featured: bool,
    pub id: Option<String>,
}

/// Deserializes `links:`, rejecting a kind written twice, which a plain map would
/// silently overwrite with the last value.
fn unique_links<'de, D: de::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<LinkKind, String>, D::Error> {
    struct LinksVisitor;

    impl<'de> Visitor<'de> for LinksVisitor {
        type Value = BTreeMap<LinkKind, String>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a mapping of link kinds to values, such as `doi: 10.1000/xyz123`")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut links = BTreeMap::new();
            while let Some((kind, value)) = map.next_entry::<LinkKind, String>()? {
                if links.insert(kind, value).is_some() {
                    return Err(de::Error::duplicate_field(kind.key()));
                }
            }
            Ok(links)
        }
    }

    deserializer.deserialize_map(LinksVisitor)
}

/// The link kinds a publication may list under `links:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Arxiv,
    Doi,
    Pdf,
    Code,
    Slides,
    Video,
    Project,
    Url,
}

impl LinkKind {
    pub fn key(self) -> &'static str {
        match self {
            Self::Arxiv => "arxiv",
            Self::Doi => "doi",
            Self::Pdf => "pdf",
            Self::Code => "code",
            Self::Slides => "slides",
            Self::Video => "video",
            Self::Project => "project",
            Self::Url => "url",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Arxiv => "arXiv",
            Self::Doi => "DOI",
            Self::Pdf => "PDF",
            Self::Code => "Code",
            Self::Slides => "Slides",
            Self::Video => "Video",
            Self::Project => "Project",
            Self::Url => "Link",
        }
    }
}

/// One item of a publication's `authors:` list.
#[derive(Debug, Clone)]
pub enum RawAuthor {
    /// A researcher id or a plain display name.
    Name(String),
    Detailed(RawAuthorDetails),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAuthorDetails {
    pub name: Option<String>,
    pub researcher: Option<String>,
    pub affiliation: Option<String>,
    #[serde(default)]
    pub equal_contribution: bool,
    #[serde(default)]
    pub corresponding: bool,
}

impl<'de> Deserialize<'de> for RawAuthor {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AuthorVisitor;

        impl<'de> Visitor<'de> for AuthorVisitor {
            type Value = RawAuthor;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a researcher id, a name, or a map with `name` or `researcher`")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<RawAuthor, E> {
                Ok(RawAuthor::Name(value.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawAuthor, A::Error> {
                let details =
                    RawAuthorDetails::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawAuthor::Detailed(details))
            }
        }

        deserializer.deserialize_any(AuthorVisitor)
    }
}

/// A year written as a number (`2020`) or as a quoted string (`"2020"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Year(pub i32);

impl<'de> Deserialize<'de> for Year {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct YearVisitor;

        impl Visitor<'_> for YearVisitor {
            type Value = Year;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a four-digit year such as 2020")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Year, E> {
                match i32::try_from(value) {
                    Ok(year) if (1000..=9999).contains(&year) => Ok(Year(year)),
                    _ => Err(E::custom(format!(
                        "year {value} is out of range; expected a four-digit year such as 2020"
                    ))),
                }
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Year, E> {
                let signed = i64::try_from(value).unwrap_or(i64::MAX);
                self.visit_i64(signed)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Year, E> {
                match value.trim().parse::<i64>() {
                    Ok(number) => self.visit_i64(number),
                    Err(_) => Err(E::custom(format!(
                        "invalid year \"{value}\"; expected a four-digit year such as 2020"
                    ))),
                }
            }
        }

        deserializer.deserialize_any(YearVisitor)
    }
}

/// A date as written; YAML may read `2020-05-01` as a string and `2020` as a number.
#[derive(Debug, Clone)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ScalarText::deserialize(deserializer).map(|text| DateText(text.0))
    }
}

/// A short value that users write either as a number or as text (`volume: 12`, `pages: 1-10`).
#[derive(Debug, Clone)]
pub struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = ScalarText;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a short text")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<ScalarText, E> {
                Ok(ScalarText(value.to_string()))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<ScalarText, E> {
                Ok(ScalarText(value.to_string()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<ScalarText, E> {
                Ok(ScalarText(value.to_string()))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(value.to_owned()))
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// The `links:` map on its own, for checking that key alone.
struct LinkMap;

impl<'de> Deserialize<'de> for LinkMap {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        unique_links(deserializer).map(|_| LinkMap)
    }
}

impl Schema for RawSite {
    const KEYS: &'static [&'static str] = &[
        "title",
        "description",
        "base_url",
        "language",
        "theme",
        "edit_url",
    ];
    const REQUIRED: &'static [&'static str] = &[];

    fn check_key(key: &str, value: KeyValue) -> Option<Result<(), String>> {
        let known = Self::KEYS.contains(&key);
        known.then(|| value.check::<Option<String>>())
    }
}

impl Schema for RawResearcher {
    const KEYS: &'static [&'static str] = &[
        "name",
        "id",
        "aliases",
        "headline",
        "affiliations",
        "topics",
        "open_to_collaborate",
        "claimed",
        "email",
        "contact_url",
        "identifiers",
        "avatar",
        "bio",
        "followers",
    ];
    const REQUIRED: &'static [&'static str] = &["name"];

    fn check_key(key: &str, value: KeyValue) -> Option<Result<(), String>> {
        let result = match key {
            "name" | "id" | "headline" | "email" | "contact_url" | "avatar" | "bio" => {
                value.check::<Option<String>>()
            }
            "aliases" | "topics" => value.check::<Vec<String>>(),
            "affiliations" => value.check::<Vec<RawAffiliation>>(),
            "open_to_collaborate" | "claimed" => value.check::<bool>(),
            "identifiers" => value.check::<RawIdentifiers>(),
            "followers" => value.check::<Option<u64>>(),
            _ => return None,
        };
        Some(result)
    }
}

impl Schema for RawPublication {
    const KEYS: &'static [&'static str] = &[
        "title",
        "authors",
        "year",
        "date",
        "type",
        "venue",
        "volume",
        "issue",
        "pages",
        "publisher",
        "abstract",
        "topics",
        "links",
        "featured",
        "id",
    ];
    const REQUIRED: &'static [&'static str] = &["title", "authors"];

    fn check_key(key: &str, value: KeyValue) -> Option<Result<(), String>> {
        let result = match key {
            "title" | "type" | "venue" | "publisher" | "abstract" | "id" => {
                value.check::<Option<String>>()
            }
            "authors" => value.check::<Vec<RawAuthor>>(),
            "year" => value.check::<Option<Year>>(),
            "date" => value.check::<Option<DateText>>(),
            "volume" | "issue" | "pages" => value.check::<Option<ScalarText>>(),
            "topics" => value.check::<Vec<String>>(),
            "links" => value.check::<LinkMap>(),
            "featured" => value.check::<bool>(),
            _ => return None,
        };
        Some(result)
    }
}
