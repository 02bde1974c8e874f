//! The query language a clerk can guess, parsed into a tree of clauses.
//!
//! - words separated by spaces must all occur (AND): `防汛 值班`
//! - each word matches as a substring of the text: `处理` finds `待处理`
//! - `"…"` is an exact phrase, spaces included: `"gb/t 9704"`; so is a
//!   whole word `“…”` (what a Chinese input method types for `"`). Other
//!   `“` `”` — a lone one, one inside a word (`以下简称“龙门景区”`), or
//!   inside `"…"` — are searched as themselves, as grep would.
//! - a 发文字号 typed or copied with spaces (`青政办发〔2026〕20 号`, as PDF
//!   text has it) is one word, not words to AND
//! - `-word` excludes documents containing it from the whole result:
//!   `通知 -废止`
//! - `OR` between words: `防汛 OR 抗旱` (AND binds tighter than OR)
//! - `title:…` / `标题:…` searches titles only; `文号:`, `机关:`, `文种:`,
//!   `密级:` (and `number:`, `issuer:`, `type:`, `classification:`) search
//!   the metadata fields.
//!
//! Errors are one line, Chinese then English, and never panic.

/// Where a clause looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Title and body text.
    All,
    /// Title only.
    Title,
    /// 发文字号.
    DocNumber,
    /// 发文机关.
    Issuer,
    /// 文种.
    DocType,
    /// 密级.
    Classification,
}

/// One word or phrase of the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// The text as typed (not normalized).
    pub text: String,
    /// Excluded (`-word`).
    pub negated: bool,
    /// Field it applies to.
    pub target: Target,
}

/// A parsed query: alternatives (OR) of conjunctions (AND) of clauses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Each inner Vec is one AND group; the groups are OR-ed.
    pub groups: Vec<Vec<Clause>>,
}

/// A query that cannot be understood.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    /// Empty query.
    #[error("查询为空 / the query is empty")]
    Empty,
    /// A field prefix with nothing after it (`title:`).
    #[error(
        "“{0}” 后面缺少要检索的词；要检索这几个字本身，请加引号：'\"{0}\"' / nothing to search for after “{0}”; to search for the text itself, quote it: '\"{0}\"'"
    )]
    EmptyField(String),
    /// Unbalanced `"`.
    #[error("引号不成对 / unbalanced quote \" in the query")]
    UnbalancedQuote,
    /// `OR` with nothing on one side.
    #[error("OR 两边都需要有词 / OR needs a word on each side")]
    DanglingOr,
    /// `文种:` naming no 文种 (it would match nothing, silently).
    #[error("{0}")]
    DocType(#[from] crate::meta::doc_type::UnknownDocType),
    /// A group with only excluded words.
    #[error(
        "不能只有排除词（-词），请加上要查找的词；要查找以 - 开头的词本身，请加引号，如 '\"-1\"' / a query needs at least one word that is not excluded (-word); to find a word that starts with -, quote it: '\"-1\"'"
    )]
    OnlyNegated,
    /// A side of `OR` with only excluded words (`防汛 OR -值班`).
    #[error(
        "OR 的每一边都要有要查找的词，不能只有排除词（-词）/ each side of OR needs a word to find, not only excluded words (-word)"
    )]
    OrOnlyNegated,
}

/// Most words a 发文字号 is spread over when typed or copied with spaces
/// (`云政发〔 2026 〕 第 7 号`).
const MAX_DOC_NUMBER_WORDS: usize = 8;

