//! Tests: draft_check — `parse_draft`, `draft::check::check` and
//! `gongwen check`. Each rule is fed a clean draft with exactly one mistake
//! and must report its id at the line of the mistake.

use std::process::Command;

use gongwen::draft::check::{self, Finding, RULES, Severity};
use gongwen::draft::{Block, DraftError, Format, parse_draft};

use crate::common::gongwen_bin;

/// A clean 通知 in 文件格式. Line numbers: 4 发文字号, 5 标题, 6 主送机关,
/// 8–9 附件 items, 10 成文日期, 11 抄送机关, 13 印发日期, 15 first heading.
const NOTICE: &str = "---
份号: 000001
发文机关: 青山市财政局
发文字号: 青财发〔2026〕3号
标题: 关于做好2026年度部门决算工作的通知
主送机关: 各区县财政局，市直各部门
附件:
  - 决算报表
  - 填报说明
成文日期: 2026年11月30日
抄送机关: [市审计局, 市税务局]
印发机关: 青山市财政局办公室
印发日期: 2026年11月30日
---
# 总体要求

各单位要高度重视，按时报送。

## 工作目标

全面反映2026年度预算执行结果。

### 报送时间

2027年1月20日前。

# 工作安排

| 阶段 | 时间 |
|---|---|
| **布置** | 12月 |
";

/// A clean 请示 (上行文). Line numbers: 3 发文字号, 4 签发人, 5 标题,
/// 6 主送机关, 8 附注 (联系人和电话), 13 the paragraph with the request.
const REQUEST: &str = "---
发文机关: 青山市财政局
发文字号: 青财〔2026〕5号
签发人: 王五
标题: 关于追加2026年度防汛经费的请示
主送机关: 青山市人民政府
成文日期: 2026年11月30日
附注: 联系人：李四，电话：0000-12345678
印发机关: 青山市财政局办公室
印发日期: 2026年11月30日
---
今年汛期我市降雨偏多，防汛经费缺口较大。
为保障防汛工作，拟追加经费300万元。
妥否，请批示。
";

fn run(src: &str) -> Vec<Finding> {
    let (doc, warnings) = parse_draft(src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    check::check(&doc, src)
}

/// `base` with the first occurrence of `from` replaced by `to` (which must
/// exist, so a typo in a test cannot make it pass vacuously).
fn edit(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "test bug: {from:?} not in draft");
    base.replacen(from, to, 1)
}

/// Assert that `src` yields a finding of `rule` at `line`, and return it.
#[track_caller]
fn expect(src: &str, rule: &str, line: usize) -> Finding {
    let found = run(src);
    found
        .iter()
        .find(|f| f.rule == rule && f.line == line)
        .cloned()
        .unwrap_or_else(|| panic!("no {rule} at line {line}; got {found:#?}"))
}

#[track_caller]
fn expect_none(src: &str, rule: &str) {
    let found = run(src);
    assert!(
        found.iter().all(|f| f.rule != rule),
        "unexpected {rule}: {found:#?}"
    );
}

// ---------------------------------------------------------------- parsing

#[test]
fn parses_the_model() {
    let (doc, w) = parse_draft(NOTICE).unwrap();
    assert!(w.is_empty());
    let h = &doc.header;
    assert_eq!(h.copy_number.as_deref(), Some("000001"));
    assert_eq!(h.issuer, vec!["青山市财政局"]);
    assert_eq!(
        h.effective_issuer_mark().as_deref(),
        Some("青山市财政局文件")
    );
    assert_eq!(h.doc_number.as_deref(), Some("青财发〔2026〕3号"));
    assert_eq!(h.attachments, vec!["决算报表", "填报说明"]);
    assert_eq!(h.cc, vec!["市审计局", "市税务局"]);
    assert_eq!(h.format, Format::File);
    assert_eq!(doc.key_line("date"), 10);
    assert_eq!(doc.body_start_line, 15);
    let heads: Vec<(u8, &str)> = doc
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, number, .. } => Some((*level, number.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        heads,
        vec![(1, "一、"), (2, "（一）"), (3, "1."), (1, "二、")]
    );
    assert!(matches!(doc.body.last(), Some(Block::Table(rows)) if rows.len() == 2));
    assert_eq!(doc.block_lines[0], 15);
}

