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
        guard let file = try lend(at: path) else { return nil }
        return try file.read() ?? repository.blob(file.oid)
    }

    /// The file at `path` in a form any thread can read: the working-tree
    /// copy where git proves it is the blob (opened, nothing read yet), else
    /// the blob, inflated.
    func lend(at path: String) throws -> FileBytes? {
        guard let tree, let entry = tree.entry(path), entry.mode == 0o100644 || entry.mode == 0o100755 else { return nil }
        if let index, let copy = try repository.cleanCopy(of: path, oid: entry.oid, index: index) {
            return FileBytes(oid: entry.oid, clean: copy, blob: nil)
        }
        return FileBytes(oid: entry.oid, clean: nil, blob: try repository.blob(entry.oid))
    }
}

/// A file of a commit's tree, lent: its blob's bytes, or the working-tree
/// copy git proves to be them.
struct FileBytes: @unchecked Sendable {
    let oid: ObjectID
    let clean: CleanFile?
    let blob: [UInt8]?

    /// The bytes; nil when the working-tree copy changed under the read, and
    /// the blob must be read instead.
    func read() -> [UInt8]? {
        if let blob { return blob }
        guard let bytes = clean?.read(), clean?.isUnchanged() ?? false else { return nil }
        return bytes
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
    /// A changed symlink (SPEC 2): harmless when it points at a selected
    /// regular file of the proposed tree, which is checked in its own right;
    /// otherwise Python would import what it points at unchecked (a file
    /// outside the tree, an unselected file, another link), so the gate
    /// cannot check it. Read on the calling thread, through `repository`.
    static func symlink(_ repository: Repository, path: String, oid: ObjectID, tree: SourceTree, config: Config) throws -> FileRead {
        let target = PathKey.key(try repository.blob(oid))
        var parts = path.split(separator: "/").dropLast().map(String.init)
        if target.hasPrefix("/") { return .uncheckable("a symlink to \(target), outside the tree: not checked") }
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return .uncheckable("a symlink to \(target), outside the tree: not checked") }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        let resolved = parts.joined(separator: "/")
        // Only a file of the link's own folder: there its relative imports mean what they
        // mean under the link's name (same package), and no folder on the way can be a link.
        let folder = path.split(separator: "/").dropLast().joined(separator: "/")
        guard resolved.split(separator: "/").dropLast().joined(separator: "/") == folder, !target.contains("/") else {
            return .uncheckable("a symlink to \(target), outside its own folder: Python would import that file under"
                + " this name, where its relative imports mean something else; not checked")
        }
        guard config.selects(resolved), try tree.bytes(at: resolved) != nil else {
            return .uncheckable("a symlink to \(target), which is not a checked Python file of the tree: not checked")
        }
        return .skipped("skipped: a symlink to \(resolved), which is checked itself")
    }

    static func read(_ repository: Repository, oid: ObjectID, mode: UInt32, intentToAdd: Bool, maxSize: Int) throws -> FileRead {
        switch mode {
        case 0o120000: return .skipped("skipped: a symlink")
        case 0o160000: return .skipped("skipped: a submodule")
        case 0o100644, 0o100755: break
        default: return .skipped("skipped: not a regular file")
        }
        if intentToAdd { return .skipped("skipped: an intent-to-add entry (`git add -N`) has no staged content") }
        let size = try repository.blobSize(oid)
        if size > maxSize { return .uncheckable("\(size) bytes is over max-file-size (\(maxSize)): not checked") }
        return .bytes(try repository.blob(oid))
    }
}
