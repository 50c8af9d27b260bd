//! Laid-out graphs and their output as inline SVG inside a `<figure>`.
//!
//! Every coordinate is rounded to one decimal when it is written, so the output is the
//! same in every build of the same content.

use std::f64::consts::{FRAC_PI_2, TAU};
use std::fmt::Write;

use crate::text::escape_html;

/// The font size of node labels, in SVG user units.
const LABEL_FONT_SIZE: u32 = 11;
/// An estimate of the average glyph width of a label, in SVG user units, used only to
/// make room for labels in the `viewBox`.
const LABEL_GLYPH_WIDTH: f64 = 6.4;
/// The gap between a node's circle and its label.
const LABEL_GAP: f64 = 4.0;
/// The position of a curved edge's control point, as a fraction of the way from the
/// centre of the drawing to the middle of the edge.
const CURVE_PULL: f64 = 0.35;
/// The margin around the drawing inside the `viewBox`.
const MARGIN: f64 = 8.0;
/// The maximum number of characters of a visible label. The `<title>` has the full text.
pub const MAX_LABEL_CHARS: usize = 24;

/// The kind of thing a node represents, which sets its colour and legend entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Researcher,
    /// A co-author who has no page on the site.
    Person,
    Topic,
    Institution,
    Work,
}

impl NodeKind {
    const ALL: [NodeKind; 5] = [
        Self::Researcher,
        Self::Person,
        Self::Topic,
        Self::Institution,
        Self::Work,
    ];

    fn class(self) -> &'static str {
        match self {
            Self::Researcher => "researcher",
            Self::Person => "person",
            Self::Topic => "topic",
            Self::Institution => "institution",
            Self::Work => "work",
        }
    }

    /// Returns a mid-tone fill that stays visible on the theme's light and dark
    /// backgrounds.
    fn fill(self) -> &'static str {
        match self {
            Self::Researcher => "#3d7bd9",
            Self::Person => "#e08a1e",
            Self::Topic => "#3a9d5d",
            Self::Institution => "#9467bd",
            Self::Work => "#8a94a3",
        }
    }

    fn legend(self) -> &'static str {
        match self {
            Self::Researcher => "Researcher on this site",
            Self::Person => "Co-author without a page",
            Self::Topic => "Topic",
            Self::Institution => "Institution",
            Self::Work => "Work",
        }
    }
}

/// The placement of a node's visible text.
#[derive(Debug, Clone)]
pub enum Label {
    None,
    /// Text outside the circle, rotated to point away from the centre of the drawing.
    Radial(String),
    /// Short text centred on the circle, such as `+12`.
    Inside(String),
}

/// A node with its position.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    /// The text of the node's `<title>`: the full name and its counts.
    pub title: String,
    pub label: Label,
    /// The page the node links to, when it has one.
    pub url: Option<String>,
    pub x: f64,
    pub y: f64,
    pub radius: f64,
    /// A node that stands for the collapsed tail of a list ("and N more"), drawn faded.
    pub collapsed: bool,
}

/// A line between two nodes, by index into [`Drawing::nodes`].
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// Drawn as a curve bent towards the centre of the drawing, as chord diagrams are.
    pub curved: bool,
    /// An edge between two researchers, drawn in the researcher colour.
    pub strong: bool,
}