#[test]
fn typed_heading_numbers_are_stripped_not_doubled() {
    let src = edit(NOTICE, "# 总体要求", "# 一、总体要求");
    let (doc, _) = parse_draft(&src).unwrap();
    match &doc.body[0] {
        Block::Heading {
            number,
            typed_number,
            text,
            ..
        } => {
            assert_eq!(number, "一、");
            assert_eq!(typed_number.as_deref(), Some("一、"));
            assert_eq!(text[0].text, "总体要求");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_front_matter_says_how_to_fix() {
    let e = parse_draft("# 标题\n正文\n").unwrap_err();
    assert_eq!(e, DraftError::NoFrontMatter);
    assert!(e.to_string().contains("应以 --- 开头"), "{e}");
}

#[test]
fn unclosed_front_matter_names_the_line() {
    let e = parse_draft("---\n标题: 关于x的通知\n正文\n").unwrap_err();
    assert_eq!(e, DraftError::UnclosedFrontMatter { line: 1 });
}

#[test]
fn full_width_colon_in_a_key_names_the_line() {
    let src = edit(NOTICE, "成文日期: ", "成文日期：");
    let e = parse_draft(&src).unwrap_err();
    assert!(
        matches!(e, DraftError::FullWidthColon { line: 10, .. }),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("第10行"), "{e}");
}

#[test]
fn unknown_key_is_a_warning_with_its_line() {
    let src = edit(NOTICE, "印发机关:", "作者: 张三\n印发机关:");
    let (_, w) = parse_draft(&src).unwrap();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].line, 12);
    assert!(w[0].message.contains("作者"));
}

#[test]
fn english_keys_work_like_chinese_ones() {
    let src = "---\nissuer: 青山市财政局\ndoc_number: 青财发〔2026〕3号\ntitle: 关于做好2026年度部门决算工作的通知\nrecipients: [各区县财政局]\ndate: 2026年11月30日\nprinted_by: 青山市财政局办公室\nprinted_date: 2026年11月30日\nformat: letter\n---\n正文。\n";
    let (doc, w) = parse_draft(src).unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(doc.header.format, Format::Letter);
    assert_eq!(doc.header.recipients, vec!["各区县财政局"]);
    assert_eq!(doc.key_line("doc_number"), 3);
}

// ---------------------------------------------------------- clean drafts

#[test]
fn clean_notice_has_no_findings() {
    let found = run(NOTICE);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn clean_request_has_no_findings() {
    let found = run(REQUEST);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn clean_letter_order_and_minutes_have_no_errors() {
    let letter = "---\n格式: 信函\n发文机关: 青山市财政局\n发文字号: 青财函〔2026〕12号\n标题: 关于商请提供2026年度统计数据的函\n主送机关: 青山市统计局\n成文日期: 2026年11月30日\n---\n请于12月10日前提供。\n\n特此函达。\n";
    let order = "---\n格式: 命令\n发文机关: 青山市人民政府\n发文字号: 第1号\n签发人: 市长 张三\n成文日期: 2026年11月30日\n---\n《青山市档案管理办法》已经市政府常务会议通过，现予公布，自2027年1月1日起施行。\n";
    let minutes = "---\n格式: 纪要\n发文机关标志: 青山市人民政府常务会议纪要\n发文字号: 第12期\n出席: [张三, 李四]\n请假: 王五\n成文日期: 2026年11月30日\n---\n会议研究了防汛工作。\n";
    for src in [letter, order, minutes] {
        let found = run(src);
        assert!(!check::has_errors(&found), "{src}\n{found:#?}");
    }
    let (m, _) = parse_draft(minutes).unwrap();
    assert_eq!(m.header.attendees, vec!["张三", "李四"]);
    assert_eq!(m.header.absent, vec!["王五"]);
}

// ---------------------------------------------------------- 发文字号 §7.2.5

#[test]
fn docnum_brackets() {
    let f = expect(
        &edit(NOTICE, "青财发〔2026〕3号", "青财发[2026]3号"),
        "GW-DOCNUM-BRACKET",
        4,
    );
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.column, 10); // the `[` in `发文字号: 青财发[2026]3号`
    assert!(f.hint.contains("青财发〔2026〕3号"), "{}", f.hint);
    for wrong in ["青财发【2026】3号", "青财发（2026）3号", "青财发(2026)3号"] {
        expect(
            &edit(NOTICE, "青财发〔2026〕3号", wrong),
            "GW-DOCNUM-BRACKET",
            4,
        );
    }
}

#[test]
fn docnum_year_four_digits() {
    expect(&edit(NOTICE, "〔2026〕", "〔26〕"), "GW-DOCNUM-YEAR", 4);
}

#[test]
fn docnum_no_di() {
    expect(&edit(NOTICE, "〕3号", "〕第3号"), "GW-DOCNUM-DI", 4);
}

#[test]
fn docnum_no_zero_padding() {
    let f = expect(&edit(NOTICE, "〕3号", "〕003号"), "GW-DOCNUM-ZERO", 4);
    assert!(f.message.contains("003"));
}

#[test]
fn docnum_ends_in_hao() {
    expect(&edit(NOTICE, "〕3号", "〕3"), "GW-DOCNUM-HAO", 4);
}

// ---------------------------------------------------------- 成文日期 §7.3.5.4

#[test]
fn date_arabic_numerals() {
    let f = expect(
        &edit(
            NOTICE,
            "成文日期: 2026年11月30日",
            "成文日期: 二〇二六年十一月三十日",
        ),
        "GW-DATE-CHINESE",
        10,
    );
    assert!(f.hint.contains("2026年11月30日"));
}

#[test]
fn date_no_zero_padding() {
    expect(
        &edit(
            NOTICE,
            "成文日期: 2026年11月30日",
            "成文日期: 2026年01月05日",
        ),
        "GW-DATE-ZERO",
        10,
    );
    // 印发日期 follows the same rule
    expect(
        &edit(
            NOTICE,
            "印发日期: 2026年11月30日",
            "印发日期: 2026年11月05日",
        ),
        "GW-DATE-ZERO",
        13,
    );
}

#[test]
fn date_written_with_nian_yue_ri() {
    expect(
        &edit(NOTICE, "成文日期: 2026年11月30日", "成文日期: 2026-11-30"),
        "GW-DATE-FORM",
        10,
    );
    let f = expect(
        &edit(
            NOTICE,
            "成文日期: 2026年11月30日",
            "成文日期: 2026年2月30日",
        ),
        "GW-DATE-FORM",
        10,
    );
    // The date is named once (the trial saw “2026年13月40日”“2026年13月40日”).
    assert_eq!(
        f.message.matches("2026年2月30日").count(),
        1,
        "{}",
        f.message
    );
    assert!(f.message.contains("不是有效日期"), "{}", f.message);
    // It says what is impossible, and does not ask for the form it has.
    assert!(f.message.contains("2026年2月只有28天"), "{}", f.message);
    assert!(!f.hint.contains("的形式"), "{}", f.hint);
    let leap = expect(
        &edit(
            NOTICE,
            "成文日期: 2026年11月30日",
            "成文日期: 2024年2月30日",
        ),
        "GW-DATE-FORM",
        10,
    );
    assert!(
        leap.message.contains("2024年2月只有29天"),
        "{}",
        leap.message
    );
    let month = expect(
        &edit(
            NOTICE,
            "成文日期: 2026年11月30日",
            "成文日期: 2026年13月5日",
        ),
        "GW-DATE-FORM",
        10,
    );
    assert!(month.message.contains("没有13月"), "{}", month.message);
}

// ---------------------------------------------------------- 标题 §7.3.1

#[test]
fn title_has_no_end_punctuation() {
    let f = expect(
        &edit(NOTICE, "工作的通知\n", "工作的通知。\n"),
        "GW-TITLE-PUNCT",
        5,
    );
    assert_eq!(f.column, 24); // the `。`
}

#[test]
fn title_names_a_doc_type() {
    expect(
        &edit(NOTICE, "工作的通知\n", "工作\n"),
        "GW-TITLE-DOCTYPE",
        5,
    );
}

// ---------------------------------------------------------- 主送机关 §7.3.2

#[test]
fn recipients_end_with_full_width_colon() {
    let f = expect(
        &edit(NOTICE, "市直各部门\n", "市直各部门:\n"),
        "GW-RECIPIENT-COLON",
        6,
    );
    assert!(f.message.contains("半角冒号"));
    expect(
        &edit(NOTICE, "市直各部门\n", "市直各部门，\n"),
        "GW-RECIPIENT-COLON",
        6,
    );
    // the right colon, or none, is fine
    expect_none(
        &edit(NOTICE, "市直各部门\n", "市直各部门：\n"),
        "GW-RECIPIENT-COLON",
    );
}

#[test]
fn recipients_as_a_block_list_point_at_the_item() {
    let src = edit(
        NOTICE,
        "主送机关: 各区县财政局，市直各部门",
        "主送机关:\n  - 各区县财政局\n  - 市直各部门:",
    );
    expect(&src, "GW-RECIPIENT-COLON", 8);
}

// ---------------------------------------------------------- 层次 §7.3.3

#[test]
fn heading_number_form() {
    let f = expect(
        &edit(NOTICE, "### 报送时间", "### 1、报送时间"),
        "GW-HEADING-FORM",
        23,
    );
    assert!(f.message.contains("1."), "{}", f.message);
    let f = expect(
        &edit(NOTICE, "## 工作目标", "## （一）、工作目标"),
        "GW-HEADING-FORM",
        19,
    );
    assert!(f.message.contains("括号后不加标点"), "{}", f.message);
    expect(
        &edit(NOTICE, "## 工作目标", "## (一)工作目标"),
        "GW-HEADING-FORM",
        19,
    );
    // correct typed forms pass
    let ok = edit(
        &edit(
            &edit(NOTICE, "# 总体要求", "# 一、总体要求"),
            "## 工作目标",
            "## （一）工作目标",
        ),
        "### 报送时间",
        "### 1.报送时间",
    );
    let found = run(&ok);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn heading_numbers_in_order() {
    let src = edit(
        &edit(NOTICE, "# 总体要求", "# 一、总体要求"),
        "# 工作安排",
        "# 三、工作安排",
    );
    let f = expect(&src, "GW-HEADING-ORDER", 27);
    assert!(f.message.contains("二、"), "{}", f.message);
}

/// A skipped level is a warning of its own rule, GW-HEADING-SKIP (trial:
/// it was GW-HEADING-ORDER, listed as 错误, printed as 警告).
#[test]
fn heading_skip_is_its_own_warning() {
    let src = edit(NOTICE, "## 工作目标", "### 工作目标");
    let f = expect(&src, "GW-HEADING-SKIP", 19);
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message.contains("是第3层，但前面没有第2层"),
        "{}",
        f.message
    );
    assert!(f.hint.contains("不跳层"), "{}", f.hint);
    expect_none(&src, "GW-HEADING-ORDER");
    expect_none(NOTICE, "GW-HEADING-SKIP");
}

/// A paragraph starting with a wrongly formed number is a warning of its
/// own rule, GW-PARA-NUMBER (it was GW-HEADING-FORM, an error by the list).
#[test]
fn paragraph_number_form_is_its_own_warning() {
    let src = edit(NOTICE, "各单位要高度重视", "1、各单位要高度重视");
    let f = expect(&src, "GW-PARA-NUMBER", 17);
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("段首序数“1、”"), "{}", f.message);
    assert_eq!(f.hint, "改为“1.”");
    expect_none(&src, "GW-HEADING-FORM");
    expect_none(
        &edit(NOTICE, "各单位要高度重视", "1.各单位要高度重视"),
        "GW-PARA-NUMBER",
    );
}

/// Every finding has the severity `check --rules` lists for its rule: a
/// draft for each rule (every one of [`RULES`] is exercised), parse
/// warnings included.
#[test]
fn every_finding_has_its_rules_severity() {
    let n = |from: &str, to: &str| edit(NOTICE, from, to);
    let r = |from: &str, to: &str| edit(REQUEST, from, to);
    let o = |from: &str, to: &str| edit(ORDER, from, to);
    let drafts = [
        n("青财发〔2026〕3号", "青财发[26]第03号"),
        n("〕3号", "〕3"),
        n("〕3号", "〕3号文"),
        n("〔2026〕3号", "〔2025〕3号"),
        n(
            "成文日期: 2026年11月30日",
            "成文日期: 二〇二六年十一月三十日",
        ),
        n("印发日期: 2026年11月30日", "印发日期: 2026年11月05日"),
        n("成文日期: 2026年11月30日", "成文日期: 2026-11-30"),
        n("工作的通知\n", "工作的通知。\n"),
        n("工作的通知\n", "工作\n"),
        n("成文日期:", "文种: 通知书\n成文日期:"),
        n("成文日期:", "文种: 报告\n成文日期:"),
        n("市直各部门\n", "市直各部门:\n"),
        n("### 报送时间", "### 1、报送时间"),
        edit(
            &n("# 总体要求", "# 一、总体要求"),
            "# 工作安排",
            "# 三、工作安排",
        ),
        n("## 工作目标", "### 工作目标"),
        n("各单位要高度重视", "1、各单位要高度重视"),
        n("  - 决算报表", "  - 1、决算报表"),
        n("附件:\n  - 决算报表\n  - 填报说明\n", "附件: 1.决算报表\n"),
        n("  - 填报说明", "  - 《填报说明》。"),
        n(
            "2027年1月20日前。\n",
            "2027年1月20日前。\n\n附件：1.决算报表\n",
        ),
        n("市税务局]", "市税务局；]"),
        n("[市审计局, 市税务局]", "[市审计局, 市直各部门]"),
        n("成文日期:", "发文机关署名: 青山市教育局\n成文日期:"),
        n("份号: 000001", "份号: 1"),
        n("份号: 000001", "密级: 秘密"),
        n("份号: 000001", "份号: 000001\n密级: 内部\n紧急程度: 急"),
        n(
            "份号: 000001",
            "份号: 000001\n密级: 秘密\n附注: 此件公开发布",
        ),
        n("发文字号: 青财发〔2026〕3号\n", ""),
        n("印发日期: 2026年11月30日\n", ""),
        n("份号: 000001\n", "格式: 信函\n"),
        n("主送机关: 各区县财政局，市直各部门\n", ""),
        n("印发机关:", "作者: 张三\n印发机关:"),
        format!("{NOTICE}\n![示意图](a.png)\n"),
        r("签发人: 王五\n", ""),
        r(
            "主送机关: 青山市人民政府",
            "主送机关: 青山市人民政府、青山市发展改革委",
        ),
        r(
            "拟追加经费300万元。",
            "拟追加经费300万元，并请批准增设防汛办公室。",
        ),
        r("附注: 联系人：李四，电话：0000-12345678\n", ""),
        edit(
            &r("的请示", "的报告"),
            "妥否，请批示。",
            "特此报告，请批示。",
        ),
        r("青财〔2026〕5号", "青财发〔2026〕5号"),
        o("第5号", "第05号"),
        o("第5号", "第〇五号"),
    ];
    let mut seen: Vec<&str> = Vec::new();
    for src in &drafts {
        let (doc, warnings) = parse_draft(src).unwrap_or_else(|e| panic!("{e}\n{src}"));
        let found = check::check(&doc, src)
            .into_iter()
            .chain(warnings.iter().map(Finding::from_warning));
        for f in found {
            let listed = check::rule_info(f.rule)
                .unwrap_or_else(|| panic!("{} is not in RULES: {f:#?}", f.rule));
            assert_eq!(f.severity, listed.severity, "{f:#?}\n{src}");
            seen.push(f.rule);
        }
    }
    let missed: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !seen.contains(id))
        .collect();
    assert!(missed.is_empty(), "no draft exercises {missed:?}");
}

