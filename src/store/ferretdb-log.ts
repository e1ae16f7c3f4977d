/**
 * What of the embedded FerretDB's own log reaches the operator. FerretDB writes one entry per
 * event ("2026/12/06 04:48:40 WARN message"), some entries over several lines (a response dump).
 *
 * Two kinds of WARN entry are not problems of ours and are dropped unless `verbose`:
 * - "Response header:" / "Response message:" dumps: FerretDB logs every error reply at WARN, also
 *   the ones the client expects and handles (the driver's `endSessions`, which FerretDB 1.x does
 *   not implement, sent at every MongoClient close; NamespaceNotFound when a migration looks at a
 *   collection that does not exist yet; duplicate keys the login throttle relies on). The client
 *   gets the error and reports it itself when it matters.
 * - "Connection stopped … connection reset by peer": the Node driver destroys its sockets on
 *   close() rather than half-closing them, so every client close (the start-up probe, the
 *   service's pool at shutdown, create-admin) ends in a reset on FerretDB's side.
 * Everything else at WARN or above is shown whole, continuation lines included.
 */
const ENTRY_HEAD = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? (DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\b/;
const RESPONSE_DUMP = / (?:WARN|INFO|DEBUG) Response (?:header|message):/;
const CLIENT_RESET = /Connection stopped .*connection reset by peer/;

/** A line sink that keeps FerretDB's entries worth showing; `verbose` keeps every line. */
export function ferretdbLogFilter(emit: (line: string) => void, verbose = false): (line: string) => void {
  let showing = false;
  return (line: string) => {
    if (verbose) return emit(line);
    const head = ENTRY_HEAD.exec(line);
    if (head) showing = head[1] !== 'DEBUG' && head[1] !== 'INFO' && !RESPONSE_DUMP.test(line) && !CLIENT_RESET.test(line);
    if (showing) emit(line);
  };
}
