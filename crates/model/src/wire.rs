//! The sync protocol between a phone and the server, shared by both.
//!
//! Terms:
//! - An **operation** ([`Op`]) carries a whole new version of one record. Its
//!   `op_id` is made on the phone and names the operation forever: the server
//!   applies each op id at most once, so a phone may send a batch again after
//!   any failure without duplicating anything.
//! - A record's **head** is the op id of its latest accepted version. An op
//!   names as its `base` the head it was edited from (`None` for a new
//!   record). An op whose base is not the current head was made from a stale
//!   copy: the server keeps it beside the newer version and marks the record
//!   in conflict, instead of writing over either.
//! - A **cursor** is the position in the server's change feed up to which a
//!   phone has pulled.
//!
//! A phone that pushed an op answered `Conflict`, or that pulls a newer
//! version of a record it still has unsent edits to, keeps both versions and
//! flags the household; resolving makes a new op whose base is the server's
//! head, which clears the conflict.
//!
//! Every request carries [`PROTOCOL_HEADER`]; a server that no longer speaks
//! the phone's version answers [`ErrorCode::ProtocolOutdated`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::area::Area;
use crate::roster::Instructor;
use crate::tally::{Attachment4, Period};
use crate::validate::{Report, Validate};
use crate::{Household, Ledger, Visit};

/// The protocol this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The request header that carries [`PROTOCOL_VERSION`].
pub const PROTOCOL_HEADER: &str = "fieldledger-protocol";

/// The server's routes. Requests other than enrollment carry
/// `Authorization: Bearer <token>`; request bodies may be sent with
/// `Content-Encoding: zstd` or `gzip`.
pub mod routes {
    /// `POST`: [`super::EnrollRequest`] → [`super::EnrollResponse`].
    pub const ENROLL: &str = "/v1/enroll";
    /// `POST`: [`super::PushRequest`] → [`super::PushResponse`].
    pub const PUSH: &str = "/v1/sync/push";
    /// `GET ?cursor=N&limit=M` → [`super::PullResponse`].
    pub const PULL: &str = "/v1/sync/pull";
    /// `GET /v1/photos/{sha256}` → [`super::PhotoProgress`];
    /// `PUT /v1/photos/{sha256}?offset=N&total=T` with the bytes from
    /// `offset` → [`super::PhotoProgress`]. A chunk must start at the
    /// `received` the server last reported.
    pub const PHOTOS: &str = "/v1/photos";
    /// `GET /v1/townships/{id}/status` → [`super::TownshipStatus`].
    pub const TOWNSHIPS: &str = "/v1/townships";
    /// `GET ?year=Y&to=YYYY-MM-DD&level=county|township|instructor&area=ID`
    /// → [`super::Attachment4Report`].
    pub const ATTACHMENT4: &str = "/v1/reports/attachment4";
}

/// One version of one record, as it crosses the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum Record {
    Household(Household),
    Ledger(Ledger),
    Visit(Visit),
    /// Written by county offices; phones only receive them.
    Area(Area),
    /// Written by county offices; phones only receive them.
    Instructor(Instructor),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Household,
    Ledger,
    Visit,
    Area,
    Instructor,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Household => "household",
            RecordKind::Ledger => "ledger",
            RecordKind::Visit => "visit",
            RecordKind::Area => "area",
            RecordKind::Instructor => "instructor",
        }
    }

    /// The record's name in Chinese, for messages.
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Household => "贫困户",
            RecordKind::Ledger => "台账",
            RecordKind::Visit => "走访记录",
            RecordKind::Area => "行政区域",
            RecordKind::Instructor => "产业指导员",
        }
    }
}

impl Record {
    pub fn id(&self) -> Uuid {
        match self {
            Record::Household(r) => r.id,
            Record::Ledger(r) => r.id,
            Record::Visit(r) => r.id,
            Record::Area(r) => r.id,
            Record::Instructor(r) => r.id,
        }
    }

    pub fn kind(&self) -> RecordKind {
        match self {
            Record::Household(_) => RecordKind::Household,
            Record::Ledger(_) => RecordKind::Ledger,
            Record::Visit(_) => RecordKind::Visit,
            Record::Area(_) => RecordKind::Area,
            Record::Instructor(_) => RecordKind::Instructor,
        }
    }

    /// The households this record is about, which decide who may see it.
    pub fn households(&self) -> Vec<Uuid> {
        match self {
            Record::Household(h) => vec![h.id],
            Record::Ledger(l) => vec![l.household_id],
            Record::Visit(v) => v.households.clone(),
            Record::Area(_) | Record::Instructor(_) => Vec::new(),
        }
    }

    /// The other records whose stored rows the server reads to authorize
    /// and place this one: its households, a household's village and
    /// instructor, an area's parent. Two ops that neither write nor read
    /// each other's records may be applied in either order.
    pub fn references(&self) -> Vec<Uuid> {
        match self {
            Record::Household(h) => h.village_id.into_iter().chain(h.instructor_id).collect(),
            Record::Ledger(l) => vec![l.household_id],
            Record::Visit(v) => v.households.clone(),
            Record::Area(a) => a.parent.into_iter().collect(),
            Record::Instructor(_) => Vec::new(),
        }
    }

