import CLibGit2

/// A tree object: a commit's files.
public final class Tree {
    let pointer: OpaquePointer
    let repository: Repository

    init(pointer: OpaquePointer, repository: Repository) {
        self.pointer = pointer
        self.repository = repository
    }

    deinit { git_object_free(pointer) }

    public var id: ObjectID { ObjectID(git_tree_id(pointer).pointee) }

    /// The blob at `path` and its mode, or nil.
    public func entry(_ path: String) -> (oid: ObjectID, mode: UInt32)? {
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, pointer, path) == 0, let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        return (ObjectID(git_tree_entry_id(entry).pointee), git_tree_entry_filemode(entry).rawValue)
    }

    /// Every blob in the tree, recursively, as (path, oid, mode).
    public func files() throws -> [(path: String, oid: ObjectID, mode: UInt32)] {
        final class Box { var out: [(String, ObjectID, UInt32)] = [] }
        let box = Box()
        let payload = Unmanaged.passUnretained(box).toOpaque()
        try check(git_tree_walk(pointer, GIT_TREEWALK_PRE, { root, entry, payload in
            guard let entry, let payload else { return 0 }
            if git_tree_entry_type(entry) == GIT_OBJECT_BLOB || git_tree_entry_type(entry) == GIT_OBJECT_COMMIT {
                let box = Unmanaged<Box>.fromOpaque(payload).takeUnretainedValue()
                let name = PathKey.key(cString: git_tree_entry_name(entry))
                let prefix = root.map { PathKey.key(cString: $0) } ?? ""
                box.out.append((prefix + name, ObjectID(git_tree_entry_id(entry).pointee), git_tree_entry_filemode(entry).rawValue))
            }
            return 0
        }, payload), "git_tree_walk")
        return box.out.map { (path: $0.0, oid: $0.1, mode: $0.2) }
    }
}
