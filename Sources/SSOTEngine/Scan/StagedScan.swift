import GitStore
import SSOTCore

/// Scans every selected Python file of the staged tree: what `ssot baseline`
/// and `ssot init` record.
public enum StagedScan {
    public static func findings(_ repo: Repository, _ index: Index, _ config: Config, messages: inout [FileMessage]) -> [Finding] {
        let entries = index.entries().filter { $0.stage == 0 && config.selects($0.path) }
        let byPath = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let reports = ParallelScan.run(entries.map(\.path), checker: FileChecker(config: config),
                                       reader: .blobs(ReaderPool(repo).handles(for: entries.count)) { reader, path in
            let e = byPath[path]!
            return try BlobReader.read(reader, oid: e.oid, mode: e.mode, intentToAdd: e.intentToAdd, maxSize: config.maxFileSize)
        })
        var findings: [Finding] = []
        for r in reports {
            messages += r.messages
            findings += r.findings
        }
        return findings
    }
}
