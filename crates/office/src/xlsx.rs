//! Draws a [`Table`] on a worksheet the way the plan prints it: a centered
//! title, the 填报单位 / 填报日期 line, a bordered header with merged group
//! cells, the rows, the 合计 row and the note lines, set up to print on A4
//! landscape one page wide.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::ExportError;
use crate::table::{Header, ROW_HEIGHT, Table, Value, column_widths};

/// Font of every cell: the usual typeface of government forms; LibreOffice
/// and WPS fall back to a CJK font where it is missing.
pub(crate) const FONT: &str = "宋体";

/// Points per wrapped line of 10-point text, with a little leading.
const LINE_HEIGHT: f64 = 14.0;

/// Column-width units one CJK character takes in a 10-point font.
const CJK_WIDTH: f64 = 2.0;

/// The cell formats of a form.
pub(crate) struct Styles {
    pub title: Format,
    pub left: Format,
    pub right: Format,
    pub header: Format,
    pub text: Format,
    pub number: Format,
    pub total: Format,
    pub note: Format,
}

impl Styles {
    pub fn new() -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(10);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Self {
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            left: base.clone().set_align(FormatAlign::Left),
            right: base.clone().set_align(FormatAlign::Right),
            header: cell.clone().set_bold().set_align(FormatAlign::Center),
            text: cell.clone().set_align(FormatAlign::Center),
            number: cell.clone().set_align(FormatAlign::Right),
            total: cell.set_bold().set_align(FormatAlign::Center),
            note: base.set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// A table as a one-sheet workbook.
pub fn table_to_xlsx(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    write_table(workbook.add_worksheet(), table)?;

    Ok(workbook.save_to_buffer()?)
}

/// Draws `table` on `sheet` from the top left.
pub fn write_table(sheet: &mut Worksheet, table: &Table) -> Result<(), ExportError> {
    let styles = Styles::new();
    let last_col = col(table.width().max(1) - 1)?;
    sheet.set_name(&table.sheet_name)?;
    for (i, width) in column_widths(&table.headers).into_iter().enumerate() {
        sheet.set_column_width(col(i)?, width)?;
    }
    write_top(sheet, table, last_col, &styles)?;
    let depth = table.header_depth();
    write_header(sheet, table, depth, &styles)?;
    let mut row = 3 + depth as u32;
    for values in &table.rows {
        write_row(sheet, row, values, &styles.text, &styles.number)?;
        sheet.set_row_height(row, table.row_height)?;
        row += 1;
    }
    if let Some(total) = &table.total {
        write_total(sheet, row, total, &styles)?;
        sheet.set_row_height(row, ROW_HEIGHT)?;
        row += 1;
    }
    write_notes(sheet, row, last_col, &table.notes, &styles)?;
    print_setup(sheet, row + table.notes.len() as u32, last_col, depth)?;

    Ok(())
}

/// Converts a column index, refusing one past Excel's limit.
pub(crate) fn col(index: usize) -> Result<u16, ExportError> {
    u16::try_from(index).map_err(|_| ExportError::TooLarge)
}

/// Title on row 0; 填报单位 left and 填报日期 right on row 1.
fn write_top(
    sheet: &mut Worksheet,
    table: &Table,
    last_col: u16,
    styles: &Styles,
) -> Result<(), ExportError> {
    merge(sheet, 0, 0, 0, last_col, &table.title, &styles.title)?;
    sheet.set_row_height(0, 32)?;
    let middle = last_col / 2;
    merge(
        sheet,
        1,
        0,
        1,
        middle,
        &table.heading.unit_line(),
        &styles.left,
    )?;
    let mut right = table.heading.date_line();
    if let Some(unit) = &table.unit_note {
        right = format!("{right}　　{unit}");
    }
    merge(sheet, 1, middle + 1, 1, last_col, &right, &styles.right)?;
    sheet.set_row_height(1, 20)?;
    sheet.set_row_height(2, 6)?;

    Ok(())
}

/// Merges a range, or writes one cell when the range is a single cell.
pub(crate) fn merge(
    sheet: &mut Worksheet,
    first_row: u32,
    first_col: u16,
    last_row: u32,
    last_col: u16,
    text: &str,
    format: &Format,
) -> Result<(), ExportError> {
    if first_row == last_row && first_col >= last_col {
        sheet.write_string_with_format(first_row, first_col, text, format)?;
    } else {
        sheet.merge_range(first_row, first_col, last_row, last_col, text, format)?;
    }
    Ok(())
}

/// The header from row 3, groups merged over their columns and columns
/// merged down to the last header row.
fn write_header(
    sheet: &mut Worksheet,
    table: &Table,
    depth: usize,
    styles: &Styles,
) -> Result<(), ExportError> {
    let mut lines = vec![1.0_f64; depth];
    let mut next = 0;
    for header in &table.headers {
        next = draw(sheet, header, (0, next), depth, styles, &mut lines)?;
    }
    for (level, lines) in lines.iter().enumerate() {
        sheet.set_row_height(3 + level as u32, lines * LINE_HEIGHT + 4.0)?;
    }
    Ok(())
}

/// Draws one header node at `(level, column)`; returns the next free column.
/// `lines` collects the wrapped lines each header row needs.
fn draw(
    sheet: &mut Worksheet,
    header: &Header,
    (level, first): (usize, usize),
    depth: usize,
    styles: &Styles,
    lines: &mut [f64],
) -> Result<usize, ExportError> {
    let row = 3 + level as u32;
    let widths: f64 = match header {
        Header::Column { width, .. } => *width,
        Header::Group { .. } => column_widths(std::slice::from_ref(header)).iter().sum(),
    };
    let needed = wrapped_lines(header.label(), widths);
    match header {
        Header::Column { label, .. } => {
            let rows = depth - level;
            let share = needed / rows as f64;
            lines[level..].iter_mut().for_each(|l| *l = l.max(share));
            let last = row + rows as u32 - 1;
            merge(
                sheet,
                row,
                col(first)?,
                last,
                col(first)?,
                label,
                &styles.header,
            )?;
            Ok(first + 1)
        }
        Header::Group { label, children } => {
            lines[level] = lines[level].max(needed);
            let last = col(first + header.width() - 1)?;
            merge(sheet, row, col(first)?, row, last, label, &styles.header)?;
            let mut next = first;
            for child in children {
                next = draw(sheet, child, (level + 1, next), depth, styles, lines)?;
            }
            Ok(next)
        }
    }
}

/// Lines `text` wraps to in a cell `width` units wide.
pub(crate) fn wrapped_lines(text: &str, width: f64) -> f64 {
    let units: f64 = text
        .chars()
        .map(|c| if c.is_ascii() { 1.0 } else { CJK_WIDTH })
        .sum();
    (units / (width - 1.0).max(1.0)).ceil().max(1.0)
}

/// One body row: text centered, numbers right.
pub(crate) fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    values: &[Value],
    text: &Format,
    number: &Format,
) -> Result<(), ExportError> {
    for (i, value) in values.iter().enumerate() {
        write_cell(sheet, (row, col(i)?), value, text, number)?;
    }
    Ok(())
}

/// One body cell: text in `text` format, numbers in `number` format.
fn write_cell(
    sheet: &mut Worksheet,
    (row, c): (u32, u16),
    value: &Value,
    text: &Format,
    number: &Format,
) -> Result<(), ExportError> {
    match value {
        Value::Text(s) => sheet.write_string_with_format(row, c, s, text)?,
        Value::Count(n) => sheet.write_number_with_format(row, c, *n as f64, number)?,
        Value::Decimal { number: n, .. } => sheet.write_number_with_format(row, c, *n, number)?,
        Value::Blank => sheet.write_blank(row, c, text)?,
    };
    Ok(())
}

/// The 合计 row: its leading text cells merge into one label cell.
fn write_total(
    sheet: &mut Worksheet,
    row: u32,
    values: &[Value],
    styles: &Styles,
) -> Result<(), ExportError> {
    let label_cells = values
        .iter()
        .take_while(|v| matches!(v, Value::Text(_) | Value::Blank))
        .count()
        .max(1);
    let label = values.first().map(Value::as_text).unwrap_or_default();
    merge(
        sheet,
        row,
        0,
        row,
        col(label_cells - 1)?,
        &label,
        &styles.total,
    )?;
    let bold_number = styles.number.clone().set_bold();
    for (i, value) in values.iter().enumerate().skip(label_cells) {
        write_cell(sheet, (row, col(i)?), value, &styles.total, &bold_number)?;
    }
    Ok(())
}

/// Each note on its own row, merged across the table.
pub(crate) fn write_notes(
    sheet: &mut Worksheet,
    first_row: u32,
    last_col: u16,
    notes: &[String],
    styles: &Styles,
) -> Result<(), ExportError> {
    for (i, note) in notes.iter().enumerate() {
        let row = first_row + i as u32;
        merge(sheet, row, 0, row, last_col, note, &styles.note)?;
        sheet.set_row_height(row, LINE_HEIGHT * note_lines(note, last_col) + 4.0)?;
    }
    Ok(())
}

/// Rough line count of a note across a table of `last_col + 1` columns of
/// ordinary width.
fn note_lines(note: &str, last_col: u16) -> f64 {
    wrapped_lines(note, f64::from(last_col + 1) * 9.0)
}

/// A4 landscape, one page wide, title to notes, header repeated on every
/// page.
pub(crate) fn print_setup(
    sheet: &mut Worksheet,
    end_row: u32,
    last_col: u16,
    header_depth: usize,
) -> Result<(), ExportError> {
    /// Paper size code of A4 in the XLSX page setup.
    const A4: u8 = 9;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    sheet.set_print_center_horizontally(true);
    sheet.set_print_area(0, 0, end_row.saturating_sub(1), last_col)?;
    sheet.set_repeat_rows(0, 2 + header_depth as u32)?;
    sheet.set_footer("&C第 &P 页，共 &N 页");

    Ok(())
}
