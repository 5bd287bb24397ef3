import CPathKey
import GitStore
import SSOTCore
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

/// The working tree under `root`, read with POSIX calls: `lstat` first, so a
/// symlink or an oversized file is skipped before a byte of it is read.
public struct WorkingTree: SourceTree {
    public let root: String
    /// The root, open: files and folders are opened relative to it, so the
    /// kernel resolves only their own path, not the root's folders again
    /// (path lookup was a few percent of a whole-tree scan).
    private let folder: RootFolder

    /// The index's answer to "does git track this path?", where there is
    /// one: a symlink leans only on a file the run checks, and the run
    /// checks tracked files.
    public var tracks: (@Sendable (String) -> Bool)?

    public init(root: String) {
        self.root = root
        folder = RootFolder(root)
    }

    /// A regular file reached through no link (opened with O_PATH: a FIFO or a
    /// device is never opened), tracked when the index is known.
    public func isCheckedFile(_ path: String) throws -> Bool {
        guard tracks?(path) ?? true else { return false }
        guard folder.fd >= 0 else { return false }
        return PathKey.withCString(path) { ssot_is_regular_beneath(folder.fd, $0) } != 0
    }

    public func absolute(_ path: String) -> String { path.isEmpty ? root : root + "/" + path }

    /// The file system's name of a path relative to the root: a path is a
    /// key (PathKey), whose escapes stand for bytes that are not UTF-8.
    private func withFileName<T>(_ path: String, _ body: (UnsafePointer<CChar>) -> T) -> T {
        var b = path.isEmpty ? Array(root.utf8) : Array(root.utf8) + [UInt8(ascii: "/")] + PathKey.bytes(path)
        b.append(0)
        return b.withUnsafeBufferPointer { body(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
    }

    /// `open(2)` of a path relative to the root.
    private func openRelative(_ path: String, _ flags: Int32) -> Int32 {
        guard folder.fd >= 0 else { return withFileName(path) { open($0, flags) } }
        return PathKey.withCString(path.isEmpty ? "." : path) { openat(folder.fd, $0, flags) }
    }

    /// `open(2)` of a path relative to the root through no link (`ssot_open_beneath`).
    private func openBeneath(_ path: String, _ flags: Int32) -> Int32 {
        guard folder.fd >= 0 else { return withFileName(path) { open($0, flags) } }
        return PathKey.withCString(path.isEmpty ? "." : path) { ssot_open_beneath(folder.fd, $0, flags) }
    }

    /// A file of the work tree (the config, the baseline, a file `fix`
    /// reads again), read through no link: a repository's
    /// `pyproject.toml -> /etc/…` is refused, not read. Without blocking: a
    /// FIFO named ssot.toml must not hold the run.
    public func bytes(at path: String) throws -> [UInt8]? {
        let fd = openBeneath(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ELOOP {
                throw Failure.usage("\(TextEscape.escape(path)) is a symbolic link, or a folder on its path is one; "
                    + "ssot reads no file of the work tree through one")
            }
            return nil
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return try FileIO.read(fd: fd, path: path, size: Int(st.st_size))
    }

    /// A candidate file's bytes, or why it is skipped or cannot be checked.
    /// With `config`, a symlink is judged as SPEC 2 says (harmless when it
    /// points at a checked file of its own folder, else it cannot be checked).
    public func readChecked(_ path: String, maxSize: Int, config: Config? = nil) throws -> FileRead {
        // No link anywhere on the path is followed: a symlink fails with ELOOP, so one open does what lstat
        // and open did, and a tracked file behind a folder that is now a link is not read from where it points.
        let fd = openBeneath(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ELOOP {
                if let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) {
                    let parent = String(path[..<slash])
                    let dir = openBeneath(parent, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
                    guard dir >= 0 else {
                        return .uncheckable("a folder on its path is a symbolic link, which ssot does not follow: not checked")
                    }
                    close(dir)
                }
                guard let config, let target = linkTarget(path) else { return .skipped("skipped: a symlink") }
                return try BlobReader.symlink(path: path, target: target, tree: self, config: config)
            }
            return .skipped("cannot read it: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .skipped("cannot read it: \(String(cString: strerror(errno)))") }
        // A tracked file that is now a FIFO or a folder in the work tree: its findings would drop out unnamed.
        guard st.st_mode & S_IFMT == S_IFREG else { return .uncheckable("not a regular file in the work tree: not checked") }
        if Int(st.st_size) > maxSize {
            return .uncheckable("\(st.st_size) bytes is over max-file-size (\(maxSize)): not checked")
        }
        do {
            return .bytes(try FileIO.read(fd: fd, path: path, size: Int(st.st_size)))
        } catch {
            return .skipped("cannot read it: \(error)")
        }
    }

    /// Where the symlink at `path` points, as a path key.
    func linkTarget(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = withFileName(path) { name in
            buffer.withUnsafeMutableBytes { readlink(name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        }
        guard n >= 0 else { return nil }
        return PathKey.key(Array(buffer.prefix(n)))
    }

    /// Tracked Python files of the index, as the working tree has them (a
    /// symlink among them is judged by `readChecked`), with a warning for
    /// each tracked bytecode file: Python can import it in place of a source.
    public func trackedPythonFiles(_ entries: [IndexEntry], config: Config, messages: inout [FileMessage]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for entry in entries where !seen.contains(entry.path) {
            if entry.path.hasSuffix(".pyc") || entry.path.hasSuffix(".pyo"), !config.exclude.contains(where: { $0.matches(entry.path) }) {
                seen.insert(entry.path)
                messages.append(FileMessage(.warning, path: entry.path,
                                            "compiled bytecode: Python can import it in place of a source, and ssot cannot check it"))
                continue
            }
            guard config.selects(entry.path) else { continue }
            seen.insert(entry.path)
            switch entry.kind {
            case .submodule: messages.append(FileMessage(.note, path: entry.path, "skipped: a submodule"))
            default: out.append(entry.path)
            }
        }
        return out
    }

    /// Every selected Python file below `folder` (relative), skipping `.git`.
    /// Folders are read a level at a time on all cores (listing a big tree is
    /// kernel time), and readdir's d_type answers "folder or file?" without a
    /// stat per entry.
    public func walk(_ folder: String, config: Config) -> [String] {
        var out: [String] = []
        var level = [folder]
        while !level.isEmpty {
            let current = level
            let results = Parallel.map(current.count, inlineBelow: 2) { list(current[$0], config: config) }
            level = []
            for r in results {
                out += r.files
                level += r.dirs
            }
        }
        return out.sorted(by: Bytewise.less)
    }

    /// One folder's selected files and its subfolders.
    private func list(_ dir: String, config: Config) -> (files: [String], dirs: [String]) {
        var files: [String] = [], dirs: [String] = []
        let dirFD = openRelative(dir, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        guard dirFD >= 0 else { return ([], []) }
        guard let handle = fdopendir(dirFD) else {
            close(dirFD)
            return ([], [])
        }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            // A dirent can be shorter than `struct dirent` (d_reclen), so its
            // fields are read in place, never by copying the struct.
            let raw = UnsafeRawPointer(entry)
            let name = PathKey.key(cString: (raw + DirentLayout.name).assumingMemoryBound(to: CChar.self))
            if name == "." || name == ".." || name == ".git" { continue }
            let rel = dir.isEmpty ? name : dir + "/" + name
            var type = Int32(raw.load(fromByteOffset: DirentLayout.type, as: UInt8.self))
            if type == Int32(DT_UNKNOWN) {
                var st = stat()
                guard withFileName(rel, { lstat($0, &st) }) == 0 else { continue }
                type = st.st_mode & S_IFMT == S_IFDIR ? Int32(DT_DIR) : st.st_mode & S_IFMT == S_IFLNK ? Int32(DT_LNK) : Int32(DT_REG)
            }
            if type == Int32(DT_DIR) {
                if !config.exclude.contains(where: { $0.matches(rel) }) { dirs.append(rel) }
            } else if (type == Int32(DT_REG) || type == Int32(DT_LNK)) && config.selects(rel) {
                files.append(rel)
            }
        }
        return (files, dirs)
    }

    /// The files named on the command line, relative to the root; folders
    /// expand to the selected Python files below them.
    public func expand(_ args: [String], from directory: String, repo: Repository?, config: Config,
                messages: inout [FileMessage]) throws -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        let physicalRoot = Paths.physical(root) ?? root
        for arg in args {
            let lexical = Paths.absolute(arg, from: directory)
            var st = stat()
            guard lstat(lexical, &st) == 0 else { throw Failure.usage("\(arg): no such file or directory") }
            // Inside the repository as the kernel resolves it: every folder on the way
            // resolved (a symlinked folder can point anywhere), and a folder itself too,
            // since it is walked; a file's own link is judged as a symlink later.
            // A link to a folder is walked as the folder it names, so that folder is what must be inside.
            var target = stat()
            let isFolder = stat(lexical, &target) == 0 && (target.st_mode & S_IFMT) == S_IFDIR
            let parent = lexical.utf8.split(separator: UInt8(ascii: "/")).dropLast().map { String(decoding: $0, as: UTF8.self) }
            let name = lexical.split(separator: "/").last.map(String.init) ?? ""
            let resolved = isFolder ? Paths.physical(lexical)
                : Paths.physical("/" + parent.joined(separator: "/")).map { ($0 == "/" ? "" : $0) + "/" + name }
            guard let full = resolved, Paths.isInside(full, physicalRoot) else {
                throw Failure.usage("\(arg) is outside the repository at \(root)")
            }
            let rel = full.utf8.count == physicalRoot.utf8.count ? ""
                : PathKey.key(Array(full.utf8.dropFirst(physicalRoot.utf8.count + (physicalRoot == "/" ? 0 : 1))))  // the file's key, as the walk names it
            guard !rel.hasPrefix("/") else { throw Failure.usage("\(arg) is outside the repository at \(root)") }
            // `isFolder`, not the lstat: a link to a folder inside the repository is walked as that folder.
            let files = isFolder ? walk(rel, config: config) : (config.selects(rel) ? [rel] : [])
            for file in files where seen.insert(file).inserted { out.append(file) }
        }
        return out
    }
}

/// Where readdir's fields sit in a dirent.
enum DirentLayout {
    static let name = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
    static let type = MemoryLayout<dirent>.offset(of: \dirent.d_type)!
}

/// A folder held open for the life of the `WorkingTree` that uses it.
final class RootFolder: @unchecked Sendable {
    let fd: Int32

    init(_ path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}
