// A range worker (web/worker.js?role=range, started by the page's worker): reads bytes
// start..end of a row export's File into a RowRangeReader and hands its findings over as
// bytes. Its own module so worker.js stays readable; only the page loads it (the embed's
// core has no RowRangeReader, so the embed starts no range worker).

/** Serve range jobs; `core` holds what worker.js shares (the package and its helpers). */
export function startRangeWorker(core) {
  const { RowRangeReader, wasmMemoryBytes, sliceOf, cancelled, CHUNK, messageOf, fatalError } = core;
  // Per range job (`${id}/${job}`): summaries handed over and not yet joined; past one,
  // reading waits for a "taken", so the coordinator holds at most two of this worker's
  // summaries (red team 03). Per job, not per worker: a cancelled job may still be reading
  // its next slice when the next request's range arrives (red team 4).
  const states = new Map();
  const keyOf = (m) => `${m.id}/${m.job}`;
  self.onmessage = async ({ data: m }) => {
    if (m.type === 'taken') {
      const state = states.get(keyOf(m));
      if (state) {
        state.waiting -= 1;
        state.taken();
      }
      return;
    }
    if (m.type === 'cancel') {
      cancelled.add(m.id);
      for (const state of states.values()) state.taken();
      return;
    }
    if (m.type !== 'range') return;
    let reader;
    const state = { waiting: 0, taken: () => {} };
    states.set(keyOf(m), state);
    try {
      reader = new RowRangeReader(m.name, m.start === 0, m.heads);
      for (let at = m.start; at < m.end; at += CHUNK) {
        const slice = await sliceOf(m.file, at, Math.min(at + CHUNK, m.end));
        if (cancelled.delete(m.id)) {
          postMessage({ type: 'cancelled', id: m.id, job: m.job });
          return;
        }
        reader.push(slice);
        if (reader.wantsHandOver()) {
          handOver(m, reader.takeSummary(), false);
          state.waiting += 1;
          while (state.waiting > 1 && !cancelled.has(m.id)) await new Promise((resolve) => (state.taken = resolve));
        }
        const done = Math.min(at + CHUNK, m.end) - m.start;
        postMessage({ type: 'progress', id: m.id, job: m.job, done, rows: reader.rowsRead(), memory: wasmMemoryBytes() });
      }
      handOver(m, reader.finish(), true);
    } catch (error) {
      postMessage({ type: 'error', id: m.id, job: m.job, message: messageOf(error), fatal: fatalError(error) });
    } finally {
      states.delete(keyOf(m));
      reader?.free();
    }
  };
  postMessage({ type: 'ready', memory: wasmMemoryBytes() });
}

function handOver(m, bytes, last) {
  postMessage({ type: 'summary', id: m.id, job: m.job, bytes, last }, [bytes.buffer]);
}
