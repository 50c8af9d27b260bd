//! The graph around one researcher: co-authors, topics, institutions and works.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::svg::{self, Drawing, Edge, Label, Node, NodeKind};
use super::{counted, institution_index, topic_index};
use crate::content::name_key;
use crate::model::Site;

/// The maximum number of co-author nodes, the "and N more" node included.
pub const MAX_COAUTHORS: usize = 12;
/// The maximum number of topic nodes, the "and N more" node included.
pub const MAX_TOPICS: usize = 8;
/// The maximum number of institution nodes, the "and N more" node included.
pub const MAX_INSTITUTIONS: usize = 6;
/// The maximum number of work nodes, the "and N more" node included.
pub const MAX_WORKS: usize = 24;

/// The radius of the ring of works around the researcher.
const WORK_RING: f64 = 90.0;
/// The radius of the ring of co-authors, topics and institutions.
const OUTER_RING: f64 = 180.0;
const CENTRE_RADIUS: f64 = 18.0;
const WORK_RADIUS: f64 = 4.5;
/// The radius of the "and N more" node among the works, which shows `+N` inside.
const MORE_WORKS_RADIUS: f64 = 12.0;
/// The radius of an "and N more" node on the outer ring, which has a label beside it.
const MORE_RADIUS: f64 = 6.0;

/// One neighbour of the researcher before layout.
#[derive(Debug, Clone)]
struct Neighbour {
    kind: NodeKind,
    name: String,
    /// The text after the name in the node's `<title>`, such as `3 joint works`.
    detail: String,
    url: Option<String>,
    /// The count that sizes the circle: joint works, works with a topic, or people with
    /// an affiliation.
    weight: usize,
}

/// A list of neighbours of one kind after applying its node budget.
struct Ring {
    drawn: Vec<Neighbour>,
    /// The number of neighbours that the "and N more" node represents, or 0 when all
    /// are drawn.
    hidden: usize,
    /// The kind the "and N more" node is drawn as.
    kind: NodeKind,
    /// The singular and plural noun of the kind, for "and N more co-authors".
    noun: (&'static str, &'static str),
}

impl Ring {
    /// Keeps the first `budget - 1` neighbours and collapses the rest when they do not
    /// all fit into `budget` nodes.
    fn new(
        mut neighbours: Vec<Neighbour>,
        budget: usize,
        kind: NodeKind,
        noun: (&'static str, &'static str),
    ) -> Self {
        let mut hidden = 0;
        if neighbours.len() > budget {
            hidden = neighbours.len() - (budget - 1);
            neighbours.truncate(budget - 1);
        }
        Self {
            drawn: neighbours,
            hidden,
            kind,
            noun,
        }
    }

    fn node_count(&self) -> usize {
        self.drawn.len() + usize::from(self.hidden > 0)
    }

    fn total(&self) -> usize {
        self.drawn.len() + self.hidden
    }

    fn more_title(&self) -> String {
        format!(
            "and {} more {}",
            self.hidden,
            if self.hidden == 1 {
                self.noun.0
            } else {
                self.noun.1
            }
        )
    }
}

/// Renders the research graph of `site.researchers[index]` as an HTML `<figure>` with
/// inline SVG, or returns an empty string when the researcher has no neighbours.
pub fn researcher_graph_html(site: &Site, index: usize) -> String {
    let coauthors = Ring::new(
        coauthors(site, index),
        MAX_COAUTHORS,
        NodeKind::Person,
        ("co-author", "co-authors"),
    );
    let topics = Ring::new(
        topics(site, index),
        MAX_TOPICS,
        NodeKind::Topic,
        ("topic", "topics"),
    );
    let institutions = Ring::new(
        institutions(site, index),
        MAX_INSTITUTIONS,
        NodeKind::Institution,
        ("institution", "institutions"),
    );
    let works = Ring::new(
        works(site, index),
        MAX_WORKS,
        NodeKind::Work,
        ("work", "works"),
    );
    let rings = [&coauthors, &topics, &institutions, &works];
    if rings.iter().all(|ring| ring.total() == 0) {
        return String::new();
    }
    svg::render(&layout(
        site,
        index,
        [&coauthors, &topics, &institutions],
        &works,
    ))
}

