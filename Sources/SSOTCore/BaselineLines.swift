import PythonScan
#if canImport(Glibc)
import Glibc
#endif

/// A baseline's entry lines, each split at its tabs with its path hashed:
/// the part of a gate's partial read that does not depend on which paths
/// the change touched. A gate starts it on another core while its diff
/// runs (at 100,000 files the baseline is 2.5 MB, 2 ms of splitting), then
/// asks for its few paths (`entries(of:in:)`).
///
/// A gate reads the parent's baseline on every commit. Its lines were
/// checked when it entered history (a gate reads the whole proposed file
/// whenever a change touches it), so each line is only split with memchr
/// and its count checked: a line that is not four fields with a numeric
/// count is still an error with its number. The lines of the asked paths
/// are read and checked as a full parse checks them.
public struct BaselineLines: Sendable {
    private struct Line {
        var start: Int
        var stop: Int
        var number: Int
        /// FNV-1a of the path's bytes; 0 for a C-quoted path, which is
        /// always read in full to decode it.
        var hash: UInt64
    }

    public let file: String
    private var lines: [Line] = []
    /// The first line that is not four fields with a numeric count.
    private var broken: BaselineError?

    public init(_ b: UnsafeBufferPointer<UInt8>, file: String) {
        self.file = file
        guard let base = b.baseAddress else { return }
        func find(_ byte: UInt8, _ from: Int, _ to: Int) -> Int? {
            guard from < to, let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
        }
        var lines: [Line] = []
        lines.reserveCapacity(b.count / 80)
        var previous = 0..<0
        var previousHash = Baseline.fnv([UInt8]()) | 1  // of the empty path `previous` starts as
        var cache = Baseline.LineCache()
        do {
            try Baseline.forEachEntryLine(b) { start, stop, number in
                guard let t1 = find(0x09, start, stop), let t2 = find(0x09, t1 + 1, stop),
                      let t3 = find(0x09, t2 + 1, stop), find(0x09, t3 + 1, stop) == nil,
                      t1 > start, (start..<t1).allSatisfy({ b[$0] >= 0x30 && b[$0] <= 0x39 }) else {
                    // The full check of the line says what is wrong with it.
                    _ = try Baseline.entry(b, start, stop, file: file, line: number, cache: &cache, paths: [])
                    return
                }
                let path = (t2 + 1)..<t3
                // A sorted baseline repeats each path on consecutive lines: hash it once.
                if path.count != previous.count || memcmp(base + path.lowerBound, base + previous.lowerBound, path.count) != 0 {
                    previous = path
                    let bytes = UnsafeBufferPointer(rebasing: b[path])
                    previousHash = bytes.first == 0x22 ? 0 : Baseline.fnv(bytes) | 1
                }
                lines.append(Line(start: start, stop: stop, number: number, hash: previousHash))
            }
        } catch {
            broken = error as? BaselineError
        }
        self.lines = lines
    }

    /// The entries of `paths`. The first error in the file's order among
    /// their lines and the broken line, if any, is thrown.
    public func entries(of paths: Set<String>, in b: UnsafeBufferPointer<UInt8>) throws -> Baseline {
        guard !paths.isEmpty else { return Baseline.partial() }
        let wanted = Set(paths.map { Baseline.fnv($0.utf8) | 1 })
        // One bit per wanted hash: most lines are passed over on one test.
        let filter = wanted.reduce(UInt64(1)) { $0 | 1 << ($1 >> 58) }
        var counts: [BaselineKey: Int] = [:]
        var byPath: [String: [BaselineKey]] = [:]
        var cache = Baseline.LineCache()
        for line in lines where filter & (1 << (line.hash >> 58)) != 0 && (line.hash == 0 || wanted.contains(line.hash)) {
            if SourceEncoding.firstInvalidUTF8(UnsafeBufferPointer(rebasing: b[line.start..<line.stop])) != nil {
                throw BaselineError(file: file, line: line.number, message: "not UTF-8 text")
            }
            guard let (key, count) = try Baseline.entry(b, line.start, line.stop, file: file, line: line.number,
                                                        cache: &cache, paths: paths) else { continue }
            if counts.updateValue(count, forKey: key) != nil { throw try Baseline.duplicate(key, line: line.number, b, file) }
            byPath[key.path, default: []].append(key)
        }
        if let broken { throw broken }
        return Baseline.partial(counts: counts, byPath: byPath)
    }
}
