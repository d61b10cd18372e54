//! Why an export failed. Exports only fail on a writer's internal error or a
//! table too large for a sheet; bad data never stops an export.

/// An export that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("无法生成 Excel 文件")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("无法生成 CSV 文件")]
    Csv(#[from] csv::Error),
    #[error("表格超出 Excel 的行数或列数上限")]
    TooLarge,
}
