import SSOTCore
import SSOTSystem

/// Checks many files on all cores.
///
/// Where the bytes come from decides who reads them. Working-tree files are
/// plain POSIX reads, done by the workers. A `git_repository` may be used
/// by one thread at a time (libgit2's THREADING.md), so blobs are read by
/// workers with one repository handle each, or, with one handle, on the
/// calling thread a batch at a time, with only the scanning in parallel.
public enum ParallelScan {
    public enum Reader {
        /// Safe on any thread.
        case concurrent((String) throws -> FileRead)
        /// Blobs, read through one store (repository handle) per thread.
        case blobs([BlobStore], (BlobStore, String) throws -> FileRead)
    }

    static let batch = 256
    /// Below this many bytes (about 0.4 ms of scanning on one core) a batch
    /// is scanned on the calling thread: starting workers costs more.
    static let inlineBytes = 64 * 1024

    public static func run(_ paths: [String], checker: FileChecker, reader: Reader) -> [FileReport] {
        switch reader {
        case let .concurrent(read):
            return Parallel.map(paths.count) { i in check(paths[i], attempt { try read(paths[i]) }, checker) }
        case let .blobs(handles, read) where handles.count > 1:
            // Each thread reads and scans its own stripe through its own handle:
            // inflating the blobs of a big push was a third of its time.
            return Parallel.stripedMap(paths.count, workers: handles.count) { w, i in
                check(paths[i], attempt { try read(handles[w], paths[i]) }, checker)
            }
        case let .blobs(handles, read):
            return scanOnCallingThread(paths, checker) { try read(handles[0], $0) }
        }
    }

    /// Reads a batch on the calling thread, then scans it on all cores.
    private static func scanOnCallingThread(_ paths: [String], _ checker: FileChecker,
                                            _ read: (String) throws -> FileRead) -> [FileReport] {
        var reports: [FileReport] = []
        reports.reserveCapacity(paths.count)
        var start = 0
        while start < paths.count {
            let range = start..<min(start + batch, paths.count)
            let reads = range.map { i in attempt { try read(paths[i]) } }
            let bytes = reads.reduce(0) { sum, read in
                if case let .success(.bytes(b)) = read { return sum + b.count }
                return sum
            }
            // A small change (a typical commit) is scanned faster than threads start.
            reports += Parallel.map(range.count, inlineBelow: bytes < inlineBytes ? Int.max : 16) { k in
                check(paths[range.lowerBound + k], reads[k], checker)
            }
            start = range.upperBound
        }
        return reports
    }

    /// A read, or the error that stopped it.
    private static func attempt(_ read: () throws -> FileRead) -> Result<FileRead, Error> {
        Result { try read() }
    }

    static func check(_ path: String, _ read: Result<FileRead, Error>, _ checker: FileChecker) -> FileReport {
        var report = FileReport(path: path)
        switch read {
        case let .success(.bytes(bytes)):
            report = bytes.withUnsafeBufferPointer { checker.check(path: path, bytes: $0) }
        case let .success(.skipped(why)):
            report.scanned = false
            report.messages.append(FileMessage(.note, path: path, why))
        case let .success(.uncheckable(why)):
            report.scanned = false
            report.uncheckable = why
            report.messages.append(FileMessage(.warning, path: path, why))
        case let .failure(error):
            report.scanned = false
            report.uncheckable = "cannot read it: \(error)"
            report.messages.append(FileMessage(.warning, path: path, "cannot read it: \(error)"))
        }
        return report
    }
}
