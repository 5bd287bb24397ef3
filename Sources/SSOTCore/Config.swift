import CPathKey
import PythonScan

/// SPEC section 1: `ssot.toml` at the root, or `[tool.ssot]` in `pyproject.toml`.
public struct Config: Equatable, Sendable {
    public enum TypeChecking: String, Equatable, Sendable { case check, ignore }
    public enum Tighten: String, Equatable, Sendable { case stage, warn, off }

    /// The file the config came from, for messages (`ssot.toml`, `pyproject.toml`).
    public var file: String = "ssot.toml"
    public var baseline: String = ".ssot-baseline"
    public var sourceRoots: [String] = [""]
    public var include: [Glob] = [try! Glob("**/*.py"), try! Glob("**/*.pyi")]
    public var exclude: [Glob] = []
    public var maxFileSize: Int = 1_048_576
    public var typeChecking: TypeChecking = .check
    public var inlineIgnores = false
    public var tighten: Tighten = .stage
    public var rules: [Rule] = []
    public var server = ServerConfig()

    public init() {}

    /// Whether `path` is a Python file this config scans.
    public func selects(_ path: String) -> Bool {
        include.contains { $0.matches(path) } && !exclude.contains { $0.matches(path) }
    }
}

public struct Rule: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable { case `import`, singleton }

    public var id: String
    public var kind: Kind
    public var canonical: String?
    public var banned: [String]
    public var allowIn: [Glob]
    public var message: String
    public var replacement: String?
    /// SPEC 10's goal: at most this many files with findings, by `goalDate`.
    public var goalFiles: Int?
    public var goalDate: CalendarDay?

    public init(id: String, kind: Kind, canonical: String? = nil, banned: [String], allowIn: [Glob] = [],
                message: String? = nil, replacement: String? = nil) {
        self.id = id
        self.kind = kind
        self.canonical = canonical
        self.banned = banned
        self.allowIn = allowIn
        self.replacement = replacement
        self.message = message ?? (kind == .import
            ? (canonical.map { "Import from the canonical module \($0)." } ?? "This module is banned.")
            : "Retired singleton: do not use it.")
    }

    public func applies(to path: String) -> Bool { !allowIn.contains { $0.matches(path) } }
}

/// A `[server]` table as written (SPEC 1.1): each key nil when the table
/// does not set it, so a server-side `--config` file overrides the server's
/// git config key by key. In a repository's own config the table is parsed
/// (old configs stay valid) and never honoured: see `ServerSettings`.
public struct ServerConfig: Equatable, Sendable {
    public var refs: [Glob]?
    public var defaultBranch: String?
    public var bypassUsers: [String]?
    public var auditLog: String?
    public var userVariable: String?

    public init() {}

    /// Whether the table set any key.
    public var isEmpty: Bool { self == ServerConfig() }
}

/// A config that cannot be used. It names the file, the place and the key,
/// the way a compiler names a syntax error, so the user can go straight there.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var key: String?
    public var message: String
    /// Which side of a change the file was read from ("the parent commit",
    /// "staged"), when it was not the working tree or `--config`.
    public var side: String?

    public init(file: String, line: Int, column: Int, key: String?, message: String, side: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.side = side
    }

    /// Escaped (SPEC 7): a key or value of a hostile config cannot forge a line.
    public var description: String {
        TextEscape.escape("\(file):\(line):\(column): \(key.map { "\($0): " } ?? "")\(message)" + (side.map { " (\($0))" } ?? ""))
    }
}

extension Config {
    static let topKeys: Set<String> = ["baseline", "source-roots", "include", "exclude", "max-file-size",
                                       "type-checking", "inline-ignores", "tighten", "rule", "server"]
    static let ruleKeys: Set<String> = ["id", "kind", "canonical", "banned", "allow-in", "message", "replacement",
                                        "goal-files", "goal-date"]
    static let serverKeys: Set<String> = ["refs", "default-branch", "bypass-users", "audit-log", "user-variable"]

    /// Parses the text of `file`. Returns nil for a `pyproject.toml` that has no
    /// `[tool.ssot]` table: such a repository has not adopted ssot.
    /// A config is a page of settings; a larger file is refused before it
    /// is parsed, so a pushed one cannot hold the server gate for seconds.
    public static let maxSize = 1 << 20

