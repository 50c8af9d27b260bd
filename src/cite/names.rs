//! Author names split into the parts that bibliographies need.

/// Words that end a name as a generational suffix, such as `Jr.` in `Martin Luther King
/// Jr.`, when the name has at least three words.
const SUFFIXES: [&str; 7] = ["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// An author's name in parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The given names, such as `Ada` or `Jean-Pierre`.
    pub given: Option<String>,
    /// Lowercase words before the family name that stay with it, such as `van der`.
    pub particle: Option<String>,
    /// The family name without its particle.
    pub family: String,
    /// A generational suffix such as `Jr.` or `III`.
    pub suffix: Option<String>,
}

impl Name {
    /// Splits a name as written in a content file.
    ///
    /// `Family, Given` and `Family, Suffix, Given` are read as BibTeX reads them.
    /// Otherwise the last word is the family name, lowercase words just before it are
    /// its particle, a trailing `Jr.`, `Sr.` or roman numeral is the suffix, and the
    /// rest are given names. A single word is a family name alone. A name written
    /// family name first without a comma, such as `Zhang Quanshi`, is read the other
    /// way round, so such names need the comma: `Zhang, Quanshi`.
    pub fn parse(text: &str) -> Self {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        match parts.as_slice() {
            [family, given] if !family.is_empty() => {
                let (particle, family) = split_particle(family);
                Self::from_parts(given, particle, family, None)
            }
            [family, suffix, given] if !family.is_empty() => {
                let (particle, family) = split_particle(family);
                Self::from_parts(given, particle, family, Some(suffix))
            }
            _ => Self::from_words(&text),
        }
    }

    fn from_words(text: &str) -> Self {
        let mut words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        let suffix = match words.last() {
            Some(last) if words.len() > 2 && SUFFIXES.contains(last) => words.pop(),
            _ => None,
        };
        let Some(family) = words.pop() else {
            return Self::from_parts("", None, "", suffix);
        };
        // Given names end at the first lowercase word after the first given name.
        let particle_start = words
            .iter()
            .skip(1)
            .position(|word| starts_lowercase(word))
            .map_or(words.len(), |position| position + 1);
        let given = words[..particle_start].join(" ");
        let particle = words[particle_start..].join(" ");
        let particle = (!particle.is_empty()).then_some(particle);
        Self::from_parts(&given, particle.as_deref(), family, suffix)
    }

    fn from_parts(given: &str, particle: Option<&str>, family: &str, suffix: Option<&str>) -> Self {
        let non_empty = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        Name {
            given: non_empty(given),
            particle: particle.and_then(non_empty),
            family: family.to_owned(),
            suffix: suffix.and_then(non_empty),
        }
    }

    /// Returns the family name with its particle, such as `van Beethoven`.
    pub fn full_family(&self) -> String {
        match &self.particle {
            Some(particle) => format!("{particle} {}", self.family),
            None => self.family.clone(),
        }
    }

    /// Formats the name as `van Beethoven, Jr., Ludwig`, the order that BibTeX and RIS
    /// read without guessing.
    pub fn family_first(&self) -> String {
        let mut text = self.full_family();
        if let Some(suffix) = &self.suffix {
            text.push_str(", ");
            text.push_str(suffix);
        }
        if let Some(given) = &self.given {
            text.push_str(", ");
            text.push_str(given);
        }
        text
    }
}

/// Splits lowercase leading words off a family name written before a comma.
fn split_particle(family: &str) -> (Option<&str>, &str) {
    let words: Vec<&str> = family.split(' ').collect();
    let particle_words = words
        .iter()
        .take(words.len() - 1)
        .take_while(|word| starts_lowercase(word))
        .count();
    if particle_words == 0 {
        return (None, family);
    }
    let split = words[..particle_words].join(" ").len();
    (Some(&family[..split]), family[split..].trim_start())
}

fn starts_lowercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(
        given: Option<&str>,
        particle: Option<&str>,
        family: &str,
        suffix: Option<&str>,
    ) -> Name {
        Name {
            given: given.map(str::to_owned),
            particle: particle.map(str::to_owned),
            family: family.to_owned(),
            suffix: suffix.map(str::to_owned),
        }
    }

    #[test]
    fn given_then_family() {
        assert_eq!(
            Name::parse("Quanshi Zhang"),
            name(Some("Quanshi"), None, "Zhang", None)
        );
        assert_eq!(
            Name::parse("Jean-Pierre  Serre"),
            name(Some("Jean-Pierre"), None, "Serre", None)
        );
        assert_eq!(
            Name::parse("Ada King Lovelace"),
            name(Some("Ada King"), None, "Lovelace", None)
        );
    }

    #[test]
    fn particle_stays_with_family() {
        assert_eq!(
            Name::parse("Ludwig van Beethoven"),
            name(Some("Ludwig"), Some("van"), "Beethoven", None)
        );
        assert_eq!(
            Name::parse("Johannes Diderik van der Waals"),
            name(Some("Johannes Diderik"), Some("van der"), "Waals", None)
        );
    }

    #[test]
    fn suffix_after_family() {
        assert_eq!(
            Name::parse("Martin Luther King Jr."),
            name(Some("Martin Luther"), None, "King", Some("Jr."))
        );
        assert_eq!(
            Name::parse("King, Jr., Martin Luther"),
            name(Some("Martin Luther"), None, "King", Some("Jr."))
        );
    }

    #[test]
    fn comma_puts_family_first() {
        assert_eq!(
            Name::parse("Zhang, Quanshi"),
            name(Some("Quanshi"), None, "Zhang", None)
        );
        assert_eq!(
            Name::parse("van Beethoven, Ludwig"),
            name(Some("Ludwig"), Some("van"), "Beethoven", None)
        );
    }

    #[test]
    fn single_word_is_family() {
        assert_eq!(Name::parse("Plato"), name(None, None, "Plato", None));
    }

    #[test]
    fn family_first_order() {
        let beethoven = Name::parse("Ludwig van Beethoven");
        assert_eq!(beethoven.family_first(), "van Beethoven, Ludwig");
        let king = Name::parse("Martin Luther King Jr.");
        assert_eq!(king.family_first(), "King, Jr., Martin Luther");
        assert_eq!(Name::parse("Plato").family_first(), "Plato");
    }
}