/// A laid-out graph, centred on the origin.
#[derive(Debug)]
pub struct Drawing {
    /// The prefix of the element ids, unique on the page, such as `research-graph`.
    pub id: &'static str,
    /// The accessible name of the graph.
    pub title: String,
    /// A sentence that summarizes the graph for screen readers.
    pub description: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// Returns the angle of slot `slot` of `slots` evenly spaced slots, starting at the top
/// and going clockwise, in radians.
pub fn slot_angle(slot: usize, slots: usize) -> f64 {
    TAU * slot as f64 / slots.max(1) as f64 - FRAC_PI_2
}

/// Returns the point at `angle` on a circle of `radius` around the origin.
pub fn polar(radius: f64, angle: f64) -> (f64, f64) {
    (radius * angle.cos(), radius * angle.sin())
}

/// Returns a circle radius between `min` and `max` whose area grows with `weight`,
/// relative to the largest weight `max_weight` of the same kind.
pub fn scaled_radius(weight: usize, max_weight: usize, min: f64, max: f64) -> f64 {
    if max_weight == 0 {
        return min;
    }
    min + (max - min) * (weight as f64 / max_weight as f64).sqrt()
}

/// Shortens a label to [`MAX_LABEL_CHARS`] characters, ending it with `…` when cut.
pub fn short_label(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_LABEL_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Formats a coordinate rounded to one decimal, writing zero without a sign.
///
/// NOTE: `sin` and `cos` come from the platform's math library, so a coordinate that
/// falls within 1e-12 of a rounding boundary could round differently on another
/// platform. Builds on one machine always agree.
fn number(value: f64) -> String {
    // Adding 0.0 turns -0.0 into 0.0.
    let rounded = (value * 10.0).round() / 10.0 + 0.0;
    format!("{rounded:.1}")
}

/// Renders the drawing as a `<figure>` holding the SVG and an HTML legend of the kinds
/// it shows. Every text is escaped here, at the point of output.
pub fn render(drawing: &Drawing) -> String {
    let view = ViewBox::around(drawing);
    let id = drawing.id;
    let mut out = String::new();

    out.push_str("<figure class=\"graph\">\n");
    // No `role`: the implicit one of `<svg>` (graphics-document) keeps the links inside
    // reachable for screen readers, and `img` would make them presentational.
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"graph-drawing\" \
         aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" \
         viewBox=\"{} {} {width} {height}\" width=\"{width}\" height=\"{height}\" \
         font-size=\"{LABEL_FONT_SIZE}\">",
        view.x,
        view.y,
        width = view.width,
        height = view.height,
    );
    let _ = writeln!(
        out,
        "<title id=\"{id}-title\">{}</title>",
        escape_html(&drawing.title)
    );
    let _ = writeln!(
        out,
        "<desc id=\"{id}-desc\">{}</desc>",
        escape_html(&drawing.description)
    );

    write_edges(&mut out, drawing);
    for node in &drawing.nodes {
        write_node(&mut out, node);
    }
    out.push_str("</svg>\n");

    write_legend(&mut out, drawing);
    out.push_str("</figure>\n");
    out
}

/// The `viewBox` of a drawing in whole units: the smallest box around every circle and
/// the estimated extent of every label, plus the margin.
struct ViewBox {
    x: i64,
    y: i64,
    width: i64,
    height: i64,
}

impl ViewBox {
    fn around(drawing: &Drawing) -> Self {
        let (mut left, mut top, mut right, mut bottom) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
        let mut include = |x: f64, y: f64, pad: f64| {
            left = left.min(x - pad);
            right = right.max(x + pad);
            top = top.min(y - pad);
            bottom = bottom.max(y + pad);
        };
        for node in &drawing.nodes {
            include(node.x, node.y, node.radius);
            if let Label::Radial(text) = &node.label {
                let (start, angle, _) = radial_label_start(node);
                let length = text.chars().count() as f64 * LABEL_GLYPH_WIDTH;
                let (dx, dy) = polar(length, angle);
                let pad = f64::from(LABEL_FONT_SIZE) / 2.0;
                include(start.0, start.1, pad);
                include(start.0 + dx, start.1 + dy, pad);
            }
        }
        // The casts are exact: a drawing spans a few thousand units at most.
        let x = (left - MARGIN).floor() as i64;
        let y = (top - MARGIN).floor() as i64;
        Self {
            x,
            y,
            width: (right + MARGIN).ceil() as i64 - x,
            height: (bottom + MARGIN).ceil() as i64 - y,
        }
    }
}

/// Returns where a radial label starts, its direction away from the centre in radians,
/// and whether it sits on the left half, where it is turned to read left to right.
fn radial_label_start(node: &Node) -> ((f64, f64), f64, bool) {
    let angle = node.y.atan2(node.x);
    let start = polar(node.x.hypot(node.y) + node.radius + LABEL_GAP, angle);
    (start, angle, node.x < -0.05)
}

fn write_edges(out: &mut String, drawing: &Drawing) {
    if drawing.edges.is_empty() {
        return;
    }
    out.push_str(
        "<g class=\"graph-edges\" fill=\"none\" stroke=\"currentColor\" \
         stroke-opacity=\"0.25\" aria-hidden=\"true\">\n",
    );
    for edge in &drawing.edges {
        let from = &drawing.nodes[edge.from];
        let to = &drawing.nodes[edge.to];
        let style = if edge.strong {
            format!(
                " stroke=\"{}\" stroke-opacity=\"0.6\"",
                NodeKind::Researcher.fill()
            )
        } else {
            String::new()
        };
        if edge.curved {
            // The control point is the chord's midpoint pulled most of the way to the
            // centre, so long chords bend inward and short ones stay near the ring.
            let control_x = (from.x + to.x) / 2.0 * CURVE_PULL;
            let control_y = (from.y + to.y) / 2.0 * CURVE_PULL;
            let _ = writeln!(
                out,
                "<path d=\"M{} {} Q{} {} {} {}\"{style}/>",
                number(from.x),
                number(from.y),
                number(control_x),
                number(control_y),
                number(to.x),
                number(to.y)
            );
        } else {
            let _ = writeln!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{style}/>",
                number(from.x),
                number(from.y),
                number(to.x),
                number(to.y)
            );
        }
    }
    out.push_str("</g>\n");
}

