import Dispatch
import Foundation
import GitStore
import SSOTCore

/// Checks many files on all cores; results land in their own slot, so no
/// lock is taken per file.
///
/// Where the bytes come from decides who reads them. Working-tree files are
/// plain POSIX reads, done by the workers. A `git_repository` may be used
/// by one thread at a time (libgit2's THREADING.md), so blobs are read by
/// workers with one repository handle each, or, with one handle, on the
/// calling thread a batch at a time, with only the scanning in parallel.
enum ParallelScan {
    enum Reader {
        /// Safe on any thread.
        case concurrent((String) throws -> FileRead)
        /// Blobs, read through one repository handle per thread.
        case blobs([Repository], (Repository, String) throws -> FileRead)
    }

    static let batch = 256
    /// Below this many bytes (about 0.4 ms of scanning on one core) a batch
    /// is scanned on the calling thread: starting workers costs more.
    static let inlineBytes = 64 * 1024

    static func run(_ paths: [String], checker: FileChecker, reader: Reader) -> [FileReport] {
        var reports = [FileReport?](repeating: nil, count: paths.count)
        reports.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            switch reader {
            case let .concurrent(read):
                forEach(paths.indices) { i in base[i] = check(paths[i], attempt { try read(paths[i]) }, checker) }
            case let .blobs(handles, read) where handles.count > 1:
                // Each thread reads and scans its own stripe through its own handle:
                // inflating the blobs of a big push was a third of its time.
                DispatchQueue.concurrentPerform(iterations: handles.count) { w in
                    for i in stride(from: w, to: paths.count, by: handles.count) {
                        base[i] = check(paths[i], attempt { try read(handles[w], paths[i]) }, checker)
                    }
                }
            case let .blobs(handles, read):
                scanOnCallingThread(paths, base, checker) { try read(handles[0], $0) }
            }
        }
        return reports.map { $0! }
    }

    /// Reads a batch on the calling thread, then scans it on all cores.
    private static func scanOnCallingThread(_ paths: [String], _ base: UnsafeMutablePointer<FileReport?>, _ checker: FileChecker,
                                            _ read: (String) throws -> FileRead) {
        var start = 0
        while start < paths.count {
            let range = start..<min(start + batch, paths.count)
            let reads = range.map { i in attempt { try read(paths[i]) } }
            let bytes = reads.reduce(0) { sum, read in
                if case let .success(.bytes(b)) = read { return sum + b.count }
                return sum
            }
            // A small change (a typical commit) is scanned faster than threads start.
            if bytes < inlineBytes {
                for i in range { base[i] = check(paths[i], reads[i - range.lowerBound], checker) }
            } else {
                forEach(range) { i in base[i] = check(paths[i], reads[i - range.lowerBound], checker) }
            }
            start = range.upperBound
        }
    }

    /// A read, or the error that stopped it.
    private static func attempt(_ read: () throws -> FileRead) -> Result<FileRead, Error> {
        Result { try read() }
    }

    private static func forEach(_ range: Range<Int>, _ body: (Int) -> Void) {
        if range.count < 16 {
            for i in range { body(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: range.count) { body(range.lowerBound + $0) }
        }
    }

    private static func check(_ path: String, _ read: Result<FileRead, Error>, _ checker: FileChecker) -> FileReport {
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

/// One repository handle per core, opened at most once a run (about half
/// a millisecond each): a big change's tree diff and then its scan both
/// share their work among them.
final class ReaderPool {
    let repository: Repository
    private var opened: [Repository]?

    init(_ repository: Repository) { self.repository = repository }

    /// Every core's handle, the pool's own first.
    func all() -> [Repository] {
        if let opened { return opened }
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let handles = [repository] + (1..<cores).compactMap { _ in try? repository.sibling() }
        opened = handles
        return handles
    }

    /// The handles to read `files` blobs with: those already open; else one
    /// per core for many files, and for a few, the pool's own.
    func handles(for files: Int) -> [Repository] {
        opened ?? (files >= 64 ? all() : [repository])
    }
}
