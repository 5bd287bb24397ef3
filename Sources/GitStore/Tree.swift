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
}
