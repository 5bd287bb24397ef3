import GitStore
import SSOTCore
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

/// The framing both trend caches share: eight bytes of magic (the format's
/// version), a record count, an FNV checksum of the body, then the body.
/// Read without following links and without waiting on anything that is not
/// a regular file; written whole to a temporary name and renamed over the
/// old one, so a crash or a second run at the same time leaves an old or a
/// new file, never half of one. A file that fails any check is dropped with
/// a note, never trusted.
enum CacheFile {
    struct Note: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// What tells one version of the file from another: a run saving its
    /// cache merges in what another run wrote meanwhile, and need not read
    /// the file again when it is still the one it read.
    struct Stamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var seconds: Int64
        var nanoseconds: Int64

        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
            size = Int64(st.st_size)
            seconds = Int64(st.st_mtim.tv_sec)
            nanoseconds = Int64(st.st_mtim.tv_nsec)
        }

        /// The file at the path now, without following a link; nil when there is none.
        static func of(_ path: String) -> Stamp? {
            var st = stat()
            return lstat(path, &st) == 0 ? Stamp(st) : nil
        }
    }

    /// The body and its record count; nil when there is no file yet.
    static func read(_ path: String, magic: [UInt8], what: String) -> Result<(count: UInt64, body: ArraySlice<UInt8>)?, Note> {
        var ignored: Stamp?
        return read(path, magic: magic, what: what, stamp: &ignored)
    }

    static func read(_ path: String, magic: [UInt8], what: String,
                     stamp: inout Stamp?) -> Result<(count: UInt64, body: ArraySlice<UInt8>)?, Note> {
        // Its folder and then the file, neither through a link (a cache is
        // never read from elsewhere, as it is never written there);
        // non-blocking, then a regular file only: a FIFO planted at the path
        // must not stall the run.
        let slash = path.lastIndex(of: "/")
        // Without a trailing slash, which would have the last folder followed all the same.
        let folderPath = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let folder = open(folderPath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        let folderError = errno
        var st = stat()
        // Linux says ENOTDIR, not ELOOP, for a link opened as a folder: ask what it is.
        if folder < 0 && (folderError == ELOOP || (lstat(folderPath, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)) {
            return .failure(Note("the \(what)'s folder \(folderPath) is a symbolic link; ssot reads no cache through one"))
        }
        guard folder >= 0 else {
            return folderError == ENOENT ? .success(nil)
                : .failure(Note("the \(what) \(path) cannot be read: \(String(cString: strerror(folderError)))"))
        }
        let fd = openat(folder, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        let why = errno
        close(folder)
        guard fd >= 0 else {
            return why == ENOENT ? .success(nil) : .failure(Note("the \(what) \(path) cannot be read: \(String(cString: strerror(why)))"))
        }
        defer { close(fd) }
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Note("the \(what) \(path) is not a regular file; it is not read"))
        }
        stamp = Stamp(st)
        guard let bytes = try? FileIO.read(fd: fd, path: path, size: Int(st.st_size)) else {
            return .failure(Note("the \(what) \(path) cannot be read"))
        }
        guard let framed = unframe(bytes, magic: magic) else { return .failure(damaged(what, path)) }
        return .success(framed)
    }

    /// The entries of a cache file, decoded by `records`; a missing file is
    /// an empty cache, anything else wrong a failure with a note.
    static func read<K, V>(_ path: String, magic: [UInt8], what: String, stamp: inout Stamp?,
                           records: (UInt64, ArraySlice<UInt8>) -> [K: V]?) -> Result<[K: V], Note> {
        switch read(path, magic: magic, what: what, stamp: &stamp) {
        case let .failure(note): return .failure(note)
        case .success(nil): return .success([:])
        case let .success(framed?):
            guard let entries = records(framed.count, framed.body) else { return .failure(damaged(what, path)) }
            return .success(entries)
        }
    }

    /// The record count and body of a whole file, if its magic and checksum hold.
    static func unframe(_ bytes: [UInt8], magic: [UInt8]) -> (count: UInt64, body: ArraySlice<UInt8>)? {
        guard bytes.count >= 24, Array(bytes[0..<8]) == magic else { return nil }
        let (count, sum) = bytes.withUnsafeBytes { b in
            var r = ByteReader(b)
            r.offset = 8
            return (r.u64()!, r.u64()!)
        }
        guard Baseline.fnv(bytes[24...]) == sum, count <= UInt64(bytes.count) else { return nil }
        return (count, bytes[24...])
    }

    static func damaged(_ what: String, _ path: String) -> Note {
        Note("the \(what) \(path) is damaged; it was discarded and is built again")
    }

    static func encode(magic: [UInt8], count: Int, body: [UInt8]) -> [UInt8] {
        var out = ByteWriter()
        out.bytes = magic
        out.u64(UInt64(count))
        out.u64(Baseline.fnv(body))
        return out.bytes + body
    }

    /// Writes a cache back whole: merged with what another run wrote since
    /// this one read it (`stamp`), and past `limit` entries, the ones this
    /// run did not use dropped first.
    static func save<K: Hashable, V>(_ entries: [K: V], used: Set<K>, limit: Int, stamp: Stamp?, directory: String,
                                     relative: String, what: String, read: (String) -> [K: V]?,
                                     encode: ([K: V]) -> [UInt8]) -> Note? {
        var all = entries
        let path = directory + "/" + relative
        if stamp == nil || Stamp.of(path) != stamp, let theirs = read(path) {
            all.merge(theirs) { mine, _ in mine }
        }
        if all.count > limit {
            var keys = Array(used.prefix(limit))
            for k in all.keys where keys.count < limit && !used.contains(k) { keys.append(k) }
            all = Dictionary(uniqueKeysWithValues: keys.map { ($0, all[$0]!) })
        }
        return write(encode(all), directory: directory, relative: relative, what: what)
    }

    /// Replaces the file at `relative` under `directory` atomically; a note when it cannot.
    static func write(_ bytes: [UInt8], directory: String, relative: String, what: String) -> Note? {
        do {
            try AtomicFile.stage(bytes, root: directory, relative: relative, sync: false).commit()
            return nil
        } catch {
            return Note("the \(what) was not saved: \((error as? Failure)?.message ?? "\(error)")")
        }
    }
}

/// Little-endian integers and length-prefixed (u32) strings appended to bytes.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }

    mutating func raw(_ b: [UInt8]) { bytes += b }

    mutating func oid(_ id: ObjectID) { id.append(to: &bytes) }

    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes += s.utf8
    }
}

/// The reading side of `ByteWriter`, over bytes a caller holds still
/// (`withUnsafeBytes`): every read is bounds-checked and nil past the end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var atEnd: Bool { offset == bytes.count }

    mutating func take(_ n: Int) -> UnsafeRawBufferPointer? {
        guard n >= 0, bytes.count - offset >= n else { return nil }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
    }

    mutating func u8() -> UInt8? { take(1)?.first }

    mutating func u32() -> UInt32? {
        guard let b = take(4) else { return nil }
        return UInt32(littleEndian: b.loadUnaligned(as: UInt32.self))
    }

    mutating func u64() -> UInt64? {
        guard let b = take(8) else { return nil }
        return UInt64(littleEndian: b.loadUnaligned(as: UInt64.self))
    }

    mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }

    mutating func oid() -> ObjectID? { take(20).flatMap { ObjectID(raw: $0) } }

    mutating func string() -> String? {
        guard let n = u32(), let b = take(Int(n)) else { return nil }
        return String(validating: b, as: UTF8.self)
    }
}