// ---------------------------------------------------------- 附件说明 §7.3.4

#[test]
fn attachment_numbers() {
    expect(
        &edit(NOTICE, "  - 决算报表", "  - 1、决算报表"),
        "GW-ATTACH-NUMBER",
        8,
    );
    let both = edit(
        &edit(NOTICE, "  - 决算报表", "  - 1.决算报表"),
        "  - 填报说明",
        "  - 3.填报说明",
    );
    expect(&both, "GW-ATTACH-NUMBER", 9);
    let right = edit(
        &edit(NOTICE, "  - 决算报表", "  - 1.决算报表"),
        "  - 填报说明",
        "  - 2.填报说明",
    );
    expect_none(&right, "GW-ATTACH-NUMBER");
    let (doc, _) = parse_draft(&right).unwrap();
    assert_eq!(doc.header.attachment_names(), vec!["决算报表", "填报说明"]);
}

#[test]
fn attachment_names_without_punctuation() {
    let f = expect(
        &edit(NOTICE, "  - 填报说明", "  - 填报说明。"),
        "GW-ATTACH-PUNCT",
        9,
    );
    assert_eq!(f.column, 9);
}

#[test]
fn attachment_names_without_book_quotes() {
    expect(
        &edit(NOTICE, "  - 决算报表", "  - 《决算报表》"),
        "GW-ATTACH-QUOTES",
        8,
    );
    // Book titles inside a name are not quotes around it.
    expect_none(
        &edit(NOTICE, "  - 决算报表", "  - 《条例》和《办法》对照表"),
        "GW-ATTACH-QUOTES",
    );
}

