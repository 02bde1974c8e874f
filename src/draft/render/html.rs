//! HTML back end: a [`Layout`] → an HTML print preview through a tera layout
//! template (`templates/page.html`, see [`crate::draft::templates`]).
//!
//! The preview uses the same page (CSS `@page { size: A4; margin: 37mm 26mm
//! 35mm 28mm }`, GB/T 9704-2012 §5.2), faces (with open-font fallbacks),
//! sizes and indents as the .docx. All text from the draft reaches the
//! template as data and is escaped by tera's autoescape; only the style
//! strings computed here (numbers and fixed words) are marked safe.
//!
//! The 版记 (§7.4) lines take their indents as padding, so their rules span
//! the whole 版心 as in the .docx; `break-after: avoid` keeps the last 正文
//! lines with the 署名 and the 版记 lines together. What the preview does
//! not do: pin the 版记 to the foot of the last page, and draw the 信函's
//! bottom double rule 20 mm above the first page's bottom edge (§10.1) —
//! both need page-relative positions a paragraph style cannot give.

use serde::Serialize;

use super::fonts::{Face, FontMap};
use super::layout::{
    self, Align, Item, LINE_PITCH, Layout, MARGIN_TOP, Para, Rule, RuleStyle, Span,
};
use super::{RenderError, RenderOptions};
use crate::draft::model::Document;
use crate::draft::templates::{TemplateError, Templates};

#[derive(Serialize)]
struct HtmlSpan {
    text: String,
    class: &'static str,
    style: String,
}

#[derive(Serialize)]
struct HtmlPara {
    class: String,
    style: String,
    spans: Vec<HtmlSpan>,
    right: Vec<HtmlSpan>,
}

#[derive(Serialize)]
struct HtmlItem {
    /// `para` or `table`.
    kind: &'static str,
    para: Option<HtmlPara>,
    rows: Vec<Vec<HtmlPara>>,
}

#[derive(Serialize)]
struct FaceCss {
    class: &'static str,
    family: String,
}

fn pt(twips: i32) -> String {
    format!("{:.2}pt", twips as f32 / 20.0)
}

fn span(s: &Span) -> HtmlSpan {
    let mut style = format!("font-size:{}pt;", s.half_points as f32 / 2.0);
    if s.half_points == layout::SIZE_3 {
        // 28 characters a line, as in the .docx (layout::CHAR_SPACING_3).
        style.push_str(&format!(
            "letter-spacing:{}pt;",
            layout::CHAR_SPACING_3 as f32 / 20.0
        ));
    }
    if s.bold {
        style.push_str("font-weight:bold;");
    }
    if let Some(c) = s.color {
        style.push_str(&format!("color:#{c};"));
    }
    HtmlSpan {
        text: s.text.clone(),
        class: s.face.css_class(),
        style,
    }
}

fn rule_css(side: &str, r: &Rule) -> String {
    let width = r.eighths as f32 / 8.0;
    match r.style {
        RuleStyle::Single => format!(
            "border-{side}:{width:.2}pt solid #{};padding-{side}:{}pt;",
            r.color, r.space_pt
        ),
        _ => format!(
            "border-{side}:{:.2}pt double #{};padding-{side}:{}pt;",
            (width * 1.5).max(3.0),
            r.color,
            r.space_pt
        ),
    }
}