/// Places the researcher at the centre, the works on the inner ring, and co-authors,
/// topics and institutions on the outer ring, each kind in its own arc with one empty
/// slot between kinds. Nodes follow their ranking clockwise from the top.
fn layout(site: &Site, index: usize, outer: [&Ring; 3], works: &Ring) -> Drawing {
    let researcher = &site.researchers[index];
    let mut nodes = vec![Node {
        kind: NodeKind::Researcher,
        title: format!(
            "{}: {}",
            researcher.name,
            counted(researcher.publications.len(), "work", "works")
        ),
        label: Label::None,
        url: Some(site.config.path(&format!("researchers/{}/", researcher.id))),
        x: 0.0,
        y: 0.0,
        radius: CENTRE_RADIUS,
        collapsed: false,
    }];

    let work_slots = works.node_count();
    for (slot, work) in works.drawn.iter().enumerate() {
        let (x, y) = svg::polar(WORK_RING, svg::slot_angle(slot, work_slots));
        nodes.push(neighbour_node(work, x, y, WORK_RADIUS, Label::None));
    }
    if works.hidden > 0 {
        let (x, y) = svg::polar(WORK_RING, svg::slot_angle(work_slots - 1, work_slots));
        nodes.push(more_node(
            works,
            x,
            y,
            MORE_WORKS_RADIUS,
            Label::Inside(format!("+{}", works.hidden)),
        ));
    }

    let groups: Vec<&Ring> = outer
        .into_iter()
        .filter(|ring| ring.node_count() > 0)
        .collect();
    let gaps = if groups.len() > 1 { groups.len() } else { 0 };
    let slots = groups.iter().map(|ring| ring.node_count()).sum::<usize>() + gaps;
    let mut slot = 0;
    for ring in groups {
        let max_weight = ring.drawn.iter().map(|n| n.weight).max().unwrap_or(0);
        for neighbour in &ring.drawn {
            let (x, y) = svg::polar(OUTER_RING, svg::slot_angle(slot, slots));
            let (min, max) = radius_range(neighbour.kind);
            let radius = svg::scaled_radius(neighbour.weight, max_weight, min, max);
            let label = Label::Radial(svg::short_label(&neighbour.name));
            nodes.push(neighbour_node(neighbour, x, y, radius, label));
            slot += 1;
        }
        if ring.hidden > 0 {
            let (x, y) = svg::polar(OUTER_RING, svg::slot_angle(slot, slots));
            let label = Label::Radial(ring.more_title());
            nodes.push(more_node(ring, x, y, MORE_RADIUS, label));
            slot += 1;
        }
        if gaps > 0 {
            slot += 1;
        }
    }

    let edges = (1..nodes.len())
        .map(|to| Edge {
            from: 0,
            to,
            curved: false,
            strong: false,
        })
        .collect();
    let [coauthors, topics, institutions] = outer;
    Drawing {
        id: "research-graph",
        title: format!("Research graph of {}", researcher.name),
        description: describe(&researcher.name, [coauthors, topics, institutions, works]),
        nodes,
        edges,
    }
}