/// `《名称》。` has both the 书名号 and the end mark (trial: only
/// GW-ATTACH-PUNCT was found), and `draft` settles both; hints give the
/// name as printed, 〈〉 inside raised to 《》 (trial: `写作“4.关于〈安全生产
/// 法〉的解读》。”`).
#[test]
fn attachment_quotes_and_end_mark_are_both_found() {
    let src = edit(NOTICE, "  - 填报说明", "  - 《防汛救灾资金测算明细表》。");
    let q = expect(&src, "GW-ATTACH-QUOTES", 9);
    assert_eq!(q.column, 5);
    assert_eq!(q.hint, "写作“防汛救灾资金测算明细表”");
    let p = expect(&src, "GW-ATTACH-PUNCT", 9);
    assert_eq!(p.column, 18);
    let (doc, _) = parse_draft(&src).unwrap();
    let render = check::check_for_render(&doc, &src);
    for rule in ["GW-ATTACH-QUOTES", "GW-ATTACH-PUNCT"] {
        assert!(
            render.iter().any(|(f, stays)| f.rule == rule && !stays),
            "{rule} not settled: {render:#?}"
        );
    }
    assert!(render.iter().all(|(_, stays)| !stays), "{render:#?}");

    let law = edit(NOTICE, "  - 填报说明", "  - 《关于〈安全生产法〉的解读》。");
    let q = expect(&law, "GW-ATTACH-QUOTES", 9);
    assert_eq!(q.hint, "写作“关于《安全生产法》的解读”");
    expect(&law, "GW-ATTACH-PUNCT", 9);
    let numbered = edit(
        &edit(&law, "  - 决算报表", "  - 1.决算报表"),
        "  - 《关于",
        "  - 4.《关于",
    );
    let f = expect(&numbered, "GW-ATTACH-NUMBER", 9);
    assert!(
        f.hint.starts_with("写作“2.关于《安全生产法》的解读”"),
        "{}",
        f.hint
    );
    // One attachment with a number: its own warning, the printed name.
    let one = edit(
        NOTICE,
        "附件:\n  - 决算报表\n  - 填报说明\n",
        "附件: 1.《决算报表》\n",
    );
    let f = expect(&one, "GW-ATTACH-SINGLE", 7);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.hint, "写作“决算报表”");
    expect_none(NOTICE, "GW-ATTACH-SINGLE");
}

// ---------------------------------------------------------- 抄送 §7.4.2

#[test]
fn cc_ends_with_full_stop() {
    expect(
        &edit(NOTICE, "市税务局]", "市税务局；]"),
        "GW-CC-PERIOD",
        11,
    );
    expect_none(&edit(NOTICE, "市税务局]", "市税务局。]"), "GW-CC-PERIOD");
}

// ---------------------------------------------------------- 上行文, 请示

#[test]
fn upward_documents_need_a_signer() {
    let f = expect(&edit(REQUEST, "签发人: 王五\n", ""), "GW-SIGNER-UPWARD", 4);
    assert!(f.message.contains("签发人"));
}

#[test]
fn request_has_one_recipient() {
    let f = expect(
        &edit(
            REQUEST,
            "主送机关: 青山市人民政府",
            "主送机关: 青山市人民政府、青山市发展改革委",
        ),
        "GW-QINGSHI-RECIPIENT",
        6,
    );
    assert!(f.message.contains('2'));
}

#[test]
fn request_has_one_matter() {
    let f = expect(
        &edit(
            REQUEST,
            "拟追加经费300万元。",
            "拟追加经费300万元，并请批准增设防汛办公室。",
        ),
        "GW-QINGSHI-ONE-MATTER",
        13,
    );
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.column, 20); // 为保障防汛工作，拟追加经费300万元，并请
}

#[test]
fn report_carries_no_request() {
    let report = edit(
        &edit(REQUEST, "的请示", "的报告"),
        "妥否，请批示。",
        "特此报告，请批示。",
    );
    expect(&report, "GW-REPORT-NO-REQUEST", 14);
}

#[test]
fn upward_agency_code_without_fa() {
    let f = expect(
        &edit(REQUEST, "青财〔2026〕5号", "青财发〔2026〕5号"),
        "GW-UPWARD-FA",
        3,
    );
    assert!(f.hint.contains("青财〔2026〕5号"), "{}", f.hint);
    assert_eq!(f.severity, Severity::Warning);
}

// ---------------------------------------------------------- required elements §7, §10

#[test]
fn required_elements_of_the_file_format() {
    let f = expect(
        &edit(NOTICE, "发文字号: 青财发〔2026〕3号\n", ""),
        "GW-REQUIRED",
        1,
    );
    assert!(f.message.contains("发文字号"), "{}", f.message);
    let f = expect(
        &edit(NOTICE, "成文日期: 2026年11月30日\n", ""),
        "GW-REQUIRED",
        1,
    );
    assert!(f.message.contains("成文日期"), "{}", f.message);
    let f = expect(
        &edit(NOTICE, "发文机关: 青山市财政局\n", ""),
        "GW-REQUIRED",
        1,
    );
    assert!(f.message.contains("发文机关标志"), "{}", f.message);
}

#[test]
fn required_elements_of_order_and_minutes() {
    let order = "---\n格式: 命令\n发文机关: 青山市人民政府\n发文字号: 第1号\n成文日期: 2026年11月30日\n---\n现予公布。\n";
    let f = expect(order, "GW-REQUIRED", 1);
    assert!(f.message.contains("签发人"), "{}", f.message);
    let minutes = "---\n格式: 纪要\n发文机关: 青山市人民政府\n成文日期: 2026年11月30日\n---\n会议研究了防汛工作。\n";
    let f = expect(minutes, "GW-REQUIRED", 1);
    assert!(f.message.contains("纪要标志"), "{}", f.message);
}

#[test]
fn letter_has_no_imprint_lines() {
    let letter = edit(NOTICE, "份号: 000001\n", "格式: 信函\n");
    let f = expect(&letter, "GW-LETTER-IMPRINT", 12);
    assert_eq!(f.severity, Severity::Warning);
}

/// A 密级 with 附注 “此件公开发布” contradicts itself; either alone is fine.
#[test]
fn classified_document_is_not_published_openly() {
    let both = edit(
        NOTICE,
        "份号: 000001\n",
        "份号: 000001\n密级: 秘密\n附注: 此件公开发布\n",
    );
    let f = expect(&both, "GW-NOTE-PUBLIC", 4);
    assert!(
        f.message.contains("秘密") && f.message.contains("此件公开发布"),
        "{}",
        f.message
    );
    expect(
        &edit(
            NOTICE,
            "份号: 000001\n",
            "份号: 000001\n密级: 机密\n附注: 此件主动公开\n",
        ),
        "GW-NOTE-PUBLIC",
        4,
    );
    expect_none(
        &edit(
            NOTICE,
            "份号: 000001\n",
            "份号: 000001\n附注: 此件公开发布\n",
        ),
        "GW-NOTE-PUBLIC",
    );
    expect_none(
        &edit(
            NOTICE,
            "份号: 000001\n",
            "份号: 000001\n密级: 秘密\n附注: 此件发至县级\n",
        ),
        "GW-NOTE-PUBLIC",
    );
}

#[test]
fn copy_number_classification_urgency() {
    expect(&edit(NOTICE, "份号: 000001", "份号: 1"), "GW-COPYNUM", 2);
    expect(
        &edit(NOTICE, "份号: 000001", "份号: 000001\n密级: 内部"),
        "GW-CLASSIFICATION",
        3,
    );
    expect(
        &edit(NOTICE, "份号: 000001", "份号: 000001\n紧急程度: 急"),
        "GW-URGENCY",
        3,
    );
}

// ---------------------------------------------------------- all at once

