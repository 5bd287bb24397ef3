import CLibGit2
import CPathKey
#if canImport(Glibc)
import Glibc
#endif

/// git's index file, read straight from disk (formats 2, 3 and 4, and the
/// cache-tree), for the gates that only look at it.
///
/// libgit2 1.5 reads an index by hashing all of it with the collision-detecting
/// SHA-1 and then diffs it against HEAD entry by entry: about 20 ms at 20,000
/// files and 90 ms at 100,000, whatever the size of the commit. git itself
/// does neither: it skips the checksum on read and uses the cache-tree (the
/// tree id git recorded for every folder whose entries it has not touched
/// since) to pass over unchanged folders. Reading the file here lets the
/// pre-commit gate do the same, so its time follows the change, not the
/// repository. Objects are still read, and the index still written, by
/// libgit2. Split and sparse indexes are refused, as before, by name.
public final class IndexFile {
    /// The file's bytes (mapped), or nil for a missing file: an empty index.
    private let base: UnsafeRawPointer?
    private let length: Int
    /// Entry paths, decoded once for format 4 (prefix-compressed); for
    /// formats 2 and 3 they are read in place.
    private var arena: [UInt8] = []
    private var records: [Record] = []
    private var cacheTree: [CacheNode] = []
    public let path: String
    public let version: Int
    /// The index file's own modification time: a working-tree file changed
    /// in the same instant may not match its recorded stat data (git's
    /// "racy" case).
    private var modified = timespec()

    struct Record {
        var entry: Int32
        var name: Int32
        var nameLength: Int32
        var inArena: Bool
        var extended: UInt16
        var flags: UInt16
    }