    public static func parse(_ text: String, file: String) throws -> Config? {
        guard text.utf8.count <= maxSize else {
            throw ConfigError(file: file, line: 1, column: 1, key: nil,
                              message: "\(text.utf8.count) bytes is more than a config may hold (\(maxSize))")
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(parsing: text)
        } catch let error as TOMLSyntaxError {
            throw ConfigError(file: file, line: error.line, column: error.column, key: nil, message: "invalid TOML: \(error.description)")
        }
        let isPyproject = file.hasSuffix("pyproject.toml")
        var prefix: [TOMLPathComponent] = []
        var table = root
        if isPyproject {
            guard let tool = root["tool"]?.table, let ssot = tool["ssot"] else { return nil }
            prefix = [.key("tool"), .key("ssot")]
            guard let t = ssot.table else {
                throw ConfigReader(text: text, file: file).error(prefix, "must be a table")
            }
            table = t
        }
        var reader = ConfigReader(text: text, file: file)
        var config = Config()
        config.file = file
        try reader.read(table, at: prefix, into: &config)
        return config
    }
}

enum TOMLPathComponent: Equatable {
    case key(String)
    case index(Int)
}

/// Reads and checks the values of a parsed table, turning every problem into
/// a `ConfigError` placed on the line that holds the key.
struct ConfigReader {
    let text: String
    let file: String

    func dotted(_ path: [TOMLPathComponent]) -> String {
        var s = ""
        for c in path {
            switch c {
            case let .key(k): s += s.isEmpty ? k : "." + k
            case let .index(i): s += "[\(i + 1)]"
            }
        }
        return s
    }

    func error(_ path: [TOMLPathComponent], _ message: String) -> ConfigError {
        let (line, column) = TOMLLocator(text: text).locate(path)
        return ConfigError(file: file, line: line, column: column, key: dotted(path), message: message)
    }

    mutating func read(_ table: TOMLTable, at prefix: [TOMLPathComponent], into config: inout Config) throws {
        for key in table.keys.sorted() where !Config.topKeys.contains(key) {
            throw error(prefix + [.key(key)], "unknown key (expected one of: \(Config.topKeys.sorted().joined(separator: ", ")))")
        }
        func at(_ k: String) -> [TOMLPathComponent] { prefix + [.key(k)] }
        if let v = table["baseline"] {
            config.baseline = try relativePath(string(v, at("baseline")), at("baseline"))
            // SPEC 3: ssot writes the baseline, so it must never name git's own files.
            if config.baseline.split(separator: "/").contains(where: { $0.lowercased() == ".git" }) {
                throw error(at("baseline"), "\"\(config.baseline)\" is inside .git; the baseline must be a file of the work tree")
            }
            if config.baseline.unicodeScalars.contains(where: TextEscape.isHostile) || config.baseline.contains("\\") {
                throw error(at("baseline"), "must not hold a control, bidirectional or invisible character, or a backslash")
            }
            if ConfigLoader.candidates.contains(config.baseline) {
                throw error(at("baseline"), "\"\(config.baseline)\" is a config file; the baseline must be a file of its own")
            }
        }
        if let v = table["source-roots"] {
            config.sourceRoots = try strings(v, at("source-roots")).map { try relativePath($0, at("source-roots"), allowRoot: true) }
            if config.sourceRoots.isEmpty { throw error(at("source-roots"), "must name at least one folder") }
        }
        if let v = table["include"] { config.include = try globs(v, at("include")) }
        if let v = table["exclude"] { config.exclude = try globs(v, at("exclude")) }
        if let v = table["max-file-size"] {
            guard v.type == .int, let n = v.int, n > 0 else { throw error(at("max-file-size"), "must be a positive integer (bytes)") }
            config.maxFileSize = n
        }
        if let v = table["type-checking"] {
            let s = try string(v, at("type-checking"))
            guard let mode = Config.TypeChecking(rawValue: s) else {
                throw error(at("type-checking"), "must be \"check\" or \"ignore\", not \"\(s)\"")
            }
            config.typeChecking = mode
        }
        if let v = table["inline-ignores"] {
            guard v.type == .bool, let b = v.bool else { throw error(at("inline-ignores"), "must be true or false") }
            config.inlineIgnores = b
        }
        if let v = table["tighten"] {
            let s = try string(v, at("tighten"))
            guard let mode = Config.Tighten(rawValue: s) else {
                throw error(at("tighten"), "must be \"stage\", \"warn\" or \"off\", not \"\(s)\"")
            }
            config.tighten = mode
        }
        if let v = table["rule"] {
            guard v.type == .array, let array = v.array else {
                throw error(at("rule"), "must be an array of tables ([[\(dotted(at("rule")))]])")
            }
            var seen: [String: Int] = [:]
            for (i, element) in array.enumerated() {
                let path = at("rule") + [.index(i)]
                guard element.type == .table, let t = element.table else { throw error(path, "must be a table") }
                let rule = try readRule(t, at: path)
                if let first = seen[rule.id] {
                    throw error(path + [.key("id")], "duplicate rule id \"\(rule.id)\" (also rule \(first + 1))")
                }
                seen[rule.id] = i
                config.rules.append(rule)
            }
        }
        if let v = table["server"] {
            guard v.type == .table, let t = v.table else { throw error(at("server"), "must be a table") }
            config.server = try readServer(t, at: at("server"))
        }
    }