#[test]
fn collects_every_finding_not_just_the_first() {
    let src = edit(
        &edit(
            &edit(NOTICE, "青财发〔2026〕3号", "青财发[26]第03号"),
            "成文日期: 2026年11月30日",
            "成文日期: 二〇二六年十一月三十日",
        ),
        "工作的通知\n",
        "工作的通知。\n",
    );
    let found = run(&src);
    let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
    for r in [
        "GW-DOCNUM-BRACKET",
        "GW-DOCNUM-YEAR",
        "GW-DOCNUM-DI",
        "GW-DOCNUM-ZERO",
        "GW-DATE-CHINESE",
        "GW-TITLE-PUNCT",
    ] {
        assert!(rules.contains(&r), "{r} missing from {rules:?}");
    }
    assert!(
        found.windows(2).all(|w| w[0].line <= w[1].line),
        "sorted by line"
    );
}

/// An unknown 文种 key is said (the trial saw `文种: 随便` pass silently),
/// and the title's 文种 still drives the checks.
#[test]
fn unknown_doc_type_key_is_a_warning() {
    let text = NOTICE.replacen("成文日期:", "文种: 通知书\n成文日期:", 1);
    assert!(text.contains("文种: 通知书"));
    let f = expect(&text, "GW-DOCTYPE-UNKNOWN", 10);
    assert!(f.message.contains("“文种: 通知书”不是"), "{}", f.message);
    assert!(f.message.contains("按标题作“通知”检查"), "{}", f.message);
    assert_eq!(f.severity, Severity::Warning);
}

#[test]
fn every_rule_is_documented_with_its_source() {
    for r in RULES {
        assert!(r.id.starts_with("GW-"), "{}", r.id);
        assert!(!r.source.is_empty() && !r.summary.is_empty(), "{}", r.id);
    }
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len(), "duplicate rule id");
}

// ---------------------------------------------------------- trial 20: rules a reviewer applies

/// 条例 第九条（一）: a 涉密 document has a 份号 (GB/T 9704-2012 §7.2.1).
#[test]
fn classified_document_has_a_copy_number() {
    let f = expect(
        &edit(NOTICE, "份号: 000001", "密级: 秘密"),
        "GW-SECRET-COPYNUM",
        2,
    );
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("涉密公文应当标注份号"), "{}", f.message);
    assert!(f.hint.contains("份号: 000001"), "{}", f.hint);
    expect(
        &edit(NOTICE, "份号: 000001", "密级: 机密★5年"),
        "GW-SECRET-COPYNUM",
        2,
    );
    // With its 份号, or without a 密级 (内部 is none), nothing.
    expect_none(
        &edit(NOTICE, "份号: 000001", "份号: 000001\n密级: 秘密"),
        "GW-SECRET-COPYNUM",
    );
    expect_none(NOTICE, "GW-SECRET-COPYNUM");
    expect_none(
        &edit(NOTICE, "份号: 000001", "密级: 内部"),
        "GW-SECRET-COPYNUM",
    );
}

/// GB/T 9704-2012 §7.4.3: a document is not printed before it is dated.
#[test]
fn printed_date_is_not_before_the_date() {
    let f = expect(
        &edit(
            NOTICE,
            "印发日期: 2026年11月30日",
            "印发日期: 2026年11月5日",
        ),
        "GW-PRINTED-BEFORE-DATE",
        13,
    );
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message
            .contains("印发日期“2026年11月5日”早于成文日期“2026年11月30日”"),
        "{}",
        f.message
    );
    // Same day (NOTICE), a later day, or the same day written otherwise.
    expect_none(NOTICE, "GW-PRINTED-BEFORE-DATE");
    expect_none(
        &edit(
            NOTICE,
            "印发日期: 2026年11月30日",
            "印发日期: 2026年12月2日",
        ),
        "GW-PRINTED-BEFORE-DATE",
    );
    expect_none(
        &edit(NOTICE, "印发日期: 2026年11月30日", "印发日期: 2026-11-30"),
        "GW-PRINTED-BEFORE-DATE",
    );
}

/// The 发文字号's year and the 成文日期's differ: usually a typo, a warning
/// whose hint allows for the turn of the year.
#[test]
fn doc_number_year_matches_the_date() {
    let f = expect(
        &edit(NOTICE, "〔2026〕3号", "〔2025〕3号"),
        "GW-DOCNUM-YEAR-DATE",
        4,
    );
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.column, 11); // the year in `发文字号: 青财发〔2025〕3号`
    assert!(
        f.message.contains("“2025”") && f.message.contains("2026年11月30日"),
        "{}",
        f.message
    );
    assert!(f.hint.contains("1月初"), "{}", f.hint);
    expect_none(NOTICE, "GW-DOCNUM-YEAR-DATE");
    // A 命令's 令号 has no year.
    expect_none(
        "---\n格式: 命令\n发文机关: 青山市人民政府\n发文字号: 第1号\n签发人: 张三\n成文日期: 2026年11月30日\n---\n现予公布。\n",
        "GW-DOCNUM-YEAR-DATE",
    );
}

const ORDER: &str = "---\n格式: 命令\n发文机关: 青山市人民政府\n发文字号: 第5号\n签发人: 王建国\n发文机关署名: 市长\n成文日期: 2026年11月30日\n---\n《青山市城市绿化管理办法》已经市政府常务会议通过，现予公布。\n";

/// GB/T 9704-2012 §10.2: the 令号 is not zero-padded (trial 20: `第05号`
/// was passed).
#[test]
fn order_number_is_not_zero_padded() {
    let f = expect(&edit(ORDER, "第5号", "第05号"), "GW-ORDERNUM-ZERO", 4);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.column, 8); // `05` in `发文字号: 第05号`
    assert!(f.message.contains("“05”编了虚位"), "{}", f.message);
    assert!(f.hint.contains("第5号"), "{}", f.hint);
    let found = run(ORDER);
    assert!(found.is_empty(), "{found:#?}");
    expect_none(&edit(ORDER, "第5号", "第10号"), "GW-ORDERNUM-ZERO");
    expect_none(&edit(ORDER, "第5号", "第05号"), "GW-ORDERNUM-FORM");
}

/// GB/T 9704-2012 §10.2: in the 命令 format the number is a 令号, `第5号`,
/// and nothing else; the hint is the draft's own number (trial: `第〇五号`
/// passed, `5号` and `青政令第5号` got the 发文字号 hint `如“国办发〔2026〕
/// 3号”`).
#[test]
fn order_number_reads_di_arabic_hao() {
    for (typed, why, hint) in [
        ("第〇五号", "序号“〇五”用了汉字数字", "改为“第5号”"),
        ("第十二号", "用了汉字数字", "改为“第12号”"),
        ("5号", "缺“第”字", "改为“第5号”"),
        ("青政令第5号", "“第”前多了“青政令”", "改为“第5号”"),
        ("青政令〔2026〕5号", "是发文字号的写法", "改为“第5号”"),
        ("第５号", "全角数字", "改为“第5号”"),
        ("第5", "缺“号”字", "改为“第5号”"),
        ("第号", "找不到", "写作“第5号”的形式"),
    ] {
        let src = edit(ORDER, "第5号", typed);
        let f = expect(&src, "GW-ORDERNUM-FORM", 4);
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.column, 7, "{typed}");
        assert!(
            f.message.contains(&format!("令号“{typed}”")) && f.message.contains(why),
            "{typed}: {}",
            f.message
        );
        assert!(f.hint.starts_with(hint), "{typed}: {}", f.hint);
        // A 令号 is not a 发文字号: no rule of those, no 发文字号 model.
        let found = run(&src);
        assert!(
            found
                .iter()
                .all(|f| !f.rule.starts_with("GW-DOCNUM") && !f.hint.contains("国办发")),
            "{typed}: {found:#?}"
        );
    }
    expect_none(ORDER, "GW-ORDERNUM-FORM");
    // A 命令 by its 文种 in the 文件 format: `第5号` is a 令号 too; one with a
    // year is a 发文字号 (a 嘉奖令 issued as a 文件).
    let file_order = edit(
        &edit(NOTICE, "成文日期:", "文种: 命令\n成文日期:"),
        "工作的通知",
        "工作的命令",
    );
    expect_none(&file_order, "GW-ORDERNUM-FORM");
    let by_number = edit(&file_order, "青财发〔2026〕3号", "第3号");
    expect_none(&by_number, "GW-DOCNUM-DI");
    expect_none(&by_number, "GW-ORDERNUM-FORM");
    let f = expect(
        &edit(&file_order, "青财发〔2026〕3号", "第三号"),
        "GW-ORDERNUM-FORM",
        4,
    );
    assert_eq!(f.hint, "改为“第3号”");
}

