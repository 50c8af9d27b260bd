//! The text of the files that `vita init` and `vita new` write: every key of each file
//! kind, with comments that explain it and a valid example value.

/// One key of a YAML file as the generated files document it.
pub(super) struct KeyDoc {
    pub key: &'static str,
    /// The explanation written as comments above the key. A key with no help follows
    /// the previous key without a blank line, as `issue` follows `volume`.
    pub help: &'static str,
    /// A valid `key: value` text, written commented out when the key is not set.
    pub example: &'static str,
}

pub(super) const SITE_INTRO: &str = "\
Settings of the whole site. Every key is optional. To use a commented-out key,
remove the `# ` in front of it.";

pub(super) const SITE_KEYS: &[KeyDoc] = &[
    KeyDoc {
        key: "title",
        help: "The site's name, shown in the header of every page and in the browser tab.",
        example: "title: Example Lab",
    },
    KeyDoc {
        key: "description",
        help: "One sentence shown on the home page and used as its description tag.",
        example: "description: Profiles and publications of the Example Lab.",
    },
    KeyDoc {
        key: "base_url",
        help: "\
Where the site is published: an absolute http(s) URL, possibly with a path, or a
path alone such as /lab/. Every link on the site starts with its path. Feeds, the
sitemap and canonical links need the absolute URL, so replace example.org with the
site's address. `vita build --base-url URL` replaces it for one build.",
        example: "base_url: https://example.org/~lab/",
    },
    KeyDoc {
        key: "language",
        help: "The `lang` attribute of every page, a language tag such as en, de or zh-Hans.",
        example: "language: en",
    },
    KeyDoc {
        key: "theme",
        help: "\
The name of a folder under themes/ whose templates/ and static/ files replace
those of the built-in theme. Templates it lacks come from the built-in theme.",
        example: "theme: my-theme",
    },
    KeyDoc {
        key: "edit_url",
        help: "\
The address where a content file can be edited online, with {path} where the
file's path from the site folder goes, such as content/researchers/zoe.yaml.
Unclaimed profiles then show a \"Claim this profile\" link to their file.",
        example: "edit_url: https://github.com/example/site/edit/main/{path}",
    },
];

pub(super) const RESEARCHER_INTRO: &str = "\
A researcher profile, shown at /researchers/<id>/. Only `name` is required.
To use a commented-out key, remove the `# ` in front of it and of its indented
lines. Quote a value that contains `: ` or starts with a quote, a bracket or `#`,
such as 'Dark matter: a review'.";

pub(super) const RESEARCHER_KEYS: &[KeyDoc] = &[
    KeyDoc {
        key: "name",
        help: "The name shown on the profile and in author lists.",
        example: "name: Zoë Ängström",
    },
    KeyDoc {
        key: "id",
        help: "\
The id in the page address and in the author lists of publications. The default
is the file name without .yaml. Use lowercase letters, digits and single hyphens.",
        example: "id: {id}",
    },
    KeyDoc {
        key: "aliases",
        help: "Other spellings of the name. An author written with one of them links here.",
        example: r#"aliases: ["Z. Ängström", "Zoe Angstrom"]"#,
    },
    KeyDoc {
        key: "headline",
        help: "One line shown under the name.",
        example: "headline: Works on interpretable machine learning.",
    },
    KeyDoc {
        key: "affiliations",
        help: "\
Positions, each with a `name` and optionally a `role`, a `url`, and the years
`from` and `to`. Without any, the profile says \"Affiliation not listed\".",
        example: r#"affiliations:
  - { name: Example University, role: Professor, url: "https://example.edu", from: 2019 }
  - { name: Example Institute, role: Postdoc, from: 2015, to: 2019 }"#,
    },
    KeyDoc {
        key: "topics",
        help: "Research interests. Each topic gets a page listing its researchers and works.",
        example: "topics: [Interpretability, Game Theory]",
    },
    KeyDoc {
        key: "open_to_collaborate",
        help: "\
Shows an \"Open to collaborate\" badge on the profile, and a contact link when
`contact_url` or `email` is set.",
        example: "open_to_collaborate: true",
    },
    KeyDoc {
        key: "claimed",
        help: "\
Whether the person has confirmed this profile. The profile shows \"Claimed
profile\" when true and \"Unclaimed profile\" when false, the default. A claimed
profile scores higher in the trust snapshot, and an unclaimed one links to its
file when site.yaml sets `edit_url`.",
        example: "claimed: true",
    },
    KeyDoc {
        key: "email",
        help: "\
A contact address. With `open_to_collaborate: true` and no `contact_url`, the
profile shows an Email link to it, written so that the address does not appear
as plain text in the page.",
        example: "email: zoe@example.edu",
    },
    KeyDoc {
        key: "contact_url",
        help: "\
An http(s) or mailto: URL for getting in touch, such as a contact form. With
`open_to_collaborate: true`, the profile shows a Contact link to it.",
        example: "contact_url: https://example.edu/~zoe/contact",
    },
    KeyDoc {
        key: "identifiers",
        help: "\
Profiles on other services, each an id on the service or the full profile URL,
and each shown as a link. `homepage` must be a full http(s) URL, and an ORCID iD
must have a valid check digit.",
        example: r#"identifiers:
  orcid: 0000-0002-1825-0097
  google_scholar: AbCdEfGhIjKL
  dblp: 123/4567
  arxiv: angstrom_z_1
  semantic_scholar: 1741101
  openreview: ~Zoe_Angstrom1
  github: zoe-a
  homepage: https://example.edu/~zoe"#,
    },
    KeyDoc {
        key: "avatar",
        help: "\
A picture, as a path relative to content/, such as a file saved under
content/static/. It is copied next to the profile page.",
        example: "avatar: static/avatars/{id}.jpg",
    },
    KeyDoc {
        key: "followers",
        help: "A follower count shown on the profile. Without it, no count is shown.",
        example: "followers: 12",
    },
    KeyDoc {
        key: "bio",
        help: "\
A longer text in Markdown with TeX math in $...$. The `|` block keeps
backslashes and line breaks as written.",
        example: r"bio: |
  Studies *why* networks work, with a taste for $\ell_1$ penalties.",
    },
];

