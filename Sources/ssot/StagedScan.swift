import Foundation
import GitStore
import SSOTCore

/// Scans every selected Python file of the staged tree: what `ssot baseline`
/// and `ssot init` record.
enum StagedScan {
    static func findings(_ repo: Repository, _ index: Index, _ config: Config, messages: inout [FileMessage]) -> [Finding] {
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

/// Writes a baseline into the working tree and the index together, after
/// making sure no unstaged edit of it would be lost.
struct BaselineWriter {
    let repo: Repository
    let index: Index
    let path: String

    /// The staged baseline, else an untracked one in the working tree.
    func existing() throws -> Baseline? {
        if let staged = try BaselineFile.read(StagedTree(repository: repo, index: index), path, side: "staged") { return staged }
        guard let workdir = repo.workdir else { return nil }
        return try BaselineFile.read(WorkingTree(root: workdir), path, side: "working tree")
    }

    func write(_ baseline: Baseline) throws {
        guard let workdir = repo.workdir else { throw Failure.repository("a bare repository has no working tree to write \(path) into") }
        let tree = WorkingTree(root: workdir)
        let staged = try StagedTree(repository: repo, index: index).bytes(at: path)
        let onDisk = try tree.bytes(at: path)
        if let staged, let onDisk, staged != onDisk {
            throw Failure.usage("the working-tree \(path) has unstaged changes; stage them (`git add \(path)`) or discard them, then run again")
        }
        let bytes = Array(baseline.serialized().utf8)
        try AtomicFile.write(bytes, to: workdir + "/" + path)
        try stage(bytes)
    }

    func stage(_ bytes: [UInt8]) throws {
        try RepositoryProblem.wrap {
            let oid = try repo.writeBlob(bytes)
            try index.stage(path, oid: oid, size: bytes.count)
            try index.write()
        }
    }
}
