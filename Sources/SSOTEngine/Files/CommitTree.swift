import GitStore
import SSOTCore

/// A commit's tree as a `SourceTree`: config and baseline of the parent.
public struct CommitTree: SourceTree {
    public let repository: Repository
    public let tree: Tree?
    /// The index of the commit being made on top of `tree`: its files that
    /// git knows to be unchanged are read from the working tree
    /// (`Repository.cleanCopy`), not inflated from blobs.
    public var index: IndexFile?

    public init(repository: Repository, tree: Tree?, index: IndexFile? = nil) {
        self.repository = repository
        self.tree = tree
        self.index = index
    }

    public func bytes(at path: String) throws -> [UInt8]? {
        guard let file = try lend(at: path) else { return nil }
        return try file.read() ?? repository.blob(file.oid)
    }

    /// The file at `path` in a form any thread can read: the working-tree
    /// copy where git proves it is the blob (opened, nothing read yet), else
    /// the blob, inflated.
    public func lend(at path: String) throws -> FileBytes? {
        guard let tree, let entry = tree.entry(path), entry.mode == 0o100644 || entry.mode == 0o100755 else { return nil }
        if let index, let copy = try repository.cleanCopy(of: path, oid: entry.oid, index: index) {
            return FileBytes(oid: entry.oid, clean: copy, blob: nil)
        }
        return FileBytes(oid: entry.oid, clean: nil, blob: try repository.blob(entry.oid))
    }
}

/// A file of a tree, lent: its blob's bytes, or the working-tree copy git
/// proves to be them.
public struct FileBytes: @unchecked Sendable {
    public let oid: ObjectID
    let clean: CleanFile?
    let blob: [UInt8]?

    init(oid: ObjectID, clean: CleanFile?, blob: [UInt8]?) {
        self.oid = oid
        self.clean = clean
        self.blob = blob
    }

    /// A file held in memory.
    public init(oid: ObjectID, bytes: [UInt8]) {
        self.init(oid: oid, clean: nil, blob: bytes)
    }

    /// The bytes; nil when the working-tree copy changed under the read, and
    /// the blob must be read instead.
    public func read() -> [UInt8]? {
        if let blob { return blob }
        guard let bytes = clean?.read(), clean?.isUnchanged() ?? false else { return nil }
        return bytes
    }
}
