//! The tokenizer of the index (registered with tantivy as [`CHAR_TOKENIZER`]).
//! It expects text already passed through
//! [`normalize`](super::normalize::normalize).
//!
//! **Character tokens** (`gw_char`): every non-whitespace character is one
//!   token at its own position; a whitespace run between two tokens leaves a
//!   one-position gap. A query string becomes a phrase of its characters (with
//!   the same gaps), so a phrase query over this field matches exactly the
//!   documents whose match form contains the query as a substring — for
//!   Chinese of any length from one character, Latin words and parts of words,
//!   numbers, punctuation and mixes (`2023年`, `5g`). No dictionary, so no
//!   word a dictionary does not know can be missed.
//!
//! Ranking needs no word segmentation: BM25 over these phrases (term
//! frequency = occurrences of the whole query string) plus a title boost.
//! A jieba word field was tried and dropped: on the laws corpus it cost more
//! time than every other stage together (6.9 s of a one-thread pipeline
//! whose other stages took 3.5 s) for a ranking signal the phrase BM25
//! already gives.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name of the character tokenizer in the index's tokenizer manager.
pub const CHAR_TOKENIZER: &str = "gw_char";

/// Split normalized text into `(position, char)` pairs: one per
/// non-whitespace character, positions counting up by one, and by two across
/// a whitespace run. This is the one definition the index and the query
/// builder share.
///
/// ```
/// use gongwen::archive::tokenize::char_positions;
/// assert_eq!(char_positions("a b中"), vec![(0, 'a'), (2, 'b'), (3, '中')]);
/// ```
pub fn char_positions(text: &str) -> Vec<(usize, char)> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut pos = 0usize;
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            pos += 1;
        }
        gap = false;
        out.push((pos, c));
        pos += 1;
    }
    out
}

/// The character tokenizer (see the module doc).
#[derive(Clone, Default)]
pub struct CharTokenizer {
    token: Token,
}

/// Token stream of [`CharTokenizer`].
pub struct CharTokenStream<'a> {
    text: &'a str,
    offset: usize,
    next_pos: usize,
    started: bool,
    token: &'a mut Token,
}

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = CharTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> CharTokenStream<'a> {
        self.token.reset();
        CharTokenStream {
            text,
            offset: 0,
            next_pos: 0,
            started: false,
            token: &mut self.token,
        }
    }
}

impl TokenStream for CharTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let mut gap = false;
        let rest = &self.text[self.offset..];
        for (i, c) in rest.char_indices() {
            if c.is_whitespace() {
                gap = true;
                continue;
            }
            let start = self.offset + i;
            let end = start + c.len_utf8();
            if gap && self.started {
                self.next_pos += 1;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.next_pos;
            self.token.position_length = 1;
            self.token.text.clear();
            self.token.text.push(c);
            self.next_pos += 1;
            self.started = true;
            self.offset = end;
            return true;
        }
        self.offset = self.text.len();
        false
    }
    fn token(&self) -> &Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(mut t: impl Tokenizer, text: &str) -> Vec<(usize, String)> {
        let mut s = t.token_stream(text);
        let mut v = Vec::new();
        while s.advance() {
            v.push((s.token().position, s.token().text.clone()));
        }
        v
    }

    #[test]
    fn char_tokens_match_char_positions() {
        let text = "国办发〔2023〕5号 and 5g基站\nline";
        let a = collect(CharTokenizer::default(), text);
        let b: Vec<_> = char_positions(text)
            .into_iter()
            .map(|(p, c)| (p, c.to_string()))
            .collect();
        assert_eq!(a, b);
        assert_eq!(a[0], (0, "国".to_string()));
        // 国办发〔2023〕5号: "号" is the 11th token at position 10; a gap; "a" at 12
        assert_eq!(a[10], (10, "号".to_string()));
        assert_eq!(a[11], (12, "a".to_string()));
    }
}