/// Summarizes the graph in a sentence, such as `Ada Lovelace with 3 co-authors and
/// 12 works.`, leaving out kinds with none.
fn describe(name: &str, rings: [&Ring; 4]) -> String {
    let parts: Vec<String> = rings
        .iter()
        .filter(|ring| ring.total() > 0)
        .map(|ring| counted(ring.total(), ring.noun.0, ring.noun.1))
        .collect();
    let listed = match parts.as_slice() {
        [] => return format!("{name} alone."),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    format!("{name} with {listed}. Each circle links to its page where it has one.")
}

/// Returns the smallest and largest circle radius of a kind of neighbour.
fn radius_range(kind: NodeKind) -> (f64, f64) {
    match kind {
        NodeKind::Researcher | NodeKind::Person => (4.0, 14.0),
        NodeKind::Topic => (4.0, 11.0),
        NodeKind::Institution => (5.0, 11.0),
        NodeKind::Work => (WORK_RADIUS, WORK_RADIUS),
    }
}

fn neighbour_node(neighbour: &Neighbour, x: f64, y: f64, radius: f64, label: Label) -> Node {
    Node {
        kind: neighbour.kind,
        title: if neighbour.kind == NodeKind::Work {
            format!("{} ({})", neighbour.name, neighbour.detail)
        } else {
            format!("{}: {}", neighbour.name, neighbour.detail)
        },
        label,
        url: neighbour.url.clone(),
        x,
        y,
        radius,
        collapsed: false,
    }
}

fn more_node(ring: &Ring, x: f64, y: f64, radius: f64, label: Label) -> Node {
    Node {
        kind: ring.kind,
        title: ring.more_title(),
        label,
        url: None,
        x,
        y,
        radius,
        collapsed: true,
    }
}

/// Lists the co-authors by joint works, most first, ties broken by name and then by
/// researcher id or written name. An author listed twice on one work counts once.
fn coauthors(site: &Site, index: usize) -> Vec<Neighbour> {
    let researcher = &site.researchers[index];
    // Keyed by researcher index or folded name, so spellings of one person merge.
    let mut joint: BTreeMap<(Option<usize>, String), Neighbour> = BTreeMap::new();
    for &work in &researcher.publications {
        let mut seen = BTreeSet::new();
        for author in &site.publications[work].authors {
            if author.researcher == Some(index) {
                continue;
            }
            let key = match author.researcher {
                Some(other) => (Some(other), String::new()),
                None => (None, name_key(&author.name)),
            };
            if !seen.insert(key.clone()) {
                continue;
            }
            let entry = joint.entry(key).or_insert_with(|| match author.researcher {
                Some(other) => Neighbour {
                    kind: NodeKind::Researcher,
                    name: site.researchers[other].name.clone(),
                    detail: String::new(),
                    url: Some(
                        site.config
                            .path(&format!("researchers/{}/", site.researchers[other].id)),
                    ),
                    weight: 0,
                },
                None => Neighbour {
                    kind: NodeKind::Person,
                    name: author.name.clone(),
                    detail: String::new(),
                    url: None,
                    weight: 0,
                },
            });
            entry.weight += 1;
        }
    }
    let mut ranked: Vec<((Option<usize>, String), Neighbour)> = joint.into_iter().collect();
    ranked.sort_by(|(key_a, a), (key_b, b)| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| key_a.cmp(key_b))
    });
    ranked
        .into_iter()
        .map(|(_, mut neighbour)| {
            neighbour.detail = counted(neighbour.weight, "joint work", "joint works");
            neighbour
        })
        .collect()
}

/// Lists the researcher's own topics first, in their order, then the topics of their
/// works by the number of works, ties broken by name.
fn topics(site: &Site, index: usize) -> Vec<Neighbour> {
    let researcher = &site.researchers[index];
    let mut works_with: HashMap<usize, usize> = HashMap::new();
    for &work in &researcher.publications {
        let in_work: BTreeSet<usize> = site.publications[work]
            .topics
            .iter()
            .filter_map(|name| topic_index(site, name))
            .collect();
        for topic in in_work {
            *works_with.entry(topic).or_default() += 1;
        }
    }
    let mut order: Vec<usize> = Vec::new();
    for name in &researcher.topics {
        if let Some(topic) = topic_index(site, name) {
            if !order.contains(&topic) {
                order.push(topic);
            }
        }
    }
    let mut from_works: Vec<(usize, usize)> = works_with
        .iter()
        .filter(|(topic, _)| !order.contains(topic))
        .map(|(&topic, &count)| (topic, count))
        .collect();
    from_works.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| site.topics[a.0].names[0].cmp(&site.topics[b.0].names[0]))
            .then_with(|| a.0.cmp(&b.0))
    });
    order.extend(from_works.into_iter().map(|(topic, _)| topic));
    order
        .into_iter()
        .map(|topic| {
            let weight = works_with.get(&topic).copied().unwrap_or(0);
            Neighbour {
                kind: NodeKind::Topic,
                name: site.topics[topic].names[0].clone(),
                detail: if weight == 0 {
                    "a research interest".to_owned()
                } else {
                    counted(weight, "work", "works")
                },
                url: Some(
                    site.config
                        .path(&format!("topics/{}/", site.topics[topic].slug)),
                ),
                weight,
            }
        })
        .collect()
}