pub(super) const PUBLICATION_INTRO: &str = "\
A publication, shown at /publications/<id>/. `title`, `authors` and `year` (or
`date`) are required. To use a commented-out key, remove the `# ` in front of it
and of its indented lines.";

pub(super) const PUBLICATION_KEYS: &[KeyDoc] = &[
    KeyDoc {
        key: "title",
        help: "\
The title, in inline Markdown with TeX math in $...$. Inside single quotes, write
a `'` as `''`. Backslashes need no escaping.",
        example: "title: 'Attributing Emergence in Million-Agent Systems'",
    },
    KeyDoc {
        key: "authors",
        help: "\
The authors, in order. Each is a researcher id (a file name under
content/researchers/ without .yaml), a name, which links to the researcher with
that name or alias, or a map with `name` or `researcher` and optionally
`affiliation`, `equal_contribution` and `corresponding`, such as
  - { name: Alan Turing, affiliation: Example University, corresponding: true }",
        example: "\
authors:
  - { researcher: zoe-angstrom, equal_contribution: true }
  - Ada Lovelace
  - { name: Alan Turing, affiliation: Example University, corresponding: true }",
    },
    KeyDoc {
        key: "year",
        help: "The year of publication.",
        example: "year: {year}",
    },
    KeyDoc {
        key: "date",
        help: "\
A more exact date, as YYYY, YYYY-MM or YYYY-MM-DD, which orders works within a
year. With both keys, its year must equal `year`.",
        example: "date: {year}-05-17",
    },
    KeyDoc {
        key: "type",
        help: "\
One of article (the default), conference, preprint, chapter, book, thesis,
report, dataset, software, talk, poster, patent or other.",
        example: "type: conference",
    },
    KeyDoc {
        key: "venue",
        help: "The journal, conference or preprint server.",
        example: "venue: Conference on Example Studies",
    },
    KeyDoc {
        key: "volume",
        help: "The volume, issue and pages in the venue. `--` in pages becomes an en dash.",
        example: "volume: 12",
    },
    KeyDoc {
        key: "issue",
        help: "",
        example: "issue: 3",
    },
    KeyDoc {
        key: "pages",
        help: "",
        example: "pages: 101--115",
    },
    KeyDoc {
        key: "publisher",
        help: "The publisher, as for a book or a report.",
        example: "publisher: Example Press",
    },
    KeyDoc {
        key: "topics",
        help: "Research topics. Each topic gets a page listing its researchers and works.",
        example: "topics: [Interpretability]",
    },
    KeyDoc {
        key: "links",
        help: "\
Links shown on the page. `arxiv` and `doi` are identifiers, and a DOI may also be
written as doi:10.… or https://doi.org/10.…. The others are http(s) URLs or
paths under the site starting with /, such as /papers/paper.pdf for a file saved
as content/static/papers/paper.pdf.",
        example: "\
links:
  arxiv: 2103.10230
  doi: 10.1000/xyz123
  pdf: /papers/{id}.pdf
  code: https://github.com/example/{id}
  slides: /slides/{id}.pdf
  video: https://example.org/videos/{id}
  project: https://example.org/projects/{id}
  url: https://example.org/publications/{id}",
    },
    KeyDoc {
        key: "featured",
        help: "\
Marks the work as featured. Templates receive it as `featured`, but the
built-in theme does not show it.",
        example: "featured: true",
    },
    KeyDoc {
        key: "id",
        help: "The id in the page address. The default is the file name without .yaml.",
        example: "id: {id}",
    },
    KeyDoc {
        key: "abstract",
        help: "\
The abstract, in Markdown with TeX math in $...$ and the LaTeX text commands of
arXiv abstracts, such as \\emph{}. The `|` block keeps backslashes and line
breaks as written.",
        example: r"abstract: |
  We scale attribution to $N \geq 10^6$ agents with \emph{Aumann--Shapley} paths.",
    },
];

/// Writes a YAML file: `intro` as comments, then every key of `keys` in order with
/// its help as comments.
///
/// A key listed in `values` is written as the `key: value` text given there, and any
/// other key as its example, commented out. Each `{name}` in help and examples is
/// replaced by the value that `placeholders` gives for `name`.
pub(super) fn render(
    intro: &str,
    keys: &[KeyDoc],
    values: &[(&str, String)],
    placeholders: &[(&str, &str)],
) -> String {
    let mut text = String::new();
    push_comment(&mut text, intro);
    for doc in keys {
        if !doc.help.is_empty() {
            text.push('\n');
        }
        push_comment(&mut text, &fill(doc.help, placeholders));
        match values.iter().find(|(key, _)| *key == doc.key) {
            Some((_, value)) => {
                text.push_str(value);
                text.push('\n');
            }
            None => push_comment(&mut text, &fill(doc.example, placeholders)),
        }
    }
    text
}

fn push_comment(text: &mut String, comment: &str) {
    for line in comment.lines() {
        text.push('#');
        if !line.is_empty() {
            text.push(' ');
            text.push_str(line);
        }
        text.push('\n');
    }
}

fn fill(text: &str, placeholders: &[(&str, &str)]) -> String {
    placeholders
        .iter()
        .fold(text.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}
