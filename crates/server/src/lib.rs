//! The companion API server.
