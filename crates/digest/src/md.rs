//! The Markdown digest: the same text as the HTML one, for pasting into a newsletter or a
//! repository. Markdown has no pictures of its own, so the timeline is a column of bars
//! drawn with block characters and the map is left to the HTML and PDF digests.
//!
//! Text from events is escaped with [`esc`] so a note cannot open a link, an image or
//! raw HTML.

use crate::view::{opt, View};
use crate::{DigestInput, Lang};
use std::io::{self, Write};

/// Escapes text so Markdown shows it literally, on one line.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    // A list marker or a numbered item only counts at the start of the text.
    if out.starts_with(['-', '+']) {
        out.insert(0, '\\');
    } else if let Some(dot) = out.find(['.', ')']) {
        if dot > 0 && out[..dot].chars().all(|c| c.is_ascii_digit()) {
            out.insert(dot, '\\');
        }
    }
    out
}

pub(crate) fn render(digest: &DigestInput, out: &mut impl Write) -> io::Result<()> {
    let view = View::new(digest);
    let l = &view.lingo.labels;
    let rtl = digest.lang == Lang::Fa;
    if rtl {
        writeln!(out, "<div dir=\"rtl\">\n")?;
    }
    let title = digest.title.clone().unwrap_or_else(|| l.title.clone());
    writeln!(out, "# {}\n", esc(&title))?;
    writeln!(out, "**{}**\n", esc(&view.period(digest)))?;

    writeln!(out, "## {}\n", esc(&l.summary))?;
    if view.summary.total.events == 0 {
        writeln!(out, "{}\n", esc(&l.no_events))?;
    } else {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
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
                "| {} | {} | {} | {} | {} |",
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
            "| **{}** | **{}** | **{}** | **{}** | **{}** |\n",
            esc(&l.total),
            num(t.events as u64),
            num(t.fatalities),
            num(t.injuries),
            num(t.arrests)
        )?;
        writeln!(out, "*{}*\n", esc(&l.figures_note))?;

        writeln!(out, "## {}\n", esc(&l.timeline))?;
        let days = view.per_day(digest);
        let most = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
        writeln!(out, "```")?;
        for (day, n, _) in days.iter().filter(|d| d.1 > 0) {
            let bar = "█".repeat((n * 40).div_ceil(most));
            writeln!(out, "{} {bar} {}", day.format("%Y-%m-%d"), n)?;
        }
        writeln!(out, "```\n")?;

        writeln!(out, "## {}\n", esc(&l.by_place))?;
        for province in &view.provinces {
            writeln!(out, "### {}\n", esc(&view.province_name(&province.name)))?;
            for (city, items) in &province.cities {
                writeln!(out, "#### {}\n", esc(&view.city_name(city)))?;
                for item in items {
                    let e = item.event;
                    let mut head = view.lingo.event_date(item.date, e.time_precision);
                    if let Some(district) = view.district(item) {
                        head.push_str(&l.sep);
                        head.push_str(&district);
                    }
                    writeln!(out, "- **{}** — {}  ", esc(&head), esc(&view.kind(e)))?;
                    write!(
                        out,
                        "  {} {}{sep}{} {}{sep}{} {}{sep}{} **{}**{sep}{}",
                        esc(&l.fatalities),
                        view.lingo.num(e.fatalities),
                        esc(&l.injuries),
                        opt(&view.lingo, e.injuries),
                        esc(&l.arrests),
                        opt(&view.lingo, e.arrests),
                        esc(&l.grade),
                        esc(item.grade),
                        esc(&view.lingo.sources(item.source_count)),
                        sep = l.sep,
                    )?;
                    if item.notes.trim().is_empty() {
                        writeln!(out)?;
                    } else {
                        writeln!(out, "  \n  {}", esc(item.notes.trim()))?;
                    }
                }
                writeln!(out)?;
            }
        }
    }
    writeln!(out, "---\n\n**{}**  ", esc(&l.about_grades))?;
    writeln!(out, "{}\n", esc(&l.grades_note))?;
    writeln!(out, "*{}*", esc(&l.redaction_note))?;
    if let Some(h) = &digest.audit_head {
        writeln!(out, "\n{} `{}`", esc(&l.audit_head), h.replace('`', ""))?;
    }
    if rtl {
        writeln!(out, "\n</div>")?;
    }
    Ok(())
}
