#if canImport(Glibc)
import Glibc
#endif

/// File-system paths without Foundation: the current folder, what a path
/// is, a file's bytes, and `.` and `..` taken out as a shell's `cd -L` does.
public enum Paths {
    /// The process's current folder.
    public static func current() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `path` is a folder (following links, as `cd` does).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether anything is at `path` (following links).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// The bytes of the regular file at `path`, or nil. Opened without
    /// blocking, so a FIFO in its place cannot hold the run.
    public static func contents(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return try? FileIO.read(fd: fd, path: path, size: Int(st.st_size))
    }

    /// The path with every symlink resolved (realpath(3)), or nil.
    public static func physical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` is `root` or below it, comparing bytes (not Characters,
    /// whose equality is canonical equivalence: `é` and `e` + U+0301 are
    /// different folders on Linux).
    public static func isInside(_ path: String, _ root: String) -> Bool {
        path.utf8.elementsEqual(root.utf8) || path.utf8.starts(with: (root == "/" ? "/" : root + "/").utf8)
    }

    /// `path` made absolute against `directory`, with empty, `.` and `..`
    /// components taken out lexically (`/a/b/../c/.` → `/a/c`).
    public static func absolute(_ path: String, from directory: String) -> String {
        let full = path.hasPrefix("/") ? path : directory + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
