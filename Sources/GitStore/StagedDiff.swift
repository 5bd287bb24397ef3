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
        return try pair(old: walk.old, new: walk.new.map { i in
            let entry = index.entry(at: i)
            return DiffSide(path: entry.path, mode: entry.mode, oid: entry.oid, size: entry.size)
        })
    }
}

/// The merge walk of HEAD's tree against the index's sorted entries, one
/// folder at a time.
private struct StagedWalk {
    let repository: Repository
    let index: IndexFile
    var old: [DiffSide] = []
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
            let treeName = treeEntry.map(TreeEntryName.bytes)
            let treeIsDir = treeEntry.map { git_tree_entry_type($0) == GIT_OBJECT_TREE } ?? false
            var order: Int
            var component = 0..<0
            var indexIsDir = false
            if j < range.upperBound {
                let inFolder = index.withPath(j) { path in
                    path.count > prefix.count && (prefix.isEmpty || memcmp(path.baseAddress!, prefix, prefix.count) == 0)
                }
                // Only an index that is not sorted by path, which git never writes, breaks this.
                guard inFolder else { throw IndexFile.failure(index.path, "its entries are not sorted by path") }
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
                try repository.collect(treeEntry!, prefix: prefix, into: &old)
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
                    // A conflict (stages 1 to 3): left out, as the libgit2 diff ssot used before left it out.
                } else {
                    let headMode = git_tree_entry_filemode(entry).rawValue
                    let headOID = ObjectID(git_tree_entry_id(entry).pointee)
                    if headMode != index.mode(j) || headOID != index.oid(j) {
                        old.append(DiffSide(path: PathKey.key(prefix + name), mode: headMode, oid: headOID))
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
