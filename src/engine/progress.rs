//! `onProgress` of a call over many pools (the batched reads, `assignMany`): the total first,
//! then each pool as it is done, named by its id as given. One counter for every such call, so
//! that its notices are written once.

use super::{Io, Notice};
use crate::prelude::*;

#[derive(Default)]
pub struct Progress {
    /// The pools done so far.
    done: u32,
    /// Whether the total was told.
    told: bool,
}

impl Progress {
    /// Tells the total of `pools`, unless it was told: whether it is told now.
    pub fn start(&mut self, pools: &[String], io: &mut Io) -> bool {
        if self.told {
            return false;
        }
        self.told = true;
        io.notices.push(Notice::Progress { done: 0, total: pools.len() as u32, pool: None });
        true
    }

    /// Pool `at` of `pools` is done; `ok` says how it went.
    pub fn done(&mut self, pools: &[String], at: usize, ok: bool, io: &mut Io) {
        self.done += 1;
        let name = pools.get(at).cloned().unwrap_or_default();
        io.notices.push(Notice::Progress { done: self.done, total: pools.len() as u32, pool: Some((name, ok)) });
    }
}
