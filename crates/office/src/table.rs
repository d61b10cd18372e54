//! A statistics table as the plan prints it, independent of file format.
//!
//! Terms:
//! - A **header** is a tree: a [`Header::Column`] is one column of data; a
//!   [`Header::Group`] is a cell merged over the columns of its children,
//!   such as 贫困乡镇数量 over 总数 and 其中有产业指导员的乡镇数.
//! - The **heading** names who reports and when (填报单位, 填报日期).
//! - **Notes** are the lines printed under the table (注、填表说明).
//!
//! [`crate::xlsx`] draws a [`Table`] with merged cells; [`crate::csv_out`]
//! flattens its header to one row, joining the path with `-`.

use chrono::{Datelike, NaiveDate};

/// One node of a table's header.
#[derive(Debug, Clone, PartialEq)]
pub enum Header {
    /// A column of data: its label and its width in characters.
    Column { label: String, width: f64 },
    /// A label merged over the columns of its children.
    Group {
        label: String,
        children: Vec<Header>,
    },
}

impl Header {
    /// A column `width` characters wide.
    pub fn column(label: impl Into<String>, width: f64) -> Self {
        Header::Column {
            label: label.into(),
            width,
        }
    }

    /// A group over `children`.
    pub fn group(label: impl Into<String>, children: Vec<Header>) -> Self {
        Header::Group {
            label: label.into(),
            children,
        }
    }

    /// The label printed in this node's cell.
    pub fn label(&self) -> &str {
        match self {
            Header::Column { label, .. } | Header::Group { label, .. } => label,
        }
    }

    /// Rows this node and its descendants take in the header.
    pub fn depth(&self) -> usize {
        match self {
            Header::Column { .. } => 1,
            Header::Group { children, .. } => {
                1 + children.iter().map(Header::depth).max().unwrap_or(0)
            }
        }
    }

    /// Data columns under this node.
    pub fn width(&self) -> usize {
        match self {
            Header::Column { .. } => 1,
            Header::Group { children, .. } => children.iter().map(Header::width).sum(),
        }
    }
}

/// The label of every data column, each with its group labels before it,
/// joined by `-`: `贫困乡镇数量-总数`.
pub fn flat_labels(headers: &[Header]) -> Vec<String> {
    let mut labels = Vec::new();
    for header in headers {
        flatten_into(header, "", &mut labels);
    }
    labels
}

fn flatten_into(header: &Header, prefix: &str, labels: &mut Vec<String>) {
    let path = if prefix.is_empty() {
        header.label().to_owned()
    } else {
        format!("{prefix}-{}", header.label())
    };
    match header {
        Header::Column { .. } => labels.push(path),
        Header::Group { children, .. } => {
            for child in children {
                flatten_into(child, &path, labels);
            }
        }
    }
}

/// The width in characters of every data column, left to right.
pub fn column_widths(headers: &[Header]) -> Vec<f64> {
    fn walk(header: &Header, widths: &mut Vec<f64>) {
        match header {
            Header::Column { width, .. } => widths.push(*width),
            Header::Group { children, .. } => children.iter().for_each(|c| walk(c, widths)),
        }
    }
    let mut widths = Vec::new();
    headers.iter().for_each(|h| walk(h, &mut widths));
    widths
}

/// One cell of the table body.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// A whole number.
    Count(u64),
    /// An exact decimal, written as a number in the sheet; `text` is how it
    /// reads (`12.5`), which CSV keeps as is.
    Decimal {
        text: String,
        number: f64,
    },
    Blank,
}

impl Value {
    /// A text cell.
    pub fn text(text: impl Into<String>) -> Self {
        Value::Text(text.into())
    }

    /// A decimal cell from its exact text, such as `Amount::to_string` or
    /// `tally::wan_yuan` gives; text that is not a number stays text.
    pub fn decimal(text: impl Into<String>) -> Self {
        let text = text.into();
        match text.parse::<f64>() {
            Ok(number) => Value::Decimal { text, number },
            Err(_) => Value::Text(text),
        }
    }

    /// The cell as CSV writes it.
    pub fn as_text(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Count(n) => n.to_string(),
            Value::Decimal { text, .. } => text.clone(),
            Value::Blank => String::new(),
        }
    }
}

/// Who reports and when, printed above the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 填报单位, e.g. `某某县产业指导员联络办公室`.
    pub unit: String,
    /// 填报日期.
    pub date: NaiveDate,
}

impl Heading {
    pub fn new(unit: impl Into<String>, date: NaiveDate) -> Self {
        Self {
            unit: unit.into(),
            date,
        }
    }

    /// `填报单位：…`
    pub fn unit_line(&self) -> String {
        format!("填报单位：{}", self.unit)
    }

    /// `填报日期：2024年6月15日`
    pub fn date_line(&self) -> String {
        format!("填报日期：{}", chinese_date(self.date))
    }
}

/// A date as the forms write it: `2024年6月15日`.
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A whole table, ready to be written as XLSX or CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's tab name.
    pub sheet_name: String,
    /// The title over the table, e.g. 贫困户产业指导员基本情况统计表.
    pub title: String,
    pub heading: Heading,
    /// Printed at the right above the header, e.g. `单位：个、户、人`.
    pub unit_note: Option<String>,
    pub headers: Vec<Header>,
    pub rows: Vec<Vec<Value>>,
    /// The 合计 row, when the table has one; its first cells carry the
    /// label.
    pub total: Option<Vec<Value>>,
    /// Lines under the table.
    pub notes: Vec<String>,
    /// Height of each body row in points; taller where inspectors write by
    /// hand.
    pub row_height: f64,
}

/// Height of a body row: one line of 10-point text with room around it.
pub const ROW_HEIGHT: f64 = 18.0;

impl Table {
    /// Data columns in the table.
    pub fn width(&self) -> usize {
        self.headers.iter().map(Header::width).sum()
    }

    /// Rows the header takes.
    pub fn header_depth(&self) -> usize {
        self.headers.iter().map(Header::depth).max().unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattening_joins_group_labels() {
        let headers = vec![
            Header::column("序号", 4.0),
            Header::group(
                "A",
                vec![
                    Header::column("x", 4.0),
                    Header::group("B", vec![Header::column("y", 4.0)]),
                ],
            ),
        ];
        assert_eq!(flat_labels(&headers), ["序号", "A-x", "A-B-y"]);
        assert_eq!(headers[1].depth(), 3);
        assert_eq!(headers[1].width(), 2);
    }

    #[test]
    fn decimals_keep_their_text() {
        assert_eq!(Value::decimal("0.0125").as_text(), "0.0125");
        assert!(matches!(Value::decimal("x"), Value::Text(_)));
    }
}
