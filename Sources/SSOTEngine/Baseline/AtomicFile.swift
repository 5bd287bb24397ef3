import SSOTCore
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file of the work tree the way SPEC 3 asks for the baseline: a
/// temporary file in the same folder, then a rename, so a crash never leaves
/// half a file; and never through a symlink, so a hostile repository cannot
/// point `.ssot-baseline` (or a folder on its way) at `~/.ssh/authorized_keys`.
///
/// Each folder is opened relative to the one before with `O_NOFOLLOW`, so a
/// symlink swapped in while ssot runs is refused too, not followed.
public enum AtomicFile {
    /// `relative` is a path inside `root` (the work tree) without `.` or `..`.
    public static func write(_ bytes: [UInt8], root: String, relative: String) throws {
        try stage(bytes, root: root, relative: relative, sync: true).commit()
    }

    /// A file written next to its place, not yet renamed into it: many files
    /// are staged, the file system synced once (`syncFileSystem`), then
    /// each committed, so a run of thousands of files costs one sync, not
    /// one each, and a crash leaves every file old or new, never half.
    /// Holds no descriptor (thousands may be staged at once): its folder is
    /// walked again, without following links, to commit or discard it.
    public final class Staged: @unchecked Sendable {
        let root: String
        let relative: String
        let tmp: String
        private var done = false

        init(root: String, relative: String, tmp: String) {
            self.root = root
            self.relative = relative
            self.tmp = tmp
        }

        deinit {
            if !done, let (dir, _) = try? AtomicFile.folder(of: relative, root: root) {
                unlinkat(dir, tmp, 0)
                close(dir)
            }
        }

        public func commit() throws {
            let (dir, name) = try AtomicFile.folder(of: relative, root: root)
            defer { close(dir) }
            guard renameat(dir, tmp, dir, name) == 0 else {
                throw Failure.repository("cannot write \(TextEscape.escape(relative)): \(String(cString: strerror(errno)))")
            }
            done = true
        }
    }

    /// Flushes every file system once: the staged files' bytes are on disk before any is renamed into place.
    public static func syncAll() { sync() }

    public static func stage(_ bytes: [UInt8], root: String, relative: String, sync: Bool) throws -> Staged {
        let (dir, name) = try folder(of: relative, root: root)
        defer { close(dir) }
        var st = stat()
        var mode: mode_t = 0o644
        if fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                if (st.st_mode & S_IFMT) == S_IFLNK { throw symlink(relative, relative) }
                throw Failure.usage("\(TextEscape.escape(relative)) is not a regular file; ssot does not replace it")
            }
            mode = st.st_mode & 0o7777
        }
        let tmp = ".\(name).ssot-tmp-\(getpid())"
        let fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure.repository("cannot write \(TextEscape.escape(relative)): \(String(cString: strerror(errno)))") }
        let ok = FileIO.writeAll(fd, bytes) && (!sync || fsync(fd) == 0)
        close(fd)
        guard ok else {
            let why = String(cString: strerror(errno))
            unlinkat(dir, tmp, 0)
            throw Failure.repository("cannot write \(TextEscape.escape(relative)): \(why)")
        }
        return Staged(root: root, relative: relative, tmp: tmp)
    }

    /// The folder of `relative`, opened a level at a time with `O_NOFOLLOW`
    /// (created where missing), and the file's name in it.
    static func folder(of relative: String, root: String) throws -> (Int32, String) {
        let parts = relative.split(separator: "/").map(String.init)
        guard let name = parts.last, !parts.contains(".."), !parts.contains(".") else {
            throw Failure.usage("\(TextEscape.escape(relative)) is not a path inside the work tree")
        }
        var dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw Failure.repository("cannot open \(TextEscape.escape(root)): \(String(cString: strerror(errno)))") }
        var ok = false
        defer { if !ok { close(dir) } }
        var walked = ""
        for folder in parts.dropLast() {
            walked += walked.isEmpty ? folder : "/" + folder
            var next = openat(dir, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT {
                guard mkdirat(dir, folder, 0o755) == 0 || errno == EEXIST else {
                    throw Failure.repository("cannot create \(TextEscape.escape(walked)): \(String(cString: strerror(errno)))")
                }
                next = openat(dir, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                // Linux says ENOTDIR, not ELOOP, for a link opened as a folder: ask what it is.
                var st = stat()
                if errno == ELOOP || (fstatat(dir, folder, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == S_IFLNK) {
                    throw symlink(relative, walked)
                }
                if errno == ENOTDIR {
                    throw Failure.usage("\(TextEscape.escape(relative)): \(TextEscape.escape(walked)) is not a folder; ssot does not replace it")
                }
                throw Failure.repository("cannot open \(TextEscape.escape(walked)): \(String(cString: strerror(errno)))")
            }
            close(dir)
            dir = next
        }
        ok = true
        return (dir, name)
    }

    static func symlink(_ path: String, _ link: String) -> Failure {
        Failure.usage("\(TextEscape.escape(path)): \(TextEscape.escape(link)) is a symbolic link, and ssot never writes through one;"
            + " name a path without links")
    }
}
