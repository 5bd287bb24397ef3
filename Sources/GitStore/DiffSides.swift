import CLibGit2
#if canImport(Glibc)
import Glibc
#endif

/// One side of a changed path, as a walk found it.
struct DiffSide {
    var path: String
    var mode: UInt32
    var oid: ObjectID
    var size: Int = 0
}

extension Repository {
    /// Turns the paths a walk found different into libgit2's deltas: both
    /// sides go into small in-memory indexes and libgit2 diffs those, with
    /// rename detection, so statuses and rename pairing stay libgit2's own
    /// while the walk only ever reads the folders that changed.
    func pair(old: [DiffSide], new: [DiffSide]) throws -> [FileChange] {
        if old.isEmpty && new.isEmpty { return [] }
        let oldPaths = Set(old.map(\.path)), newPaths = Set(new.map(\.path))
        if oldPaths.isSubset(of: newPaths) || newPaths.isSubset(of: oldPaths) {
            // Nothing both deleted and added, so no rename: a push of edits, the common case.
            return Repository.direct(old: old, new: new)
        }
        let oldIndex = try InMemoryIndex()
        let newIndex = try InMemoryIndex()
        for side in old { try oldIndex.add(side) }
        for side in new { try newIndex.add(side) }
        return try diff { diff, options in
            git_diff_index_to_index(&diff, pointer, oldIndex.pointer, newIndex.pointer, &options)
        }
    }

    /// What libgit2 reports for sides with no rename possible: one delta per
    /// path, sorted by path, a type change where the kind of entry differs.
    static func direct(old: [DiffSide], new: [DiffSide]) -> [FileChange] {
        var byPath: [String: (old: DiffSide?, new: DiffSide?)] = [:]
        for side in old { byPath[side.path, default: (nil, nil)].old = side }
        for side in new { byPath[side.path, default: (nil, nil)].new = side }
        var out: [FileChange] = []
        for (path, sides) in byPath {
            let zero = ObjectID(git_oid())
            let a = sides.old.map { (normalized($0.mode), $0.oid) }, b = sides.new.map { (normalized($0.mode), $0.oid) }
            let status: FileChange.Status
            switch (a, b) {
            case (nil, nil): continue
            case (nil, _): status = .added
            case (_, nil): status = .deleted
            case let (x?, y?):
                if x.0 == y.0 && x.1 == y.1 { continue }
                status = x.0 & 0o170000 == y.0 & 0o170000 ? .modified : .typeChanged
            }
            out.append(FileChange(status: status, oldPath: path, newPath: path, oldMode: a?.0 ?? 0, newMode: b?.0 ?? 0,
                                  oldOID: a?.1 ?? zero, newOID: b?.1 ?? zero, similarity: 0))
        }
        // Sorting indices moves integers, not changes with their strings.
        return out.indices.sorted { Repository.less(out[$0].newPath, out[$1].newPath) }.map { out[$0] }
    }

    /// git reads a legacy 100664 (and any other regular mode) as 100644 or 100755.
    static func normalized(_ mode: UInt32) -> UInt32 {
        mode & 0o170000 == 0o100000 ? (mode & 0o111 != 0 ? 0o100755 : 0o100644) : mode
    }

    /// Bytewise path order (git's, for files).
    static func less(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in compareBytes(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) < 0 } }
    }

    func lookupTree(_ id: git_oid) throws -> OpaquePointer {
        var tree: OpaquePointer?
        var id = id
        try check(git_tree_lookup(&tree, pointer, &id), "git_tree_lookup")
        return tree!
    }
}

enum TreeEntryName {
    static func of(_ entry: OpaquePointer) -> [UInt8] { Array(bytes(entry)) }

    static func bytes(_ entry: OpaquePointer) -> UnsafeRawBufferPointer {
        let name = git_tree_entry_name(entry)!
        return UnsafeRawBufferPointer(start: name, count: strlen(name))
    }
}

/// A libgit2 index that lives only in memory: one side of a diff.
final class InMemoryIndex {
    let pointer: OpaquePointer

    init() throws {
        var idx: OpaquePointer?
        try check(git_index_new(&idx), "git_index_new")
        pointer = idx!
    }

    deinit { git_index_free(pointer) }

    func add(_ side: DiffSide) throws {
        var entry = git_index_entry()
        entry.mode = Repository.normalized(side.mode)
        entry.id = side.oid.raw
        entry.file_size = UInt32(truncatingIfNeeded: side.size)
        try PathKey.withCString(side.path) { cPath in
            entry.path = cPath
            try check(git_index_add(pointer, &entry), "git_index_add(\(side.path))")
        }
    }
}

/// git's order of a folder's children: names compared as bytes, a folder's
/// as if it ended in "/".
func keyOrder(_ a: UnsafeRawBufferPointer, _ aIsDir: Bool, _ b: UnsafeRawBufferPointer, _ bIsDir: Bool) -> Int {
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
