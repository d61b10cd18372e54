//! Draws Attachment 5 as a printable form: the section title merged down
//! column A, the fields in columns B to H, repeating sections as small
//! tables with at least [`MIN_ROWS`] lines so that a printed copy can be
//! filled by hand.

use fieldledger_model::{Household, Ledger};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::fields::{self, SECTIONS};
use super::{NOTE, TITLE};
use crate::ExportError;
use crate::table::Value;
use crate::xlsx::{Styles, merge, wrapped_lines};

/// Lines a repeating section shows even when it holds fewer rows.
const MIN_ROWS: usize = 2;

/// Width of column A, which holds the section titles: six characters a line.
const SECTION_WIDTH: f64 = 14.0;

/// Width of each of columns B to H: an 18-character ID number on one line.
const FIELD_WIDTH: f64 = 19.0;

/// Points per wrapped line, as in the statistics tables.
const LINE_HEIGHT: f64 = 14.0;

/// A cell over columns `first..=last`.
type Span = (u16, u16);

const SEVEN: [Span; 7] = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7)];
const SIX: [Span; 6] = [(1, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7)];
const LABOUR: [Span; 5] = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 7)];
const EMPLOYED: [Span; 5] = [(1, 2), (3, 3), (4, 4), (5, 5), (6, 7)];
const THREE_PAIRS: [Span; 6] = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 7)];
const TWO_PAIRS: [Span; 4] = [(1, 1), (2, 3), (4, 5), (6, 7)];
const LABEL_AND_TEXT: [Span; 2] = [(1, 1), (2, 7)];

/// The last column of the form, H.
const LAST: u16 = 7;

/// The form as a one-sheet workbook.
pub fn workbook(household: &Household, ledger: &Ledger) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("附件5")?;
    let mut form = Form {
        sheet,
        styles: Styles::new(),
        row: 0,
    };
    form.draw(household, ledger)?;

    Ok(book.save_to_buffer()?)
}

/// A worksheet being filled from the top, line by line.
struct Form<'a> {
    sheet: &'a mut Worksheet,
    styles: Styles,
    row: u32,
}