fn write_node(out: &mut String, node: &Node) {
    let class = node.kind.class();
    let collapsed = if node.collapsed { " collapsed" } else { "" };
    match &node.url {
        Some(url) => {
            let _ = write!(
                out,
                "<a href=\"{}\" class=\"node {class}{collapsed}\">",
                escape_html(url)
            );
        }
        None => {
            let _ = write!(out, "<g class=\"node {class}{collapsed}\">");
        }
    }
    let _ = write!(out, "<title>{}</title>", escape_html(&node.title));
    let (fill_opacity, dash) = if node.collapsed {
        (" fill-opacity=\"0.35\"", " stroke-dasharray=\"3 2\"")
    } else {
        ("", "")
    };
    let _ = write!(
        out,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"{fill_opacity} stroke=\"{}\"{dash}/>",
        number(node.x),
        number(node.y),
        number(node.radius),
        node.kind.fill(),
        node.kind.fill()
    );
    write_label(out, node);
    out.push_str(if node.url.is_some() {
        "</a>\n"
    } else {
        "</g>\n"
    });
}

fn write_label(out: &mut String, node: &Node) {
    match &node.label {
        Label::None => {}
        Label::Inside(text) => {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" dy=\"0.35em\" text-anchor=\"middle\" \
                 fill=\"currentColor\" aria-hidden=\"true\">{}</text>",
                number(node.x),
                number(node.y),
                escape_html(text)
            );
        }
        Label::Radial(text) => {
            let ((x, y), angle, left) = radial_label_start(node);
            // Text on the left half is turned half a circle so it never reads upside down.
            let degrees = angle.to_degrees() + if left { 180.0 } else { 0.0 };
            let anchor = if left { "end" } else { "start" };
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{y}\" dy=\"0.35em\" text-anchor=\"{anchor}\" \
                 transform=\"rotate({degrees} {x} {y})\" fill=\"currentColor\" \
                 aria-hidden=\"true\">{}</text>",
                escape_html(text),
                x = number(x),
                y = number(y),
                degrees = number(degrees),
            );
        }
    }
}

/// Writes the legend as an HTML list, with one entry for each kind of node drawn.
fn write_legend(out: &mut String, drawing: &Drawing) {
    out.push_str("<figcaption>\n<ul class=\"graph-legend\">\n");
    for kind in NodeKind::ALL {
        if !drawing.nodes.iter().any(|node| node.kind == kind) {
            continue;
        }
        let _ = writeln!(
            out,
            "<li><svg class=\"swatch\" width=\"12\" height=\"12\" viewBox=\"0 0 12 12\" \
             aria-hidden=\"true\"><circle cx=\"6\" cy=\"6\" r=\"5\" fill=\"{}\"/></svg> {}</li>",
            kind.fill(),
            kind.legend()
        );
    }
    out.push_str("</ul>\n</figcaption>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_to_one_decimal() {
        assert_eq!(number(1.26), "1.3");
        assert_eq!(number(-0.04), "0.0");
        assert_eq!(number(-0.0), "0.0");
        assert_eq!(number(-12.35), "-12.4");
        assert_eq!(number(200.0), "200.0");
    }

    #[test]
    fn labels_are_cut_at_max_chars() {
        assert_eq!(short_label("  Ada   Lovelace "), "Ada Lovelace");
        let long = "An exceptionally long institution name here";
        let label = short_label(long);
        assert_eq!(label.chars().count(), MAX_LABEL_CHARS);
        assert!(label.ends_with('…'));
    }

    #[test]
    fn radius_grows_with_weight() {
        assert_eq!(scaled_radius(0, 0, 4.0, 10.0), 4.0);
        assert_eq!(scaled_radius(9, 9, 4.0, 10.0), 10.0);
        assert!(scaled_radius(4, 9, 4.0, 10.0) > scaled_radius(1, 9, 4.0, 10.0));
    }

    #[test]
    fn text_is_escaped_in_output() {
        let drawing = Drawing {
            id: "g",
            title: "A <b> & \"c\"".to_owned(),
            description: "d".to_owned(),
            nodes: vec![Node {
                kind: NodeKind::Person,
                title: "<script>".to_owned(),
                label: Label::Radial("x\"y".to_owned()),
                url: Some("/a?b=\"c\"&d".to_owned()),
                x: 0.0,
                y: -10.0,
                radius: 4.0,
                collapsed: false,
            }],
            edges: Vec::new(),
        };
        let svg = render(&drawing);
        assert!(svg.contains("A &lt;b&gt; &amp; &quot;c&quot;"));
        assert!(svg.contains("<title>&lt;script&gt;</title>"));
        assert!(svg.contains("href=\"/a?b=&quot;c&quot;&amp;d\""));
        assert!(svg.contains(">x&quot;y</text>"));
    }
}
