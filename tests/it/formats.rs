//! Tests: formats. OFD, .xlsx, .pptx and WPS extraction
//! (`gongwen::archive::extract`): the shared OFD corpus in
//! `../shared/corpus/ofd` (skipped when absent), packages built here with the
//! zip crate, and an end-to-end index + search with the binary.

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Command;

use gongwen::archive::extract::{
    ExtractError, Extracted, Format, Limits, extract_bytes, extract_file,
};
use gongwen::meta::DocMeta;

use crate::common::{gongwen_bin, shared_corpus};

fn ofd(name: &str) -> Option<Extracted> {
    let dir = shared_corpus("ofd")?;
    let p = dir.join(name);
    assert_eq!(Format::from_path(&p), Some(Format::Ofd));
    Some(
        extract_file(&p, Format::Ofd, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}")),
    )
}

fn has(got: &Extracted, phrases: &[&str]) {
    for p in phrases {
        assert!(got.text.contains(p), "{p:?} missing from:\n{}", got.text);
    }
}

/// A zip of `(name, content)` members, stored (`stored`) or deflated.
fn zip_of(members: &[(&str, &str)], stored: bool) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let opt = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, content) in members {
        zip.start_file(*name, opt).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn n_ofd_red_header_reply() {
    let Some(got) = ofd("n.ofd") else { return };
    assert_eq!(got.format, Format::Ofd);
    assert_eq!(got.quality.pages, Some(2));
    let lines: Vec<&str> = got.text.lines().collect();
    assert_eq!(lines[0], "测试符路桥区卫生局文件");
    assert_eq!(lines[1], "路卫发〔2011〕76号");
    assert_eq!(lines[2], "关于同意张阿三同志辞职的批复");
    assert_eq!(lines[3], "区中医院：");
    // Lines of one justified paragraph are joined: the phrase broken by the
    // layout (参|加工作) is found.
    has(
        &got,
        &[
            "你院《关于给张阿三同志辞职的请示》（路中医发〔2011〕10号）收悉。",
            "2001年9月参加工作，本科学历，主治医师，系区中医院职工。",
            "测试符路桥区卫生局办公室",
            "2011年3月10日",
        ],
    );
    assert_eq!(got.title.as_deref(), Some("测试符路桥区卫生局文件"));
    let meta = DocMeta::extract(&got.text, got.title.as_deref(), None);
    assert_eq!(
        meta.doc_number.map(|n| n.to_string()).as_deref(),
        Some("路卫发〔2011〕76号")
    );
}

#[test]
fn shared_ofd_files_yield_their_visible_text() {
    let cases: &[(&str, &[&str])] = &[
        ("helloworld.ofd", &["你好呀，OFD Reader&Writer！"]),
        // 函 with DocInfo/Title and `g N v` DeltaX.
        (
            "testPathFillOpacity.ofd",
            &["关于加快南货场铁路涵洞下穿建设的函", "蚌山区政府："],
        ),
        // Template pages named by relative and absolute BaseLoc.
        (
            "path_unstd.ofd",
            &["立案决定书", "（存根）", "案件名称", "立案侦查。"],
        ),
        // Invoice: labels on the template page, values on the page.
        (
            "发票示例.ofd",
            &["重庆增值税电子普通发票", "机器编号：", "科游迈利有限公司"],
        ),
        // Construction permit: template text, fake bold drawn twice.
        (
            "zsbk.ofd",
            &[
                "某某省住房和城乡建设厅",
                "2020年10月9日",
                "建筑工程施工许可证附件",
                "本附件随《建筑工程施工许可证》一并核发",
            ],
        ),
        (
            "testImageOverridePage.ofd",
            &["临沧市临翔区自然资源局", "2022年08月23日"],
        ),
        ("signout.ofd", &["市政府文件处理"]),
    ];
    for (name, phrases) in cases {
        let Some(got) = ofd(name) else { return };
        has(&got, phrases);
    }
    let Some(got) = ofd("testPathFillOpacity.ofd") else {
        return;
    };
    assert_eq!(got.title.as_deref(), Some("蚌埠市国土资源局"));
}

/// An OFD as odd writers make it: no namespace prefix, CDATA, a template
/// page by absolute BaseLoc in a folder with a space, a page by relative
/// BaseLoc, entries stored uncompressed and OFD.xml last.
fn odd_ofd() -> Vec<u8> {
    zip_of(
        &[
            (
                "Doc_0/Document.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="http://www.ofdspec.org/2016"><CommonData>
<TemplatePage ID="9" BaseLoc="/Doc_0/My Tpls/T0/Content.xml"/></CommonData>
<Pages><Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></Pages></Document>"#,
            ),
            (
                "Doc_0/Pages/Page_0/Content.xml",
                r#"<Page xmlns="http://www.ofdspec.org/2016"><Template TemplateID="9"/><Content><Layer><PageBlock>
<TextObject Boundary="60 30 90 10" Size="7.7"><TextCode X="0" Y="8" DeltaX="g 9 7.7"><![CDATA[关于开展<安全>检查的通知]]></TextCode></TextObject>
<CompositeObject ID="3" ResourceID="4"/>
<PageBlock><TextObject Boundary="40 50 40 8" Size="5.6"><TextCode X="20" Y="6">张三&amp;李四</TextCode></TextObject></PageBlock>
</PageBlock></Layer></Content></Page>"#,
            ),
            (
                "Doc_0/My Tpls/T0/Content.xml",
                r#"<Page><Content><Layer><TextObject Boundary="30 50 20 8" Size="5.6"><TextCode X="0" Y="6">联系人：</TextCode></TextObject></Layer></Content></Page>"#,
            ),
            (
                "OFD.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?>
<OFD xmlns="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><DocBody><DocInfo><Title><![CDATA[安全检查通知]]></Title></DocInfo>
<DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>"#,
            ),
        ],
        true,
    )
}

#[test]
fn ofd_without_prefix_with_cdata_template_and_late_entry() {
    let got = extract_bytes(&odd_ofd(), Format::Ofd, &Limits::default()).unwrap();
    assert_eq!(got.text, "关于开展<安全>检查的通知\n联系人：张三&李四\n");
    assert_eq!(got.title.as_deref(), Some("安全检查通知"));
    assert_eq!(got.quality.pages, Some(1));
}

#[test]
fn ofd_errors_name_the_problem() {
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let e = extract_bytes(&noise, Format::Ofd, &Limits::default()).unwrap_err();
    assert!(
        matches!(e, ExtractError::BadZip { format: "ofd", .. }),
        "{e}"
    );
    let no_entry = zip_of(&[("a.xml", "<a/>")], false);
    let e = extract_bytes(&no_entry, Format::Ofd, &Limits::default()).unwrap_err();
    assert!(e.to_string().contains("OFD.xml"), "{e}");
    let broken = zip_of(
        &[(
            "OFD.xml",
            "<OFD><DocBody><DocRoot>D/Document.xml</DocRoot></Doc",
        )],
        false,
    );
    let e = extract_bytes(&broken, Format::Ofd, &Limits::default()).unwrap_err();
    assert!(
        matches!(&e, ExtractError::BadXml { part, .. } if part == "OFD.xml"),
        "{e}"
    );
}

fn xlsx() -> Vec<u8> {
    zip_of(
        &[
            ("[Content_Types].xml", "<Types/>"),
            (
                "xl/workbook.xml",
                r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
<sheet name="收文登记" sheetId="1" r:id="rId2"/><sheet name="汇总" sheetId="2" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships><Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId2" Type="http://x/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#,
            ),
            (
                "xl/sharedStrings.xml",
                r#"<sst><si><t>文号</t></si><si><t>标题</t></si><si><t>京政发〔2024〕3号</t></si><si><r><t>关于冬季</t></r><r><t>供暖的通知</t></r></si></sst>"#,
            ),
            (
                "xl/worksheets/sheet1.xml",
                r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row></sheetData></worksheet>"#,
            ),
            (
                "xl/worksheets/sheet2.xml",
                r#"<worksheet><sheetData><row><c t="inlineStr"><is><t>合计件数</t></is></c><c><f>COUNTA(收文登记!A:A)</f><v>1</v></c></row></sheetData></worksheet>"#,
            ),
        ],
        false,
    )
}

fn pptx() -> Vec<u8> {
    let slide = |t: &str| {
        format!(
            r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody>{t}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
    };
    let s1 = slide("<a:p><a:r><a:t>第二张</a:t></a:r></a:p>");
    let s2 = slide(
        "<a:p><a:r><a:t>年度工作</a:t></a:r><a:r><a:t>总结汇报</a:t></a:r></a:p><a:p><a:r><a:t>一、主要成绩</a:t></a:r></a:p>",
    );
    zip_of(
        &[
            ("[Content_Types].xml", "<Types/>"),
            (
                "ppt/presentation.xml",
                r#"<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId7"/><p:sldId id="257" r:id="rId3"/></p:sldIdLst></p:presentation>"#,
            ),
            (
                "ppt/_rels/presentation.xml.rels",
                r#"<Relationships><Relationship Id="rId3" Type="x/slide" Target="slides/slide1.xml"/><Relationship Id="rId7" Type="x/slide" Target="slides/slide2.xml"/></Relationships>"#,
            ),
            ("ppt/slides/slide1.xml", &s1),
            ("ppt/slides/slide2.xml", &s2),
        ],
        false,
    )
}

#[test]
fn xlsx_sheets_in_workbook_order_with_values_not_formulas() {
    let got = extract_bytes(&xlsx(), Format::Xlsx, &Limits::default()).unwrap();
    assert_eq!(
        got.text,
        "收文登记\n文号\t标题\n京政发〔2024〕3号\t关于冬季供暖的通知\n\n汇总\n合计件数\t1\n\n"
    );
    assert!(!got.text.contains("COUNTA"));
    assert_eq!(got.title.as_deref(), Some("文号 标题"));
}

#[test]
fn pptx_slides_in_presentation_order() {
    let got = extract_bytes(&pptx(), Format::Pptx, &Limits::default()).unwrap();
    assert_eq!(got.text, "年度工作总结汇报\n一、主要成绩\n\n第二张\n");
    assert_eq!(got.title.as_deref(), Some("年度工作总结汇报"));
    assert_eq!(got.quality.pages, Some(2));
}

#[test]
fn wps_files_read_as_ooxml_or_refused_when_legacy() {
    assert_eq!(Format::from_path(Path::new("a.WPS")), Some(Format::Wps));
    assert_eq!(Format::from_path(Path::new("a.et")), Some(Format::Wps));
    assert_eq!(Format::from_path(Path::new("a.dps")), Some(Format::Wps));
    let got = extract_bytes(&xlsx(), Format::Wps, &Limits::default()).unwrap();
    assert_eq!(got.format, Format::Xlsx);
    assert!(got.text.contains("京政发〔2024〕3号"));
    let got = extract_bytes(&pptx(), Format::Wps, &Limits::default()).unwrap();
    assert_eq!(got.format, Format::Pptx);
    let docx = zip_of(
        &[
            ("[Content_Types].xml", "<Types/>"),
            (
                "word/document.xml",
                r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>关于印发方案的通知</w:t></w:r></w:p></w:body></w:document>"#,
            ),
        ],
        false,
    );
    let got = extract_bytes(&docx, Format::Wps, &Limits::default()).unwrap();
    assert_eq!(
        (got.format, got.text.as_str()),
        (Format::Docx, "关于印发方案的通知\n")
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    let e = extract_bytes(&ole, Format::Wps, &Limits::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("旧版 WPS 二进制格式暂不支持 / legacy binary WPS format not supported"),
        "{e}"
    );
    // A zip without [Content_Types].xml is not OOXML either.
    let e = extract_bytes(
        &zip_of(&[("a.txt", "x")], false),
        Format::Wps,
        &Limits::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("legacy binary WPS"), "{e}");
}

fn run(dir: &Path, args: &[&str]) -> String {
    let o = Command::new(gongwen_bin())
        .arg("--index")
        .arg(dir.join("ix"))
        .args(args)
        .current_dir(dir)
        .env_remove("GONGWEN_INDEX")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    // `search` exits 1 when nothing is found.
    let nothing = args[0] == "search" && o.status.code() == Some(1);
    assert!(
        o.status.success() || nothing,
        "gongwen {args:?}: {out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

#[test]
fn index_and_search_ofd_xlsx_pptx() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let docs = dir.join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("a.ofd"), odd_ofd()).unwrap();
    std::fs::write(docs.join("b.xlsx"), xlsx()).unwrap();
    std::fs::write(docs.join("c.pptx"), pptx()).unwrap();
    run(dir, &["index", docs.to_str().unwrap()]);
    for (query, want) in [
        ("联系人", "1"),
        ("京政发〔2024〕3号", "1"),
        ("供暖的通知", "1"),
        ("总结汇报", "1"),
        ("主要成绩", "1"),
        ("通知", "2"),
        ("不存在的词语", "0"),
    ] {
        let out = run(dir, &["search", "--count", query]);
        assert_eq!(out.trim(), want, "search --count {query}");
    }
}
