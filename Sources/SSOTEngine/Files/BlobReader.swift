import GitStore
import SSOTCore

/// Where blobs come from: a repository, or memory in the tests. The size is
/// asked of the store before a byte is read.
public protocol BlobStore {
    func blobSize(_ oid: ObjectID) throws -> Int
    func blob(_ oid: ObjectID) throws -> [UInt8]
}

extension Repository: BlobStore {}

/// Reads a changed file's blob the way SPEC section 2 says: symlinks,
/// submodules and intent-to-add entries are skipped, and a file over
/// `max-file-size` is not read at all.
public enum BlobReader {
    /// A changed symlink (SPEC 2): harmless when it points at a selected
    /// regular file of the proposed tree, which is checked in its own right;
    /// otherwise Python would import what it points at unchecked (a file
    /// outside the tree, an unselected file, another link), so the gate
    /// cannot check it.
    public static func symlink(_ store: BlobStore, path: String, oid: ObjectID, tree: SourceTree, config: Config) throws -> FileRead {
        try symlink(path: path, target: PathKey.key(try store.blob(oid)), tree: tree, config: config)
    }

    /// The same for a link whose target is known (read from the working tree).
    public static func symlink(path: String, target: String, tree: SourceTree, config: Config) throws -> FileRead {
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
        guard resolved.split(separator: "/").dropLast().joined(separator: "/") == folder else {
            return .uncheckable("a symlink to \(target), outside its own folder: Python would import that file under"
                + " this name, where its relative imports mean something else; not checked")
        }
        // Its own folder, by a way through folders (`./x.py`, `d/../x.py`), any of which could be a link.
        guard !target.contains("/") else {
            return .uncheckable("a symlink to \(target), a file of its own folder named by a path: write the target as"
                + " the file's name alone for ssot to lean on it; not checked")
        }
        guard config.selects(resolved), try tree.isCheckedFile(resolved) else {
            return .uncheckable("a symlink to \(target), which is not a checked Python file of the tree: not checked")
        }
        return .skipped("skipped: a symlink to \(resolved), which is checked itself")
    }

    public static func read(_ store: BlobStore, oid: ObjectID, mode: UInt32, intentToAdd: Bool, maxSize: Int) throws -> FileRead {
        switch mode {
        case 0o120000: return .skipped("skipped: a symlink")
        case 0o160000: return .skipped("skipped: a submodule")
        case 0o100644, 0o100755: break
        default: return .skipped("skipped: not a regular file")
        }
        if intentToAdd { return .skipped("skipped: an intent-to-add entry (`git add -N`) has no staged content") }
        let size = try store.blobSize(oid)
        if size > maxSize { return .uncheckable("\(size) bytes is over max-file-size (\(maxSize)): not checked") }
        return .bytes(try store.blob(oid))
    }
}
