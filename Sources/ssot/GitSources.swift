import GitStore
import SSOTCore

/// A commit's tree as a `SourceTree`: config and baseline of the parent.
struct CommitTree: SourceTree {
    let repository: Repository
    let tree: Tree?
    /// The index of the commit being made on top of `tree`: its files that
    /// git knows to be unchanged are read from the working tree
    /// (`Repository.cleanCopy`), not inflated from blobs.
    var index: IndexFile? = nil

    func bytes(at path: String) throws -> [UInt8]? {
        try withBytes(at: path) { Array($0) }
    }

    func withBytes<T>(at path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        guard let tree, let entry = tree.entry(path), entry.mode == 0o100644 || entry.mode == 0o100755 else { return nil }
        if let index { return try repository.withCleanCopy(of: path, oid: entry.oid, index: index, body) }
        return try repository.blob(entry.oid).withUnsafeBufferPointer(body)
    }

    /// The file at `path` in a form another thread can read: the mapped
    /// working-tree copy where git proves it is the blob (nothing is read
    /// yet), else the blob's bytes. What is read from a mapped copy counts
    /// only while `FileBytes.isUnchanged` holds.
    func lend(at path: String) throws -> FileBytes? {
        guard let tree, let entry = tree.entry(path), entry.mode == 0o100644 || entry.mode == 0o100755 else { return nil }
        if let index, let copy = try repository.cleanCopy(of: path, oid: entry.oid, index: index) { return .mapped(copy) }
        return .owned(try repository.blob(entry.oid))
    }
}

/// A file's bytes that any thread may read.
enum FileBytes: @unchecked Sendable {
    case mapped(MappedFile)
    case owned([UInt8])

    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        switch self {
        case let .mapped(file): return try body(file.bytes)
        case let .owned(bytes): return try bytes.withUnsafeBufferPointer(body)
        }
    }

    /// Whether what was read is still the file's content.
    var isUnchanged: Bool {
        if case let .mapped(file) = self { return file.isUnchanged() }
        return true
    }
}

/// The index git is committing as a `SourceTree`.
struct StagedTree: SourceTree {
    let repository: Repository
    let index: StagedEntries

    func bytes(at path: String) throws -> [UInt8]? {
        guard let entry = index.entry(path), entry.kind == .file || entry.kind == .executable, !entry.intentToAdd else { return nil }
        return try repository.blob(entry.oid)
    }
}

/// Reads a changed file's blob the way SPEC section 2 says: symlinks,
/// submodules and intent-to-add entries are skipped, and the size is asked of
/// the object database before a byte is read.
enum BlobReader {
    static func read(_ repository: Repository, oid: ObjectID, mode: UInt32, intentToAdd: Bool, maxSize: Int) throws -> FileRead {
        switch mode {
        case 0o120000: return .skipped("skipped: a symlink")
        case 0o160000: return .skipped("skipped: a submodule")
        case 0o100644, 0o100755: break
        default: return .skipped("skipped: not a regular file")
        }
        if intentToAdd { return .skipped("skipped: an intent-to-add entry (`git add -N`) has no staged content") }
        let size = try repository.blobSize(oid)
        if size > maxSize { return .skipped("skipped: \(size) bytes is over max-file-size (\(maxSize))") }
        return .bytes(try repository.blob(oid))
    }
}
