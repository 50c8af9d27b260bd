//! The trust snapshot of a researcher: a score from 0 to 100 with its breakdown, a tier
//! and a verification level.
//!
//! The snapshot is a pure function of the content: the same files give the same
//! snapshot in every build, whatever the date. The "Trust snapshot" section of the
//! README documents the formula, and a unit test below pins every weight, so a change
//! of weights must change the README too.
//!
//! The score is the sum of nine capped components:
//!
//! | component | points | max |
//! |---|---|---|
//! | ORCID iD | 15 with a valid ORCID iD | 15 |
//! | Research profiles | 4 per identifier other than ORCID and homepage | 12 |
//! | Homepage | 3 with a homepage | 3 |
//! | Claimed profile | 15 when `claimed: true` | 15 |
//! | Affiliation | 10 with at least one affiliation whose name is not blank | 10 |
//! | Works | 4 for each of 1, 2, 5, 10 and 20 works reached | 20 |
//! | Co-authors | 2 for each of 1, 2, 5, 10 and 20 distinct co-authors reached | 10 |
//! | Venues | 1 per distinct venue | 5 |
//! | Topics | 2 per distinct topic | 10 |
//!
//! Tiers: Emerging below 40, Established from 40, Trusted from 70.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::content::{count, name_key};
use crate::model::{Author, Researcher, Site};
use crate::slug;

/// Points for a valid ORCID iD.
pub const ORCID_POINTS: u32 = 15;
/// Points for each research profile other than ORCID and homepage.
pub const PROFILE_POINTS: u32 = 4;
/// The maximum points of research profiles: three of them count.
pub const PROFILES_MAX: u32 = 12;
/// Points for a homepage link.
pub const HOMEPAGE_POINTS: u32 = 3;
/// Points for a profile that the person has claimed.
pub const CLAIMED_POINTS: u32 = 15;
/// Points for at least one listed affiliation.
pub const AFFILIATION_POINTS: u32 = 10;
/// The numbers of works at which the works component gains `WORK_STEP_POINTS`.
pub const WORK_STEPS: [usize; 5] = [1, 2, 5, 10, 20];
pub const WORK_STEP_POINTS: u32 = 4;
/// The numbers of distinct co-authors at which the co-authors component gains
/// `COAUTHOR_STEP_POINTS`.
pub const COAUTHOR_STEPS: [usize; 5] = [1, 2, 5, 10, 20];
pub const COAUTHOR_STEP_POINTS: u32 = 2;
/// Points per distinct venue, up to `VENUES_MAX`.
pub const VENUE_POINTS: u32 = 1;
pub const VENUES_MAX: u32 = 5;
/// Points per distinct topic, up to `TOPICS_MAX`.
pub const TOPIC_POINTS: u32 = 2;
pub const TOPICS_MAX: u32 = 10;

/// The lowest score of the Established tier.
pub const ESTABLISHED_FROM: u32 = 40;
/// The lowest score of the Trusted tier.
pub const TRUSTED_FROM: u32 = 70;

/// The facts about a researcher that the score is computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The ORCID iD, which content validation has already checked.
    pub orcid: Option<String>,
    /// The labels of the identifiers other than ORCID and homepage, such as `GitHub`.
    pub research_profiles: Vec<&'static str>,
    pub homepage: bool,
    pub claimed: bool,
    /// Affiliations with a name that is not blank.
    pub affiliations: usize,
    pub works: usize,
    /// Distinct co-authors over all works, counted as the close collaborators are.
    pub coauthors: usize,
    /// Distinct venues of the works, compared after case folding.
    pub venues: usize,
    /// Distinct topics of the researcher and their works, compared by slug.
    pub topics: usize,
}

/// The score tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tier {
    Emerging,
    Established,
    Trusted,
}

impl Tier {
    /// Returns the tier of a score: Emerging below 40, Established from 40, Trusted from 70.
    pub fn of(score: u32) -> Self {
        if score >= TRUSTED_FROM {
            Self::Trusted
        } else if score >= ESTABLISHED_FROM {
            Self::Established
        } else {
            Self::Emerging
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Emerging => "Emerging",
            Self::Established => "Established",
            Self::Trusted => "Trusted",
        }
    }
}