    func readRule(_ t: TOMLTable, at path: [TOMLPathComponent]) throws -> Rule {
        for key in t.keys.sorted() where !Config.ruleKeys.contains(key) {
            throw error(path + [.key(key)], "unknown key (expected one of: \(Config.ruleKeys.sorted().joined(separator: ", ")))")
        }
        func at(_ k: String) -> [TOMLPathComponent] { path + [.key(k)] }
        guard let idValue = t["id"] else { throw error(path, "a rule needs an id") }
        let id = try string(idValue, at("id"))
        guard Config.isKebabCase(id) else {
            throw error(at("id"), "\"\(id)\" is not a kebab-case id (lowercase letters, digits and single dashes)")
        }
        guard let kindValue = t["kind"] else { throw error(path, "rule \"\(id)\" needs a kind (\"import\" or \"singleton\")") }
        let kindText = try string(kindValue, at("kind"))
        guard let kind = Rule.Kind(rawValue: kindText) else {
            throw error(at("kind"), "must be \"import\" or \"singleton\", not \"\(kindText)\"")
        }
        guard let bannedValue = t["banned"] else { throw error(path, "rule \"\(id)\" needs a banned list") }
        // Python reads names in NFKC (PEP 3131), and so does the scanner: a name written otherwise is the same name.
        let banned = try strings(bannedValue, at("banned")).map(IdentifierNFKC.normalize)
        guard !banned.isEmpty else { throw error(at("banned"), "must name at least one module or name") }
        for name in banned where !Config.isDottedName(name) {
            throw error(at("banned"), "\"\(name)\" is not a dotted Python name")
        }
        var canonical: String?
        if let v = t["canonical"] {
            let c = IdentifierNFKC.normalize(try string(v, at("canonical")))
            guard Config.isDottedName(c) else { throw error(at("canonical"), "\"\(c)\" is not a dotted Python name") }
            // Every import of it would be a finding of the rule, and counted on both sides of compliance.
            if let b = banned.first(where: { c.isUnder($0) }) {
                throw error(at("canonical"), "\"\(c)\" is banned by the rule itself (\"\(b)\"); name a module outside its banned list")
            }
            canonical = c
        }
        let allowIn = try t["allow-in"].map { try globs($0, at("allow-in")) } ?? []
        let message = try t["message"].map { try string($0, at("message")) }
        let replacement = try t["replacement"].map { try string($0, at("replacement")) }
        var rule = Rule(id: id, kind: kind, canonical: canonical, banned: banned, allowIn: allowIn,
                        message: message, replacement: replacement)
        if let v = t["goal-files"] {
            guard case let .int(n) = v, n >= 0 else { throw error(at("goal-files"), "must be a whole number of files, 0 or more") }
            rule.goalFiles = n
        }
        if let v = t["goal-date"] {
            if case .dateTime = v { throw error(at("goal-date"), "write the date as a string: goal-date = \"YYYY-MM-DD\"") }
            let text = try string(v, at("goal-date"))
            guard let date = CalendarDay(text) else { throw error(at("goal-date"), "\"\(text)\" is not a date YYYY-MM-DD") }
            rule.goalDate = date
        }
        return rule
    }

