//! Office tables: the plan's attachments as spreadsheets, and roster import.
