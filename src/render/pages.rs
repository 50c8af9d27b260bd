//! The page list, output paths and template contexts of the site's pages.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::metadata;
use super::profile;
use super::views::*;
use crate::model::{ExternalLink, Publication, PublicationType, Researcher, Site};
use crate::publish::feeds;
use crate::slug;
use crate::trust;

/// The maximum number of co-authors listed as close collaborators on a researcher page.
const MAX_COLLABORATORS: usize = 8;
/// The number of publications shown on the home page.
const LATEST_COUNT: usize = 10;
/// The number of related works shown on a publication page.
const RELATED_COUNT: usize = 10;

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Home,
    Researchers,
    Researcher(usize),
    Publications,
    Publication(usize),
    Topics,
    Topic(usize),
    Institutions,
    Institution(usize),
    /// The site-wide research graph and the list of everything on the site.
    Explore,
    NotFound,
}

impl Job {
    pub fn template(self) -> &'static str {
        match self {
            Job::Home => "index.html",
            Job::Researchers => "researchers.html",
            Job::Researcher(_) => "researcher.html",
            Job::Publications => "publications.html",
            Job::Publication(_) => "publication.html",
            Job::Topics => "topics.html",
            Job::Topic(_) => "topic.html",
            Job::Institutions => "institutions.html",
            Job::Institution(_) => "institution.html",
            Job::Explore => "explore.html",
            Job::NotFound => "404.html",
        }
    }
}

