//! The store's error type. `Display` is written for the person holding the
//! phone, in Chinese; the source chain keeps the cause for the log.

use std::path::PathBuf;

use fieldledger_model::Report;
use fieldledger_model::wire::RecordKind;
use uuid::Uuid;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database exists but its key file does not: a new key would not
    /// open it, so none is made.
    #[error("找不到数据库密钥文件，数据无法打开；请不要删除应用数据目录中的文件")]
    KeyMissing { path: PathBuf },

    /// The key file is there but does not hold a key.
    #[error("数据库密钥文件已损坏，数据无法打开")]
    KeyUnreadable { path: PathBuf },

    /// The key does not open the database, or the file is not a database.
    #[error("数据库密钥不正确或数据文件已损坏，数据无法打开")]
    WrongKey {
        #[source]
        source: rusqlite::Error,
    },

    /// The operating system could not give random bytes for a new key.
    #[error("无法生成数据库密钥")]
    Random(#[source] getrandom::Error),

    /// A file or directory of the store could not be read or written.
    #[error("无法读写应用数据目录（{path}）")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The database was written by a newer version of the app.
    #[error("数据由更新版本的应用写入（数据库版本{found}，本版本最高{known}），请升级应用")]
    TooNew { found: u32, known: u32 },

    /// The record has errors; nothing was saved. The report names each field.
    #[error("{}填写有误，未保存：\n{}", kind.label(), report.summary())]
    Invalid { kind: RecordKind, report: Report },

    /// Areas and the roster are written by county offices only.
    #[error("{}由县级办公室维护，手机上不能修改", kind.label())]
    ReadOnly { kind: RecordKind },

    /// A record refers to a household this phone does not hold.
    #[error("找不到该贫困户，请先同步")]
    UnknownHousehold { id: Uuid },

    /// The household already has a ledger for that year.
    #[error("该户{year}年的台账已存在")]
    LedgerExists { household: Uuid, year: i32 },

    /// The record asked for is not on this phone.
    #[error("找不到该{}", kind.label())]
    NotFound { kind: RecordKind, id: Uuid },

    /// There is no conflict to resolve for this record.
    #[error("该记录没有待处理的冲突")]
    NoConflict { id: Uuid },

    /// A merged version must be the same record as the conflict.
    #[error("合并后的记录与冲突的记录不一致")]
    ConflictMismatch { id: Uuid },

    /// SQLite failed.
    #[error("本机数据库出错")]
    Sqlite(#[from] rusqlite::Error),

    /// A stored record could not be read or written as JSON.
    #[error("本机记录格式有误")]
    Json(#[from] serde_json::Error),

    /// A stored column held a value this program cannot read.
    #[error("本机数据有误：{what}")]
    Corrupt { what: String },
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