/// How far the identity of a profile is backed by identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum VerificationLevel {
    /// No identifier.
    L0,
    /// At least one external profile link: any identifier or a homepage.
    L1,
    /// A valid ORCID iD.
    L2,
    /// A valid ORCID iD on a claimed profile.
    L3,
}

impl VerificationLevel {
    /// Returns the level of the evidence.
    pub fn of(evidence: &Evidence) -> Self {
        let has_link =
            evidence.orcid.is_some() || !evidence.research_profiles.is_empty() || evidence.homepage;
        match (evidence.orcid.is_some(), evidence.claimed) {
            (true, true) => Self::L3,
            (true, false) => Self::L2,
            _ if has_link => Self::L1,
            _ => Self::L0,
        }
    }

    /// Returns the short code shown on the page, such as `L2`.
    pub fn code(self) -> &'static str {
        match self {
            Self::L0 => "L0",
            Self::L1 => "L1",
            Self::L2 => "L2",
            Self::L3 => "L3",
        }
    }

    /// Returns what the level means, as a sentence fragment for the page.
    pub fn description(self) -> &'static str {
        match self {
            Self::L0 => "no external profile linked",
            Self::L1 => "at least one external profile linked",
            Self::L2 => "valid ORCID iD",
            Self::L3 => "valid ORCID iD on a claimed profile",
        }
    }
}

/// One row of the score's breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// A stable identifier, such as `orcid` or `works`.
    pub key: &'static str,
    /// The name shown on the page, such as `ORCID iD`.
    pub name: &'static str,
    pub points: u32,
    pub max: u32,
    /// The reason for the points in plain text, such as `3 distinct venues; 1 point each`.
    pub explanation: String,
}

/// A researcher's score, tier, verification level and the breakdown of the score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustSnapshot {
    /// The sum of the components' points, from 0 to 100.
    pub score: u32,
    pub tier: Tier,
    pub level: VerificationLevel,
    pub claimed: bool,
    /// The components in a fixed order, the same for every researcher.
    pub components: Vec<Component>,
}

/// Computes the trust snapshot of a researcher of `site`.
pub fn snapshot(site: &Site, researcher: &Researcher) -> TrustSnapshot {
    score(&evidence(site, researcher))
}

/// Computes the score, tier, level and breakdown from the evidence.
pub fn score(evidence: &Evidence) -> TrustSnapshot {
    let components = vec![
        orcid_component(evidence),
        profiles_component(evidence),
        homepage_component(evidence),
        claimed_component(evidence),
        affiliation_component(evidence),
        works_component(evidence),
        coauthors_component(evidence),
        venues_component(evidence),
        topics_component(evidence),
    ];
    let score = components.iter().map(|c| c.points).sum();
    TrustSnapshot {
        score,
        tier: Tier::of(score),
        level: VerificationLevel::of(evidence),
        claimed: evidence.claimed,
        components,
    }
}

/// Gathers the evidence about a researcher from the linked site.
pub fn evidence(site: &Site, researcher: &Researcher) -> Evidence {
    let mut evidence = Evidence {
        claimed: researcher.claimed,
        affiliations: researcher
            .affiliations
            .iter()
            .filter(|affiliation| !affiliation.name.trim().is_empty())
            .count(),
        works: researcher.publications.len(),
        ..Evidence::default()
    };
    for link in &researcher.identifiers {
        match link.kind {
            // The link is `https://orcid.org/<iD>` whichever form the file used.
            "orcid" => {
                let id = link.url.rsplit('/').next().unwrap_or(&link.value);
                evidence.orcid = Some(id.to_owned());
            }
            "homepage" => evidence.homepage = true,
            _ => evidence.research_profiles.push(link.label),
        }
    }

    let mut coauthors = BTreeSet::new();
    let mut venues = BTreeSet::new();
    let mut topics: BTreeSet<String> = researcher
        .topics
        .iter()
        .map(|topic| topic.trim())
        .filter(|topic| !topic.is_empty())
        .map(slug::slugify)
        .collect();
    for &index in &researcher.publications {
        let publication = &site.publications[index];
        for author in &publication.authors {
            if !is_researcher(site, author, researcher) {
                coauthors.insert(coauthor_key(site, author));
            }
        }
        if let Some(venue) = publication.venue.as_deref().map(name_key) {
            if !venue.is_empty() {
                venues.insert(venue);
            }
        }
        topics.extend(publication.topics.iter().map(|topic| slug::slugify(topic)));
    }
    evidence.coauthors = coauthors.len();
    evidence.venues = venues.len();
    evidence.topics = topics.len();
    evidence
}

