//! Reading reports from the inputs a user names: `.txt`/`.md` files (one report or one
//! multi-report document each), `.jsonl` files (one report a line), `-` for standard input,
//! and directories, walked in name order.
//!
//! Bad input is normal here: an empty, binary, oversized or non-UTF-8 file, or a malformed
//! JSONL line, becomes an [`InputError`] that names the file (and line), and the reports
//! around it are still read.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use unrest_model::Report;

/// The largest report accepted, in bytes: far above any field report, small enough that
/// one hostile file cannot exhaust memory.
pub const MAX_REPORT_BYTES: usize = 2 * 1024 * 1024;

/// An input that could not be read as a report.
#[derive(Debug)]
pub struct InputError {
    pub source: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.source, l, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

impl std::error::Error for InputError {}

fn error(source: &str, line: Option<usize>, message: impl Into<String>) -> InputError {
    InputError {
        source: source.to_string(),
        line,
        message: message.into(),
    }
}

/// Every report of the inputs, in order; errors in place of what could not be read.
/// Lazy: a file is opened when its first report is wanted and a JSONL file is read a line
/// at a time, so memory stays bounded by the largest report however long the input.
pub fn read_reports(paths: &[PathBuf]) -> impl Iterator<Item = Result<Report, InputError>> {
    let mut files: Vec<Result<PathBuf, InputError>> = Vec::new();
    for p in paths {
        collect(p, &mut files, true);
    }
    files.into_iter().flat_map(|f| match f {
        Ok(path) => read_path(&path),
        Err(e) => Reports::One(Some(Err(e))),
    })
}

/// The reports of one input: a single one (a text file, or an error), or JSON lines.
enum Reports {
    One(Option<Result<Report, InputError>>),
    Lines(JsonLines<Box<dyn BufRead>>),
}

impl Iterator for Reports {
    type Item = Result<Report, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Reports::One(r) => r.take(),
            Reports::Lines(l) => l.next(),
        }
    }
}

fn collect(path: &Path, out: &mut Vec<Result<PathBuf, InputError>>, named: bool) {
    if path.as_os_str() == "-" {
        out.push(Ok(path.to_path_buf()));
        return;
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    out.push(Err(error(&path.display().to_string(), None, e.to_string())));
                    return;
                }
            };
            entries.sort();
            for e in entries {
                collect(&e, out, false);
            }
        }
        Ok(_) => {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            // In a walked directory only report files count; a file named on the command
            // line is read whatever its name.
            if named || matches!(ext, "txt" | "md" | "jsonl") {
                out.push(Ok(path.to_path_buf()));
            }
        }
        Err(e) => out.push(Err(error(&path.display().to_string(), None, e.to_string()))),
    }
}

fn read_path(path: &Path) -> Reports {
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let jsonl = path.extension().is_some_and(|e| e == "jsonl");
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => return Reports::One(Some(Err(error(&name, None, e.to_string())))),
        }
    };
    let mut reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(64 * 1024, reader));
    // Standard input holds one report, or JSON lines when it starts with an object.
    let stdin_jsonl = path.as_os_str() == "-"
        && reader
            .fill_buf()
            .is_ok_and(|b| b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{'));
    if jsonl || stdin_jsonl {
        Reports::Lines(JsonLines::new(name, reader))
    } else {
        Reports::One(Some(read_text(&name, reader)))
    }
}

fn read_text(name: &str, reader: impl Read) -> Result<Report, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_REPORT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(name, None, e.to_string()))?;
    let text = check_text(name, None, bytes)?;
    Ok(Report {
        id: name.to_string(),
        text,
        reference_date: None,
        lang: None,
    })
}

