import CLibGit2
#if canImport(Glibc)
import Glibc
#endif

/// Looks a staged path up: in the index as libgit2 reads it, or as
/// `IndexFile` does.
public protocol StagedEntries {
    func entry(_ path: String) -> IndexEntry?
}

extension Index: StagedEntries {}
extension IndexFile: StagedEntries {}

extension Repository {
    /// The changes from `tree` (nil: the empty tree) to `index`, with git's
    /// rename detection (50% similarity): what `git diff --cached -M` lists.
    ///
    /// Folders whose cache-tree id equals HEAD's tree id are passed over
    /// without reading them, as git does, so the cost follows the change.
    /// The paths that differ are then handed to libgit2 as two small
    /// in-memory indexes, so the statuses and the rename pairing are
    /// libgit2's own. Conflicted paths (stages 1 to 3) are left out, as
    /// libgit2's diff leaves them out.
    public func changes(from tree: Tree?, to index: IndexFile) throws -> [FileChange] {
        var walk = StagedWalk(repository: self, index: index)
        try walk.compare(tree?.pointer, prefix: [], range: 0..<index.count, cache: index.cacheRoot)
        if walk.old.isEmpty && walk.new.isEmpty { return [] }
        let oldIndex = try InMemoryIndex()
        let newIndex = try InMemoryIndex()
        for side in walk.old { try oldIndex.add(path: side.path, mode: side.mode, oid: side.oid, size: 0) }
        for i in walk.new {
            let entry = index.entry(at: i)
            try newIndex.add(path: entry.path, mode: entry.mode, oid: entry.oid, size: entry.size)
        }
        return try diff { diff, options in
            git_diff_index_to_index(&diff, pointer, oldIndex.pointer, newIndex.pointer, &options)
        }
    }
}

/// A libgit2 index that lives only in memory: one side of a staged diff.
private final class InMemoryIndex {
    let pointer: OpaquePointer

    init() throws {
        var idx: OpaquePointer?
        try check(git_index_new(&idx), "git_index_new")
        pointer = idx!
    }

    deinit { git_index_free(pointer) }

    func add(path: String, mode: UInt32, oid: ObjectID, size: Int) throws {
        var entry = git_index_entry()
        // git reads a legacy 100664 (and any other regular mode) as 100644 or 100755.
        entry.mode = mode & 0o170000 == 0o100000 ? (mode & 0o111 != 0 ? 0o100755 : 0o100644) : mode
        entry.id = oid.raw
        entry.file_size = UInt32(truncatingIfNeeded: size)
        try path.withCString { cPath in
            entry.path = cPath
            try check(git_index_add(pointer, &entry), "git_index_add(\(path))")
        }
    }
}

/// The merge walk of HEAD's tree against the index's sorted entries, one
/// folder at a time.
private struct StagedWalk {
    struct OldSide { var path: String; var mode: UInt32; var oid: ObjectID }

    let repository: Repository
    let index: IndexFile
    var old: [OldSide] = []
    /// Entries of the index that differ from HEAD.
    var new: [Int] = []

    init(repository: Repository, index: IndexFile) {
        self.repository = repository
        self.index = index
    }