fn para(p: &Para) -> HtmlPara {
    let align = match p.align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "justify",
    };
    let mut style = format!("text-align:{align};");
    // 版记 lines: indents as padding, so that the rules (borders) run the
    // full width of the 版心 (§7.4.1) while the text keeps its 一字.
    let side = if p.at_page_foot { "padding" } else { "margin" };
    if p.left != 0 {
        style.push_str(&format!("{side}-left:{};", pt(p.left)));
    }
    if p.right_indent != 0 {
        style.push_str(&format!("{side}-right:{};", pt(p.right_indent)));
    }
    // The 信函 mark 30 mm from the page's top edge (§10.1): above the
    // 版心, i.e. a negative margin into the page's top margin.
    let top = match p.from_page_top {
        Some(t) => t as i32 - MARGIN_TOP as i32,
        None => p.space_before as i32,
    };
    if top != 0 {
        style.push_str(&format!("margin-top:{};", pt(top)));
    }
    if p.keep_next {
        style.push_str("break-after:avoid;page-break-after:avoid;");
    }
    if p.at_page_foot {
        style.push_str("break-inside:avoid;page-break-inside:avoid;");
    }
    if p.first_line != 0 {
        style.push_str(&format!("text-indent:{};", pt(p.first_line)));
    }
    if let Some(r) = &p.border_top {
        style.push_str(&rule_css("top", r));
    }
    if let Some(r) = &p.border_bottom {
        style.push_str(&rule_css("bottom", r));
    }
    match p.line_exact {
        Some(l) => style.push_str(&format!("line-height:{};", pt(l as i32))),
        None if p.snap => style.push_str(&format!("line-height:{};", pt(LINE_PITCH as i32))),
        None => {}
    }
    let role = serde_json::to_value(p.role)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut class = role;
    if p.at_page_foot {
        class.push_str(" imprint");
    }
    let mut right: Vec<HtmlSpan> = p.right.iter().map(span).collect();
    if p.right_inset != 0
        && let Some(last) = right.last_mut()
    {
        // The floated right part ends `right_inset` before the right edge.
        last.style
            .push_str(&format!("margin-right:{};", pt(p.right_inset)));
    }
    HtmlPara {
        class,
        style,
        spans: p.spans.iter().map(span).collect(),
        right,
    }
}

/// Render `doc` to an HTML print preview with the layout chosen by
/// [`Templates::layout_name`] from `opts.template` and the draft's 文种.
///
/// # Errors
/// [`RenderError::Template`] when the layout is missing, does not parse or
/// fails to render.
pub fn render_html(
    doc: &Document,
    templates: &Templates,
    opts: &RenderOptions,
) -> Result<String, RenderError> {
    let layout = layout::lay_out(doc);
    let name = templates.layout_name(doc.header.doc_type.as_deref(), opts.template.as_deref())?;
    render_layout(&layout, templates, &name, &opts.fonts)
}

fn tera_error(name: &str, e: tera::Error) -> TemplateError {
    let mut message = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        message.push_str(": ");
        message.push_str(&s.to_string());
        src = s.source();
    }
    TemplateError::Tera {
        name: name.to_string(),
        message,
    }
}

/// Render an already laid-out document with the layout template `name`.
///
/// Template context: `title` (string), `faces` (list of `{class, family}`:
/// the CSS class of each [`Face`] and its `font-family`), `items` (list of
/// `{kind: "para"|"table", para: {class, style, spans, right}, rows}`; each
/// span is `{text, class, style}`), `letter` (bool, 信函), `page`
/// (`{width_mm, height_mm, top_mm, right_mm, bottom_mm, left_mm}`).
///
/// # Errors
/// [`RenderError::Template`] from tera.
pub fn render_layout(
    layout: &Layout,
    templates: &Templates,
    name: &str,
    fonts: &FontMap,
) -> Result<String, RenderError> {
    let mut tera = tera::Tera::default();
    let sources = templates.layouts()?;
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| tera_error(name, e))?;
    tera.autoescape_on(vec![".html", ".htm"]);

    let items: Vec<HtmlItem> = layout
        .items
        .iter()
        .map(|i| match i {
            Item::Para(p) => HtmlItem {
                kind: "para",
                para: Some(para(p)),
                rows: Vec::new(),
            },
            Item::Table(rows) => HtmlItem {
                kind: "table",
                para: None,
                rows: rows.iter().map(|r| r.iter().map(para).collect()).collect(),
            },
        })
        .collect();
    let faces: Vec<FaceCss> = Face::ALL
        .iter()
        .map(|f| FaceCss {
            class: f.css_class(),
            family: fonts.css_family(*f),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("title", &layout.title);
    ctx.insert("items", &items);
    ctx.insert("faces", &faces);
    ctx.insert("letter", &layout.letter_first_page);
    ctx.insert(
        "page",
        &serde_json::json!({
            "width_mm": 210, "height_mm": 297,
            "top_mm": 37, "right_mm": 26, "bottom_mm": 35, "left_mm": 28,
        }),
    );
    tera.render(name, &ctx)
        .map_err(|e| RenderError::Template(tera_error(name, e)))
}
