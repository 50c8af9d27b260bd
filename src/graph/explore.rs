//! The site-wide graph of researchers, topics and institutions for `/explore/`.

use std::collections::{BTreeMap, BTreeSet};

use super::counted;
use super::svg::{self, Drawing, Edge, Label, Node, NodeKind};
use crate::content::name_key;
use crate::model::Site;
use crate::render::views::ExploreEntry;

/// The maximum number of nodes the explorer's graph draws. Larger sites show their
/// most connected nodes, and the list under the graph has every one.
pub const MAX_EXPLORE_NODES: usize = 60;

/// The length of the ring's arc that each node gets.
const ARC_PER_NODE: f64 = 30.0;
/// The smallest ring radius, for sites with a few nodes.
const MIN_RING: f64 = 160.0;
const MIN_RADIUS: f64 = 4.0;
const MAX_RADIUS: f64 = 12.0;

/// One node of the site graph. The derived order puts researchers first, then topics,
/// then institutions, which breaks ties in rankings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Vertex {
    Researcher(usize),
    Topic(usize),
    Institution(usize),
}

/// The explorer page's graph and the list of everything on the site.
#[derive(Debug)]
pub struct Explorer {
    /// The graph as an HTML `<figure>` with inline SVG, or empty when the site has no
    /// researchers, topics or institutions.
    pub graph_html: String,
    /// The number of nodes drawn.
    pub drawn: usize,
    /// Every researcher, topic and institution, sorted by name.
    pub entries: Vec<ExploreEntry>,
}

/// The undirected graph of the whole site.
struct SiteGraph {
    neighbours: BTreeMap<Vertex, BTreeSet<Vertex>>,
    /// The number of works that each pair of researchers wrote together, keyed by the
    /// pair's indexes, smaller first.
    joint_works: BTreeMap<(usize, usize), usize>,
}

impl SiteGraph {
    /// Joins researchers to the topics they list or wrote on, to the institutions of
    /// their affiliations, and to the researchers they wrote a work with.
    fn new(site: &Site) -> Self {
        let mut neighbours: BTreeMap<Vertex, BTreeSet<Vertex>> = BTreeMap::new();
        let vertices = (0..site.researchers.len())
            .map(Vertex::Researcher)
            .chain((0..site.topics.len()).map(Vertex::Topic))
            .chain((0..site.institutions.len()).map(Vertex::Institution));
        for vertex in vertices {
            neighbours.entry(vertex).or_default();
        }
        let mut link = |a: Vertex, b: Vertex| {
            neighbours.entry(a).or_default().insert(b);
            neighbours.entry(b).or_default().insert(a);
        };
        for (index, topic) in site.topics.iter().enumerate() {
            for &researcher in &topic.researchers {
                link(Vertex::Topic(index), Vertex::Researcher(researcher));
            }
        }
        for (index, institution) in site.institutions.iter().enumerate() {
            for &researcher in &institution.researchers {
                link(Vertex::Institution(index), Vertex::Researcher(researcher));
            }
        }
        let mut joint_works: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for publication in &site.publications {
            let authors: BTreeSet<usize> = publication
                .authors
                .iter()
                .filter_map(|author| author.researcher)
                .collect();
            for &a in &authors {
                for &b in authors.range(a + 1..) {
                    *joint_works.entry((a, b)).or_default() += 1;
                    link(Vertex::Researcher(a), Vertex::Researcher(b));
                }
            }
        }
        Self {
            neighbours,
            joint_works,
        }
    }

    fn degree(&self, vertex: Vertex) -> usize {
        self.neighbours.get(&vertex).map_or(0, BTreeSet::len)
    }

    fn joint(&self, a: usize, b: usize) -> usize {
        let key = if a < b { (a, b) } else { (b, a) };
        self.joint_works.get(&key).copied().unwrap_or(0)
    }
}

/// Builds the explorer of `site`: its graph within [`MAX_EXPLORE_NODES`] nodes and the
/// list of every researcher, topic and institution.
pub fn explorer(site: &Site) -> Explorer {
    let graph = SiteGraph::new(site);
    let ranked = rank(site, &graph);
    let selected: Vec<Vertex> = ranked.iter().copied().take(MAX_EXPLORE_NODES).collect();
    let order = ring_order(&graph, &ranked, &selected);
    let graph_html = if order.is_empty() {
        String::new()
    } else {
        svg::render(&layout(site, &graph, &order, ranked.len()))
    };
    Explorer {
        graph_html,
        drawn: order.len(),
        entries: entries(site, &graph),
    }
}

