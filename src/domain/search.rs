//! Catalogue search for a kiosk without an IME: Chinese text, pinyin (full, initials, or any mix such as
//! `yingyezz`), and English words, ranked so that the service a citizen means comes first.
//!
//! The index is built once per catalogue; a query walks each service's names with a small memoised search
//! in which every Chinese character consumes a prefix of one of its readings (heteronyms included).

use std::collections::HashMap;

use pinyin::ToPinyinMulti;

use super::catalogue::Catalogue;

/// Longest query and name the matcher considers; longer ones are cut (no service name is this long).
const MAX_QUERY: usize = 32;
const MAX_NAME: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueryChar {
    /// a–z or 0–9, lowercased.
    Letter(u8),
    Han(char),
}

#[derive(Debug)]
struct Field {
    /// The name's letters, digits and characters; punctuation and spaces are left out.
    chars: Vec<char>,
    /// Plain pinyin readings of each character; empty for a character that is not Chinese.
    readings: Vec<Vec<&'static str>>,
    /// Per character, a bit per letter a–z it can start with (its readings' initials, or itself).
    initials: Vec<u32>,
    /// Bit per letter a–z that any reading or ASCII character of the field contains.
    letters: u32,
}

#[derive(Debug)]
struct Entry {
    /// The official name, then the aliases.
    names: Vec<Field>,
    /// Lowercased words of the English name, then of each English alias.
    english: Vec<Vec<String>>,
    /// Department and theme, both languages, for weak matches.
    context_zh: String,
    context_en: Vec<String>,
}

/// One result: the service's position in the catalogue and how well it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub service: usize,
    pub score: i32,
}

#[derive(Debug)]
pub struct SearchIndex {
    entries: Vec<Entry>,
    name_lengths: Vec<usize>,
    /// Characters of the catalogue's names by reading, most frequent first: the keypad's candidate bar.
    by_reading: Vec<(&'static str, Vec<char>)>,
}

impl SearchIndex {
    pub fn new(catalogue: &Catalogue) -> SearchIndex {
        let mut frequency: HashMap<char, usize> = HashMap::new();
        let entries = catalogue
            .services
            .iter()
            .map(|service| {
                let theme = catalogue.theme(&service.theme);
                let names = std::iter::once(&service.name.zh)
                    .chain(service.aliases.iter().map(|a| &a.zh))
                    .map(|text| {
                        for c in text.chars().filter(|c| is_han(*c)) {
                            *frequency.entry(c).or_default() += 1;
                        }
                        Field::new(text)
                    })
                    .collect();
                let english = std::iter::once(&service.name.en)
                    .chain(service.aliases.iter().map(|a| &a.en))
                    .map(|t| words(t))
                    .collect();
                let mut context_zh = service.department.zh.clone();
                let mut context_en = words(&service.department.en);
                if let Some(theme) = theme {
                    context_zh.push_str(&theme.name.zh);
                    context_en.extend(words(&theme.name.en));
                }
                Entry {
                    names,
                    english,
                    context_zh,
                    context_en,
                }
            })
            .collect();

        let mut by_reading: HashMap<&'static str, Vec<char>> = HashMap::new();
        for &c in frequency.keys() {
            for r in readings(c) {
                by_reading.entry(r).or_default().push(c);
            }
        }
        let mut by_reading: Vec<_> = by_reading.into_iter().collect();
        for (_, chars) in &mut by_reading {
            chars.sort_by_key(|c| (std::cmp::Reverse(frequency[c]), *c));
        }
        by_reading.sort_by_key(|(r, _)| *r);

        SearchIndex {
            entries,
            name_lengths: catalogue
                .services
                .iter()
                .map(|s| s.name.zh.chars().count())
                .collect(),
            by_reading,
        }
    }

    /// Services matching `query`, best first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query = Query::new(query);
        if query.chars.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(service, entry)| {
                let score = entry.score(&query);
                (score > 0).then_some(Hit { service, score })
            })
            .collect();
        hits.sort_by_key(|h| {
            (
                std::cmp::Reverse(h.score),
                self.name_lengths[h.service],
                h.service,
            )
        });
        hits.truncate(limit);
        hits
    }

    /// Chinese characters from the catalogue whose reading starts with the trailing letters of `typed`,
    /// for a candidate bar above the keypad. Empty when `typed` does not end in letters.
    pub fn candidates(&self, typed: &str, limit: usize) -> Vec<char> {
        let tail: String = trailing_letters(typed).to_ascii_lowercase();
        if tail.is_empty() {
            return Vec::new();
        }
        let start = self.by_reading.partition_point(|(r, _)| *r < tail.as_str());
        let mut exact = Vec::new();
        let mut longer = Vec::new();
        for (reading, chars) in &self.by_reading[start..] {
            if !reading.starts_with(tail.as_str()) {
                break;
            }
            let bucket = if *reading == tail {
                &mut exact
            } else {
                &mut longer
            };
            bucket.extend(chars.iter().copied());
        }
        let mut out = Vec::new();
        for c in exact.into_iter().chain(longer) {
            if !out.contains(&c) {
                out.push(c);
            }
            if out.len() == limit {
                break;
            }
        }
        out
    }
}