/// GB/T 9704-2012 §7.3.5.1: the 署名 is the issuing organ, in full or by
/// its 规范化简称; a joint draft is fine when any 署名 is any issuer.
#[test]
fn signature_names_the_issuer() {
    let with_sig = |sig: &str| {
        edit(
            NOTICE,
            "成文日期:",
            &format!("发文机关署名: {sig}\n成文日期:"),
        )
    };
    let f = expect(&with_sig("青山市教育局"), "GW-SIGNATURE-ISSUER", 10);
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message
            .contains("发文机关署名“青山市教育局”与发文机关“青山市财政局”不一致"),
        "{}",
        f.message
    );
    assert!(f.hint.contains("青山市财政局"), "{}", f.hint);
    for ok in ["青山市财政局", "市财政局"] {
        expect_none(&with_sig(ok), "GW-SIGNATURE-ISSUER");
    }
    let office = NOTICE.replace("青山市财政局\n", "青山市人民政府办公室\n");
    let office_sig = |sig: &str| {
        edit(
            &office,
            "成文日期:",
            &format!("发文机关署名: {sig}\n成文日期:"),
        )
    };
    for ok in ["市政府办公室", "青山市政府办公室", "青山市人民政府办公室"] {
        expect_none(&office_sig(ok), "GW-SIGNATURE-ISSUER");
    }
    expect(&office_sig("青山市人民政府"), "GW-SIGNATURE-ISSUER", 10);
    // The organ-type ending alone is no 规范化简称 (trial: `办公室` passed).
    let f = expect(&office_sig("办公室"), "GW-SIGNATURE-ISSUER", 10);
    assert!(f.message.contains("“办公室”"), "{}", f.message);
    // 联合行文: one 署名 per issuer, in any order.
    let joint = edit(
        NOTICE,
        "发文机关: 青山市财政局",
        "发文机关: [青山市财政局, 青山市税务局]",
    );
    let joint_sig = |sig: &str| {
        edit(
            &joint,
            "成文日期:",
            &format!("发文机关署名: {sig}\n成文日期:"),
        )
    };
    expect_none(
        &joint_sig("[青山市税务局, 青山市财政局]"),
        "GW-SIGNATURE-ISSUER",
    );
    expect(&joint_sig("[青山市教育局]"), "GW-SIGNATURE-ISSUER", 10);
}

/// 联合行文: every 署名 is one of the 发文机关 (trial: one matching 署名
/// let a wrong second one pass).
#[test]
fn every_joint_signature_names_an_issuer() {
    let joint = edit(
        &edit(
            NOTICE,
            "发文机关: 青山市财政局",
            "发文机关: [青山市人民政府办公室, 青山市应急管理局]",
        ),
        "成文日期:",
        "发文机关署名: [青山市人民政府办公室, 青山市财政局]\n成文日期:",
    );
    let found: Vec<Finding> = run(&joint)
        .into_iter()
        .filter(|f| f.rule == "GW-SIGNATURE-ISSUER")
        .collect();
    // One for the 署名 that names no 发文机关, one for the 发文机关 that
    // no 署名 names (联合行文: every organ signs, §7.3.5.1).
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), (10, 1));
    assert!(
        found[0]
            .message
            .contains("联合行文的发文机关“青山市应急管理局”没有署名"),
        "{}",
        found[0].message
    );
    let f = &found[1];
    assert_eq!((f.line, f.column), (10, 22)); // `青山市财政局` in the list
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message.contains("发文机关署名“青山市财政局”")
            && !f.message.contains("署名“青山市人民政府办公室"),
        "{}",
        f.message
    );
    // The hint offers the issuer no 署名 names yet.
    assert!(f.hint.contains("如“青山市应急管理局”"), "{}", f.hint);
    expect_none(
        &edit(&joint, "青山市财政局]", "市应急管理局]"),
        "GW-SIGNATURE-ISSUER",
    );
}

/// 条例 第九条（十六）: 抄送机关 are organs other than the 主送机关.
#[test]
fn cc_is_not_a_recipient() {
    let f = expect(
        &edit(NOTICE, "[市审计局, 市税务局]", "[市审计局, 市直各部门]"),
        "GW-CC-RECIPIENT",
        11,
    );
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.column, 14);
    assert!(
        f.message.contains("“市直各部门”既是主送机关又是抄送机关"),
        "{}",
        f.message
    );
    expect_none(NOTICE, "GW-CC-RECIPIENT");
}

/// A 请示 names its contact and telephone in the 附注 (国家行政机关公文处理
/// 办法 2000 第十条（五）, carried on in practice).
#[test]
fn request_names_a_contact_in_the_note() {
    let none = edit(REQUEST, "附注: 联系人：李四，电话：0000-12345678\n", "");
    let f = expect(&none, "GW-QINGSHI-CONTACT", 5); // at the 标题
    assert_eq!(f.severity, Severity::Warning);
    assert!(
        f.message.contains("请示未在附注中注明联系人和电话"),
        "{}",
        f.message
    );
    assert!(f.hint.contains("附注: 联系人："), "{}", f.hint);
    let f = expect(
        &edit(REQUEST, "，电话：0000-12345678", ""),
        "GW-QINGSHI-CONTACT",
        8,
    );
    assert!(f.message.contains("未写联系电话"), "{}", f.message);
    // A number without the word 电话 is a telephone number all the same.
    expect_none(
        &edit(REQUEST, "电话：0000-12345678", "0000-12345678"),
        "GW-QINGSHI-CONTACT",
    );
    expect_none(REQUEST, "GW-QINGSHI-CONTACT");
    // Contact written in the body: move it.
    let body = format!("{none}联系人：李四，电话：0000-12345678。\n");
    let f = expect(&body, "GW-QINGSHI-CONTACT", 5);
    assert!(f.hint.contains("移到附注"), "{}", f.hint);
    // Only 请示.
    expect_none(&edit(&none, "的请示", "的报告"), "GW-QINGSHI-CONTACT");
}

/// GB/T 9704-2012 §7.3.4: the 附件说明 is printed once, from the `附件` key;
/// typed in the body as well it comes out twice (trial 20: 通知1.md).
#[test]
fn attachment_note_is_not_repeated_in_the_body() {
    let src = edit(
        NOTICE,
        "2027年1月20日前。\n",
        "2027年1月20日前。\n\n附件：1.决算报表\n      2.填报说明\n",
    );
    let f = expect(&src, "GW-ATTACH-TWICE", 27);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.column, 1);
    assert!(f.message.contains("附件：1.决算报表"), "{}", f.message);
    assert!(f.message.contains("印两次"), "{}", f.message);
    expect_none(NOTICE, "GW-ATTACH-TWICE");
    // Without the key, the body's is the only one.
    let no_key = edit(&src, "附件:\n  - 决算报表\n  - 填报说明\n", "");
    expect_none(&no_key, "GW-ATTACH-TWICE");
}

