//! The HTML digest: one self-contained page (inline CSS and SVG, no scripts, no external
//! resources, a Content-Security-Policy that forbids loading any), laid out for the screen
//! and for printing to PDF.
//!
//! Every piece of text from events goes through [`esc`]; notes are redacted first.

use crate::svg;
use crate::view::{opt, View};
use crate::DigestInput;
use std::io::{self, Write};

/// Escapes text for HTML element content and quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1d2329; --muted: #5d6770; --line: #d9dee3; --accent: #2c6fbb; --red: #c0392b; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 2rem 1.5rem 3rem; color: var(--ink);
  font: 15px/1.55 "Noto Sans", "Vazirmatn", "Noto Sans Arabic", "Noto Naskh Arabic", "DejaVu Sans", Tahoma, sans-serif; }
h1 { font-size: 1.9rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.12rem; margin: 1.8rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1.1rem 0 .3rem; color: var(--muted); }
.period { color: var(--muted); margin: 0; font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--line); text-align: start; }
th.n, td.n { text-align: end; }
thead th { border-bottom: 2px solid var(--ink); }
tfoot td { font-weight: bold; border-top: 2px solid var(--ink); border-bottom: none; }
.note { color: var(--muted); font-size: .88rem; }
figure { margin: 1.2rem 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-weight: bold; margin-bottom: .4rem; }
svg text { font-family: inherit; fill: #3b444c; }
svg .axis { font-size: 11px; fill: var(--muted); }
svg .place { font-size: 12px; font-weight: bold; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
article { border-inline-start: 3px solid var(--line); padding: .1rem 0 .1rem .9rem; margin: .7rem 0; break-inside: avoid; }
article.killed { border-inline-start-color: var(--red); }
.head { font-weight: bold; }
.meta { color: var(--muted); font-size: .9rem; }
.grade { display: inline-block; font-weight: bold; color: #fff; background: var(--accent); border-radius: 3px; padding: 0 .35rem; direction: ltr; }
.notes { margin: .25rem 0 0; white-space: pre-line; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .6rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print { body { padding: 0; max-width: none; font-size: 11pt; } h2 { break-after: avoid; } h3, h4 { break-after: avoid; } figure { break-inside: avoid; } }
"#;

pub(crate) fn render(digest: &DigestInput, out: &mut impl Write) -> io::Result<()> {
    let view = View::new(digest);
    let l = &view.lingo.labels;
    let lang = match digest.lang {
        crate::Lang::En => "en",
        crate::Lang::Fa => "fa",
    };
    let title = digest.title.clone().unwrap_or_else(|| l.title.clone());
    let period = view.period(digest);
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {period}</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1><p class="period">{period}</p></header>
"#,
        dir = esc(&l.dir),
        title = esc(&title),
        period = esc(&period),
    )?;

    // Summary.
    writeln!(out, "<section><h2>{}</h2>", esc(&l.summary))?;
    if view.summary.total.events == 0 {
        writeln!(out, "<p>{}</p></section>", esc(&l.no_events))?;
    } else {
        writeln!(
            out,
            r#"<table class="summary"><thead><tr><th>{}</th><th class="n">{}</th><th class="n">{}</th><th class="n">{}</th><th class="n">{}</th></tr></thead><tbody>"#,
            esc(&l.province),
            esc(&l.events),
            esc(&l.fatalities),
            esc(&l.injuries),
            esc(&l.arrests)
        )?;
        let num = |n: u64| view.lingo.num(n);
        for (name, t) in &view.summary.provinces {
            writeln!(
                out,
                r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
                esc(&view.province_name(name)),
                num(t.events as u64),
                num(t.fatalities),
                num(t.injuries),
                num(t.arrests)
            )?;
        }
        let t = &view.summary.total;
        writeln!(
            out,
            r#"</tbody><tfoot><tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr></tfoot></table>"#,
            esc(&l.total),
            num(t.events as u64),
            num(t.fatalities),
            num(t.injuries),
            num(t.arrests)
        )?;
        writeln!(
            out,
            r#"<p class="note">{}</p></section>"#,
            esc(&l.figures_note)
        )?;

        // Pictures.
        writeln!(
            out,
            r#"<section><figure><figcaption>{}</figcaption>{}<p class="note">{}</p></figure>"#,
            esc(&l.map),
            svg::map(&view),
            esc(&l.map_legend)
        )?;
        writeln!(
            out,
            r#"<figure><figcaption>{}</figcaption>{}</figure></section>"#,
            esc(&l.timeline),
            svg::timeline(&view, digest)
        )?;

        // Event by event.
        writeln!(out, "<section><h2>{}</h2>", esc(&l.by_place))?;
        for province in &view.provinces {
            writeln!(out, "<h3>{}</h3>", esc(&view.province_name(&province.name)))?;
            for (city, items) in &province.cities {
                writeln!(out, "<h4>{}</h4>", esc(&view.city_name(city)))?;
                for item in items {
                    let e = item.event;
                    let mut head = view.lingo.event_date(item.date, e.time_precision);
                    if let Some(district) = view.district(item) {
                        head.push_str(&l.sep);
                        head.push_str(&district);
                    }
                    writeln!(
                        out,
                        r#"<article{}><div class="head">{} — {}</div>"#,
                        if e.fatalities > 0 {
                            r#" class="killed""#
                        } else {
                            ""
                        },
                        esc(&head),
                        esc(&view.kind(e))
                    )?;
                    writeln!(
                        out,
                        r#"<div class="meta">{} {}{sep}{} {}{sep}{} {}{sep}{} <span class="grade">{}</span>{sep}{}</div>"#,
                        esc(&l.fatalities),
                        view.lingo.num(e.fatalities),
                        esc(&l.injuries),
                        opt(&view.lingo, e.injuries),
                        esc(&l.arrests),
                        opt(&view.lingo, e.arrests),
                        esc(&l.grade),
                        esc(item.grade),
                        esc(&view.lingo.sources(item.source_count)),
                        sep = esc(&l.sep),
                    )?;
                    if !item.notes.trim().is_empty() {
                        writeln!(
                            out,
                            r#"<p class="notes" dir="auto">{}</p>"#,
                            esc(item.notes.trim())
                        )?;
                    }
                    writeln!(out, "</article>")?;
                }
            }
        }
        writeln!(out, "</section>")?;
    }

    writeln!(
        out,
        r#"<footer><h2>{}</h2><p class="note">{}</p><p class="note">{}</p>{}</footer>
</body>
</html>"#,
        esc(&l.about_grades),
        esc(&l.grades_note),
        esc(&l.redaction_note),
        digest
            .audit_head
            .as_deref()
            .map(|h| format!(
                r#"<p class="note audit-head">{} <code dir="ltr">{}</code></p>"#,
                esc(&l.audit_head),
                esc(h)
            ))
            .unwrap_or_default()
    )?;
    Ok(())
}