/// The trailing run of ASCII letters of `typed` (the syllable being typed).
pub fn trailing_letters(typed: &str) -> &str {
    let start = typed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphabetic())
        .last()
        .map(|(i, _)| i)
        .unwrap_or(typed.len());
    &typed[start..]
}

struct Query {
    chars: Vec<QueryChar>,
    han: String,
    /// Words, for English matching; empty when the query has Chinese in it.
    words: Vec<String>,
    letters: u32,
}

impl Query {
    fn new(text: &str) -> Query {
        let lower = text.to_lowercase();
        let chars: Vec<QueryChar> = lower
            .chars()
            .filter_map(|c| {
                if c.is_ascii_alphanumeric() {
                    Some(QueryChar::Letter(c as u8))
                } else if is_han(c) {
                    Some(QueryChar::Han(c))
                } else {
                    None
                }
            })
            .take(MAX_QUERY)
            .collect();
        let han: String = chars
            .iter()
            .filter_map(|c| match c {
                QueryChar::Han(h) => Some(*h),
                QueryChar::Letter(_) => None,
            })
            .collect();
        let words = if han.is_empty() {
            words(&lower)
        } else {
            vec![]
        };
        let letters = chars.iter().fold(0, |m, c| match c {
            QueryChar::Letter(l) => m | letter_bit(*l),
            QueryChar::Han(_) => m,
        });
        Query {
            chars,
            han,
            words,
            letters,
        }
    }
}

impl Entry {
    fn score(&self, query: &Query) -> i32 {
        let mut best = 0;
        for (i, field) in self.names.iter().enumerate() {
            if let Some(start) = field.find(query) {
                let (at_start, later) = if i == 0 { (100, 70) } else { (60, 50) };
                let score = if start == 0 {
                    at_start
                } else {
                    later - start as i32
                };
                best = best.max(score);
            }
        }
        if !query.words.is_empty() {
            for (i, words) in self.english.iter().enumerate() {
                if let Some(first) = words_match(&query.words, words) {
                    let score = match (i == 0, first == 0) {
                        (true, true) => 65,
                        (true, false) => 55,
                        (false, _) => 45,
                    };
                    best = best.max(score);
                }
            }
            if words_match(&query.words, &self.context_en).is_some() {
                best = best.max(20);
            }
        }
        if !query.han.is_empty() && self.context_zh.contains(&query.han) {
            best = best.max(20);
        }
        best
    }
}

/// Index of the name word the first query word matches, when every query word is a prefix of a name word.
fn words_match(query: &[String], words: &[String]) -> Option<usize> {
    let mut first = None;
    for q in query {
        let found = words.iter().position(|w| w.starts_with(q.as_str()))?;
        first.get_or_insert(found);
    }
    first
}

impl Field {
    fn new(text: &str) -> Field {
        let chars: Vec<char> = text
            .to_lowercase()
            .chars()
            .filter(|c| !is_separator(*c))
            .take(MAX_NAME)
            .collect();
        let readings: Vec<Vec<&'static str>> = chars.iter().map(|c| readings(*c)).collect();
        let initials: Vec<u32> = chars
            .iter()
            .zip(&readings)
            .map(|(c, rs)| {
                if c.is_ascii_alphanumeric() {
                    letter_bit(*c as u8)
                } else {
                    rs.iter().fold(0, |m, r| m | letter_bit(r.as_bytes()[0]))
                }
            })
            .collect();
        let mut letters = 0;
        for (c, rs) in chars.iter().zip(&readings) {
            if c.is_ascii_alphanumeric() {
                letters |= letter_bit(*c as u8);
            }
            for r in rs {
                for b in r.bytes() {
                    letters |= letter_bit(b);
                }
            }
        }
        Field {
            chars,
            readings,
            initials,
            letters,
        }
    }

    /// Whether the query's first character can begin a match at `start`.
    fn can_start(&self, first: QueryChar, start: usize) -> bool {
        match first {
            QueryChar::Han(h) => self.chars[start] == h,
            QueryChar::Letter(l) if l.is_ascii_digit() => self.chars[start] == l as char,
            QueryChar::Letter(l) => self.initials[start] & letter_bit(l) != 0,
        }
    }

    /// Where in this field the whole query matches as a contiguous run, if it does.
    fn find(&self, query: &Query) -> Option<usize> {
        if query.letters & !self.letters != 0 {
            return None;
        }
        let first = *query.chars.first()?;
        let mut starts = (0..self.chars.len()).filter(|&start| self.can_start(first, start));
        let start = starts.next()?;
        // Failed (query position, field position) pairs, one bit per field position.
        let mut failed = [0u64; MAX_QUERY + 1];
        std::iter::once(start)
            .chain(starts)
            .find(|&start| self.matches_from(&query.chars, 0, start, &mut failed))
    }