/// Ranks every vertex by degree, most connected first, ties broken by kind (researchers,
/// topics, institutions), then by name, then by index.
fn rank(site: &Site, graph: &SiteGraph) -> Vec<Vertex> {
    let mut ranked: Vec<(usize, Vertex, String)> = graph
        .neighbours
        .keys()
        .map(|&vertex| (graph.degree(vertex), vertex, name_key(&name(site, vertex))))
        .collect();
    ranked.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| kind_order(a.1).cmp(&kind_order(b.1)))
            .then_with(|| a.2.cmp(&b.2))
            .then_with(|| a.1.cmp(&b.1))
    });
    ranked.into_iter().map(|(_, vertex, _)| vertex).collect()
}

fn kind_order(vertex: Vertex) -> u8 {
    match vertex {
        Vertex::Researcher(_) => 0,
        Vertex::Topic(_) => 1,
        Vertex::Institution(_) => 2,
    }
}

/// Orders the selected vertices around the ring so that linked ones sit close.
///
/// Researchers come first, in a chain where each one is followed by the unplaced
/// researcher with the most joint works with it, or by the best-ranked one when none
/// has any. Each topic and institution then follows the researcher at the median
/// position of its drawn researchers, and those without any go last.
fn ring_order(graph: &SiteGraph, ranked: &[Vertex], selected: &[Vertex]) -> Vec<Vertex> {
    let rank_of: BTreeMap<Vertex, usize> = ranked
        .iter()
        .enumerate()
        .map(|(rank, &vertex)| (vertex, rank))
        .collect();
    let mut unplaced: Vec<usize> = selected
        .iter()
        .filter_map(|vertex| match vertex {
            Vertex::Researcher(index) => Some(*index),
            _ => None,
        })
        .collect();
    let mut chain: Vec<usize> = Vec::with_capacity(unplaced.len());
    while !unplaced.is_empty() {
        // `unplaced` stays in rank order, so the first maximum is the best-ranked one.
        let mut best = 0;
        if let Some(&last) = chain.last() {
            let mut best_joint = 0;
            for (position, &candidate) in unplaced.iter().enumerate() {
                let joint = graph.joint(last, candidate);
                if joint > best_joint {
                    best = position;
                    best_joint = joint;
                }
            }
        }
        chain.push(unplaced.remove(best));
    }

    let position: BTreeMap<usize, usize> = chain
        .iter()
        .enumerate()
        .map(|(position, &researcher)| (researcher, position))
        .collect();
    let mut followers: Vec<(usize, usize, Vertex)> = selected
        .iter()
        .filter(|vertex| !matches!(vertex, Vertex::Researcher(_)))
        .map(|&vertex| {
            let mut positions: Vec<usize> = graph.neighbours[&vertex]
                .iter()
                .filter_map(|neighbour| match neighbour {
                    Vertex::Researcher(index) => position.get(index).copied(),
                    _ => None,
                })
                .collect();
            positions.sort_unstable();
            let home = if positions.is_empty() {
                chain.len()
            } else {
                positions[(positions.len() - 1) / 2]
            };
            (home, rank_of[&vertex], vertex)
        })
        .collect();
    followers.sort_unstable();

    let mut order = Vec::with_capacity(selected.len());
    let mut next = followers.iter().peekable();
    for (home, &researcher) in chain.iter().enumerate() {
        order.push(Vertex::Researcher(researcher));
        while let Some((_, _, vertex)) = next.next_if(|(at, _, _)| *at == home) {
            order.push(*vertex);
        }
    }
    order.extend(next.map(|(_, _, vertex)| *vertex));
    order
}