    func readServer(_ t: TOMLTable, at path: [TOMLPathComponent]) throws -> ServerConfig {
        for key in t.keys.sorted() where !Config.serverKeys.contains(key) {
            throw error(path + [.key(key)], "unknown key (expected one of: \(Config.serverKeys.sorted().joined(separator: ", ")))")
        }
        func at(_ k: String) -> [TOMLPathComponent] { path + [.key(k)] }
        var server = ServerConfig()
        if let v = t["refs"] { server.refs = try globs(v, at("refs")) }
        if let v = t["default-branch"] { server.defaultBranch = try string(v, at("default-branch")) }
        if let v = t["bypass-users"] { server.bypassUsers = try strings(v, at("bypass-users")) }
        if let v = t["audit-log"] { server.auditLog = try string(v, at("audit-log")) }
        if let v = t["user-variable"] { server.userVariable = try string(v, at("user-variable")) }
        return server
    }

    func string(_ v: TOMLValue, _ path: [TOMLPathComponent]) throws -> String {
        guard v.type == .string, let s = v.string else { throw error(path, "must be a string, not \(typeName(v))") }
        return s
    }

    func strings(_ v: TOMLValue, _ path: [TOMLPathComponent]) throws -> [String] {
        guard v.type == .array, let array = v.array else { throw error(path, "must be an array of strings, not \(typeName(v))") }
        return try array.enumerated().map { i, element in
            guard element.type == .string, let s = element.string else {
                throw error(path, "item \(i + 1) must be a string, not \(typeName(element))")
            }
            return s
        }
    }

    func globs(_ v: TOMLValue, _ path: [TOMLPathComponent]) throws -> [Glob] {
        try strings(v, path).map { pattern in
            try checkPathText(pattern, path)
            do { return try Glob(pattern) } catch let e as Glob.Error { throw error(path, e.message) }
        }
    }

    /// A path relative to the repository root, normalised (`./src/` → `src`, `.` → ``).
    func relativePath(_ s: String, _ path: [TOMLPathComponent], allowRoot: Bool = false) throws -> String {
        try checkPathText(s, path)
        let parts = s.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if s.hasPrefix("/") || parts.contains("..") {
            throw error(path, "\"\(s)\" must be a path inside the repository")
        }
        if parts.isEmpty && !allowRoot { throw error(path, "must not be empty") }
        return parts.joined(separator: "/")
    }

    /// A path or pattern names files as ssot keys them (PathKey): text in
    /// Unicode NFC, which every UTF-8 path keeps as it is. Other text (a
    /// decomposed `é`, a control character) could never match a file, and
    /// would compare equal to another spelling in a review of the config.
    func checkPathText(_ s: String, _ path: [TOMLPathComponent]) throws {
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw error(path, "\"\(s)\" holds a control character")
        }
        guard s.utf8.contains(where: { $0 >= 0x80 }) else { return }
        var copy = s
        let key = copy.withUTF8 { b in
            [UInt8](unsafeUninitializedCapacity: 4 * b.count) { out, n in n = ssot_path_key(b.baseAddress!, b.count, out.baseAddress!) }
        }
        guard key.elementsEqual(s.utf8) else {
            throw error(path, "\"\(s)\" is not in Unicode NFC, the form ssot keys paths by: write it composed")
        }
    }

    func typeName(_ v: TOMLValue) -> String {
        switch v.type {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a float"
        case .bool: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        default: return "a date or time"
        }
    }
}

extension Config {
    /// The baseline's own check (`Baseline.isKebabCase`): one rule for ids, in both files.
    static func isKebabCase(_ s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { Baseline.isKebabCase($0) }
    }

    static func isDottedName(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return !s.isEmpty && parts.allSatisfy { part in
            guard let first = part.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
            return part.utf8.allSatisfy { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 >= 0x80 }
        }
    }
}
