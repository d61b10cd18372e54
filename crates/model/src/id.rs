//! Record identifiers.
//!
//! Records are named on the device that creates them, offline, by UUID v7:
//! unique without asking the server, and ordered by creation time, which
//! keeps database indexes compact.

use uuid::Uuid;

/// A new record or operation id, made on this device now.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