/// Returns the key that identifies a co-author across works: the researcher id for an
/// author linked to a researcher, else the name after case folding and NFC.
pub fn coauthor_key(site: &Site, author: &Author) -> String {
    match author.researcher {
        Some(index) => format!("id:{}", site.researchers[index].id),
        None => format!("name:{}", name_key(&author.name)),
    }
}

fn is_researcher(site: &Site, author: &Author, researcher: &Researcher) -> bool {
    author
        .researcher
        .is_some_and(|index| site.researchers[index].id == researcher.id)
}

/// Returns `step_points` for each threshold of `steps` that `value` reaches.
fn stepped(value: usize, steps: &[usize], step_points: u32) -> u32 {
    let reached = steps.iter().filter(|&&step| value >= step).count();
    u32::try_from(reached).unwrap_or(u32::MAX) * step_points
}

/// Returns `points_each` per item, up to `max`.
fn capped(items: usize, points_each: u32, max: u32) -> u32 {
    u32::try_from(items)
        .unwrap_or(u32::MAX)
        .saturating_mul(points_each)
        .min(max)
}

fn orcid_component(evidence: &Evidence) -> Component {
    let (points, explanation) = match &evidence.orcid {
        Some(id) => (ORCID_POINTS, format!("valid ORCID iD {id}")),
        None => (0, "no ORCID iD".to_owned()),
    };
    Component {
        key: "orcid",
        name: "ORCID iD",
        points,
        max: ORCID_POINTS,
        explanation,
    }
}

fn profiles_component(evidence: &Evidence) -> Component {
    let profiles = &evidence.research_profiles;
    let explanation = if profiles.is_empty() {
        "no profile on Google Scholar, DBLP, arXiv, Semantic Scholar, OpenReview or GitHub"
            .to_owned()
    } else {
        format!(
            "{} linked, {PROFILE_POINTS} points each",
            profiles.join(", ")
        )
    };
    Component {
        key: "profiles",
        name: "Research profiles",
        points: capped(profiles.len(), PROFILE_POINTS, PROFILES_MAX),
        max: PROFILES_MAX,
        explanation,
    }
}

fn homepage_component(evidence: &Evidence) -> Component {
    let (points, explanation) = if evidence.homepage {
        (HOMEPAGE_POINTS, "homepage linked")
    } else {
        (0, "no homepage")
    };
    Component {
        key: "homepage",
        name: "Homepage",
        points,
        max: HOMEPAGE_POINTS,
        explanation: explanation.to_owned(),
    }
}

fn claimed_component(evidence: &Evidence) -> Component {
    let (points, explanation) = if evidence.claimed {
        (CLAIMED_POINTS, "the person has confirmed this profile")
    } else {
        (0, "unclaimed profile")
    };
    Component {
        key: "claimed",
        name: "Claimed profile",
        points,
        max: CLAIMED_POINTS,
        explanation: explanation.to_owned(),
    }
}

fn affiliation_component(evidence: &Evidence) -> Component {
    let (points, explanation) = if evidence.affiliations > 0 {
        (
            AFFILIATION_POINTS,
            format!("{} listed", count(evidence.affiliations, "affiliation")),
        )
    } else {
        (0, "no affiliation listed".to_owned())
    };
    Component {
        key: "affiliation",
        name: "Affiliation",
        points,
        max: AFFILIATION_POINTS,
        explanation,
    }
}

fn works_component(evidence: &Evidence) -> Component {
    Component {
        key: "works",
        name: "Works",
        points: stepped(evidence.works, &WORK_STEPS, WORK_STEP_POINTS),
        max: max_stepped(&WORK_STEPS, WORK_STEP_POINTS),
        explanation: format!(
            "{}; {WORK_STEP_POINTS} points at each of 1, 2, 5, 10 and 20 works",
            count(evidence.works, "work")
        ),
    }
}