/// The subject of a page, for choosing which pages to render again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKey<'a> {
    /// A page that lists across the whole site: home, lists, 404.
    Listing,
    Researcher(&'a str),
    Publication(&'a str),
    Topic(&'a str),
    /// An institution page, by slug.
    Institution(&'a str),
}

/// The views shared between pages, computed once per build.
pub struct Catalog<'a> {
    site: &'a Site,
    site_view: SiteView<'a>,
    works: Vec<WorkView>,
    researchers: Vec<ResearcherSummary>,
    topics: Vec<TopicRef>,
    topic_by_slug: HashMap<&'a str, usize>,
    institutions: Vec<InstitutionRef>,
}

impl<'a> Catalog<'a> {
    pub fn new(site: &'a Site) -> Self {
        let config = &site.config;
        let site_view = SiteView {
            title: &config.title,
            description: config.description.as_deref(),
            language: &config.language,
            base_path: &config.base_path,
            base_url: config.base_url.as_deref(),
            generator: concat!("Vita ", env!("CARGO_PKG_VERSION")),
            feed: FeedLink {
                url: config.path(feeds::SITE_FEED_PATH),
                title: config.title.clone(),
            },
            has_institutions: !site.institutions.is_empty(),
        };
        let topics: Vec<TopicRef> = site
            .topics
            .iter()
            .map(|topic| TopicRef {
                name: topic.names[0].clone(),
                slug: topic.slug.clone(),
                url: config.path(&format!("topics/{}/", topic.slug)),
            })
            .collect();
        let topic_by_slug = site
            .topics
            .iter()
            .enumerate()
            .map(|(index, topic)| (topic.slug.as_str(), index))
            .collect();
        let institutions = site
            .institutions
            .iter()
            .map(|institution| InstitutionRef {
                name: institution.names[0].clone(),
                slug: institution.slug.clone(),
                url: config.path(&institution_path(&institution.slug)),
            })
            .collect();
        let mut catalog = Self {
            site,
            site_view,
            works: Vec::new(),
            researchers: Vec::new(),
            topics,
            topic_by_slug,
            institutions,
        };
        catalog.works = site
            .publications
            .iter()
            .map(|p| catalog.work_view(p))
            .collect();
        catalog.researchers = site
            .researchers
            .iter()
            .map(|r| ResearcherSummary {
                id: r.id.clone(),
                name: r.name.clone(),
                headline: r.headline.clone(),
                url: config.path(&format!("researchers/{}/", r.id)),
                works: r.publications.len(),
            })
            .collect();
        catalog
    }

    /// Lists every page of the site, in a fixed order.
    pub fn jobs(&self) -> Vec<Job> {
        jobs(self.site)
    }

    /// Returns what a page is about.
    pub fn key(&self, job: Job) -> PageKey<'a> {
        let site = self.site;
        match job {
            Job::Researcher(i) => PageKey::Researcher(&site.researchers[i].id),
            Job::Publication(i) => PageKey::Publication(&site.publications[i].id),
            Job::Topic(i) => PageKey::Topic(&site.topics[i].slug),
            Job::Institution(i) => PageKey::Institution(&site.institutions[i].slug),
            _ => PageKey::Listing,
        }
    }

    /// Returns the output path of a page, relative to the output folder.
    pub fn target(&self, job: Job) -> String {
        target(self.site, job)
    }

    /// Builds the template context of a page.
    pub fn context(&self, job: Job) -> Result<tera::Context, tera::Error> {
        match job {
            Job::Home => tera::Context::from_serialize(&self.home()),
            Job::Researchers => tera::Context::from_serialize(&ResearcherListPage {
                site: &self.site_view,
                page: self.meta(
                    "Researchers",
                    "researchers/",
                    format!("Every researcher on {}.", self.site.config.title),
                ),
                researchers: &self.researchers,
            }),
            Job::Researcher(i) => tera::Context::from_serialize(&self.researcher_page(i)),
            Job::Publications => tera::Context::from_serialize(&PublicationListPage {
                site: &self.site_view,
                page: self.meta(
                    "Publications",
                    "publications/",
                    format!(
                        "Every publication on {}, newest first.",
                        self.site.config.title
                    ),
                ),
                years: self.by_year(0..self.works.len()),
                count: self.works.len(),
            }),
            Job::Publication(i) => tera::Context::from_serialize(&self.publication_page(i)),
            Job::Topics => tera::Context::from_serialize(&self.topic_list()),
            Job::Topic(i) => tera::Context::from_serialize(&self.topic_page(i)),
            Job::Institutions => tera::Context::from_serialize(&self.institution_list()),
            Job::Institution(i) => tera::Context::from_serialize(&self.institution_page(i)),
            Job::Explore => tera::Context::from_serialize(&self.explore_page()),
            Job::NotFound => tera::Context::from_serialize(&NotFoundPage {
                site: &self.site_view,
                page: self.meta(
                    "Page not found",
                    "404.html",
                    "This page does not exist.".to_owned(),
                ),
            }),
        }
    }

    fn meta(&self, title: &str, site_path: &str, description: String) -> PageMeta {
        let config = &self.site.config;
        PageMeta {
            title: title.to_owned(),
            path: config.path(site_path),
            canonical_url: config.absolute_url(site_path),
            description,
            og_type: "website",
        }
    }

    fn work_view(&self, publication: &Publication) -> WorkView {
        let config = &self.site.config;
        let authors = publication
            .authors
            .iter()
            .map(|author| {
                let researcher = author.researcher.map(|i| &self.site.researchers[i]);
                AuthorView {
                    name: author.name.clone(),
                    url: researcher.map(|r| config.path(&format!("researchers/{}/", r.id))),
                    researcher_id: researcher.map(|r| r.id.clone()),
                    affiliation: author.affiliation.clone(),
                    equal_contribution: author.equal_contribution,
                    corresponding: author.corresponding,
                }
            })
            .collect();
        WorkView {
            id: publication.id.clone(),
            url: config.path(&format!("publications/{}/", publication.id)),
            title_html: publication.title.html.clone(),
            title: publication.title.plain.clone(),
            year: publication.date.year,
            date: publication.date.iso(),
            kind: publication.kind.key(),
            venue: publication.venue.clone(),
            authors,
            abstract_html: publication.abstract_text.as_ref().map(|a| a.html.clone()),
            topics: self.topic_refs(&publication.topics),
            featured: publication.featured,
        }
    }

    fn topic_refs(&self, names: &[String]) -> Vec<TopicRef> {
        let mut refs: Vec<TopicRef> = Vec::new();
        for name in names {
            let slug = slug::slugify(name);
            if refs.iter().any(|r| r.slug == slug) {
                continue;
            }
            if let Some(&index) = self.topic_by_slug.get(slug.as_str()) {
                refs.push(TopicRef {
                    name: name.clone(),
                    ..self.topics[index].clone()
                });
            }
        }
        refs
    }

    /// Groups works by year, newest first, keeping the site's order within a year.
    fn by_year(&self, indexes: impl IntoIterator<Item = usize>) -> Vec<YearGroup<'_>> {
        let mut groups: Vec<YearGroup<'_>> = Vec::new();
        for index in indexes {
            let work = &self.works[index];
            match groups.last_mut() {
                Some(group) if group.year == work.year => group.works.push(work),
                _ => groups.push(YearGroup {
                    year: work.year,
                    works: vec![work],
                }),
            }
        }
        groups
    }

    fn home(&self) -> HomePage<'_> {
        let config = &self.site.config;
        let description = config.description.clone().unwrap_or_else(|| {
            format!(
                "{} researchers and {} publications.",
                self.researchers.len(),
                self.works.len()
            )
        });
        let mut page = self.meta(&config.title, "", description);
        page.title = config.title.clone();
        HomePage {
            site: &self.site_view,
            page,
            researchers: &self.researchers,
            latest: self.works.iter().take(LATEST_COUNT).collect(),
            publication_count: self.works.len(),
        }
    }

    fn researcher_page(&self, index: usize) -> ResearcherPage<'_> {
        let researcher = &self.site.researchers[index];
        let topics = self.researcher_topics(researcher);
        let collaborators = self.collaborators(index);
        let description = researcher.headline.clone().unwrap_or_else(|| {
            format!(
                "{} publications by {}.",
                researcher.publications.len(),
                researcher.name
            )
        });
        let site_path = format!("researchers/{}/", researcher.id);
        let mut page = self.meta(&researcher.name, &site_path, description);
        page.og_type = "profile";
        ResearcherPage {
            site: &self.site_view,
            page,
            researcher: self.researcher_view(researcher, topics.len(), collaborators.len()),
            json_ld: metadata::profile_json_ld(self.site, researcher, &topics),
            topics,
            collaborators,
            years: self.by_year(researcher.publications.iter().copied()),
            work_kinds: self.work_kinds(&researcher.publications),
            feed: FeedLink {
                url: self
                    .site
                    .config
                    .path(&feeds::researcher_feed_path(&researcher.id)),
                title: feeds::researcher_feed_title(&researcher.name),
            },
            trust: profile::trust_view(trust::snapshot(self.site, researcher)),
            actions: profile::actions(self.site, researcher),
            graph_html: crate::graph::researcher_graph_html(self.site, index),
        }
    }

    fn explore_page(&self) -> ExplorePage<'_> {
        let explorer = crate::graph::explorer(self.site);
        ExplorePage {
            site: &self.site_view,
            page: self.meta(
                "Explore",
                "explore/",
                format!(
                    "The researchers, topics and institutions on {} and how they connect.",
                    self.site.config.title
                ),
            ),
            graph_html: explorer.graph_html,
            drawn: explorer.drawn,
            entries: explorer.entries,
        }
    }

    fn researcher_view(
        &self,
        researcher: &Researcher,
        topics: usize,
        collaborators: usize,
    ) -> ResearcherView {
        let config = &self.site.config;
        ResearcherView {
            id: researcher.id.clone(),
            name: researcher.name.clone(),
            headline: researcher.headline.clone(),
            affiliations: researcher
                .affiliations
                .iter()
                .map(|a| AffiliationView {
                    name: a.name.clone(),
                    role: a.role.clone(),
                    url: a.url.clone(),
                    from: a.from,
                    to: a.to,
                    institution_url: a
                        .institution_slug()
                        .map(|slug| config.path(&institution_path(&slug))),
                })
                .collect(),
            open_to_collaborate: researcher.open_to_collaborate,
            claimed: researcher.claimed,
            identifiers: researcher.identifiers.iter().map(link_view).collect(),
            avatar_url: researcher
                .avatar
                .as_ref()
                .map(|(_, target)| config.path(target)),
            bio_html: researcher.bio.as_ref().map(|bio| bio.html.clone()),
            counts: Counts {
                works: researcher.publications.len(),
                topics,
                collaborators,
                followers: researcher.followers,
            },
        }
    }

    /// Lists the researcher's own topics first, then the topics of their works by frequency.
    fn researcher_topics(&self, researcher: &Researcher) -> Vec<&TopicRef> {
        let mut order: Vec<usize> = Vec::new();
        for name in &researcher.topics {
            if let Some(&index) = self.topic_by_slug.get(slug::slugify(name).as_str()) {
                if !order.contains(&index) {
                    order.push(index);
                }
            }
        }
        let mut frequency: HashMap<usize, usize> = HashMap::new();
        for &work in &researcher.publications {
            for topic in &self.works[work].topics {
                if let Some(&index) = self.topic_by_slug.get(topic.slug.as_str()) {
                    *frequency.entry(index).or_default() += 1;
                }
            }
        }
        let mut from_works: Vec<(usize, usize)> = frequency
            .into_iter()
            .filter(|(index, _)| !order.contains(index))
            .collect();
        from_works.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| self.topics[a.0].name.cmp(&self.topics[b.0].name))
        });
        order.extend(from_works.into_iter().map(|(index, _)| index));
        order.into_iter().map(|index| &self.topics[index]).collect()
    }

    /// Co-authors ranked by joint works, ties broken by name and then by researcher id
    /// (unlinked names after researchers), so namesakes keep one order in every build.
    fn collaborators(&self, index: usize) -> Vec<Collaborator> {
        let researcher = &self.site.researchers[index];
        // A BTreeMap, because the stable sort below keeps its key order for full ties.
        let mut joint: BTreeMap<String, Collaborator> = BTreeMap::new();
        for &work in &researcher.publications {
            // An author listed twice in one work, such as by id and by name, counts once.
            let mut seen_in_work: HashSet<String> = HashSet::new();
            for author in &self.site.publications[work].authors {
                if author.researcher == Some(index) {
                    continue;
                }
                let key = trust::coauthor_key(self.site, author);
                if !seen_in_work.insert(key.clone()) {
                    continue;
                }
                let entry = joint.entry(key).or_insert_with(|| Collaborator {
                    name: author.researcher.map_or_else(
                        || author.name.clone(),
                        |r| self.site.researchers[r].name.clone(),
                    ),
                    url: author.researcher.map(|r| self.researchers[r].url.clone()),
                    joint_works: 0,
                });
                entry.joint_works += 1;
            }
        }
        let mut ranked: Vec<Collaborator> = joint.into_values().collect();
        ranked.sort_by(|a, b| {
            b.joint_works
                .cmp(&a.joint_works)
                .then_with(|| a.name.cmp(&b.name))
        });
        ranked.truncate(MAX_COLLABORATORS);
        ranked
    }

    fn publication_page(&self, index: usize) -> PublicationPage<'_> {
        let publication = &self.site.publications[index];
        let work = &self.works[index];
        let description = publication
            .abstract_text
            .as_ref()
            .map(|a| truncate_words(&a.plain, 300))
            .unwrap_or_else(|| format!("{} ({})", work.title, work.year));
        let site_path = format!("publications/{}/", publication.id);
        let mut page = self.meta(&work.title, &site_path, description);
        page.og_type = "article";
        PublicationPage {
            site: &self.site_view,
            page,
            publication: PublicationView {
                work,
                volume: publication.volume.as_deref(),
                issue: publication.issue.as_deref(),
                pages: publication.pages.as_deref(),
                publisher: publication.publisher.as_deref(),
                links: publication.links.iter().map(link_view).collect(),
            },
            related: self.related(index),
            cite: crate::cite::view(self.site, publication),
            highwire: metadata::highwire_tags(self.site, publication),
            json_ld: metadata::article_json_ld(self.site, publication),
        }
    }

    /// Other works by the same researchers, newest first.
    fn related(&self, index: usize) -> Vec<&WorkView> {
        let mut related: Vec<usize> = self.site.publications[index]
            .authors
            .iter()
            .filter_map(|a| a.researcher)
            .flat_map(|r| self.site.researchers[r].publications.iter().copied())
            .filter(|&other| other != index)
            .collect();
        related.sort_unstable();
        related.dedup();
        related
            .into_iter()
            .take(RELATED_COUNT)
            .map(|i| &self.works[i])
            .collect()
    }

    fn topic_list(&self) -> TopicListPage<'_> {
        let topics = self
            .site
            .topics
            .iter()
            .zip(&self.topics)
            .map(|(topic, topic_ref)| TopicSummary {
                topic: topic_ref,
                researchers: topic.researchers.len(),
                works: topic.publications.len(),
            })
            .collect();
        TopicListPage {
            site: &self.site_view,
            page: self.meta(
                "Topics",
                "topics/",
                format!("Research topics on {}.", self.site.config.title),
            ),
            topics,
        }
    }

    fn topic_page(&self, index: usize) -> TopicPage<'_> {
        let topic = &self.site.topics[index];
        let topic_ref = &self.topics[index];
        let description = format!(
            "{} publications and {} researchers on {}.",
            topic.publications.len(),
            topic.researchers.len(),
            topic_ref.name
        );
        TopicPage {
            site: &self.site_view,
            page: self.meta(
                &topic_ref.name,
                &format!("topics/{}/", topic.slug),
                description,
            ),
            topic: topic_ref,
            names: &topic.names,
            researchers: topic
                .researchers
                .iter()
                .map(|&r| &self.researchers[r])
                .collect(),
            years: self.by_year(topic.publications.iter().copied()),
            feed: FeedLink {
                url: self.site.config.path(&feeds::topic_feed_path(&topic.slug)),
                title: feeds::topic_feed_title(&topic_ref.name),
            },
        }
    }

    /// Counts the works of each publication type among `works`, in the order of
    /// [`PublicationType::ALL`].
    fn work_kinds(&self, works: &[usize]) -> Vec<KindOption> {
        PublicationType::ALL
            .into_iter()
            .filter_map(|kind| {
                let count = works
                    .iter()
                    .filter(|&&work| self.site.publications[work].kind == kind)
                    .count();
                (count > 0).then(|| KindOption {
                    key: kind.key(),
                    label: capitalize(kind.key()),
                    count,
                })
            })
            .collect()
    }

    fn institution_list(&self) -> InstitutionListPage<'_> {
        let institutions = self
            .site
            .institutions
            .iter()
            .zip(&self.institutions)
            .map(|(institution, institution_ref)| InstitutionSummary {
                institution: institution_ref,
                researchers: institution.researchers.len(),
                works: institution.publications.len(),
            })
            .collect();
        InstitutionListPage {
            site: &self.site_view,
            page: self.meta(
                "Institutions",
                "institutions/",
                format!(
                    "Institutions of the researchers on {}.",
                    self.site.config.title
                ),
            ),
            institutions,
        }
    }

    fn institution_page(&self, index: usize) -> InstitutionPage<'_> {
        let institution = &self.site.institutions[index];
        let institution_ref = &self.institutions[index];
        let description = format!(
            "{} researchers and {} publications at {}.",
            institution.researchers.len(),
            institution.publications.len(),
            institution_ref.name
        );
        let mut website = None;
        let members = institution
            .researchers
            .iter()
            .map(|&r| {
                let positions: Vec<Position> = self.site.researchers[r]
                    .affiliations
                    .iter()
                    .filter(|a| a.institution_slug().as_deref() == Some(&institution.slug))
                    .map(|a| {
                        if website.is_none() {
                            website.clone_from(&a.url);
                        }
                        Position {
                            name: a.name.trim().to_owned(),
                            role: a.role.clone(),
                            from: a.from,
                            to: a.to,
                        }
                    })
                    .collect();
                Member {
                    researcher: &self.researchers[r],
                    positions,
                }
            })
            .collect();
        InstitutionPage {
            site: &self.site_view,
            page: self.meta(
                &institution_ref.name,
                &institution_path(&institution.slug),
                description,
            ),
            institution: institution_ref,
            names: &institution.names,
            website,
            members,
            years: self.by_year(institution.publications.iter().copied()),
            count: institution.publications.len(),
        }
    }
}

