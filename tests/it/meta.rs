//! Tests: meta.
