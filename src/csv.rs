//! `parseActivationCodesCsv`: the activation code files mobile operators hand out, read into
//! Graph's `embeddedSIMActivationCode`s, so a portal goes from an operator's file to a pool in one
//! step. Two layouts:
//!
//! - Intune's eSIM import layout: a first line with the SM-DP+ server address and a friendly
//!   name, then one `ICCID,MatchingID` line per code.
//! - Three columns, `ICCID,MatchingID,SM-DP+ address`, with or without a header line.
//!
//! A byte-order mark, CRLF line ends, blank lines, quoting and spaces around fields are
//! tolerated. Every bad line is reported with its number. The CSV grammar itself is csv-core's.

use crate::prelude::*;
use csv_core::{ReadFieldResult, Reader};

use crate::activation_code::{is_iccid, is_smdp_address};
use crate::error::Issue;
use crate::model::EmbeddedSimActivationCode;
use crate::text::decimal;
use crate::validate::{activation_code_problems, duplicate_iccids};

/// What a file holds: its codes, and the friendly name of Intune's layout (a pool name to offer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivationCodeFile {
    pub display_name: Option<String>,
    pub activation_codes: Vec<EmbeddedSimActivationCode>,
}

/// One CSV record: the line it starts on (1-based) and its trimmed fields.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    line: usize,
    fields: Vec<String>,
}

pub fn parse(text: &str) -> Result<ActivationCodeFile, Vec<Issue>> {
    let records = records(text);
    let mut issues = Vec::new();
    let Some(first) = records.first() else {
        return Err(vec![Issue::new("file", "has no activation codes: it is empty")]);
    };

    // Intune's layout starts with "<SM-DP+ address>,<friendly name>"; the three-column layout may
    // start with a header, which is any first line whose first field is not an ICCID.
    let intune = first.fields.len() == 2 && !is_iccid(field(first, 0));
    let (display_name, smdp, rows) = if intune {
        let smdp = field(first, 0);
        if !is_smdp_address(smdp) {
            issues.push(Issue::new(
                line_path(first.line),
                "must be the SM-DP+ server's host name and a friendly name (Intune's layout), like smdp.example.com,Contoso eSIM",
            ));
        }
        let name = Some(field(first, 1)).filter(|n| !n.is_empty()).map(str::to_owned);
        (name, Some(smdp), records.get(1..).unwrap_or_default())
    } else if !is_iccid(field(first, 0)) && first.fields.len() == 3 {
        (None, None, records.get(1..).unwrap_or_default())
    } else {
        (None, None, records.as_slice())
    };

    let expected = if smdp.is_some() { 2 } else { 3 };
    let mut codes = Vec::with_capacity(rows.len());
    let mut lines = Vec::with_capacity(rows.len());
    for r in rows {
        if r.fields.len() != expected {
            let want = if expected == 2 {
                "2 (ICCID,MatchingID), as the first line is Intune's header"
            } else {
                "3 (ICCID,MatchingID,SM-DP+ address)"
            };
            issues.push(Issue::new(
                line_path(r.line),
                joined(&["has ", &decimal(r.fields.len()), " fields; expected ", want]),
            ));
            continue;
        }
        let code = EmbeddedSimActivationCode {
            integrated_circuit_card_identifier: field(r, 0).to_owned(),
            matching_identifier: field(r, 1).to_owned(),
            smdp_plus_server_address: smdp.unwrap_or_else(|| field(r, 2)).to_owned(),
        };
        let mut problems = activation_code_problems(&code);
        if code.integrated_circuit_card_identifier.is_empty() {
            problems.push(("integratedCircuitCardIdentifier", "is empty"));
        }
        if code.smdp_plus_server_address.is_empty() {
            problems.push(("smdpPlusServerAddress", "is empty"));
        }
        for (name, rule) in problems {
            // On Intune's layout the address is the header's: reported once there, not per row.
            if smdp.is_none() || name != "smdpPlusServerAddress" {
                issues.push(Issue::new(line_path(r.line), joined(&[name, " ", rule])));
            }
        }
        codes.push(code);
        lines.push(r.line);
    }
    for (i, first) in duplicate_iccids(&codes) {
        let (line, first_line) = (lines.get(i).copied().unwrap_or(0), lines.get(first).copied().unwrap_or(0));
        issues.push(Issue::new(line_path(line), joined(&["repeats the ICCID of line ", &decimal(first_line)])));
    }
    if codes.is_empty() && issues.is_empty() {
        issues.push(Issue::new("file", "has no activation codes, only a header line"));
    }
    if issues.is_empty() {
        Ok(ActivationCodeFile { display_name, activation_codes: codes })
    } else {
        Err(issues)
    }
}

/// A record's field, borrowed (empty past its end): a field is copied only into the code it
/// becomes.
fn field(r: &Record, i: usize) -> &str {
    r.fields.get(i).map_or("", String::as_str)
}

fn line_path(line: usize) -> String {
    joined(&["line ", &decimal(line)])
}

/// The file's non-blank records, each with the line it starts on.
fn records(text: &str) -> Vec<Record> {
    let bytes = text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes();
    let mut reader = Reader::new();
    let mut out = Vec::new();
    let mut buf = [0u8; 1024];
    let mut field = Vec::new();
    let mut fields = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    let mut record_line = None;
    loop {
        // Blank lines between records are skipped here, so each record knows its own line.
        if record_line.is_none() {
            while let Some(b) = bytes.get(pos).filter(|b| matches!(b, b'\n' | b'\r')) {
                line += usize::from(*b == b'\n');
                pos += 1;
            }
            record_line = Some(line);
        }
        let input = bytes.get(pos..).unwrap_or_default();
        let (result, nin, nout) = reader.read_field(input, &mut buf);
        line += input.get(..nin).unwrap_or_default().iter().filter(|b| **b == b'\n').count();
        pos += nin;
        field.extend_from_slice(buf.get(..nout).unwrap_or_default());
        match result {
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            ReadFieldResult::Field { record_end } => {
                // csv-core cuts only at ASCII bytes, so a field of a `&str` is UTF-8.
                fields.push(crate::text::trim(core::str::from_utf8(&field).unwrap_or_default()).to_owned());
                field.clear();
                if record_end {
                    if fields.iter().any(|f| !f.is_empty()) {
                        out.push(Record { line: record_line.unwrap_or(line), fields: core::mem::take(&mut fields) });
                    }
                    fields.clear();
                    record_line = None;
                }
            }
            ReadFieldResult::End => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, Vec<String>)> {
        records(text).into_iter().map(|r| (r.line, r.fields)).collect()
    }

    #[test]
    fn records_know_their_lines_through_blank_lines_crlf_and_quotes() {
        let text = "\u{feff}a,b\r\n\r\n\n\"c,1\" , d \r\n\"multi\nline\",e\nf,g";
        assert_eq!(
            lines(text),
            vec![
                (1, vec!["a".into(), "b".into()]),
                (4, vec!["c,1".into(), "d".into()]),
                (5, vec!["multi\nline".into(), "e".into()]),
                (7, vec!["f".into(), "g".into()]),
            ]
        );
        assert_eq!(lines(""), vec![]);
        assert_eq!(lines("\n\n"), vec![]);
    }
}