fn coauthors_component(evidence: &Evidence) -> Component {
    Component {
        key: "coauthors",
        name: "Co-authors",
        points: stepped(evidence.coauthors, &COAUTHOR_STEPS, COAUTHOR_STEP_POINTS),
        max: max_stepped(&COAUTHOR_STEPS, COAUTHOR_STEP_POINTS),
        explanation: format!(
            "{}; {COAUTHOR_STEP_POINTS} points at each of 1, 2, 5, 10 and 20",
            count(evidence.coauthors, "distinct co-author")
        ),
    }
}

fn venues_component(evidence: &Evidence) -> Component {
    Component {
        key: "venues",
        name: "Venues",
        points: capped(evidence.venues, VENUE_POINTS, VENUES_MAX),
        max: VENUES_MAX,
        explanation: format!(
            "{}; {VENUE_POINTS} point each",
            count(evidence.venues, "distinct venue")
        ),
    }
}

fn topics_component(evidence: &Evidence) -> Component {
    Component {
        key: "topics",
        name: "Topics",
        points: capped(evidence.topics, TOPIC_POINTS, TOPICS_MAX),
        max: TOPICS_MAX,
        explanation: format!(
            "{}; {TOPIC_POINTS} points each",
            count(evidence.topics, "distinct topic")
        ),
    }
}

