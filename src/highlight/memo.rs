//! Per-thread memo of highlighted lines (see [`LineMemo`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasher as _, BuildHasherDefault, Hasher as _};

use syntect::parsing::{ParseState, ScopeStack, SyntaxReference};

use super::Markup;

/// Per-thread memo of highlighted lines. A line's HTML and the parser state after it depend
/// only on the line, the parser state and the scope stack before it, so a line seen before
/// in the same state is not parsed again. Code in a documentation site repeats a lot (the
/// same imports, config keys and commands on many pages), and syntect's regex search is most
/// of the time a page takes.
///
/// Parser states and scope stacks are stored once each and named by number: a few hundred
/// distinct ones serve many thousands of lines, and comparing two numbers is cheaper than
/// comparing (or copying) the states.
pub(super) struct LineMemo {
    hasher: std::hash::RandomState,
    /// By hash of (syntax, line).
    lines: HashMap<u64, Vec<MemoLine>, BuildHasherDefault<KeyHasher>>,
    states: Vec<ParseState>,
    stacks: Vec<ScopeStack>,
    /// By hash: the states (their `Debug` text: `ParseState` has no `Hash`) and stacks stored.
    state_ids: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>,
    stack_ids: HashMap<u64, Vec<u32>, BuildHasherDefault<KeyHasher>>,
    /// The start state of each syntax, by syntax address.
    starts: HashMap<usize, u32>,
    /// Rough heap size of all the above, kept under [`MEMO_BYTES`].
    bytes: usize,
}

/// A parser state and a scope stack, by their numbers in the memo.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct At {
    state: u32,
    stack: u32,
}

pub(super) struct MemoLine {
    pub line: Box<str>,
    pub before: At,
    pub html: Box<str>,
    pub after: At,
}

/// The memo's size limit per thread (estimated); past it the memo starts again empty.
const MEMO_BYTES: usize = 24 * 1024 * 1024;
/// At most this many parser states are remembered for one line.
const MEMO_STATES_PER_LINE: usize = 8;
/// Estimated heap size of a stored parser state or scope stack.
const STATE_BYTES: usize = 512;

thread_local! {
    pub(super) static MEMO: RefCell<LineMemo> = RefCell::new(LineMemo {
        hasher: std::hash::RandomState::new(),
        lines: HashMap::default(),
        states: Vec::new(),
        stacks: Vec::new(),
        state_ids: HashMap::default(),
        stack_ids: HashMap::default(),
        starts: HashMap::new(),
        bytes: 0,
    });
}

impl LineMemo {
    /// A line's HTML depends on the markup asked for as well as on the parse.
    pub fn key(&self, syntax_id: usize, markup: Markup, line: &str) -> u64 {
        self.hasher.hash_one((syntax_id, markup, line))
    }

    pub fn find(&self, key: u64, line: &str, at: At) -> Option<&MemoLine> {
        self.lines
            .get(&key)?
            .iter()
            .find(|m| m.before == at && *m.line == *line)
    }

    pub fn insert(&mut self, key: u64, entry: MemoLine) {
        let bucket = self.lines.entry(key).or_default();
        if bucket.len() < MEMO_STATES_PER_LINE {
            self.bytes += entry.line.len() + entry.html.len() + std::mem::size_of::<MemoLine>();
            bucket.push(entry);
        }
    }

    /// Copies of the state and stack `at` names.
    pub fn get(&self, at: At) -> (ParseState, ScopeStack) {
        (
            self.states[at.state as usize].clone(),
            self.stacks[at.stack as usize].clone(),
        )
    }

    /// A syntax's start: its fresh parser state and an empty scope stack.
    pub fn start(&mut self, syntax: &SyntaxReference) -> At {
        let syntax_id = std::ptr::from_ref(syntax) as usize;
        let stack = self.intern_stack(&ScopeStack::new());
        if let Some(&state) = self.starts.get(&syntax_id) {
            return At { state, stack };
        }
        let state = self.intern_state(&ParseState::new(syntax));
        self.starts.insert(syntax_id, state);
        At { state, stack }
    }

    pub fn intern(&mut self, state: &ParseState, stack: &ScopeStack) -> At {
        At {
            state: self.intern_state(state),
            stack: self.intern_stack(stack),
        }
    }

    fn intern_state(&mut self, state: &ParseState) -> u32 {
        // `ParseState` has no `Hash`: its `Debug` text, fed straight to a hasher.
        let mut hasher = HashWriter(self.hasher.build_hasher());
        let _ = write!(hasher, "{state:?}");
        let hash = hasher.0.finish();
        let ids = self.state_ids.entry(hash).or_default();
        if let Some(&id) = ids.iter().find(|&&id| self.states[id as usize] == *state) {
            return id;
        }
        let id = u32::try_from(self.states.len()).expect("memo emptied long before");
        ids.push(id);
        self.states.push(state.clone());
        self.bytes += STATE_BYTES;
        id
    }

    fn intern_stack(&mut self, stack: &ScopeStack) -> u32 {
        let hash = self.hasher.hash_one(stack.as_slice());
        let ids = self.stack_ids.entry(hash).or_default();
        if let Some(&id) = ids.iter().find(|&&id| self.stacks[id as usize] == *stack) {
            return id;
        }
        let id = u32::try_from(self.stacks.len()).expect("memo emptied long before");
        ids.push(id);
        self.stacks.push(stack.clone());
        self.bytes += STATE_BYTES;
        id
    }

    /// Starts again empty when over its size limit.
    pub fn make_room(&mut self) {
        if self.bytes > MEMO_BYTES {
            self.clear();
        }
    }

    pub fn clear(&mut self) {
        self.lines = HashMap::default();
        self.states = Vec::new();
        self.stacks = Vec::new();
        self.state_ids = HashMap::default();
        self.stack_ids = HashMap::default();
        self.starts = HashMap::new();
        self.bytes = 0;
    }
}

/// Empties the calling thread's line memo (benchmarks use it to measure a cold start).
#[doc(hidden)]
pub fn clear_line_memo() {
    MEMO.with(|memo| memo.borrow_mut().clear());
}

/// The memo's keys are hashes already.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Hashes formatted text as it is written, without collecting it.
struct HashWriter<H>(H);

impl<H: std::hash::Hasher> std::fmt::Write for HashWriter<H> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}
