//! Tests: draft_check.