/// Hints name the draft's own organ, or a neutral ××, never the example
/// organ of the templates (trial 20: `加“发文机关: 青山市财政局”` for
/// a draft of 某局).
#[test]
fn hints_do_not_name_a_made_up_organ() {
    let other = NOTICE.replace("青山市财政局", "东湖区教育局");
    let gone = edit(
        &edit(
            &other,
            "发文机关: 东湖区教育局\n",
            "发文机关署名: 东湖区教育局\n",
        ),
        "发文字号: 青财发〔2026〕3号\n",
        "",
    );
    let found = run(&gone);
    let mark = found
        .iter()
        .find(|f| f.rule == "GW-REQUIRED" && f.message.contains("发文机关标志"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(
        mark.hint.contains("发文机关: 东湖区教育局"),
        "{}",
        mark.hint
    );
    for f in &found {
        assert!(!f.hint.contains("青山"), "{f:#?}");
    }
    let bare = "---\n标题: 关于测试的通知\n主送机关: 各单位\n成文日期: 2026年1月5日\n---\n正文。\n";
    let found = run(bare);
    assert!(
        found
            .iter()
            .any(|f| f.rule == "GW-REQUIRED" && f.hint.contains("××市××局")),
        "{found:#?}"
    );
    for f in &found {
        assert!(!f.hint.contains("青山"), "{f:#?}");
    }
}

/// One finding per rule and date (trial 20: `2026-01-05` gave GW-DATE-ZERO
/// twice, `2026-02-30` three findings).
#[test]
fn one_finding_per_rule_and_date() {
    let count = |src: &str, rule: &str| run(src).iter().filter(|f| f.rule == rule).count();
    let padded = edit(NOTICE, "成文日期: 2026年11月30日", "成文日期: 2026-01-05");
    assert_eq!(count(&padded, "GW-DATE-ZERO"), 1);
    assert_eq!(count(&padded, "GW-DATE-FORM"), 1);
    let f = expect(&padded, "GW-DATE-ZERO", 10);
    assert!(f.message.contains("“01”“05”"), "{}", f.message);
    let impossible = edit(NOTICE, "成文日期: 2026年11月30日", "成文日期: 2026-02-30");
    let at_10: Vec<Finding> = run(&impossible)
        .into_iter()
        .filter(|f| f.line == 10)
        .collect();
    assert_eq!(at_10.len(), 2, "{at_10:#?}");
    let f = expect(&impossible, "GW-DATE-FORM", 10);
    assert!(
        f.message.contains("2026年2月只有28天") && f.message.contains("“-”"),
        "{}",
        f.message
    );
    assert!(f.hint.contains("核对原件"), "{}", f.hint);
}

/// What `draft` reports as 已改正 is what the layout prints right, and
/// only that: 附件 names lose 《》 and a trailing 。 (inside 》 too), a wrong
/// 主送/抄送 mark that the layout replaces, typed heading numbers; a `；`
/// the layout keeps and a zero-padded serial stay.
#[test]
fn render_settles_what_the_layout_prints_right() {
    let src = edit(
        &edit(
            &edit(
                &edit(
                    &edit(NOTICE, "  - 决算报表", "  - 《决算报表》"),
                    "  - 填报说明",
                    "  - 《填报说明。》",
                ),
                "市直各部门\n",
                "市直各部门:\n",
            ),
            "[市审计局, 市税务局]",
            "[市审计局。, 市税务局；]",
        ),
        "### 报送时间",
        "### 1、报送时间",
    );
    let src = edit(&src, "〕3号", "〕03号");
    let (doc, _) = parse_draft(&src).unwrap();
    let got: Vec<(&str, usize, bool)> = check::check_for_render(&doc, &src)
        .iter()
        .map(|(f, stays)| (f.rule, f.line, *stays))
        .collect();
    for want in [
        ("GW-DOCNUM-ZERO", 4, true),
        ("GW-RECIPIENT-COLON", 6, false),
        ("GW-ATTACH-QUOTES", 8, false),
        ("GW-ATTACH-QUOTES", 9, false),
        ("GW-ATTACH-PUNCT", 9, false),
        ("GW-HEADING-FORM", 23, false),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:#?}");
    }
    let cc: Vec<bool> = check::check_for_render(&doc, &src)
        .into_iter()
        .filter(|(f, _)| f.rule == "GW-CC-PERIOD")
        .map(|(f, stays)| {
            assert_eq!(stays, f.message.contains("市税务局；"), "{f:#?}");
            stays
        })
        .collect();
    assert_eq!(cc, [false, true]);
    // A 版记 with 印发机关 but no 印发日期 is printed with the 成文日期.
    let (doc, _) = parse_draft(&edit(NOTICE, "印发日期: 2026年11月30日\n", "")).unwrap();
    let src = edit(NOTICE, "印发日期: 2026年11月30日\n", "");
    let imprint = check::check_for_render(&doc, &src);
    assert!(
        imprint
            .iter()
            .any(|(f, stays)| f.rule == "GW-IMPRINT-MISSING" && !stays),
        "{imprint:#?}"
    );
}

/// Trial 20, 通知1.md: `draft` counted the 附件 quotes and full stop as
/// errors left although the .docx prints `附件：1.春节期间值班安排表`.
#[test]
fn cli_draft_marks_attachment_fixes_as_corrected() {
    let dir = tempfile::tempdir().unwrap();
    let src = edit(
        &edit(NOTICE, "  - 决算报表", "  - 《决算报表》"),
        "  - 填报说明",
        "  - 填报说明。",
    );
    let p = write_draft(&dir, "n.md", &src);
    let out_path = dir.path().join("n.docx");
    let out = cli(&["draft", "-o", out_path.to_str().unwrap()], &p);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains(":8:5: 已改正[GW-ATTACH-QUOTES]"), "{err}");
    assert!(err.contains(":9:9: 已改正[GW-ATTACH-PUNCT]"), "{err}");
    assert!(!err.contains("错误["), "{err}");
    let docx = std::fs::read(&out_path).unwrap();
    let text = docx_text(&docx);
    assert!(text.contains("附件：1.决算报表"), "{text}");
    assert!(text.contains("2.填报说明"), "{text}");
    assert!(
        !text.contains('《') && !text.contains("填报说明。"),
        "{text}"
    );
}

/// The text of `word/document.xml`, one paragraph a line.
fn docx_text(docx: &[u8]) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut out = String::new();
    for para in xml.split("</w:p>") {
        for run in para.split("<w:t").skip(1) {
            let Some((attrs_end, rest)) = run.split_once('>') else {
                continue;
            };
            if attrs_end.ends_with('/') {
                continue;
            }
            out.push_str(rest.split("</w:t>").next().unwrap_or(""));
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------- CLI

/// `gongwen ARGS… PATH`, run to the end.
fn cli(args: &[&str], path: &std::path::Path) -> std::process::Output {
    Command::new(gongwen_bin())
        .args(args)
        .arg(path)
        .output()
        .unwrap()
}

fn write_draft(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A device as the draft is refused at once (trial 17: `check /dev/zero`
/// read for ever, 1 GB after 2 s).
#[cfg(unix)]
#[test]
fn cli_refuses_a_device_as_draft() {
    for cmd in ["check", "draft"] {
        let out = cli(&[cmd], std::path::Path::new("/dev/zero"));
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("/dev/zero: 无法读取（不是普通文件：设备、管道或套接字）/ cannot read: not a regular file"),
            "{err}"
        );
    }
}

/// `draft` never writes over its own draft: not through a link named like
/// the output, not when the draft already has the output's name (trial 18:
/// both destroyed the draft).
#[cfg(unix)]
#[test]
fn cli_draft_refuses_to_overwrite_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_draft(&dir, "s.md", NOTICE);
    std::os::unix::fs::symlink(&p, dir.path().join("s.docx")).unwrap();
    let same = write_draft(&dir, "same.docx", NOTICE);
    for (draft, args) in [(&p, vec!["draft"]), (&same, vec!["draft"])] {
        let out = cli(&args, draft);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("the output is the draft itself"), "{err}");
        assert_eq!(std::fs::read_to_string(draft).unwrap(), NOTICE);
    }
    // Another name is fine.
    let out = cli(
        &["draft", "-o", dir.path().join("x.docx").to_str().unwrap()],
        &p,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), NOTICE);
}

#[test]
fn cli_clean_draft_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_draft(&dir, "ok.md", NOTICE);
    let out = cli(&["check"], &p);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn cli_prints_findings_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_draft(
        &dir,
        "bad.md",
        &edit(NOTICE, "青财发〔2026〕3号", "青财发[2026]3号"),
    );
    let out = cli(&["check"], &p);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let want = format!("{}:4:10: 错误[GW-DOCNUM-BRACKET] ", p.display());
    assert!(stdout.starts_with(&want), "{stdout}");
    assert!(
        stdout.contains("（提示：改为“青财发〔2026〕3号”）"),
        "{stdout}"
    );
}