    /// One folder of the cache-tree: its tree id is valid when `count >= 0`.
    /// Its children follow it, each after the previous one's subtree.
    struct CacheNode {
        var name: Range<Int>
        var count: Int
        var oid: Int
        var children: Int
        /// Nodes in its subtree, itself included: the step to its next sibling.
        var size: Int
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), length) }
    }

    /// Reads the index at `path`. A missing file is an empty index, as in git.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            guard code == ENOENT else { throw IndexFile.failure(path, "cannot open: \(String(cString: strerror(code)))") }
            base = nil
            length = 0
            version = 2
            return
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw IndexFile.failure(path, "cannot stat: \(String(cString: strerror(errno)))") }
        length = Int(st.st_size)
        modified = st.st_mtim
        guard length >= 12 + 20 else { throw IndexFile.failure(path, "too short to be an index (\(length) bytes)") }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw IndexFile.failure(path, "cannot map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
        let header = UnsafeRawPointer(mapped)
        func word(_ at: Int) -> UInt32 { UInt32(bigEndian: header.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        version = Int(word(4))
        guard word(0) == 0x4449_5243 else { throw IndexFile.failure(path, "no DIRC signature: not a git index") }
        guard (2...4).contains(version) else { throw IndexFile.failure(path, "index format \(version) is not one git writes (2, 3 or 4)") }
        try parseEntries(count: Int(be32(8)))
    }

    static func failure(_ path: String, _ what: String) -> GitError {
        GitError(function: "index", code: -1, message: "the index \(path) is unreadable: \(what)", kind: .other)
    }

    private func byte(_ at: Int) -> UInt8 { base!.load(fromByteOffset: at, as: UInt8.self) }
    private func be16(_ at: Int) -> UInt16 { UInt16(byte(at)) << 8 | UInt16(byte(at + 1)) }
    private func be32(_ at: Int) -> UInt32 { UInt32(be16(at)) << 16 | UInt32(be16(at + 2)) }

    private func parseEntries(count: Int) throws {
        let end = length - 20
        let p = base!
        guard count <= (end - 12) / 62 else { throw IndexFile.failure(path, "entries run past the end of the file") }
        if version == 4 {
            try parseEntriesV4(count: count, end: end)
            return
        }
        // Built in a local: appending to the property would pay an exclusivity check per entry.
        var records: [Record] = []
        records.reserveCapacity(count)
        var at = 12
        for _ in 0..<count {
            guard at + 62 <= end else { throw IndexFile.failure(path, "entries run past the end of the file") }
            let flags = UInt16(bigEndian: p.loadUnaligned(fromByteOffset: at + 60, as: UInt16.self))
            var header = 62
            var extended: UInt16 = 0
            if flags & 0x4000 != 0 {
                guard version >= 3, at + 64 <= end else { throw IndexFile.failure(path, "an extended entry in a format-2 index") }
                extended = UInt16(bigEndian: p.loadUnaligned(fromByteOffset: at + 62, as: UInt16.self))
                header = 64
            }
            let name = at + header
            let short = Int(flags & 0xFFF)
            let nameEnd = short < 0xFFF ? name + short : try nul(from: name, end: end)
            guard nameEnd < end, p.load(fromByteOffset: nameEnd, as: UInt8.self) == 0 else {
                throw IndexFile.failure(path, "an entry's path is not terminated")
            }
            records.append(Record(entry: Int32(at), name: Int32(name), nameLength: Int32(nameEnd - name), inArena: false,
                                  extended: extended, flags: flags))
            at += (header + (nameEnd - name) + 8) & ~7
        }
        self.records = records
        try parseExtensions(from: at, end: end)
    }

    /// Format 4: each path is a varint of bytes to drop from the previous
    /// path, then the rest of this one; no padding.
    private func parseEntriesV4(count: Int, end: Int) throws {
        var at = 12
        var previous: [UInt8] = []
        var records: [Record] = []
        var arena: [UInt8] = []
        records.reserveCapacity(count)
        for _ in 0..<count {
            guard at + 62 <= end else { throw IndexFile.failure(path, "entries run past the end of the file") }
            let flags = be16(at + 60)
            var header = 62
            var extended: UInt16 = 0
            if flags & 0x4000 != 0 {
                guard at + 64 <= end else { throw IndexFile.failure(path, "entries run past the end of the file") }
                extended = be16(at + 62)
                header = 64
            }
            var p = at + header
            var c = Int(try checkedByte(p, end)); p += 1
            var strip = c & 127
            while c & 128 != 0, strip <= previous.count {
                c = Int(try checkedByte(p, end)); p += 1
                strip = ((strip + 1) << 7) | (c & 127)
            }
            guard strip <= previous.count else { throw IndexFile.failure(path, "a path strips more than its predecessor has") }
            let suffixEnd = try nul(from: p, end: end)
            previous.removeLast(strip)
            previous.append(contentsOf: UnsafeRawBufferPointer(start: base! + p, count: suffixEnd - p))
            records.append(Record(entry: Int32(at), name: Int32(arena.count), nameLength: Int32(previous.count), inArena: true,
                                  extended: extended, flags: flags))
            arena.append(contentsOf: previous)
            at = suffixEnd + 1
        }
        self.records = records
        self.arena = arena
        try parseExtensions(from: at, end: end)
    }

    private func checkedByte(_ at: Int, _ end: Int) throws -> UInt8 {
        guard at < end else { throw IndexFile.failure(path, "entries run past the end of the file") }
        return byte(at)
    }

    private func nul(from: Int, end: Int) throws -> Int {
        guard from < end, let hit = memchr(base! + from, 0, end - from) else {
            throw IndexFile.failure(path, "an entry's path is not terminated")
        }
        return base!.distance(to: UnsafeRawPointer(hit))
    }

    private func parseExtensions(from start: Int, end: Int) throws {
        var at = start
        while at + 8 <= end {
            let signature = String(decoding: UnsafeRawBufferPointer(start: base! + at, count: 4), as: UTF8.self)
            let size = Int(be32(at + 4))
            let body = at + 8
            guard size <= end - body else { throw IndexFile.failure(path, "extension '\(signature)' runs past the end of the file") }
            switch signature {
            case "TREE":
                var cursor = body
                var nodes: [CacheNode] = []
                if size > 0 { try parseCacheNode(&cursor, end: body + size, depth: 0, into: &nodes) }
                cacheTree = nodes
            case "link", "sdir":
                // The same words libgit2 uses for them.
                throw GitError(function: "index", code: -1, message: "unsupported mandatory extension: '\(signature)'",
                               kind: signature == "link" ? .splitIndex : .sparseIndex)
            default:
                // An upper-case first letter marks an optional extension (REUC, UNTR, FSMN, EOIE, IEOT).
                if let first = signature.utf8.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) {
                    throw GitError(function: "index", code: -1, message: "unsupported mandatory extension: '\(signature)'",
                                   kind: .unsupportedExtension)
                }
            }
            at = body + size
        }
    }

    /// One cache-tree record (name NUL, count SP subtrees LF, [id]), then
    /// its subtrees, appended in that order (pre-order, as on disk).
    private func parseCacheNode(_ at: inout Int, end: Int, depth: Int, into cacheTree: inout [CacheNode]) throws {
        // Made only when thrown: a cache-tree has a node per folder of the repository.
        let bad = { IndexFile.failure(self.path, "the cache-tree (TREE extension) is malformed") }
        guard depth < 4096 else { throw bad() }
        let nameEnd = try nul(from: at, end: end)
        let name = at..<nameEnd
        at = nameEnd + 1
        let count = try decimal(&at, end: end, until: UInt8(ascii: " "), or: bad)
        let subtrees = try decimal(&at, end: end, until: UInt8(ascii: "\n"), or: bad)
        guard subtrees >= 0 else { throw bad() }
        var oid = -1
        if count >= 0 {
            guard at + 20 <= end else { throw bad() }
            oid = at
            at += 20
        }
        let me = cacheTree.count
        cacheTree.append(CacheNode(name: name, count: count, oid: oid, children: subtrees, size: 1))
        for _ in 0..<subtrees { try parseCacheNode(&at, end: end, depth: depth + 1, into: &cacheTree) }
        cacheTree[me].size = cacheTree.count - me
    }

    /// An ASCII decimal, perhaps negative, ended by `stop`.
    private func decimal(_ at: inout Int, end: Int, until stop: UInt8, or bad: () -> GitError) throws -> Int {
        var negative = false
        var value = 0
        var digits = 0
        if at < end, byte(at) == UInt8(ascii: "-") { negative = true; at += 1 }
        while at < end, byte(at) != stop {
            let d = Int(byte(at)) &- 48
            guard d >= 0, d <= 9, digits < 10 else { throw bad() }
            value = value * 10 + d
            digits += 1
            at += 1
        }
        guard at < end, digits > 0 else { throw bad() }
        at += 1
        return negative ? -value : value
    }

    // MARK: - What the gates ask

    public var count: Int { records.count }

    /// The bytes of entry `i`'s path.
    func withPath<T>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let r = records[i]
        if r.inArena {
            return try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[Int(r.name)..<Int(r.name + r.nameLength)])) }
        }
        return try body(UnsafeRawBufferPointer(start: base! + Int(r.name), count: Int(r.nameLength)))
    }

    func mode(_ i: Int) -> UInt32 { be32(Int(records[i].entry) + 24) }
    func stage(_ i: Int) -> Int { Int(records[i].flags & 0x3000) >> 12 }
    func intentToAdd(_ i: Int) -> Bool { records[i].extended & 0x2000 != 0 }
    func oid(_ i: Int) -> ObjectID { objectID(at: Int(records[i].entry) + 40) }
    func size(_ i: Int) -> Int { Int(be32(Int(records[i].entry) + 36)) }

    func objectID(at offset: Int) -> ObjectID {
        var raw = git_oid()
        withUnsafeMutableBytes(of: &raw.id) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base! + offset, count: 20)) }
        return ObjectID(raw)
    }

    /// Whether the working-tree file `st` still holds what entry `i` records,
    /// judged as git judges it without reading the file: same size,
    /// modification time, inode and device, and not changed in the same
    /// instant as the index was written.
    func matchesStat(_ i: Int, _ st: stat) -> Bool {
        let at = Int(records[i].entry)
        let mtime = timespec(tv_sec: Int(be32(at + 8)), tv_nsec: Int(be32(at + 12)))
        guard UInt32(truncatingIfNeeded: st.st_size) == be32(at + 36),
              UInt32(truncatingIfNeeded: st.st_mtim.tv_sec) == UInt32(truncatingIfNeeded: mtime.tv_sec),
              st.st_mtim.tv_nsec == mtime.tv_nsec,
              UInt32(truncatingIfNeeded: st.st_ino) == be32(at + 20),
              UInt32(truncatingIfNeeded: st.st_dev) == be32(at + 16) else { return false }
        // Racy: the file may have changed after git recorded it, within the same tick.
        return (st.st_mtim.tv_sec, st.st_mtim.tv_nsec) < (modified.tv_sec, modified.tv_nsec)
    }

    /// The stage-0 entry number of `path`.
    func position(of path: String) -> Int? {
        guard let first = firstPosition(of: path), stage(first) == 0 else { return nil }
        return first
    }

    /// Whether git tracks `path` at any stage (a conflicted file is tracked too).
    public func tracks(_ path: String) -> Bool { firstPosition(of: path) != nil }

    /// The first entry of `path`, by binary search (entries are sorted by path, then stage).
    private func firstPosition(of path: String) -> Int? {
        let key = PathKey.bytes(path)
        return key.withUnsafeBytes { k in
            var lo = 0, hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if withPath(mid, { compareBytes($0, k) }) < 0 { lo = mid + 1 } else { hi = mid }
            }
            guard lo < count, withPath(lo, { compareBytes($0, k) }) == 0 else { return nil }
            return lo
        }
    }

    /// Entry `i` as ssot's other modes see an index entry.
    public func entry(at i: Int) -> IndexEntry {
        IndexEntry(path: withPath(i) { PathKey.key($0) }, mode: mode(i), oid: oid(i),
                   stage: stage(i), intentToAdd: intentToAdd(i), size: size(i))
    }

    public func entries() -> [IndexEntry] { (0..<count).map(entry(at:)) }

    /// The stage-0 entry at `path`, by binary search (entries are sorted by path, then stage).
    public func entry(_ path: String) -> IndexEntry? {
        position(of: path).map(entry(at:))
    }

    /// The root of the cache-tree, if git recorded one.
    var cacheRoot: Int? { cacheTree.isEmpty ? nil : 0 }

    /// The tree id git recorded for cache node `i`, if it is still valid.
    func cacheOID(_ i: Int) -> ObjectID? {
        let node = cacheTree[i]
        return node.count >= 0 ? objectID(at: node.oid) : nil
    }

    /// The child of cache node `parent` named `name`.
    func cacheChild(_ parent: Int, named name: UnsafeRawBufferPointer) -> Int? {
        guard name.count > 0 else { return nil }
        var child = parent + 1
        for _ in 0..<cacheTree[parent].children {
            guard child < cacheTree.count else { return nil }
            let n = cacheTree[child].name
            if n.count == name.count, memcmp(base! + n.lowerBound, name.baseAddress!, n.count) == 0 { return child }
            child += cacheTree[child].size
        }
        return nil
    }
}

/// Bytewise comparison, shorter first on a common prefix: git's path order.
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    Int(ssot_bytes_compare(a.baseAddress, a.count, b.baseAddress, b.count))
}