/// Returns the site path of an institution page, such as `institutions/example-university/`.
fn institution_path(slug: &str) -> String {
    format!("institutions/{slug}/")
}

/// Upper-cases the first letter of an ASCII key, such as `conference` to `Conference`.
fn capitalize(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Lists every page of the site, in a fixed order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Researchers,
        Job::Publications,
        Job::Topics,
        Job::Institutions,
        Job::Explore,
        Job::NotFound,
    ];
    jobs.extend((0..site.researchers.len()).map(Job::Researcher));
    jobs.extend((0..site.publications.len()).map(Job::Publication));
    jobs.extend((0..site.topics.len()).map(Job::Topic));
    jobs.extend((0..site.institutions.len()).map(Job::Institution));
    jobs
}

/// Returns the output path of a page, relative to the output folder.
pub fn target(site: &Site, job: Job) -> String {
    match job {
        Job::Home => "index.html".to_owned(),
        Job::Researchers => "researchers/index.html".to_owned(),
        Job::Researcher(i) => format!("researchers/{}/index.html", site.researchers[i].id),
        Job::Publications => "publications/index.html".to_owned(),
        Job::Publication(i) => format!("publications/{}/index.html", site.publications[i].id),
        Job::Topics => "topics/index.html".to_owned(),
        Job::Topic(i) => format!("topics/{}/index.html", site.topics[i].slug),
        Job::Institutions => "institutions/index.html".to_owned(),
        Job::Institution(i) => format!("institutions/{}/index.html", site.institutions[i].slug),
        Job::Explore => "explore/index.html".to_owned(),
        Job::NotFound => "404.html".to_owned(),
    }
}

fn link_view(link: &ExternalLink) -> LinkView {
    LinkView {
        kind: link.kind,
        label: link.label,
        value: link.value.clone(),
        url: link.url.clone(),
    }
}

/// Shortens text to at most `max_chars` characters at a word boundary, adding `…`.
fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}