fn check_text(name: &str, line: Option<usize>, bytes: Vec<u8>) -> Result<String, InputError> {
    if bytes.len() > MAX_REPORT_BYTES {
        return Err(error(
            name,
            line,
            format!(
                "report larger than {} bytes; split it or raise the limit",
                MAX_REPORT_BYTES
            ),
        ));
    }
    if bytes.contains(&0) {
        return Err(error(
            name,
            line,
            "binary file (contains NUL bytes), not a report",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        error(
            name,
            line,
            format!("not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
        )
    })?;
    if text.trim().is_empty() {
        return Err(error(name, line, "empty report"));
    }
    Ok(text)
}

#[derive(serde::Deserialize)]
struct JsonReport {
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    reference_date: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// The reports of a JSONL input, one line read (and held) at a time.
struct JsonLines<R> {
    name: String,
    reader: R,
    line_no: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    fn new(name: String, reader: R) -> Self {
        JsonLines {
            name,
            reader,
            line_no: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<Report, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        let name = self.name.as_str();
        while !self.done {
            self.buf.clear();
            self.line_no += 1;
            let line_no = self.line_no;
            // Bounded read: a line over the limit is skipped to its end, not held in memory.
            let mut too_long = false;
            loop {
                let chunk = match self.reader.fill_buf() {
                    Ok(c) => c,
                    Err(e) => {
                        self.done = true;
                        return Some(Err(error(name, Some(line_no), e.to_string())));
                    }
                };
                if chunk.is_empty() {
                    break;
                }
                let (take, end) = match chunk.iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (chunk.len(), false),
                };
                if self.buf.len() + take <= MAX_REPORT_BYTES * 2 {
                    self.buf.extend_from_slice(&chunk[..take]);
                } else {
                    too_long = true;
                }
                self.reader.consume(take);
                if end {
                    break;
                }
            }
            if self.buf.is_empty() && !too_long {
                self.done = true;
                return None;
            }
            if too_long {
                // A line that once reached the limit leaves no large buffer behind.
                self.buf = Vec::new();
                return Some(Err(error(name, Some(line_no), "line too long; skipped")));
            }
            let line = String::from_utf8_lossy(&self.buf);
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let report = parse_json_line(name, line_no, line);
            if self.buf.capacity() > 64 * 1024 {
                self.buf = Vec::new();
            }
            return Some(report);
        }
        None
    }
}

#[cfg(test)]
fn read_jsonl(name: &str, reader: impl BufRead) -> Vec<Result<Report, InputError>> {
    JsonLines::new(name.to_string(), reader).collect()
}

fn parse_json_line(name: &str, line_no: usize, line: &str) -> Result<Report, InputError> {
    let r: JsonReport = serde_json::from_str(line)
        .map_err(|e| error(name, Some(line_no), format!("not a report object: {e}")))?;
    let text = check_text(name, Some(line_no), r.text.into_bytes())?;
    if let Some(d) = &r.reference_date {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            error(
                name,
                Some(line_no),
                format!("reference_date {d:?} is not YYYY-MM-DD"),
            )
        })?;
    }
    if let Some(l) = &r.lang {
        if !matches!(l.as_str(), "en" | "fa" | "auto") {
            return Err(error(
                name,
                Some(line_no),
                format!("lang {l:?}: expected en, fa or auto"),
            ));
        }
    }
    let id = match r.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => format!("{name}:{line_no}"),
        Some(other) => other.to_string(),
    };
    // PostgreSQL text cannot hold NUL: one such line would fail the whole batch there.
    if id.contains('\0') {
        return Err(error(
            name,
            Some(line_no),
            "the id contains a NUL character (\\u0000); line skipped",
        ));
    }
    Ok(Report {
        id,
        text,
        reference_date: r.reference_date,
        lang: r.lang,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jsonl_line_with_a_nul_is_named_and_skipped_and_the_rest_is_read() {
        let src = "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\\u0000\",\"text\":\"y\"}\n{\"id\":\"c\",\"text\":\"z\\u0000\"}\n{\"id\":\"d\",\"text\":\"w\"}\n";
        let out = read_jsonl("in.jsonl", src.as_bytes());
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].as_ref().unwrap().id, "a");
        let e1 = out[1].as_ref().unwrap_err().to_string();
        assert!(e1.starts_with("in.jsonl:2: ") && e1.contains("NUL"), "{e1}");
        let e2 = out[2].as_ref().unwrap_err().to_string();
        assert!(e2.starts_with("in.jsonl:3: ") && e2.contains("NUL"), "{e2}");
        assert_eq!(out[3].as_ref().unwrap().id, "d");
    }

    /// Endless JSON lines: what a pipe from another program may be.
    struct Endless(usize);

    impl Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let line = format!(
                "{{\"id\":\"r{}\",\"text\":\"Crowds in Tehran.\"}}\n",
                self.0
            );
            let n = line.len().min(out.len());
            out[..n].copy_from_slice(&line.as_bytes()[..n]);
            if n == line.len() {
                self.0 += 1;
            }
            Ok(n)
        }
    }

    #[test]
    fn jsonl_input_is_read_a_line_at_a_time_so_reports_flow_before_the_input_ends() {
        let reports: Vec<String> = JsonLines::new("pipe".into(), BufReader::new(Endless(0)))
            .take(3)
            .map(|r| r.unwrap().id)
            .collect();
        assert_eq!(reports, ["r0", "r1", "r2"]);
    }

    #[test]
    fn a_malformed_jsonl_line_is_named_and_the_rest_is_read() {
        let src = "{\"id\":\"a\",\"text\":\"x\"}\n{broken\n{\"id\":2,\"text\":\"y\"}\n";
        let out = read_jsonl("in.jsonl", src.as_bytes());
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].as_ref().unwrap().id, "a");
        assert!(out[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("in.jsonl:2: "));
        assert_eq!(out[2].as_ref().unwrap().id, "2");
    }

    #[test]
    fn binary_and_invalid_utf8_and_empty_inputs_are_refused_with_the_reason() {
        assert!(check_text("f", None, b"a\0b".to_vec())
            .unwrap_err()
            .message
            .contains("binary"));
        assert!(check_text("f", None, vec![0xff, 0xfe])
            .unwrap_err()
            .message
            .contains("UTF-8"));
        assert!(check_text("f", None, b"  \n".to_vec())
            .unwrap_err()
            .message
            .contains("empty"));
    }

    #[test]
    fn a_bad_reference_date_names_the_line() {
        let src = "{\"id\":\"a\",\"text\":\"x\",\"reference_date\":\"22-11-2022\"}\n";
        let out = read_jsonl("in.jsonl", src.as_bytes());
        assert!(out[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("in.jsonl:1: reference_date"));
    }
}