impl Form<'_> {
    fn draw(&mut self, household: &Household, ledger: &Ledger) -> Result<(), ExportError> {
        self.sheet.set_column_width(0, SECTION_WIDTH)?;
        for c in 1..=LAST {
            self.sheet.set_column_width(c, FIELD_WIDTH)?;
        }
        self.top(household, ledger)?;
        self.section(0, |f| f.basic(household, ledger))?;
        self.section(1, |f| f.resources(ledger))?;
        self.section(2, |f| {
            f.table(&LABOUR, &fields::LABOUR, fields::labour(ledger))
        })?;
        self.section(3, |f| f.intent(ledger))?;
        self.section(4, |f| f.income(ledger))?;
        self.section(5, |f| f.participation(ledger))?;
        self.section(6, |f| {
            f.table(&SEVEN, &fields::LINKS, fields::links(ledger))
        })?;
        self.section(7, |f| f.table(&SIX, &fields::SALES, fields::sales(ledger)))?;
        let note_row = self.row;
        merge(
            self.sheet,
            note_row,
            0,
            note_row,
            LAST,
            NOTE,
            &self.styles.note,
        )?;
        self.sheet.set_row_height(note_row, 20)?;
        self.print_setup(note_row)
    }

    /// Title, then the location and the year.
    fn top(&mut self, household: &Household, ledger: &Ledger) -> Result<(), ExportError> {
        merge(self.sheet, 0, 0, 0, LAST, TITLE, &self.styles.title)?;
        self.sheet.set_row_height(0, 32)?;
        let l = &household.location;
        let parts = [&l.county, &l.township, &l.village, &l.group];
        let location: Vec<String> = fields::LOCATION
            .iter()
            .zip(parts)
            .map(|(label, value)| format!("{label}：{value}"))
            .collect();
        merge(
            self.sheet,
            1,
            0,
            1,
            5,
            &location.join("　　"),
            &self.styles.left,
        )?;
        let year = format!("年度：{}年", ledger.year);
        merge(self.sheet, 1, 6, 1, LAST, &year, &self.styles.right)?;
        self.sheet.set_row_height(1, 22)?;
        self.row = 2;

        Ok(())
    }

    /// Draws a section's lines with `body`, then its title down column A.
    fn section(
        &mut self,
        index: usize,
        body: impl FnOnce(&mut Self) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        let first = self.row;
        body(self)?;
        let last = self.row - 1;
        let style = self.styles.header.clone();
        merge(self.sheet, first, 0, last, 0, SECTIONS[index], &style)
    }

    /// One line of cells; labels bold, values plain. The line grows to fit
    /// its longest text.
    fn line(&mut self, spans: &[Span], values: &[Value], labels: bool) -> Result<(), ExportError> {
        let row = self.row;
        let mut lines: f64 = 1.0;
        for (i, (first, last)) in spans.iter().copied().enumerate() {
            let value = values.get(i).cloned().unwrap_or(Value::Blank);
            let style = self.cell_style(labels, &value);
            let width = f64::from(last - first + 1) * FIELD_WIDTH;
            lines = lines.max(wrapped_lines(&value.as_text(), width));
            self.cell(row, (first, last), &value, &style)?;
        }
        self.sheet.set_row_height(row, lines * LINE_HEIGHT + 6.0)?;
        self.row += 1;

        Ok(())
    }

    /// Label-value pairs on one line: every even cell a label.
    fn pairs(&mut self, spans: &[Span], values: Vec<Value>) -> Result<(), ExportError> {
        let row = self.row;
        let mut lines: f64 = 1.0;
        for (i, ((first, last), value)) in spans.iter().copied().zip(values).enumerate() {
            let style = self.cell_style(i % 2 == 0, &value);
            let width = f64::from(last - first + 1) * FIELD_WIDTH;
            lines = lines.max(wrapped_lines(&value.as_text(), width));
            self.cell(row, (first, last), &value, &style)?;
        }
        self.sheet.set_row_height(row, lines * LINE_HEIGHT + 6.0)?;
        self.row += 1;

        Ok(())
    }

    fn cell_style(&self, label: bool, value: &Value) -> Format {
        match (label, value) {
            (true, _) => self.styles.header.clone(),
            (false, Value::Count(_) | Value::Decimal { .. }) => self.styles.number.clone(),
            (false, _) => self.styles.text.clone(),
        }
    }

    fn cell(
        &mut self,
        row: u32,
        (first, last): Span,
        value: &Value,
        style: &Format,
    ) -> Result<(), ExportError> {
        if first != last {
            merge(self.sheet, row, first, row, last, "", style)?;
        }
        match value {
            Value::Count(n) => self
                .sheet
                .write_number_with_format(row, first, *n as f64, style)?,
            Value::Decimal { number, .. } => self
                .sheet
                .write_number_with_format(row, first, *number, style)?,
            other => self
                .sheet
                .write_string_with_format(row, first, other.as_text(), style)?,
        };
        Ok(())
    }

    /// A repeating section: the label line, then the rows, padded to
    /// [`MIN_ROWS`].
    fn table(
        &mut self,
        spans: &[Span],
        labels: &[&str],
        rows: Vec<Vec<Value>>,
    ) -> Result<(), ExportError> {
        let labels: Vec<Value> = labels.iter().map(|l| Value::text(*l)).collect();
        self.line(spans, &labels, true)?;
        let blanks = MIN_ROWS.saturating_sub(rows.len());
        for row in rows
            .into_iter()
            .chain(std::iter::repeat_n(Vec::new(), blanks))
        {
            let row: Vec<Value> = if row.is_empty() {
                vec![Value::Blank; spans.len()]
            } else {
                row
            };
            self.line(spans, &row, false)?;
        }
        Ok(())
    }

    fn basic(&mut self, household: &Household, ledger: &Ledger) -> Result<(), ExportError> {
        let [name, id, population, causes] = fields::BASIC;
        let size = ledger
            .basic
            .population
            .map_or(Value::Blank, |p| Value::Count(u64::from(p)));
        self.pairs(
            &THREE_PAIRS,
            vec![
                Value::text(name),
                Value::text(&household.head_name),
                Value::text(id),
                Value::text(&household.id_number),
                Value::text(population),
                size,
            ],
        )?;
        let causes_text = fields::boxes(&ledger.basic.poverty_causes);
        self.pairs(
            &LABEL_AND_TEXT,
            vec![Value::text(causes), Value::text(causes_text)],
        )
    }

    fn resources(&mut self, ledger: &Ledger) -> Result<(), ExportError> {
        let labels = fields::RESOURCES;
        let [cultivated, under_15, mid, over_25, forest] = fields::resources(ledger);
        self.pairs(
            &TWO_PAIRS,
            vec![
                Value::text(labels[0]),
                cultivated,
                Value::text(labels[4]),
                forest,
            ],
        )?;
        self.pairs(
            &THREE_PAIRS,
            vec![
                Value::text(labels[1]),
                under_15,
                Value::text(labels[2]),
                mid,
                Value::text(labels[3]),
                over_25,
            ],
        )
    }

    fn intent(&mut self, ledger: &Ledger) -> Result<(), ExportError> {
        let industries = fields::boxes(&ledger.intent.industries);
        let work: Vec<_> = ledger.intent.work.iter().copied().collect();
        self.pairs(
            &LABEL_AND_TEXT,
            vec![Value::text(fields::INTENT[0]), Value::text(industries)],
        )?;
        let work = fields::work_boxes(&work);
        self.pairs(
            &LABEL_AND_TEXT,
            vec![Value::text(fields::INTENT[1]), Value::text(work)],
        )
    }

    fn income(&mut self, ledger: &Ledger) -> Result<(), ExportError> {
        let labels = fields::INCOME;
        let [last, last_farm, expected, expected_farm] = fields::income(ledger);
        self.pairs(
            &TWO_PAIRS,
            vec![
                Value::text(labels[0]),
                last,
                Value::text(labels[1]),
                last_farm,
            ],
        )?;
        self.pairs(
            &TWO_PAIRS,
            vec![
                Value::text(labels[2]),
                expected,
                Value::text(labels[3]),
                expected_farm,
            ],
        )
    }

    fn participation(&mut self, ledger: &Ledger) -> Result<(), ExportError> {
        let main = fields::main_work(ledger);
        self.pairs(
            &LABEL_AND_TEXT,
            vec![Value::text(fields::MAIN_WORK), Value::text(main)],
        )?;
        self.table(&SEVEN, &fields::OWN, fields::own(ledger))?;
        self.table(&EMPLOYED, &fields::EMPLOYED, fields::employed(ledger))
    }

    /// A4 landscape, one page wide, the title and location repeated.
    fn print_setup(&mut self, last_row: u32) -> Result<(), ExportError> {
        /// Paper size code of A4 in the XLSX page setup.
        const A4: u8 = 9;
        self.sheet.set_paper_size(A4);
        self.sheet.set_landscape();
        self.sheet.set_print_fit_to_pages(1, 0);
        self.sheet.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
        self.sheet.set_print_center_horizontally(true);
        self.sheet.set_print_area(0, 0, last_row, LAST)?;
        self.sheet.set_repeat_rows(0, 1)?;
        self.sheet.set_footer("&C第 &P 页，共 &N 页");

        Ok(())
    }
}
