import GitStore
import SSOTCore

/// The index git is committing as a `SourceTree`.
public struct StagedTree: SourceTree {
    public let repository: Repository
    public let index: StagedEntries

    public init(repository: Repository, index: StagedEntries) {
        self.repository = repository
        self.index = index
    }

    public func bytes(at path: String) throws -> [UInt8]? {
        guard let entry = index.entry(path), entry.kind == .file || entry.kind == .executable, !entry.intentToAdd else { return nil }
        return try repository.blob(entry.oid)
    }
}