    fn matches_from(
        &self,
        query: &[QueryChar],
        qi: usize,
        ni: usize,
        failed: &mut [u64; MAX_QUERY + 1],
    ) -> bool {
        if qi == query.len() {
            return true;
        }
        if ni == self.chars.len() || failed[qi] & (1 << ni) != 0 {
            return false;
        }
        let c = self.chars[ni];
        let found = match query[qi] {
            QueryChar::Han(h) => h == c && self.matches_from(query, qi + 1, ni + 1, failed),
            QueryChar::Letter(l) if c.is_ascii_alphanumeric() => {
                l == c as u8 && self.matches_from(query, qi + 1, ni + 1, failed)
            }
            QueryChar::Letter(_) => self.readings[ni].iter().any(|reading| {
                // Consume 1..=len letters of the query that spell a prefix of this reading.
                let reading = reading.as_bytes();
                let mut k = 0;
                while k < reading.len()
                    && qi + k < query.len()
                    && query[qi + k] == QueryChar::Letter(reading[k])
                {
                    k += 1;
                    if self.matches_from(query, qi + k, ni + 1, failed) {
                        return true;
                    }
                }
                false
            }),
        };
        if !found {
            failed[qi] |= 1 << ni;
        }
        found
    }
}

fn readings(c: char) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = match c.to_pinyin_multi() {
        Some(multi) => multi.into_iter().map(|p| p.plain()).collect(),
        None => Vec::new(),
    };
    out.dedup();
    out
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

fn is_separator(c: char) -> bool {
    !(c.is_alphanumeric())
}

fn letter_bit(b: u8) -> u32 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        _ => 0,
    }
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue;

    fn top(query: &str) -> Vec<String> {
        let catalogue = catalogue::bundled();
        let index = SearchIndex::new(&catalogue);
        index
            .search(query, 5)
            .iter()
            .map(|h| catalogue.services[h.service].name.zh.clone())
            .collect()
    }

    #[test]
    fn pinyin_initials_find_the_business_licence() {
        assert_eq!(top("yyzz")[0], "营业执照自助打印");
    }

    #[test]
    fn full_and_mixed_pinyin_find_it_too() {
        assert_eq!(top("yingyezhizhao")[0], "营业执照自助打印");
        assert_eq!(top("yingyezz")[0], "营业执照自助打印");
        assert_eq!(top("YYZZ")[0], "营业执照自助打印");
    }

    #[test]
    fn chinese_text_and_mixed_text() {
        assert_eq!(top("护照")[0], "普通护照签发");
        assert_eq!(top("公积金zm")[0], "住房公积金缴存证明打印");
    }

    #[test]
    fn english_words_match_by_prefix() {
        assert_eq!(top("passport")[0], "普通护照签发");
        assert_eq!(top("business lic")[0], "营业执照自助打印");
    }

    #[test]
    fn aliases_find_what_citizens_call_it() {
        assert_eq!(top("开公司")[0], "企业设立登记");
        assert_eq!(top("kgs")[0], "企业设立登记");
        assert_eq!(top("guohu")[0], "二手房转移登记");
    }

    #[test]
    fn heteronyms_are_matched_by_any_reading() {
        let field = Field::new("银行");
        assert_eq!(field.find(&Query::new("yh")), Some(0));
        assert_eq!(field.find(&Query::new("yinxing")), Some(0));
        assert_eq!(field.find(&Query::new("yq")), None);
    }

    fn catalogue_named(names: &[&str]) -> Catalogue {
        let mut c = catalogue::bundled();
        c.services.truncate(names.len());
        for (s, name) in c.services.iter_mut().zip(names) {
            s.name.zh = name.to_string();
            s.name.en = "x".into();
            s.aliases.clear();
        }
        c
    }

    #[test]
    fn start_of_name_ranks_above_middle_and_shorter_above_longer() {
        let c = catalogue_named(&["普通护照签发", "护照打印", "护照"]);
        let index = SearchIndex::new(&c);
        let order: Vec<usize> = index
            .search("huzhao", 5)
            .iter()
            .map(|h| h.service)
            .collect();
        assert_eq!(order, vec![2, 1, 0]);
    }

    #[test]
    fn nothing_matches_nonsense_and_empty_is_empty() {
        assert!(top("qqqqqq").is_empty());
        assert!(top("").is_empty());
        assert!(top("  ，").is_empty());
    }

    #[test]
    fn candidate_bar_offers_characters_for_the_syllable_being_typed() {
        let c = catalogue::bundled();
        let index = SearchIndex::new(&c);
        let cands = index.candidates("ying", 12);
        assert!(cands.contains(&'营'), "{cands:?}");
        assert!(index.candidates("营业", 12).is_empty());
        assert_eq!(trailing_letters("营业zhi"), "zhi");
    }
}