/// Lists the researcher's own institutions first, in the order of their affiliations,
/// then those of co-authors with a page, by the number of those co-authors, ties broken
/// by name.
fn institutions(site: &Site, index: usize) -> Vec<Neighbour> {
    let researcher = &site.researchers[index];
    let mut own: Vec<usize> = Vec::new();
    for affiliation in &researcher.affiliations {
        if let Some(institution) = institution_index(site, affiliation) {
            if !own.contains(&institution) {
                own.push(institution);
            }
        }
    }
    let linked: BTreeSet<usize> = researcher
        .publications
        .iter()
        .flat_map(|&work| &site.publications[work].authors)
        .filter_map(|author| author.researcher)
        .filter(|&other| other != index)
        .collect();
    let mut members: BTreeMap<usize, usize> = BTreeMap::new();
    for &other in &linked {
        let of_other: BTreeSet<usize> = site.researchers[other]
            .affiliations
            .iter()
            .filter_map(|affiliation| institution_index(site, affiliation))
            .collect();
        for institution in of_other {
            *members.entry(institution).or_default() += 1;
        }
    }
    let mut others: Vec<(usize, usize)> = members
        .iter()
        .filter(|(institution, _)| !own.contains(institution))
        .map(|(&institution, &count)| (institution, count))
        .collect();
    others.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| site.institutions[a.0].names[0].cmp(&site.institutions[b.0].names[0]))
            .then_with(|| a.0.cmp(&b.0))
    });

    let mut neighbours = Vec::new();
    for institution in own.iter().copied() {
        let coauthors = members.get(&institution).copied().unwrap_or(0);
        let detail = if coauthors == 0 {
            format!("affiliation of {}", researcher.name)
        } else {
            format!(
                "affiliation of {} and {}",
                researcher.name,
                counted(coauthors, "co-author", "co-authors")
            )
        };
        neighbours.push(institution_neighbour(
            site,
            institution,
            detail,
            1 + coauthors,
        ));
    }
    for (institution, coauthors) in others {
        let detail = format!(
            "affiliation of {}",
            counted(coauthors, "co-author", "co-authors")
        );
        neighbours.push(institution_neighbour(site, institution, detail, coauthors));
    }
    neighbours
}

fn institution_neighbour(
    site: &Site,
    institution: usize,
    detail: String,
    weight: usize,
) -> Neighbour {
    let institution = &site.institutions[institution];
    Neighbour {
        kind: NodeKind::Institution,
        name: institution.names[0].clone(),
        detail,
        url: Some(
            site.config
                .path(&format!("institutions/{}/", institution.slug)),
        ),
        weight,
    }
}

/// Lists the researcher's works in the site's order, newest first.
fn works(site: &Site, index: usize) -> Vec<Neighbour> {
    site.researchers[index]
        .publications
        .iter()
        .map(|&work| {
            let publication = &site.publications[work];
            Neighbour {
                kind: NodeKind::Work,
                name: publication.title.plain.clone(),
                detail: publication.date.year.to_string(),
                url: Some(
                    site.config
                        .path(&format!("publications/{}/", publication.id)),
                ),
                weight: 1,
            }
        })
        .collect()
}
