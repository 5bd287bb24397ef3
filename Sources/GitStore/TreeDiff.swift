import CLibGit2

extension Repository {
    /// The changes from `old` (nil: the empty tree) to `new`, with git's
    /// rename detection (50% similarity): what `git diff -M old new` lists.
    ///
    /// libgit2 1.5's tree-to-tree diff reads every folder of both trees,
    /// even those whose ids are equal: 8 ms for a push of one file into a
    /// 20,000-file repository. Here folders with equal ids are passed over,
    /// as git does, and the paths that differ go to libgit2 for statuses
    /// and renames (`pair`).
    public func changes(from old: Tree?, to new: Tree) throws -> [FileChange] {
        var oldSides: [DiffSide] = []
        var newSides: [DiffSide] = []
        try compareTrees(old?.pointer, new.pointer, prefix: [], old: &oldSides, new: &newSides)
        return try pair(old: oldSides, new: newSides)
    }

    private func compareTrees(_ a: OpaquePointer?, _ b: OpaquePointer?, prefix: [UInt8],
                              old: inout [DiffSide], new: inout [DiffSide]) throws {
        if let a, let b, ObjectID(git_tree_id(a).pointee) == ObjectID(git_tree_id(b).pointee) { return }
        let countA = a.map { git_tree_entrycount($0) } ?? 0
        let countB = b.map { git_tree_entrycount($0) } ?? 0
        var i = 0, j = 0
        while i < countA || j < countB {
            let x = i < countA ? git_tree_entry_byindex(a, i) : nil
            let y = j < countB ? git_tree_entry_byindex(b, j) : nil
            let order: Int
            if let x, let y {
                order = keyOrder(TreeEntryName.bytes(x), git_tree_entry_type(x) == GIT_OBJECT_TREE,
                                 TreeEntryName.bytes(y), git_tree_entry_type(y) == GIT_OBJECT_TREE)
            } else {
                order = x != nil ? -1 : 1
            }
            if order < 0 {
                try collect(x!, path: prefix + TreeEntryName.of(x!), into: &old)
                i += 1
            } else if order > 0 {
                try collect(y!, path: prefix + TreeEntryName.of(y!), into: &new)
                j += 1
            } else {
                let x = x!, y = y!
                let idX = git_tree_entry_id(x).pointee, idY = git_tree_entry_id(y).pointee
                let modeX = git_tree_entry_filemode(x).rawValue, modeY = git_tree_entry_filemode(y).rawValue
                if ObjectID(idX) != ObjectID(idY) || modeX != modeY {
                    let path = prefix + TreeEntryName.of(x)
                    if git_tree_entry_type(x) == GIT_OBJECT_TREE {
                        let subA = try lookupTree(idX)
                        defer { git_tree_free(subA) }
                        let subB = try lookupTree(idY)
                        defer { git_tree_free(subB) }
                        try compareTrees(subA, subB, prefix: path + [UInt8(ascii: "/")], old: &old, new: &new)
                    } else {
                        old.append(DiffSide(path: String(decoding: path, as: UTF8.self), mode: modeX, oid: ObjectID(idX)))
                        new.append(DiffSide(path: String(decoding: path, as: UTF8.self), mode: modeY, oid: ObjectID(idY)))
                    }
                }
                i += 1
                j += 1
            }
        }
    }
}