/// Join unquoted words that together, without their spaces, make one
/// 发文字号 (`青政办发〔2026〕20 号`, as PDFs print it, or `云政发〔2026〕 7号`):
/// as separate words they would find every document holding
/// `青政办发〔2026〕20` (also `…〔2026〕201号`) and some `号`. The first word
/// holds the 机关代字 and the year's opening bracket, and may carry `-` and a
/// field prefix (`文号:`); `OR`, quoted words, words starting with `-` and
/// words with a field prefix are never joined to the one before; a join ends
/// at a word ending in `号`, and once the serial's digits have begun only
/// `号` itself may follow. A word is not joined to a 发文字号 that the
/// words after it make on their own.
/// Words typed apart from the 机关代字 (`云政发 〔2026〕7号`, `通知 〔2026〕12号`)
/// stay separate words: `通知` cannot be told from a 机关代字.
fn merge_spaced_doc_numbers(words: &mut Vec<(String, bool, Option<usize>)>) {
    use crate::meta::doc_number::DocNumber;
    let is_number =
        |s: &str| DocNumber::parse_lenient(&crate::archive::normalize::normalize(s)).is_some();
    let plain = |w: &(String, bool, Option<usize>)| {
        !w.1 && w.0 != "OR" && !w.0.starts_with('-') && after_field(&w.0).is_none()
    };

    let mut i = 0;
    while i < words.len() {
        if words[i].1 || words[i].0 == "OR" {
            i += 1;
            continue;
        }
        // The number's first part, after `-` and a field prefix.
        let first = words[i].0.strip_prefix('-').unwrap_or(&words[i].0);
        let first = after_field(first).unwrap_or(first);
        // A join starts inside a number: at a word holding the 机关代字 and
        // the year's opening bracket (`青政办发〔2026〕20`). A word before a
        // bare `〔2026〕20号` (`通知`, `防汛`) is never taken for a 机关代字.
        // (NFKC first: `﹝2026﹞` is `〔2026〕`, `（` is `(`.)
        let opens_number = crate::archive::normalize::normalize(first)
            .char_indices()
            .any(|(k, c)| k > 0 && crate::meta::chars::is_open_bracket(c));
        if !opens_number {
            i += 1;
            continue;
        }
        let mut joined = first.to_string();
        let mut tail = String::new();
        let mut end = None;
        let next = words.iter().enumerate().skip(i + 1);
        for (j, w) in next.take(MAX_DOC_NUMBER_WORDS - 1) {
            if !plain(w) {
                break;
            }
            // Once the serial has begun (digits after the year's closing
            // bracket), only `号` may follow: `…〔2026〕20 12号` is the
            // number 20 and a word `12号`, not the number 2012.
            // `号` may carry the punctuation it was copied with: `号）`, `号，`.
            let ends_number = w.0.trim_end_matches(|c: char| !c.is_alphanumeric());
            if serial_begun(&joined) && ends_number != "号" {
                break;
            }
            joined.push_str(&w.0);
            tail.push_str(&w.0);
            if is_number(&tail) {
                // The words after this one are a 发文字号 by themselves.
                break;
            }
            // Only a join that ends at `号`: without it a later word of
            // digits would be taken for more of the serial (`…〔2026〕12 2026`).
            if ends_number.ends_with('号') && is_number(&joined) {
                end = Some(j);
            }
        }
        if let Some(end) = end {
            let tail: String = words[i + 1..=end].iter().map(|w| w.0.as_str()).collect();
            words[i].0.push_str(&tail);
            words.drain(i + 1..=end);
        }
        i += 1;
    }
}

/// The rest of `word` after a field prefix (`文号:`, `title：`), or `None`
/// when it has none.
fn after_field(word: &str) -> Option<&str> {
    word.split_once([':', '：'])
        .and_then(|(prefix, rest)| target_of(prefix).map(|_| rest))
}

/// Whether `number` (the start of a 发文字号) holds a digit after the year's
/// closing bracket.
fn serial_begun(number: &str) -> bool {
    let number = crate::archive::normalize::normalize(number);
    number
        .rfind(|c: char| crate::meta::chars::is_close_bracket(c))
        .is_some_and(|k| {
            number[k..]
                .chars()
                .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        })
}

fn target_of(prefix: &str) -> Option<Target> {
    Some(match prefix.to_lowercase().as_str() {
        "title" | "标题" => Target::Title,
        "number" | "doc_number" | "文号" | "发文字号" => Target::DocNumber,
        "issuer" | "机关" | "发文机关" => Target::Issuer,
        "type" | "doc_type" | "文种" => Target::DocType,
        "classification" | "密级" => Target::Classification,
        _ => return None,
    })
}

/// Whether a `“` standing at the start of a word, followed by `rest`,
/// quotes a phrase: a `”` follows and ends the word (end of input or a
/// space after it). `“三个代表”重要思想` is text — quotes and all, as
/// pasted from a document — not the phrase `三个代表重要思想`.
fn closes_word(rest: &[char]) -> bool {
    rest.iter()
        .position(|&c| c == '”')
        .is_some_and(|j| rest.get(j + 1).is_none_or(|c| c.is_whitespace()))
}

