import CLibGit2
import CPrefilter
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

extension Repository {
    /// The working-tree file at `path`, opened, when git's own bookkeeping
    /// proves it is the blob `oid`; nil in any doubt.
    ///
    /// The gates read the parent's baseline on every commit. At 100,000
    /// files it is a 2.5 MB blob, and inflating it took 5 ms, more than the
    /// rest of the check. The working-tree copy is nearly always the same
    /// bytes, and git can tell without reading it: the index entry names the
    /// same blob, and the file's size, modification time, inode and device
    /// are those the index recorded (what `git status` trusts). The blob's
    /// size must equal the file's too, so an end-of-line conversion is never
    /// trusted, nor a path that a `filter`, `ident` or `working-tree-encoding`
    /// attribute may apply to. What is read from the file counts only if
    /// `CleanFile.isUnchanged()` still holds afterwards; otherwise the caller
    /// reads the blob.
    public func cleanCopy(of path: String, oid: ObjectID, index: IndexFile) throws -> CleanFile? {
        guard let workdir, let i = index.position(of: path), index.stage(i) == 0, index.oid(i) == oid,
              !mayRewriteContent(path, index: index),
              let file = CleanFile(workdir + "/" + path, unchangedSince: index, entry: i),
              try file.count == blobSize(oid) else { return nil }
        return file
    }
}

extension Repository {
    /// Whether git may rewrite `path`'s bytes between blob and working tree
    /// by an attribute other than end-of-line conversion (`filter`, `ident`,
    /// `working-tree-encoding`, or a macro that sets one).
    ///
    /// libgit2's attribute lookup loads its own copy of the index, which is
    /// what reading the index ourselves avoids, so this looks at the
    /// attribute files instead, conservatively: any of them that spells one
    /// of those words, or one that is in the index but not on disk, is
    /// taken to apply.
    func mayRewriteContent(_ path: String, index: IndexFile) -> Bool {
        guard let workdir else { return true }
        var files: [String] = []
        var folder = ""
        for part in [""] + path.split(separator: "/").dropLast().map(String.init) {
            folder = part.isEmpty ? folder : (folder.isEmpty ? part : folder + "/" + part)
            let relative = folder.isEmpty ? ".gitattributes" : folder + "/.gitattributes"
            var st = stat()
            let onDisk = lstat(workdir + "/" + relative, &st) == 0
            if index.position(of: relative) != nil && !onDisk { return true }
            if onDisk { files.append(workdir + "/" + relative) }
        }
        // info/ is shared by linked worktrees: it lives in the common directory.
        let common = git_repository_commondir(pointer).map { String(cString: $0) } ?? gitDir + "/"
        files.append(common + (common.hasSuffix("/") ? "" : "/") + "info/attributes")
        files.append("/etc/gitattributes")
        files.append(globalAttributesFile())
        for file in files {
            guard let bytes = Repository.smallFile(file) else { continue }
            for word in ["filter", "ident", "encoding"] {
                let found = bytes.withUnsafeBytes { b in
                    word.utf8.withContiguousStorageIfAvailable { w in
                        b.count >= w.count && ssot_memmem(b.baseAddress!, b.count, w.baseAddress!, w.count) != nil
                    } ?? true
                }
                if found { return true }
            }
        }
        return false
    }

    /// `core.attributesFile`, else git's default (`$XDG_CONFIG_HOME/git/attributes`).
    func globalAttributesFile() -> String {
        var config: OpaquePointer?
        if git_repository_config_snapshot(&config, pointer) == 0 {
            defer { git_config_free(config) }
            var buf = git_buf()
            if git_config_get_path(&buf, config, "core.attributesFile") == 0 {
                defer { git_buf_dispose(&buf) }
                return String(cString: buf.ptr)
            }
        }
        if let xdg = getenv("XDG_CONFIG_HOME"), xdg.pointee != 0 { return String(cString: xdg) + "/git/attributes" }
        return (getenv("HOME").map { String(cString: $0) } ?? "") + "/.config/git/attributes"
    }

    /// A file's bytes, if it exists; one too large to be an attribute file,
    /// or unreadable, comes back as "filter", which is taken to apply.
    static func smallFile(_ path: String) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let applies = Array("filter".utf8)
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size <= 1 << 20 else { return applies }
        let size = Int(st.st_size)
        guard let bytes = try? FileIO.read(fd: fd, path: path, size: size), bytes.count == size else { return applies }
        return bytes
    }
}

/// A working-tree file, open, whose stat data was what the index entry
/// recorded. It is read into memory of ssot's own, never mapped: a mapped
/// file that another process truncates kills the reader (SIGBUS), and the
/// gate reads this one on a background thread while someone may be editing
/// it. Any thread may read it.
public final class CleanFile: @unchecked Sendable {
    let fd: Int32
    public let count: Int
    let index: IndexFile
    let entry: Int

    init?(_ path: String, unchangedSince index: IndexFile, entry: Int) {
        fd = PathKey.withCString(path) { Glibc.open($0, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) }
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, index.matchesStat(entry, st) else {
            close(fd)
            return nil
        }
        count = Int(st.st_size)
        self.index = index
        self.entry = entry
    }

    deinit { close(fd) }

    /// The file's `count` bytes, or nil if it no longer has that many.
    public func read() -> [UInt8]? {
        guard let bytes = try? FileIO.read(fd: fd, path: "", size: count), bytes.count == count else { return nil }
        return bytes
    }

    /// Whether the file still has the stat data it was opened with.
    public func isUnchanged() -> Bool {
        var st = stat()
        return fstat(fd, &st) == 0 && index.matchesStat(entry, st)
    }
}
