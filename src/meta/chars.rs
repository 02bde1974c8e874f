//! Character helpers shared by the 发文字号 and 成文日期 parsers: full-width
//! folding, Arabic and Chinese digit values, the bracket pairs that text
//! extraction produces in place of 六角括号 〔〕.
//!
//! Crate-private; the parsers in [`super::doc_number`] and [`super::date`]
//! are the public face.

/// Value of an Arabic digit, half-width `0`–`9` or full-width `０`–`９`.
pub(crate) fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// `true` for a full-width digit `０`–`９`.
pub(crate) fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// Value of a Chinese digit as used digit-by-digit in years
/// (`二〇二三`): 〇, ○ (U+25CB, a common stand-in), 零, Ｏ and 一–九.
pub(crate) fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' | 'Ｏ' | '◯' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// The value of a number in Chinese numerals, written digit by digit
/// (`〇五` → 5, `一〇八` → 108, as in serials and years) or with units
/// (`十二`, `二十`, `一百零五`); `None` for an empty string or any other
/// character.
pub(crate) fn chinese_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if !s.contains(['十', '百', '千']) {
        return s.chars().try_fold(0u32, |v, c| {
            v.checked_mul(10)?.checked_add(chinese_digit(c)?)
        });
    }
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                digit = Some(chinese_digit(c)?);
                continue;
            }
        };
        total += digit.take().unwrap_or(1) * unit;
    }
    Some(total + digit.unwrap_or(0))
}

/// Value of a small Chinese number 1–99 written with 十
/// (`五`, `十`, `十二`, `二十`, `三十一`); `None` for anything else.
pub(crate) fn chinese_small_number(s: &str) -> Option<u32> {
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [d] if *d != '十' => chinese_digit(*d).filter(|v| *v > 0),
        ['十'] => Some(10),
        ['十', u] => chinese_digit(*u).filter(|v| *v > 0).map(|v| 10 + v),
        [t, '十'] => chinese_digit(*t).filter(|v| *v > 1).map(|v| v * 10),
        [t, '十', u] => {
            let t = chinese_digit(*t).filter(|v| *v > 1)?;
            let u = chinese_digit(*u).filter(|v| *v > 0)?;
            Some(t * 10 + u)
        }
        _ => None,
    }
}

/// `true` for characters that separate words on a line: ASCII and Unicode
/// white space, including the ideographic space U+3000 and NBSP.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

/// `true` for CJK unified ideographs (basic block and extension A), the
/// characters 机关代字 and 机关 names are written in.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Opening brackets accepted around the year of a 发文字号. The standard
/// form is the 六角括号 `〔` (GB/T 9704-2012 §7.2.5); the others are what
/// typing and text extraction produce instead.
pub(crate) fn is_open_bracket(c: char) -> bool {
    matches!(
        c,
        '〔' | '[' | '(' | '（' | '【' | '［' | '〖' | '{' | '｛' | '〘' | '⦗'
    )
}

/// Closing brackets, see [`is_open_bracket`].
pub(crate) fn is_close_bracket(c: char) -> bool {
    matches!(
        c,
        '〕' | ']' | ')' | '）' | '】' | '］' | '〗' | '}' | '｝' | '〙' | '⦘'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits() {
        assert_eq!(arabic_digit('7'), Some(7));
        assert_eq!(arabic_digit('７'), Some(7));
        assert_eq!(arabic_digit('a'), None);
        assert!(is_fullwidth_digit('０'));
        assert!(!is_fullwidth_digit('0'));
        assert_eq!(chinese_digit('〇'), Some(0));
        assert_eq!(chinese_digit('○'), Some(0));
        assert_eq!(chinese_digit('零'), Some(0));
        assert_eq!(chinese_digit('九'), Some(9));
        assert_eq!(chinese_digit('十'), None);
    }

    #[test]
    fn small_numbers() {
        let cases = [
            ("一", 1),
            ("九", 9),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("二十一", 21),
            ("三十一", 31),
        ];
        for (s, v) in cases {
            assert_eq!(chinese_small_number(s), Some(v), "{s}");
        }
        for bad in ["", "零", "一十", "十十", "二十零", "三十一一", "abc"] {
            assert_eq!(chinese_small_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn brackets_and_spaces() {
        for c in "〔[(（【［〖".chars() {
            assert!(is_open_bracket(c), "{c}");
        }
        for c in "〕])）】］〗".chars() {
            assert!(is_close_bracket(c), "{c}");
        }
        assert!(is_space('\u{3000}'));
        assert!(is_space('\n'));
        assert!(is_han('国'));
        assert!(!is_han('〔'));
    }
}