/// Parse a query string. Errors: see [`QueryError`].
///
/// ```
/// use gongwen::archive::query::{parse, Target};
/// let q = parse("防汛 -演练 OR title:\"安全 生产\"").unwrap();
/// assert_eq!(q.groups.len(), 2);
/// assert_eq!(q.groups[0][1].text, "演练");
/// assert!(q.groups[0][1].negated);
/// assert_eq!(q.groups[1][0].target, Target::Title);
/// assert_eq!(q.groups[1][0].text, "安全 生产");
/// ```
pub fn parse(input: &str) -> Result<ParsedQuery, QueryError> {
    // Lex into (raw word, was_quoted, bytes before its first quote)
    // pieces: `-` and `title:` count as operators only there, so that
    // `"-2-溴"` is a phrase starting with a dash and `-"安全 生产"` excludes
    // a phrase.
    let mut words: Vec<(String, bool, Option<usize>)> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut head: Option<usize> = None;
    // The character that ends the open quote: `"` or `”`.
    let mut close: Option<char> = None;
    let chars: Vec<char> = input.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if let Some(end) = close {
            if c == end {
                close = None;
            } else {
                cur.push(c);
            }
        } else if c == '"' || (c == '“' && cur.is_empty() && closes_word(&chars[i + 1..])) {
            close = Some(if c == '"' { '"' } else { '”' });
            quoted = true;
            head.get_or_insert(cur.len());
        } else if c.is_whitespace() {
            if !cur.is_empty() || quoted {
                words.push((std::mem::take(&mut cur), quoted, head));
            }
            quoted = false;
            head = None;
        } else {
            cur.push(c);
        }
    }
    if close.is_some() {
        return Err(QueryError::UnbalancedQuote);
    }
    if !cur.is_empty() || quoted {
        words.push((cur, quoted, head));
    }
    if words.is_empty() {
        return Err(QueryError::Empty);
    }
    merge_spaced_doc_numbers(&mut words);
    let mut groups: Vec<Vec<Clause>> = vec![Vec::new()];
    for (w, was_quoted, head) in words {
        if !was_quoted && w == "OR" {
            if groups.last().is_none_or(|g| g.is_empty()) {
                return Err(QueryError::DanglingOr);
            }
            groups.push(Vec::new());
            continue;
        }
        // Operators are read from the part before the first quote only.
        let (mut ops, quoted_part) = w.split_at(head.unwrap_or(w.len()));
        let mut negated = false;
        if let Some(rest) = ops.strip_prefix('-')
            && !(rest.is_empty() && quoted_part.is_empty())
        {
            negated = true;
            ops = rest;
        }
        let mut target = Target::All;
        let mut field = None;
        if let Some((prefix, rest)) = ops.split_once([':', '：'])
            && let Some(t) = target_of(prefix)
        {
            target = t;
            field = Some(&ops[..ops.len() - rest.len()]);
            ops = rest;
        }
        let text = format!("{ops}{quoted_part}");
        if text.trim().is_empty() {
            if let Some(f) = field {
                return Err(QueryError::EmptyField(f.to_string()));
            }
            continue;
        }
        if target == Target::DocType {
            text.parse::<crate::meta::doc_type::DocType>()?;
        }
        groups.last_mut().expect("non-empty").push(Clause {
            text,
            negated,
            target,
        });
    }
    if groups.last().is_some_and(|g| g.is_empty()) {
        if groups.len() > 1 {
            return Err(QueryError::DanglingOr);
        }
        return Err(QueryError::Empty);
    }
    if groups.iter().any(|g| g.iter().all(|c| c.negated)) {
        return Err(if groups.len() > 1 {
            QueryError::OrOnlyNegated
        } else {
            QueryError::OnlyNegated
        });
    }
    Ok(ParsedQuery { groups })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `文种:` takes the names `--type` takes, and refuses others (they
    /// would silently match nothing).
    #[test]
    fn doc_type_field_is_checked() {
        assert_eq!(
            parse("文种:通知").unwrap().groups[0][0].target,
            Target::DocType
        );
        assert!(parse("type:notice 防汛").is_ok());
        let e = parse("文种:通告书").unwrap_err();
        assert!(
            matches!(&e, QueryError::DocType(t) if t.0 == "通告书"),
            "{e:?}"
        );
        assert!(e.to_string().contains("unknown 文种"), "{e}");
    }

    /// A dash inside quotes is text (`"-2-溴-1-丙酮"`, a chemical name
    /// grep finds); before the quotes it excludes the phrase.
    #[test]
    fn dash_inside_quotes_is_text() {
        let q = parse("\"-2-溴-1-丙酮\"").unwrap();
        assert_eq!(q.groups[0][0].text, "-2-溴-1-丙酮");
        assert!(!q.groups[0][0].negated);
        let q = parse("x \"-1\"").unwrap();
        assert_eq!(q.groups[0][1].text, "-1");
        assert!(!q.groups[0][1].negated);
        let q = parse("x -\"安全 生产\" -title:\"a b\" \"title:c\"").unwrap();
        let g = &q.groups[0];
        assert_eq!((g[1].text.as_str(), g[1].negated), ("安全 生产", true));
        assert_eq!((g[2].text.as_str(), g[2].negated), ("a b", true));
        assert_eq!(g[2].target, Target::Title);
        assert_eq!((g[3].text.as_str(), g[3].target), ("title:c", Target::All));
        // A lone dash stays a word.
        assert_eq!(parse("a -").unwrap().groups[0][1].text, "-");
    }

    #[test]
    fn plain_words_and() {
        let q = parse("防汛  值班").unwrap();
        assert_eq!(q.groups.len(), 1);
        assert_eq!(
            q.groups[0]
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>(),
            ["防汛", "值班"]
        );
    }

    /// A 发文字号 typed or copied with spaces is one word (trial 29:
    /// `青政办发〔2026〕1 号` found 12号 and 16号); other words stay apart.
    #[test]
    fn spaced_doc_number_is_one_word() {
        let words = |q: &str| -> Vec<(String, bool, Target)> {
            parse(q).unwrap().groups[0]
                .iter()
                .map(|c| (c.text.clone(), c.negated, c.target))
                .collect()
        };
        let one = |t: &str| vec![(t.to_string(), false, Target::All)];
        assert_eq!(words("青政办发〔2026〕1 号"), one("青政办发〔2026〕1号"));
        assert_eq!(words("云政发〔2026〕 7号"), one("云政发〔2026〕7号"));
        assert_eq!(words("云政发〔2026〕 第 7 号"), one("云政发〔2026〕第7号"));
        assert_eq!(
            words("防汛 -云政发〔2026〕7 号"),
            vec![
                ("防汛".to_string(), false, Target::All),
                ("云政发〔2026〕7号".to_string(), true, Target::All)
            ]
        );
        assert_eq!(
            words("文号:云政发〔2026〕7 号"),
            vec![("云政发〔2026〕7号".to_string(), false, Target::DocNumber)]
        );
        // Not a number together: separate words.
        assert_eq!(words("国办发〔2023〕5号 号召").len(), 2);
        assert_eq!(words("防汛 值班").len(), 2);
        // A word before a number the next words make alone stays apart
        // (trial 30: `安全生产 青政办发〔2026〕12号` found nothing).
        for q in [
            "安全生产 青政办发〔2026〕12号",
            "防汛 青政办发〔2026〕20 号",
            "局 云政发〔2026〕 第 7 号",
            "通知 文号:青政办发〔2026〕20号",
        ] {
            let w = words(q);
            assert_eq!(w.len(), 2, "{q}: {w:?}");
            assert!(
                w[1].0.ends_with("号") && !w[1].0.starts_with(['安', '防', '局', '通']),
                "{q}"
            );
        }
        assert_eq!(words("办公室 -值班 青政办发〔2026〕12号").len(), 3);
        // Spaces inside the brackets too.
        assert_eq!(
            words("云政发〔 2026 〕 第 7 号"),
            one("云政发〔2026〕第7号")
        );
        assert_eq!(
            words("青政办发〔 2026 〕 20 号"),
            one("青政办发〔2026〕20号")
        );
        // A word before a bare `〔2026〕…号` is not its 机关代字 (trial 31:
        // `通知 〔2026〕12号` found nothing), nor an excluded word.
        assert_eq!(words("通知 〔2026〕12号").len(), 2);
        assert_eq!(words("会议 纪要 〔2026〕 1 号").len(), 5);
        assert_eq!(words("防汛 〔2026〕20号 -值班").len(), 3);
        assert_eq!(words("〔2026〕20号 防汛").len(), 2);
        // A number without 号 does not take a later word of digits for more
        // of its serial (trial 32: `青政办发〔2026〕12 2026` found nothing).
        assert_eq!(words("青政办发〔2026〕12 2026").len(), 2);
        assert_eq!(words("青政办发〔2026〕 2 1").len(), 3);
        assert_eq!(words("青政办发〔2026〕30 2026 年").len(), 3);
        assert_eq!(words("青政办发〔2026〕30 号 2026 年").len(), 3);
        // Nor a later `N号` word (trial 33: `…〔2026〕20 12号` became 2012号).
        assert_eq!(words("青政办发〔2026〕20 12号").len(), 2);
        assert_eq!(words("青政办发〔2026〕20 3 号").len(), 3);
        assert_eq!(words("12号 青政办发〔2026〕20").len(), 2);
        let q = parse("-青政办发〔2026〕20 3号").unwrap();
        assert_eq!(q.groups[0].len(), 2);
        // Small-form brackets (NFKC 〔〕), and 号 copied with the
        // punctuation after it (trial 34).
        assert_eq!(words("青政办发﹝2026﹞ 20 号"), one("青政办发﹝2026﹞20号"));
        assert_eq!(
            words("（青政办发〔2026〕20 号）"),
            one("（青政办发〔2026〕20号）")
        );
        assert_eq!(
            words("青政办发〔2026〕20 号，"),
            one("青政办发〔2026〕20号，")
        );
        assert_eq!(words("青政办发〔2026〕20 号召").len(), 2);
        // The serial may still follow the bracket after a space.
        assert_eq!(words("青政办发〔2026〕 12号"), one("青政办发〔2026〕12号"));
        assert_eq!(
            words("青政办发〔2026〕 第 12 号"),
            one("青政办发〔2026〕第12号")
        );
        let q = parse("-防汛 〔2026〕20号").unwrap();
        assert_eq!(q.groups[0].len(), 2);
        assert!(q.groups[0][0].negated && !q.groups[0][1].negated);
        // A quoted word, OR and an excluded word are never joined on.
        assert_eq!(words("云政发〔2026〕7 \"号\"").len(), 2);
        assert_eq!(words("云政发〔2026〕7 -号").len(), 2);
        assert_eq!(parse("云政发〔2026〕7 OR 号").unwrap().groups.len(), 2);
    }

    #[test]
    fn phrase_keeps_spaces_and_field() {
        let q = parse("标题:\"安全 生产\"").unwrap();
        assert_eq!(
            q.groups[0][0],
            Clause {
                text: "安全 生产".into(),
                negated: false,
                target: Target::Title
            }
        );
        let q = parse("-\"a b\"").unwrap_err();
        assert_eq!(q, QueryError::OnlyNegated);
    }

    #[test]
    fn unknown_prefix_is_text() {
        let q = parse("时间:2023").unwrap();
        assert_eq!(q.groups[0][0].text, "时间:2023");
        assert_eq!(q.groups[0][0].target, Target::All);
    }

    /// Chinese quotes: a pair quotes a phrase; a lone one is text
    /// (clerks paste fragments such as `以下简称“`).
    #[test]
    fn chinese_quotes() {
        let q = parse("“安全 生产” 通知").unwrap();
        assert_eq!(q.groups[0][0].text, "安全 生产");
        assert_eq!(q.groups[0][1].text, "通知");
        assert_eq!(parse("以下简称“").unwrap().groups[0][0].text, "以下简称“");
        assert_eq!(parse("”修").unwrap().groups[0][0].text, "”修");
        assert_eq!(parse("\"“教育法”\"").unwrap().groups[0][0].text, "“教育法”");
        assert_eq!(parse("”a“").unwrap().groups[0][0].text, "”a“");
        // A pair followed or preceded by more text is text, as pasted.
        assert_eq!(
            parse("“三个代表”重要思想").unwrap().groups[0][0].text,
            "“三个代表”重要思想"
        );
        assert_eq!(
            parse("以下简称“龙门景区”").unwrap().groups[0][0].text,
            "以下简称“龙门景区”"
        );
        assert_eq!(
            parse("“情节严重”的").unwrap().groups[0][0].text,
            "“情节严重”的"
        );
        assert_eq!(parse("“教育法” 通知").unwrap().groups[0][0].text, "教育法");
    }

    #[test]
    fn errors() {
        assert_eq!(parse("  "), Err(QueryError::Empty));
        assert_eq!(
            parse("通知 标题："),
            Err(QueryError::EmptyField("标题：".into()))
        );
        assert_eq!(
            parse("title:"),
            Err(QueryError::EmptyField("title:".into()))
        );
        assert_eq!(parse("\"abc"), Err(QueryError::UnbalancedQuote));
        assert_eq!(parse("OR a"), Err(QueryError::DanglingOr));
        assert_eq!(parse("a OR"), Err(QueryError::DanglingOr));
        assert_eq!(parse("-a"), Err(QueryError::OnlyNegated));
        assert_eq!(parse("防汛 OR -值班"), Err(QueryError::OrOnlyNegated));
        assert_eq!(parse("-值班 OR 防汛"), Err(QueryError::OrOnlyNegated));
        // a lone dash is text, not an empty negation
        assert!(parse("-").is_ok());
    }
}
