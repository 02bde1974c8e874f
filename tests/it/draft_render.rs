//! Tests: draft_render.