#[test]
fn cli_json_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let src = edit(
        &edit(NOTICE, "青财发〔2026〕3号", "青财发[2026]3号"),
        "印发机关:",
        "作者: 张三\n印发机关:",
    );
    let p = write_draft(&dir, "bad.md", &src);
    let out = cli(&["check", "--json"], &p);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let objs: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objs.len(), 2, "{stdout}");
    assert_eq!(objs[0]["rule"], "GW-DOCNUM-BRACKET");
    assert_eq!(objs[0]["line"], 4);
    assert_eq!(objs[0]["severity"], "error");
    assert_eq!(objs[1]["rule"], "GW-FRONT-MATTER");
    assert_eq!(objs[1]["line"], 12);
    assert_eq!(objs[1]["severity"], "warning");
}

#[test]
fn cli_warnings_only_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_draft(&dir, "w.md", &edit(NOTICE, "份号: 000001", "份号: 1"));
    let out = cli(&["check"], &p);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("警告[GW-COPYNUM]"));
}

#[test]
fn cli_parse_error_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_draft(&dir, "nofm.md", "# 关于x的通知\n正文\n");
    let out = cli(&["check"], &p);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(&p.display().to_string()), "{err}");
    assert!(err.contains("---"), "{err}");
    let missing = dir.path().join("absent.md");
    let out = cli(&["check"], &missing);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("absent.md"));
    // `draft` and `check` say it in the same words.
    for cmd in ["check", "draft"] {
        let out = cli(&[cmd], &missing);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.lines().next().unwrap_or_default(),
            format!(
                "错误 error: {}: 无法读取（文件不存在） / cannot read: No such file or directory (os error 2)",
                missing.display()
            ),
            "{cmd}"
        );
    }
}

/// A draft saved by Notepad as "ANSI" on a Chinese Windows (GBK), or as
/// "Unicode" (UTF-16 with a BOM), or UTF-8 with a BOM, reads like UTF-8:
/// the same findings (none) and, for GBK, a note saying how it was read.
#[test]
fn cli_reads_gbk_utf16_and_bom_drafts() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(NOTICE);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(NOTICE.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(NOTICE.as_bytes());
    for (name, bytes, note) in [
        ("gbk.md", gbk.to_vec(), true),
        ("utf16.md", utf16, false),
        ("bom.md", bom, false),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = cli(&["check"], &p);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}");
        assert_eq!(err.contains("read as GBK (GB18030)"), note, "{name}: {err}");
    }
    let p = write_draft(&dir, "x.md", "");
    std::fs::write(&p, [0xFF, 0xFF, 0x80, 0x80, b'\n']).unwrap();
    let out = cli(&["check"], &p);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not UTF-8 or GBK text"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn speeches_need_no_letterhead_elements() {
    let speech = "---\n标题: 在2026年全市防汛工作会议上的讲话\n文种: 讲话稿\n讲话人: 青山市人民政府副市长　张三\n成文日期: 2026年5月8日\n---\n同志们：\n\n今天召开会议。\n";
    let (doc, w) = parse_draft(speech).unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(
        doc.header.speaker.as_deref(),
        Some("青山市人民政府副市长　张三")
    );
    let found = check::check(&doc, speech);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn minutes_distribution_key() {
    let src = "---\n格式: 纪要\n发文机关标志: 青山市人民政府常务会议纪要\n分送: [市政府各部门, 各区县人民政府]\n---\n会议研究了防汛工作。\n";
    let (doc, w) = parse_draft(src).unwrap();
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(
        doc.header.distribution,
        vec!["市政府各部门", "各区县人民政府"]
    );
}

/// Body problems are findings of their own rule, with a hint about the
/// body: an image and a footnote (trial 20: printed as GW-FRONT-MATTER with
/// "check the key and its value").
#[test]
fn cli_body_markdown_warnings_name_the_body_rule() {
    let dir = tempfile::tempdir().unwrap();
    let src = format!("{NOTICE}\n![示意图](a.png)\n");
    let line = src.lines().count();
    let p = write_draft(&dir, "img.md", &src);
    let out = cli(&["check", "--json"], &p);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let img: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|o| o["rule"] == "GW-BODY-MARKDOWN")
        .collect();
    assert_eq!(img.len(), 1, "{stdout}");
    assert_eq!(img[0]["line"], line);
    assert_eq!(img[0]["severity"], "warning");
    assert!(img[0]["message"].as_str().unwrap().contains("a.png"));
    assert!(img[0]["hint"].as_str().unwrap().contains("正文"));
}

/// `check --rules` lists every rule with its clause, as text and as JSON,
/// so a clerk can look up where a finding comes from.
#[test]
fn cli_rules_lists_every_rule_with_its_source() {
    let out = Command::new(gongwen_bin())
        .args(["check", "--rules"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), check::RULES.len());
    let line = text
        .lines()
        .find(|l| l.starts_with("GW-DOCNUM-BRACKET "))
        .unwrap();
    assert!(
        line.contains("错误") && line.ends_with("（依据：GB/T 9704-2012 §7.2.5）"),
        "{line}"
    );
    // The heading cases that are warnings are listed as warnings.
    for id in ["GW-HEADING-SKIP ", "GW-PARA-NUMBER "] {
        let line = text.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(line.contains("警告") && line.contains("§7.3.3"), "{line}");
    }
    let out = Command::new(gongwen_bin())
        .args(["check", "--rules", "--json"])
        .output()
        .unwrap();
    let objs: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objs.len(), check::RULES.len());
    let contact = objs
        .iter()
        .find(|o| o["rule"] == "GW-QINGSHI-CONTACT")
        .unwrap();
    assert_eq!(contact["severity"], "warning");
    assert!(contact["source"].as_str().unwrap().contains("第十条（五）"));
}
