//! Typed template contexts: one struct per page kind, serialized for tera.
//!
//! Fields ending in `_html` hold sanitized HTML and are printed with `| safe`; every
//! other string is plain text that tera escapes where it lands.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'a str,
    /// The path of the home page, such as `/` or `/lab/`.
    pub base_path: &'a str,
    /// The absolute base URL, when the site has one.
    pub base_url: Option<&'a str>,
    pub generator: &'static str,
    /// The site's Atom feed of its latest publications.
    pub feed: FeedLink,
    /// Whether any researcher lists an affiliation, so that `/institutions/` lists one.
    pub has_institutions: bool,
}

/// An Atom feed to link from a page, with `url` under the base path.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub url: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// The page title as plain text.
    pub title: String,
    /// The page's path under the base path, such as `/lab/researchers/x/`.
    pub path: String,
    /// The absolute URL when the site has a base URL, else the path.
    pub canonical_url: String,
    pub description: String,
    /// The Open Graph `og:type`: `profile`, `article` or `website`.
    pub og_type: &'static str,
}

/// A publication as it appears in lists, shared by every page that lists it.
#[derive(Debug, Clone, Serialize)]
pub struct WorkView {
    pub id: String,
    pub url: String,
    pub title_html: String,
    pub title: String,
    pub year: i32,
    pub date: String,
    pub kind: &'static str,
    pub venue: Option<String>,
    pub authors: Vec<AuthorView>,
    pub abstract_html: Option<String>,
    pub topics: Vec<TopicRef>,
    pub featured: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuthorView {
    pub name: String,
    pub url: Option<String>,
    pub researcher_id: Option<String>,
    pub affiliation: Option<String>,
    pub equal_contribution: bool,
    pub corresponding: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicRef {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct YearGroup<'a> {
    pub year: i32,
    pub works: Vec<&'a WorkView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResearcherSummary {
    pub id: String,
    pub name: String,
    pub headline: Option<String>,
    pub url: String,
    pub works: usize,
}

#[derive(Debug, Serialize)]
pub struct LinkView {
    pub kind: &'static str,
    pub label: &'static str,
    pub value: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct AffiliationView {
    pub name: String,
    pub role: Option<String>,
    pub url: Option<String>,
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// The institution's page on the site; none when the name is blank.
    pub institution_url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Collaborator {
    pub name: String,
    pub url: Option<String>,
    pub joint_works: usize,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    pub works: usize,
    pub topics: usize,
    pub collaborators: usize,
    pub followers: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct ResearcherView {
    pub id: String,
    pub name: String,
    pub headline: Option<String>,
    pub affiliations: Vec<AffiliationView>,
    pub open_to_collaborate: bool,
    pub claimed: bool,
    pub identifiers: Vec<LinkView>,
    pub avatar_url: Option<String>,
    pub bio_html: Option<String>,
    pub counts: Counts,
}

#[derive(Debug, Serialize)]
pub struct HomePage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub researchers: &'a [ResearcherSummary],
    pub latest: Vec<&'a WorkView>,
    pub publication_count: usize,
}

#[derive(Debug, Serialize)]
pub struct ResearcherListPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub researchers: &'a [ResearcherSummary],
}

#[derive(Debug, Serialize)]
pub struct ResearcherPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub researcher: ResearcherView,
    pub topics: Vec<&'a TopicRef>,
    pub collaborators: Vec<Collaborator>,
    pub years: Vec<YearGroup<'a>>,
    /// The publication types among the researcher's works, for the works filter.
    pub work_kinds: Vec<KindOption>,
    /// The researcher's feed of works.
    pub feed: FeedLink,
    /// schema.org `ProfilePage` JSON-LD, already escaped for a `<script>` element.
    pub json_ld: String,
    pub trust: TrustView,
    /// The claim and contact links; the Follow action is the feed.
    pub actions: ActionsView,
    /// The research graph as a `<figure>` with inline SVG, escaped when it was built;
    /// empty when the researcher has no co-authors, topics, institutions or works.
    pub graph_html: String,
}

/// A researcher's trust snapshot, as `crate::trust` computes it.
#[derive(Debug, Serialize)]
pub struct TrustView {
    /// The score from 0 to 100.
    pub score: u32,
    /// `Emerging`, `Established` or `Trusted`.
    pub tier: &'static str,
    /// The score range of each tier, as a sentence fragment.
    pub tier_rule: String,
    /// The verification level code, from `L0` to `L3`.
    pub level: &'static str,
    pub level_description: &'static str,
    /// Every verification level, lowest first, with the researcher's marked.
    pub levels: Vec<LevelView>,
    /// The breakdown of the score: each `key`, `name`, `points`, `max` and `explanation`.
    pub components: Vec<crate::trust::Component>,
}

#[derive(Debug, Serialize)]
pub struct LevelView {
    pub code: &'static str,
    pub description: &'static str,
    /// Whether this is the researcher's level.
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct ActionsView {
    /// The researcher's file in the online editor of `edit_url`, for an unclaimed profile.
    pub claim_url: Option<String>,
    /// The contact link of a researcher who is open to collaborate.
    pub contact: Option<ContactView>,
}

/// A contact link: either `url`, plain text that tera escapes, or
/// `obfuscated_href_html`, a `mailto:` URL written entirely as character references.
#[derive(Debug, Serialize)]
pub struct ContactView {
    pub url: Option<String>,
    pub obfuscated_href_html: Option<String>,
    /// The link text: `Email` or `Contact`.
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct PublicationListPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub years: Vec<YearGroup<'a>>,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct PublicationView<'a> {
    #[serde(flatten)]
    pub work: &'a WorkView,
    pub volume: Option<&'a str>,
    pub issue: Option<&'a str>,
    pub pages: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub links: Vec<LinkView>,
}

#[derive(Debug, Serialize)]
pub struct PublicationPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub publication: PublicationView<'a>,
    pub related: Vec<&'a WorkView>,
    /// The formatted references and BibTeX entry of the Cite section.
    pub cite: crate::cite::CiteView,
    /// Highwire Press `citation_*` tags, in the order Google Scholar expects.
    pub highwire: Vec<MetaTag>,
    /// schema.org `ScholarlyArticle` JSON-LD, already escaped for a `<script>` element.
    pub json_ld: String,
}

/// A `<meta name content>` tag; both values are plain text that tera escapes.
#[derive(Debug, Clone, Serialize)]
pub struct MetaTag {
    pub name: &'static str,
    pub content: String,
}

#[derive(Debug, Serialize)]
pub struct TopicSummary<'a> {
    #[serde(flatten)]
    pub topic: &'a TopicRef,
    pub researchers: usize,
    pub works: usize,
}

#[derive(Debug, Serialize)]
pub struct TopicListPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub topics: Vec<TopicSummary<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TopicPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub topic: &'a TopicRef,
    /// Every spelling of the topic that shares this page.
    pub names: &'a [String],
    pub researchers: Vec<&'a ResearcherSummary>,
    pub years: Vec<YearGroup<'a>>,
    /// The topic's feed of works.
    pub feed: FeedLink,
}

#[derive(Debug, Serialize)]
pub struct NotFoundPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
}

