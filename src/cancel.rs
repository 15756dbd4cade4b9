//! A cancel token for long jobs (sync, render, file reading). Shared by the core, the use cases
//! and both faces, so it sits at the bottom with no imports of its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Cancels a job from another thread or task. Work already done is kept and reported; the job
/// stops at its next safe point.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