    pub fn validate(&self) -> Report {
        match self {
            Record::Household(r) => r.validate(),
            Record::Ledger(r) => r.validate(),
            Record::Visit(r) => r.validate(),
            Record::Area(_) => Report::default(),
            Record::Instructor(r) => r.validate(),
        }
    }
}

/// A new version of one record, made on a phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub op_id: Uuid,
    /// The head this version was edited from; `None` for a new record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Uuid>,
    /// [`crate::SCHEMA_VERSION`] of the program that wrote the record.
    pub schema: u16,
    pub record: Record,
}

/// What a phone says about itself on every exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceReport {
    pub app_version: String,
    /// Operations waiting in the phone's outbox, this batch included.
    pub queued: u32,
    /// Age of the oldest of them, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest_queued_secs: Option<u64>,
}

/// `POST /v1/sync/push`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device: DeviceReport,
    pub ops: Vec<Op>,
}

/// The server's answer to a push: one result per op, in the request's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<OpResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpResult {
    pub op_id: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What became of one operation. Every outcome but `Rejected` means the
/// server holds the op durably and the phone may drop it from its outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Written now; the record's head is now this op.
    Applied,
    /// This op id was taken before; nothing changed.
    AlreadyApplied,
    /// Kept beside a newer version the phone had not seen; the record is
    /// marked for review. `head` is the server's current head.
    Conflict { head: Uuid },
    /// Not taken. `reason` tells a person what to fix, in Chinese.
    Rejected { code: ErrorCode, reason: String },
}

impl Outcome {
    /// True when the server holds the op and the phone may let it go.
    pub fn is_durable(&self) -> bool {
        !matches!(self, Outcome::Rejected { .. })
    }
}

/// `GET /v1/sync/pull?cursor=N&limit=M`: a page of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// The cursor to ask from next time.
    pub cursor: u64,
    /// True when more changes wait beyond this page.
    pub more: bool,
}

/// A record's current version in the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub head: Uuid,
    pub record: Record,
    /// True while the record has an unresolved conflict on the server.
    #[serde(default)]
    pub conflict: bool,
}

/// `POST /v1/enroll`: a one-time code traded for a device token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    pub device_name: String,
    pub app_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// Sent once, kept by the phone apart from its data; the server keeps
    /// only its hash.
    pub token: String,
    pub device_id: Uuid,
    pub user: UserInfo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 产业指导员: reads and writes the households assigned to them.
    Instructor,
    /// 乡镇联络员: reads their township.
    Liaison,
    /// 县级联络办公室: reads the county, runs its reports, manages people.
    County,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Instructor => "产业指导员",
            Role::Liaison => "乡镇联络员",
            Role::County => "县级联络办公室",
        }
    }
}

/// Who a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    /// The township of a liaison, the county of county staff, the county of
    /// an instructor.
    pub area_id: Uuid,
    /// For an instructor, their roster entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructor_id: Option<Uuid>,
}

/// `GET /v1/photos/{sha256}` and the answer to each uploaded chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoProgress {
    /// Bytes the server holds durably, from the start of the file.
    pub received: u64,
    /// True once the whole file arrived and its hash matched its name.
    pub complete: bool,
}

/// One instructor's line on a liaison's status screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructorStatus {
    pub instructor_id: Uuid,
    pub name: String,
    pub last_sync: Option<DateTime<Utc>>,
    /// Records waiting on the phone, as it last reported.
    pub queued: u32,
    pub oldest_queued_secs: Option<u64>,
    pub received_this_week: u32,
    pub households: u32,
    pub not_visited_30: u32,
    pub not_visited_60: u32,
    pub not_visited_90: u32,
    pub open_conflicts: u32,
}

/// `GET /v1/townships/{id}/status`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownshipStatus {
    pub township_id: Uuid,
    pub township: String,
    pub as_of: NaiveDate,
    pub instructors: Vec<InstructorStatus>,
}

/// How an Attachment 4 report breaks its rows down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportLevel {
    County,
    Township,
    Instructor,
}

/// One row of an Attachment 4 report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub id: Uuid,
    pub name: String,
    pub figures: Attachment4,
}

/// `GET /v1/reports/attachment4`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment4Report {
    pub period: Period,
    pub level: ReportLevel,
    pub rows: Vec<ReportRow>,
    /// The 合计 row: households counted once even when two rows share them.
    pub total: Attachment4,
}

/// Stable error codes; the message beside each is for people and may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthorized,
    TokenRevoked,
    Forbidden,
    NotFound,
    ProtocolOutdated,
    BodyTooLarge,
    MalformedJson,
    Invalid,
    EnrollmentCodeInvalid,
    HashMismatch,
    Internal,
    /// A code this build does not know, from a newer server.
    #[serde(other)]
    Unknown,
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    /// What happened and what to do, in Chinese.
    pub message: String,
}
