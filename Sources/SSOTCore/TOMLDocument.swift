import CTOML

/// A parsed TOML value: what the config reader needs of TOML, read by
/// toml++ through `CTOML` (no Foundation, no ICU).
public enum TOMLValue: Equatable, Sendable {
    case table(TOMLTable)
    case array([TOMLValue])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// A date, a time or a date-time: no config key takes one.
    case dateTime

    public enum Kind: Equatable, Sendable { case table, array, string, int, double, bool, dateTime }

    public var type: Kind {
        switch self {
        case .table: return .table
        case .array: return .array
        case .string: return .string
        case .int: return .int
        case .double: return .double
        case .bool: return .bool
        case .dateTime: return .dateTime
        }
    }

    public var table: TOMLTable? { if case let .table(t) = self { return t } else { return nil } }
    public var array: [TOMLValue]? { if case let .array(a) = self { return a } else { return nil } }
    public var string: String? { if case let .string(s) = self { return s } else { return nil } }
    public var int: Int? { if case let .int(i) = self { return i } else { return nil } }
    public var bool: Bool? { if case let .bool(b) = self { return b } else { return nil } }
}

/// A TOML table: its keys and their values.
public struct TOMLTable: Equatable, Sendable {
    public var entries: [String: TOMLValue]

    public init(_ entries: [String: TOMLValue] = [:]) { self.entries = entries }

    public var keys: Dictionary<String, TOMLValue>.Keys { entries.keys }

    public subscript(key: String) -> TOMLValue? { entries[key] }
}

/// A document that is not TOML: toml++'s message and where it stopped.
public struct TOMLSyntaxError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var description: String
}

extension TOMLTable {
    /// Dotted parts a key may have. toml++ bounds the nesting of values, but
    /// not of keys: a key of 20,000 parts built tables 20,000 deep, whose
    /// destructor then overflowed the stack.
    public static let maxKeyParts = 128

    /// Parses a whole document.
    public init(parsing text: String) throws {
        if let (line, column) = TOMLTable.overlongKey(text) {
            throw TOMLSyntaxError(line: line, column: column,
                                  description: "a key of more than \(TOMLTable.maxKeyParts) dotted parts")
        }
        var copy = text
        let result = copy.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return "".withCString { ssot_toml_parse($0, 0) } }
                return ssot_toml_parse(base, chars.count)
            }
        }
        var owned = result
        defer { ssot_toml_free(&owned) }
        guard result.ok != 0, let data = result.data else {
            throw TOMLSyntaxError(line: Int(result.line), column: Int(result.column),
                                  description: result.error.map { String(cString: $0) } ?? "not TOML")
        }
        var reader = TOMLStream(UnsafeBufferPointer(start: data, count: result.size))
        guard case let .table(table) = try reader.node() else {
            throw TOMLSyntaxError(line: 1, column: 1, description: "the document is not a table")
        }
        self = table
    }
}

extension TOMLTable {
    /// Where a key (or a table header) has more than `maxKeyParts` dotted
    /// parts: dots outside strings and comments, counted since the last
    /// `=`, `,`, bracket, brace or line end. A float's one dot never counts
    /// that high.
    static func overlongKey(_ text: String) -> (line: Int, column: Int)? {
        var line = 1, column = 0, dots = 0
        var quote: UInt8 = 0          // the open string's quote, or 0
        var triple = false, comment = false, escaped = false
        let b = Array(text.utf8)
        var i = 0
        while i < b.count {
            let c = b[i]
            column += 1
            if c == UInt8(ascii: "\n") {
                line += 1
                column = 0
                comment = false
                if quote != 0 && !triple { quote = 0 }
                dots = 0
                escaped = false
                i += 1
                continue
            }
            if comment { i += 1; continue }
            if quote != 0 {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") { escaped = true } else if c == quote {
                    if !triple { quote = 0 } else if i + 2 < b.count && b[i + 1] == quote && b[i + 2] == quote { quote = 0; i += 2; column += 2 }
                }
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                quote = c
                triple = i + 2 < b.count && b[i + 1] == c && b[i + 2] == c
                if triple { i += 2; column += 2 }
            case UInt8(ascii: "#"): comment = true
            case UInt8(ascii: "."):
                dots += 1
                if dots >= maxKeyParts { return (line, column) }
            case UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                dots = 0
            default: break
            }
            i += 1
        }
        return nil
    }
}

/// Reads the byte stream of `toml_shim.cpp` back into values.
struct TOMLStream {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    struct Truncated: Error {}

    mutating func byte() throws -> UInt8 {
        guard at < bytes.count else { throw Truncated() }
        defer { at += 1 }
        return bytes[at]
    }

    mutating func u32() throws -> Int {
        var v = 0
        for i in 0..<4 { v |= Int(try byte()) << (8 * i) }
        return v
    }

    mutating func u64() throws -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(try byte()) << (8 * UInt64(i)) }
        return v
    }

    mutating func text() throws -> String {
        let n = try u32()
        guard n <= bytes.count - at else { throw Truncated() }
        defer { at += n }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<(at + n)]), as: UTF8.self)
    }

    mutating func node() throws -> TOMLValue {
        switch try byte() {
        case UInt8(ascii: "T"):
            var entries: [String: TOMLValue] = [:]
            for _ in 0..<(try u32()) {
                let key = try text()
                entries[key] = try node()
            }
            return .table(TOMLTable(entries))
        case UInt8(ascii: "A"):
            var out: [TOMLValue] = []
            for _ in 0..<(try u32()) { out.append(try node()) }
            return .array(out)
        case UInt8(ascii: "S"): return .string(try text())
        case UInt8(ascii: "I"): return .int(Int(Int64(bitPattern: try u64())))
        case UInt8(ascii: "F"): return .double(Double(bitPattern: try u64()))
        case UInt8(ascii: "B"): return .bool(try byte() != 0)
        default: return .dateTime
        }
    }
}