    /// Compares the folder `prefix` (empty, or ending in "/") of `tree` with
    /// the index entries in `range`, which all start with `prefix`.
    mutating func compare(_ tree: OpaquePointer?, prefix: [UInt8], range: Range<Int>, cache: Int?) throws {
        if let tree, let cache, let recorded = index.cacheOID(cache), recorded == ObjectID(git_tree_id(tree).pointee) { return }
        let treeCount = tree.map { git_tree_entrycount($0) } ?? 0
        var t = 0
        var j = range.lowerBound
        while t < treeCount || j < range.upperBound {
            let treeEntry = t < treeCount ? git_tree_entry_byindex(tree, t) : nil
            let treeName = treeEntry.map { UnsafeRawBufferPointer(start: git_tree_entry_name($0), count: strlen(git_tree_entry_name($0))) }
            let treeIsDir = treeEntry.map { git_tree_entry_type($0) == GIT_OBJECT_TREE } ?? false
            var order: Int
            var component = 0..<0
            var indexIsDir = false
            if j < range.upperBound {
                (component, indexIsDir) = index.withPath(j) { path in
                    let rest = UnsafeRawBufferPointer(rebasing: path[prefix.count...])
                    if let slash = rest.firstIndex(of: UInt8(ascii: "/")) { return (prefix.count..<(prefix.count + slash), true) }
                    return (prefix.count..<path.count, false)
                }
                if let treeName {
                    order = index.withPath(j) { path in
                        keyOrder(treeName, treeIsDir, UnsafeRawBufferPointer(rebasing: path[component]), indexIsDir)
                    }
                } else {
                    order = 1
                }
            } else {
                order = -1
            }
            if order < 0 {
                // Only in HEAD: deleted, with everything under it.
                let entry = treeEntry!
                let path = prefix + Array(treeName!)
                if treeIsDir {
                    try deleteAll(git_tree_entry_id(entry).pointee, prefix: path + [UInt8(ascii: "/")])
                } else {
                    old.append(OldSide(path: String(decoding: path, as: UTF8.self), mode: git_tree_entry_filemode(entry).rawValue,
                                       oid: ObjectID(git_tree_entry_id(entry).pointee)))
                }
                t += 1
                continue
            }
            let name = index.withPath(j) { Array($0[component]) }
            let group: Range<Int>
            if indexIsDir {
                group = j..<groupEnd(from: j, in: range, prefix: prefix + name + [UInt8(ascii: "/")])
            } else {
                var end = j + 1
                while end < range.upperBound, index.withPath(end, { a in index.withPath(j) { b in compareBytes(a, b) == 0 } }) {
                    end += 1
                }
                group = j..<end
            }
            if order > 0 {
                // Only in the index: added.
                addAll(group)
            } else if indexIsDir {
                var id = git_tree_entry_id(treeEntry!).pointee
                let child = cache.flatMap { c in name.withUnsafeBytes { index.cacheChild(c, named: $0) } }
                // A folder git has not touched since it recorded HEAD's tree id is not even read.
                if child.flatMap(index.cacheOID) != ObjectID(id) {
                    var sub: OpaquePointer?
                    try check(git_tree_lookup(&sub, repository.pointer, &id), "git_tree_lookup")
                    defer { git_tree_free(sub) }
                    try compare(sub, prefix: prefix + name + [UInt8(ascii: "/")], range: group, cache: child)
                }
                t += 1
            } else {
                let entry = treeEntry!
                if group.contains(where: { index.stage($0) != 0 }) {
                    // A conflict: libgit2's diff does not list it either.
                } else {
                    let headMode = git_tree_entry_filemode(entry).rawValue
                    let headOID = ObjectID(git_tree_entry_id(entry).pointee)
                    if headMode != index.mode(j) || headOID != index.oid(j) {
                        old.append(OldSide(path: String(decoding: prefix + name, as: UTF8.self), mode: headMode, oid: headOID))
                        new.append(j)
                    }
                }
                t += 1
            }
            j = group.upperBound
        }
    }

    /// Index entries from `group`, at stage 0, as added.
    private mutating func addAll(_ group: Range<Int>) {
        for i in group where index.stage(i) == 0 { new.append(i) }
    }

    /// Every file of the tree `id`, as deleted.
    private mutating func deleteAll(_ id: git_oid, prefix: [UInt8]) throws {
        var tree: OpaquePointer?
        var id = id
        try check(git_tree_lookup(&tree, repository.pointer, &id), "git_tree_lookup")
        defer { git_tree_free(tree) }
        for t in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, t) else { continue }
            let path = prefix + Array(UnsafeRawBufferPointer(start: git_tree_entry_name(entry), count: strlen(git_tree_entry_name(entry))))
            if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                try deleteAll(git_tree_entry_id(entry).pointee, prefix: path + [UInt8(ascii: "/")])
            } else {
                old.append(OldSide(path: String(decoding: path, as: UTF8.self), mode: git_tree_entry_filemode(entry).rawValue,
                                   oid: ObjectID(git_tree_entry_id(entry).pointee)))
            }
        }
    }

    /// The end of the entries under `folder` (ending in "/"), from `start`,
    /// which is one of them: they are contiguous, so a binary search finds it.
    private func groupEnd(from start: Int, in range: Range<Int>, prefix folder: [UInt8]) -> Int {
        var lo = start + 1, hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            let inside = index.withPath(mid) { $0.count >= folder.count && memcmp($0.baseAddress!, folder, folder.count) == 0 }
            if inside { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// git's order of a folder's children: names compared as bytes, a folder's
/// as if it ended in "/".
private func keyOrder(_ a: UnsafeRawBufferPointer, _ aIsDir: Bool, _ b: UnsafeRawBufferPointer, _ bIsDir: Bool) -> Int {
    let n = min(a.count, b.count)
    if n > 0 {
        let c = memcmp(a.baseAddress!, b.baseAddress!, n)
        if c != 0 { return Int(c) }
    }
    let x = a.count > n ? Int(a[n]) : (aIsDir ? 0x2F : -1)
    let y = b.count > n ? Int(b[n]) : (bIsDir ? 0x2F : -1)
    if x != y { return x < y ? -1 : 1 }
    return 0
}
