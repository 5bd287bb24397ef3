import CLibGit2
import SSOTSystem

extension Repository {
    /// The changes from `old` (nil: the empty tree) to `new`, with git's
    /// rename detection (50% similarity): what `git diff -M old new` lists.
    ///
    /// libgit2 1.5's tree-to-tree diff reads every folder of both trees,
    /// even those whose ids are equal: 8 ms for a push of one file into a
    /// 20,000-file repository. Here folders with equal ids are passed over,
    /// as git does, and the paths that differ go to libgit2 for statuses
    /// and renames (`pair`).
    ///
    /// Reading the folders that differ is most of a big push's diff (726
    /// trees for 300 commits). When a breadth-first walk finds many of them,
    /// they are shared among `helpers()`, the calling handle first, one
    /// handle per thread (libgit2's THREADING.md).
    public func changes(from old: Tree?, to new: Tree, helpers: () -> [Repository] = { [] }) throws -> [FileChange] {
        var sides = TreeSides()
        var pending: [FolderPair] = []
        try compareTrees(old?.pointer, new.pointer, prefix: [], into: &sides) { pending.append($0) }
        while !pending.isEmpty && pending.count < Repository.shareAbove {
            let level = pending
            pending = []
            for pair in level { try compare(pair, into: &sides) { pending.append($0) } }
        }
        let handles = pending.isEmpty ? [] : helpers()
        if handles.count > 1 {
            try Repository.share(pending, among: handles, into: &sides)
        } else {
            for pair in pending { try compareAll(pair, into: &sides) }
        }
        return try pair(old: sides.old, new: sides.new)
    }

    /// Folders that differ, found breadth first, above which the rest of the
    /// walk is shared among threads.
    static let shareAbove = 32

    static func share(_ pairs: [FolderPair], among handles: [Repository], into sides: inout TreeSides) throws {
        let results = Parallel.map(handles.count, inlineBelow: 2) { w in
            Result {
                var mine = TreeSides()
                for i in stride(from: w, to: pairs.count, by: handles.count) {
                    try handles[w].compareAll(pairs[i], into: &mine)
                }
                return mine
            }
        }
        for result in results {
            let part = try result.get()
            sides.old += part.old
            sides.new += part.new
        }
    }

    /// `pair` and every folder below it; the folders read come from, and go
    /// to, `memo` when there is one.
    func compareAll(_ pair: FolderPair, into sides: inout TreeSides, memo: TreeMemo? = nil) throws {
        var below: [FolderPair] = []
        try compare(pair, into: &sides, memo: memo) { below.append($0) }
        for folder in below { try compareAll(folder, into: &sides, memo: memo) }
    }

    /// One pair of folders, looked up through this handle; `descend` gets the
    /// folders below that differ.
    private func compare(_ pair: FolderPair, into sides: inout TreeSides, memo: TreeMemo? = nil,
                         descend: (FolderPair) throws -> Void) throws {
        if let memo {
            let a = try pair.old.map { try memo.tree($0, old: true, via: self) }
            let b = try pair.new.map { try memo.tree($0, old: false, via: self) }
            return try compareTrees(a, b, prefix: pair.prefix, into: &sides, descend: descend)
        }
        let a = try pair.old.map(lookupTree)
        defer { if let a { git_tree_free(a) } }
        let b = try pair.new.map(lookupTree)
        defer { if let b { git_tree_free(b) } }
        try compareTrees(a, b, prefix: pair.prefix, into: &sides, descend: descend)
    }

    /// Merges two folders' sorted entries. A file on one side only, or with
    /// a different id or mode, becomes a side; a folder on either side whose
    /// id differs goes to `descend`, to be read later or now.
    func compareTrees(_ a: OpaquePointer?, _ b: OpaquePointer?, prefix: [UInt8], into sides: inout TreeSides,
                              descend: (FolderPair) throws -> Void) throws {
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
                try oneSide(x!, prefix: prefix, into: &sides.old, old: true, descend: descend)
                i += 1
            } else if order > 0 {
                try oneSide(y!, prefix: prefix, into: &sides.new, old: false, descend: descend)
                j += 1
            } else {
                let x = x!, y = y!
                let idX = git_tree_entry_id(x).pointee, idY = git_tree_entry_id(y).pointee
                let modeX = git_tree_entry_filemode(x).rawValue, modeY = git_tree_entry_filemode(y).rawValue
                if ObjectID(idX) != ObjectID(idY) || modeX != modeY {
                    let path = prefix + TreeEntryName.of(x)
                    if git_tree_entry_type(x) == GIT_OBJECT_TREE {
                        try descend(FolderPair(old: idX, new: idY, prefix: path + [UInt8(ascii: "/")]))
                    } else {
                        sides.old.append(DiffSide(path: PathKey.key(path), mode: modeX, oid: ObjectID(idX)))
                        sides.new.append(DiffSide(path: PathKey.key(path), mode: modeY, oid: ObjectID(idY)))
                    }
                }
                i += 1
                j += 1
            }
        }
    }

    /// The entry `entry` of folder `prefix`, which only the old side has
    /// (the staged walk's deletions): a file as one side, a folder as every
    /// file below it.
    func collect(_ entry: OpaquePointer, prefix: [UInt8], into sides: inout [DiffSide]) throws {
        var below: [FolderPair] = []
        try oneSide(entry, prefix: prefix, into: &sides, old: true) { below.append($0) }
        var found = TreeSides()
        for folder in below { try compareAll(folder, into: &found) }
        sides += found.old
    }

    /// An entry only one side has: a file is a side, a folder is walked
    /// against nothing.
    private func oneSide(_ entry: OpaquePointer, prefix: [UInt8], into sides: inout [DiffSide], old: Bool,
                         descend: (FolderPair) throws -> Void) throws {
        let path = prefix + TreeEntryName.of(entry)
        let id = git_tree_entry_id(entry).pointee
        if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
            let below = path + [UInt8(ascii: "/")]
            try descend(old ? FolderPair(old: id, new: nil, prefix: below) : FolderPair(old: nil, new: id, prefix: below))
        } else {
            sides.append(DiffSide(path: PathKey.key(path), mode: git_tree_entry_filemode(entry).rawValue,
                                  oid: ObjectID(id)))
        }
    }
}

/// Two folders at the same path that differ; nil is a folder that side
/// does not have.
struct FolderPair {
    var old: git_oid?
    var new: git_oid?
    /// The folders' path with a trailing slash.
    var prefix: [UInt8]
}

/// What a tree walk collects: the paths that differ, each side's entry.
struct TreeSides {
    var old: [DiffSide] = []
    var new: [DiffSide] = []
}
