//! Tokenizers for the index (registered with tantivy under [`CHAR_TOKENIZER`]
//! and [`WORD_TOKENIZER`]). Both expect text already passed through
//! [`normalize`](super::normalize::normalize).
//!
//! - **Character tokens** (`gw_char`): every non-whitespace character is one
//!   token at its own position; a whitespace run between two tokens leaves a
//!   one-position gap. A query string becomes a phrase of its characters (with
//!   the same gaps), so a phrase query over this field matches exactly the
//!   documents whose match form contains the query as a substring — for
//!   Chinese of any length from one character, Latin words and parts of words,
//!   numbers, punctuation and mixes (`2023年`, `5g`). No dictionary, so no
//!   word a dictionary does not know can be missed.
//! - **Word tokens** (`gw_words`): jieba-rs segmentation, without positions.
//!   Used only to rank, never to decide a match: a document where the query
//!   is a whole word (`国有` in `国有企业`) scores above one where the
//!   characters merely meet across a word boundary (`中国有`).
//!   jieba's dictionary is loaded on first use at index time only; search
//!   never loads it.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name of the character tokenizer in the index's tokenizer manager.
pub const CHAR_TOKENIZER: &str = "gw_char";
/// Name of the jieba word tokenizer in the index's tokenizer manager.
pub const WORD_TOKENIZER: &str = "gw_words";

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
        CharTokenStream { text, offset: 0, next_pos: 0, started: false, token: &mut self.token }
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

/// The process-wide jieba instance, loaded on first use (~0.1 s).
pub fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// The jieba word tokenizer (see the module doc). Emits words of jieba's
/// precise mode without HMM, skipping whitespace and one-character
/// punctuation.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    tokens: Vec<Token>,
}

/// Token stream of [`WordTokenizer`].
pub struct WordTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    index: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.tokens.clear();
        for (position, w) in jieba()
            .cut(text, false)
            .into_iter()
            .filter(|w| w.word.chars().any(char::is_alphanumeric))
            .enumerate()
        {
            self.tokens.push(Token {
                offset_from: w.byte_start,
                offset_to: w.byte_end,
                position,
                text: w.word.to_string(),
                position_length: 1,
            });
        }
        WordTokenStream { tokens: &mut self.tokens, index: 0 }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
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
        let b: Vec<_> = char_positions(text).into_iter().map(|(p, c)| (p, c.to_string())).collect();
        assert_eq!(a, b);
        assert_eq!(a[0], (0, "国".to_string()));
        // 国办发〔2023〕5号: "号" is the 11th token at position 10; a gap; "a" at 12
        assert_eq!(a[10], (10, "号".to_string()));
        assert_eq!(a[11], (12, "a".to_string()));
    }

    #[test]
    fn word_tokens_are_words() {
        let words: Vec<String> =
            collect(WordTokenizer::default(), "做好办公室工作，").into_iter().map(|x| x.1).collect();
        assert!(words.contains(&"办公室".to_string()), "{words:?}");
        assert!(!words.contains(&"，".to_string()));
    }
}
