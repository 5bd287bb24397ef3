/// Files by repository-relative path: a commit's tree, the index, or the
/// working tree. The core reads config and baseline through it and never
/// knows which one it is, so its tests need no repository.
public protocol SourceTree {
    /// The file's bytes, or nil when there is no regular file at `path`.
    func bytes(at path: String) throws -> [UInt8]?

    /// `body` on the file's bytes, or nil when there is no regular file at
    /// `path`: a tree that can lend its bytes without copying them does.
    func withBytes<T>(at path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T?

    /// Whether `path` is a regular file the run checks itself (what a
    /// symlink to it may lean on, SPEC 2), found without opening it for
    /// reading and without following a link.
    func isCheckedFile(_ path: String) throws -> Bool
}

extension SourceTree {
    /// A tree of git's: what it lends is a tracked regular file.
    public func isCheckedFile(_ path: String) throws -> Bool { try bytes(at: path) != nil }

    public func withBytes<T>(at path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        guard let bytes = try bytes(at: path) else { return nil }
        return try bytes.withUnsafeBufferPointer(body)
    }
}

/// A tree held in memory: for tests, and for a tree assembled from blobs.
public struct MemoryTree: SourceTree {
    public var files: [String: [UInt8]]

    public init(_ files: [String: String] = [:]) {
        self.files = files.mapValues { Array($0.utf8) }
    }

    public init(bytes: [String: [UInt8]]) {
        self.files = bytes
    }

    public func bytes(at path: String) throws -> [UInt8]? { files[path] }
}

/// Finds and reads the config of a tree: `ssot.toml`, else `[tool.ssot]` in
/// `pyproject.toml` (SPEC section 1).
public enum ConfigLoader {
    public static let candidates = ["ssot.toml", "pyproject.toml"]

    /// nil when the tree has no config: ssot is not adopted there. `side`
    /// names the tree in a `ConfigError` ("in the parent commit").
    public static func load(from tree: SourceTree, side: String? = nil) throws -> Config? {
        for file in candidates {
            guard let bytes = try tree.bytes(at: file) else { continue }
            do {
                if let config = try parse(bytes, file: file) { return config }
            } catch var error as ConfigError {
                error.side = side
                throw error
            }
        }
        return nil
    }

    /// Parses one config file's bytes; `file` names it in messages.
    public static func parse(_ bytes: [UInt8], file: String) throws -> Config? {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(file: file, line: 1, column: 1, key: nil, message: "not UTF-8 text")
        }
        return try Config.parse(text, file: file)
    }
}