/// A publication type offered by the works filter, with how many works have it.
#[derive(Debug, Serialize)]
pub struct KindOption {
    /// The `type:` key, such as `conference`, matching a work's `kind`.
    pub key: &'static str,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstitutionRef {
    /// The most used spelling of the name.
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct InstitutionSummary<'a> {
    #[serde(flatten)]
    pub institution: &'a InstitutionRef,
    pub researchers: usize,
    pub works: usize,
}

#[derive(Debug, Serialize)]
pub struct InstitutionListPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub institutions: Vec<InstitutionSummary<'a>>,
}

/// One affiliation of a researcher with an institution.
#[derive(Debug, Serialize)]
pub struct Position {
    /// The spelling this researcher used.
    pub name: String,
    pub role: Option<String>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

/// A researcher on an institution page, with each of their positions there.
#[derive(Debug, Serialize)]
pub struct Member<'a> {
    #[serde(flatten)]
    pub researcher: &'a ResearcherSummary,
    pub positions: Vec<Position>,
}

#[derive(Debug, Serialize)]
pub struct InstitutionPage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    pub institution: &'a InstitutionRef,
    /// Every spelling of the name that shares this page.
    pub names: &'a [String],
    /// The institution's website, from the first affiliation that gives one.
    pub website: Option<String>,
    pub members: Vec<Member<'a>>,
    pub years: Vec<YearGroup<'a>>,
    pub count: usize,
}

/// One researcher, topic or institution in the explorer's list.
#[derive(Debug, Serialize)]
pub struct ExploreEntry {
    pub name: String,
    pub url: String,
    /// `researcher`, `topic` or `institution`.
    pub kind: &'static str,
    /// The kind as shown, such as `Researcher`.
    pub kind_label: &'static str,
    /// A count, such as `12 works` or `3 researchers`.
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct ExplorePage<'a> {
    pub site: &'a SiteView<'a>,
    pub page: PageMeta,
    /// The site's graph as a `<figure>` with inline SVG, escaped when it was built;
    /// empty when the site has nothing to draw.
    pub graph_html: String,
    /// The number of nodes in the graph.
    pub drawn: usize,
    /// Every researcher, topic and institution, sorted by name.
    pub entries: Vec<ExploreEntry>,
}
