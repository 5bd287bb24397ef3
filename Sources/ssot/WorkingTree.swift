import Foundation
import GitStore
import SSOTCore

/// What reading one candidate file gave: its bytes, or why it was skipped.
enum FileRead {
    case bytes([UInt8])
    case skipped(String)
}

/// The working tree under `root`, read with POSIX calls: `lstat` first, so a
/// symlink or an oversized file is skipped before a byte of it is read.
struct WorkingTree: SourceTree {
    let root: String

    func absolute(_ path: String) -> String { path.isEmpty ? root : root + "/" + path }

    func bytes(at path: String) throws -> [UInt8]? {
        var st = stat()
        guard stat(absolute(path), &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return try PosixFile.read(absolute(path), size: Int(st.st_size))
    }

    func readChecked(_ path: String, maxSize: Int) throws -> FileRead {
        var st = stat()
        guard lstat(absolute(path), &st) == 0 else { return .skipped("cannot read it: \(String(cString: strerror(errno)))") }
        switch st.st_mode & S_IFMT {
        case S_IFLNK: return .skipped("skipped: a symlink")
        case S_IFREG: break
        default: return .skipped("skipped: not a regular file")
        }
        if Int(st.st_size) > maxSize {
            return .skipped("skipped: \(st.st_size) bytes is over max-file-size (\(maxSize))")
        }
        do {
            return .bytes(try PosixFile.read(absolute(path), size: Int(st.st_size)))
        } catch {
            return .skipped("cannot read it: \(error)")
        }
    }

    /// Tracked Python files of the index, as the working tree has them.
    func trackedPythonFiles(_ entries: [IndexEntry], config: Config, messages: inout [FileMessage]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for entry in entries where config.selects(entry.path) && !seen.contains(entry.path) {
            seen.insert(entry.path)
            switch entry.kind {
            case .symlink: messages.append(FileMessage(.note, path: entry.path, "skipped: a symlink"))
            case .submodule: messages.append(FileMessage(.note, path: entry.path, "skipped: a submodule"))
            default: out.append(entry.path)
            }
        }
        return out
    }

    /// Every selected Python file below `folder` (relative), skipping `.git`.
    func walk(_ folder: String, config: Config) -> [String] {
        var out: [String] = []
        var stack = [folder]
        while let dir = stack.popLast() {
            guard let handle = opendir(absolute(dir)) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." || name == ".git" { continue }
                let rel = dir.isEmpty ? name : dir + "/" + name
                var st = stat()
                guard lstat(absolute(rel), &st) == 0 else { continue }
                let type = st.st_mode & S_IFMT
                if type == S_IFDIR {
                    if !config.exclude.contains(where: { $0.matches(rel) }) { stack.append(rel) }
                } else if (type == S_IFREG || type == S_IFLNK) && config.selects(rel) {
                    out.append(rel)
                }
            }
        }
        return out.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The files named on the command line, relative to the root; folders
    /// expand to the selected Python files below them.
    func expand(_ args: [String], from directory: String, repo: Repository?, config: Config,
                messages: inout [FileMessage]) throws -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for arg in args {
            let full = URL(fileURLWithPath: arg.hasPrefix("/") ? arg : directory + "/" + arg).standardizedFileURL.path
            let rel: String
            if full == root {
                rel = ""
            } else if full.hasPrefix(root + "/") {
                rel = String(full.dropFirst(root.count + 1))
            } else {
                throw Failure.usage("\(arg) is outside the repository at \(root)")
            }
            var st = stat()
            guard lstat(full, &st) == 0 else { throw Failure.usage("\(arg): no such file or directory") }
            let files = (st.st_mode & S_IFMT) == S_IFDIR ? walk(rel, config: config) : (config.selects(rel) ? [rel] : [])
            for file in files where seen.insert(file).inserted { out.append(file) }
        }
        return out
    }
}

enum PosixFile {
    struct ReadError: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "\(path): \(String(cString: strerror(code)))" }
    }

    static func read(_ path: String, size: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(path: path, code: errno) }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: size)
        var got = 0
        let ok = out.withUnsafeMutableBytes { raw -> Bool in
            while got < size {
                let n = Foundation.read(fd, raw.baseAddress! + got, size - got)
                if n < 0 { if errno == EINTR { continue }; return false }
                if n == 0 { break }
                got += n
            }
            return true
        }
        guard ok else { throw ReadError(path: path, code: errno) }
        if got < size { out.removeLast(size - got) }
        return out
    }
}