fn max_stepped(steps: &[usize], step_points: u32) -> u32 {
    u32::try_from(steps.len()).unwrap_or(u32::MAX) * step_points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(snapshot: &TrustSnapshot, key: &str) -> u32 {
        snapshot
            .components
            .iter()
            .find(|c| c.key == key)
            .unwrap_or_else(|| panic!("no component {key}"))
            .points
    }

    /// Evidence that reaches the maximum of every component.
    fn full() -> Evidence {
        Evidence {
            orcid: Some("0000-0002-1825-0097".to_owned()),
            research_profiles: vec!["GitHub", "DBLP", "arXiv", "OpenReview"],
            homepage: true,
            claimed: true,
            affiliations: 2,
            works: 200,
            coauthors: 300,
            venues: 40,
            topics: 12,
        }
    }

    #[test]
    fn maxima_add_up_to_100() {
        let snapshot = score(&Evidence::default());
        let total: u32 = snapshot.components.iter().map(|c| c.max).sum();
        assert_eq!(total, 100);
        assert_eq!(snapshot.score, 0);
        assert_eq!(score(&full()).score, 100);
    }

    #[test]
    fn component_weights_are_pinned() {
        let maxima: Vec<(&str, u32)> = score(&full())
            .components
            .iter()
            .map(|c| (c.key, c.max))
            .collect();
        assert_eq!(
            maxima,
            [
                ("orcid", 15),
                ("profiles", 12),
                ("homepage", 3),
                ("claimed", 15),
                ("affiliation", 10),
                ("works", 20),
                ("coauthors", 10),
                ("venues", 5),
                ("topics", 10),
            ]
        );
        for component in score(&full()).components {
            assert_eq!(component.points, component.max, "{}", component.key);
        }
    }

    #[test]
    fn orcid_outweighs_other_links() {
        let orcid = score(&Evidence {
            orcid: Some("0000-0002-1825-0097".to_owned()),
            ..Evidence::default()
        });
        let github = score(&Evidence {
            research_profiles: vec!["GitHub"],
            ..Evidence::default()
        });
        let homepage = score(&Evidence {
            homepage: true,
            ..Evidence::default()
        });
        assert_eq!(orcid.score, 15);
        assert_eq!(github.score, 4);
        assert_eq!(homepage.score, 3);
    }

    #[test]
    fn research_profiles_are_capped() {
        let labels = ["GitHub", "DBLP", "arXiv", "OpenReview", "Google Scholar"];
        let expected = [0, 4, 8, 12, 12, 12];
        for (n, want) in expected.into_iter().enumerate() {
            let snapshot = score(&Evidence {
                research_profiles: labels[..n].to_vec(),
                ..Evidence::default()
            });
            assert_eq!(points(&snapshot, "profiles"), want, "{n} profiles");
        }
    }

    #[test]
    fn works_are_stepped() {
        let cases = [
            (0, 0),
            (1, 4),
            (2, 8),
            (4, 8),
            (5, 12),
            (9, 12),
            (10, 16),
            (19, 16),
            (20, 20),
            (500, 20),
        ];
        for (works, want) in cases {
            let snapshot = score(&Evidence {
                works,
                ..Evidence::default()
            });
            assert_eq!(points(&snapshot, "works"), want, "{works} works");
        }
    }

    #[test]
    fn coauthors_are_stepped() {
        let cases = [(0, 0), (1, 2), (2, 4), (5, 6), (10, 8), (20, 10), (300, 10)];
        for (coauthors, want) in cases {
            let snapshot = score(&Evidence {
                coauthors,
                ..Evidence::default()
            });
            assert_eq!(points(&snapshot, "coauthors"), want, "{coauthors}");
        }
    }

    #[test]
    fn venues_and_topics_are_capped() {
        let cases = [(0, 0, 0), (1, 1, 2), (3, 3, 6), (5, 5, 10), (9, 5, 10)];
        for (n, venue_points, topic_points) in cases {
            let snapshot = score(&Evidence {
                venues: n,
                topics: n,
                ..Evidence::default()
            });
            assert_eq!(points(&snapshot, "venues"), venue_points, "{n} venues");
            assert_eq!(points(&snapshot, "topics"), topic_points, "{n} topics");
        }
    }

    #[test]
    fn claimed_and_affiliation_points() {
        let snapshot = score(&Evidence {
            claimed: true,
            affiliations: 3,
            ..Evidence::default()
        });
        assert_eq!(points(&snapshot, "claimed"), 15);
        assert_eq!(points(&snapshot, "affiliation"), 10);
        assert_eq!(snapshot.score, 25);
    }

    #[test]
    fn tier_thresholds() {
        assert_eq!(Tier::of(0), Tier::Emerging);
        assert_eq!(Tier::of(39), Tier::Emerging);
        assert_eq!(Tier::of(40), Tier::Established);
        assert_eq!(Tier::of(69), Tier::Established);
        assert_eq!(Tier::of(70), Tier::Trusted);
        assert_eq!(Tier::of(100), Tier::Trusted);
    }

    #[test]
    fn verification_levels() {
        let orcid = Some("0000-0002-1825-0097".to_owned());
        let cases = [
            (Evidence::default(), VerificationLevel::L0),
            (
                Evidence {
                    claimed: true,
                    ..Evidence::default()
                },
                VerificationLevel::L0,
            ),
            (
                Evidence {
                    homepage: true,
                    ..Evidence::default()
                },
                VerificationLevel::L1,
            ),
            (
                Evidence {
                    research_profiles: vec!["GitHub"],
                    claimed: true,
                    ..Evidence::default()
                },
                VerificationLevel::L1,
            ),
            (
                Evidence {
                    orcid: orcid.clone(),
                    ..Evidence::default()
                },
                VerificationLevel::L2,
            ),
            (
                Evidence {
                    orcid,
                    claimed: true,
                    ..Evidence::default()
                },
                VerificationLevel::L3,
            ),
        ];
        for (evidence, want) in cases {
            assert_eq!(VerificationLevel::of(&evidence), want, "{evidence:?}");
        }
    }

    #[test]
    fn explanations_name_the_facts() {
        let snapshot = score(&full());
        let explanation = |key: &str| {
            snapshot
                .components
                .iter()
                .find(|c| c.key == key)
                .map(|c| c.explanation.clone())
                .unwrap_or_default()
        };
        assert_eq!(explanation("orcid"), "valid ORCID iD 0000-0002-1825-0097");
        assert_eq!(
            explanation("profiles"),
            "GitHub, DBLP, arXiv, OpenReview linked, 4 points each"
        );
        assert_eq!(
            explanation("works"),
            "200 works; 4 points at each of 1, 2, 5, 10 and 20 works"
        );
        assert_eq!(explanation("venues"), "40 distinct venues; 1 point each");
        let single = score(&Evidence {
            topics: 1,
            ..Evidence::default()
        });
        assert_eq!(
            single.components[8].explanation,
            "1 distinct topic; 2 points each"
        );
    }
}