/// Places the vertices on one ring in `order`, clockwise from the top, sized by degree,
/// with every edge between two drawn vertices as a curve bent towards the middle.
fn layout(site: &Site, graph: &SiteGraph, order: &[Vertex], total: usize) -> Drawing {
    let ring = (order.len() as f64 * ARC_PER_NODE / std::f64::consts::TAU).max(MIN_RING);
    let max_degree = order.iter().map(|&v| graph.degree(v)).max().unwrap_or(0);
    let slot_of: BTreeMap<Vertex, usize> = order
        .iter()
        .enumerate()
        .map(|(slot, &vertex)| (vertex, slot))
        .collect();
    let nodes: Vec<Node> = order
        .iter()
        .enumerate()
        .map(|(slot, &vertex)| {
            let (x, y) = svg::polar(ring, svg::slot_angle(slot, order.len()));
            let name = name(site, vertex);
            Node {
                kind: match vertex {
                    Vertex::Researcher(_) => NodeKind::Researcher,
                    Vertex::Topic(_) => NodeKind::Topic,
                    Vertex::Institution(_) => NodeKind::Institution,
                },
                title: format!("{name}: {}", detail(site, graph, vertex)),
                label: Label::Radial(svg::short_label(&name)),
                url: Some(url(site, vertex)),
                x,
                y,
                radius: svg::scaled_radius(
                    graph.degree(vertex),
                    max_degree,
                    MIN_RADIUS,
                    MAX_RADIUS,
                ),
                collapsed: false,
            }
        })
        .collect();

    let mut edges = Vec::new();
    for (from, vertex) in order.iter().enumerate() {
        for neighbour in &graph.neighbours[vertex] {
            let Some(&to) = slot_of.get(neighbour) else {
                continue;
            };
            if to <= from {
                continue;
            }
            edges.push(Edge {
                from,
                to,
                curved: true,
                strong: matches!(
                    (vertex, neighbour),
                    (Vertex::Researcher(_), Vertex::Researcher(_))
                ),
            });
        }
    }

    let drawn = if order.len() < total {
        format!("the {} most connected of {total}", order.len())
    } else {
        format!("all {total}")
    };
    Drawing {
        id: "explore-graph",
        title: format!("Research graph of {}", site.config.title),
        description: format!(
            "Researchers joined to their co-authors, topics and institutions, showing {drawn} \
             researchers, topics and institutions. Each circle links to its page."
        ),
        nodes,
        edges,
    }
}

fn name(site: &Site, vertex: Vertex) -> String {
    match vertex {
        Vertex::Researcher(index) => site.researchers[index].name.clone(),
        Vertex::Topic(index) => site.topics[index].names[0].clone(),
        Vertex::Institution(index) => site.institutions[index].names[0].clone(),
    }
}

fn url(site: &Site, vertex: Vertex) -> String {
    let path = match vertex {
        Vertex::Researcher(index) => format!("researchers/{}/", site.researchers[index].id),
        Vertex::Topic(index) => format!("topics/{}/", site.topics[index].slug),
        Vertex::Institution(index) => format!("institutions/{}/", site.institutions[index].slug),
    };
    site.config.path(&path)
}

/// Describes a vertex's counts, such as `12 works, 3 topics, 2 co-authors on this site`.
fn detail(site: &Site, graph: &SiteGraph, vertex: Vertex) -> String {
    match vertex {
        Vertex::Researcher(index) => {
            let neighbours = &graph.neighbours[&vertex];
            let count = |kind: fn(&Vertex) -> bool| neighbours.iter().filter(|v| kind(v)).count();
            format!(
                "{}, {}, {} on this site",
                counted(site.researchers[index].publications.len(), "work", "works"),
                counted(count(|v| matches!(v, Vertex::Topic(_))), "topic", "topics"),
                counted(
                    count(|v| matches!(v, Vertex::Researcher(_))),
                    "co-author",
                    "co-authors"
                ),
            )
        }
        Vertex::Topic(index) => {
            let topic = &site.topics[index];
            format!(
                "{}, {}",
                counted(topic.researchers.len(), "researcher", "researchers"),
                counted(topic.publications.len(), "work", "works")
            )
        }
        Vertex::Institution(index) => counted(
            site.institutions[index].researchers.len(),
            "researcher",
            "researchers",
        ),
    }
}

/// Lists every researcher, topic and institution, sorted by folded name, then kind.
fn entries(site: &Site, graph: &SiteGraph) -> Vec<ExploreEntry> {
    let mut vertices: Vec<(String, Vertex)> = graph
        .neighbours
        .keys()
        .map(|&vertex| (name_key(&name(site, vertex)), vertex))
        .collect();
    vertices.sort();
    vertices
        .into_iter()
        .map(|(_, vertex)| {
            let (kind, kind_label, detail) = match vertex {
                Vertex::Researcher(index) => (
                    "researcher",
                    "Researcher",
                    counted(site.researchers[index].publications.len(), "work", "works"),
                ),
                Vertex::Topic(index) => (
                    "topic",
                    "Topic",
                    counted(site.topics[index].publications.len(), "work", "works"),
                ),
                Vertex::Institution(index) => (
                    "institution",
                    "Institution",
                    counted(
                        site.institutions[index].researchers.len(),
                        "researcher",
                        "researchers",
                    ),
                ),
            };
            ExploreEntry {
                name: name(site, vertex),
                url: url(site, vertex),
                kind,
                kind_label,
                detail,
            }
        })
        .collect()
}
