import Dispatch
import SSOTCore
import SSOTSystem

/// One window's blobs, read and scanned while the walk goes on to the next
/// window: the walk is one thread's work, so without this the other cores
/// would sit idle for its whole length. While the walk runs the scan leaves
/// it a core (with both threads of a 2-core machine scanning, the walk took
/// 1.03 s instead of 0.53 s and the run gained nothing); the last window,
/// which nothing follows, is scanned on every core.
///
/// On the benchmark's history (2,000 commits, 20,000 files) this took a
/// cold run to 0.91 of the time it took scanning each window after walking
/// it (11 alternating runs, by hand).
///
/// It reads through the pool's handles only, which the walk never uses, and
/// touches no shared state: its yields are stored by the walk's thread once
/// `wait` returns.
final class BackgroundScan: @unchecked Sendable {
    let items: [TrendRun.Scan]
    private let done = DispatchSemaphore(value: 0)
    /// Written by the scan's thread before it signals `done`, read after.
    private var yields: [FileYield] = []
    /// Whether `done` was waited for; the walk's thread alone reads it.
    private var waited = false

    init(_ items: [TrendRun.Scan], pool: ReaderPool?, besideTheWalk: Bool) {
        self.items = items
        guard let pool, !items.isEmpty else {
            waited = true
            return
        }
        DispatchQueue.global().async { [self] in
            yields = BackgroundScan.scan(items, pool, besideTheWalk: besideTheWalk)
            done.signal()
        }
    }

    /// The yields, in the items' order, once the scan is over.
    func wait() -> [FileYield] {
        if !waited {
            done.wait()
            waited = true
        }
        return yields
    }

    /// Reads and scans the blobs, one repository handle per thread.
    static func scan(_ items: [TrendRun.Scan], _ pool: ReaderPool, besideTheWalk: Bool) -> [FileYield] {
        let handles = pool.handles(for: items.count)
        return Parallel.stripedMap(items.count, workers: besideTheWalk ? max(1, handles.count - 1) : handles.count) { w, i in
            let it = items[i]
            let checker = it.rules.shadowed
            let read = Result {
                try BlobReader.read(handles[w], oid: it.key.blob, mode: it.mode, intentToAdd: false,
                                    maxSize: checker.config.maxFileSize)
            }
            return FileYield(ParallelScan.check(it.path, read, checker), rules: it.rules.config.rules)
        }
    }
}
