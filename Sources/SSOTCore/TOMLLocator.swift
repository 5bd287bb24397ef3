/// Finds the line and column where a key path is written in TOML text.
///
/// toml++ (through `TOMLTable(parsing:)`) reports positions for syntax errors only here; a wrong type or an
/// unknown key is found after parsing, so this reads the text again, line by
/// line, following table headers (`[a.b]`, `[[a.b]]` with their index) and
/// `key = value` lines. When the exact key is not written (a missing key, an
/// inline table) it points at the closest enclosing table or key.
struct TOMLLocator {
    let text: String

    func locate(_ target: [TOMLPathComponent]) -> (line: Int, column: Int) {
        var best = (line: 1, column: 1, length: -1)
        var current: [TOMLPathComponent] = []
        var arrayCounts: [String: Int] = [:]
        var depth = 0
        var inMultiline: String?
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so split on both spellings of a line end.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if let delimiter = inMultiline {
                if line.components(separatedBy: delimiter).count % 2 == 0 { inMultiline = nil }
                continue
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let body = line.dropFirst(indent)
            if depth > 0 {
                depth = max(0, depth + bracketBalance(body))
                continue
            }
            if body.hasPrefix("[") {
                let isArray = body.hasPrefix("[[")
                let inner = body.dropFirst(isArray ? 2 : 1).prefix { $0 != "]" }
                let keys = splitKey(String(inner))
                if isArray {
                    let name = keys.joined(separator: ".")
                    let index = arrayCounts[name, default: 0]
                    arrayCounts[name] = index + 1
                    current = keys.map { .key($0) } + [.index(index)]
                } else {
                    current = keys.map { .key($0) }
                }
                consider(current, lineNumber, indent + 1, target, &best)
                continue
            }
            guard let eq = keyValueSplit(body) else { continue }
            let keys = splitKey(String(body[..<eq]))
            guard !keys.isEmpty else { continue }
            consider(current + keys.map { .key($0) }, lineNumber, indent + 1, target, &best)
            let value = body[body.index(after: eq)...].drop { $0 == " " || $0 == "\t" }
            for delimiter in ["\"\"\"", "'''"] where value.hasPrefix(delimiter) {
                if value.components(separatedBy: delimiter).count % 2 == 0 { inMultiline = delimiter }
            }
            depth = max(0, bracketBalance(value))
        }
        return (best.line, best.column)
    }

    /// Keeps the line whose path shares the longest prefix with the target.
    private func consider(_ path: [TOMLPathComponent], _ line: Int, _ column: Int,
                          _ target: [TOMLPathComponent], _ best: inout (line: Int, column: Int, length: Int)) {
        guard path.count <= target.count, Array(target.prefix(path.count)) == path else { return }
        if path.count > best.length { best = (line, column, path.count) }
    }

    private func keyValueSplit(_ body: Substring) -> Substring.Index? {
        var quote: Character?
        for i in body.indices {
            let c = body[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "=" {
                return i
            } else if c == "#" {
                return nil
            }
        }
        return nil
    }

    private func splitKey(_ s: String) -> [String] {
        var keys: [String] = []
        var part = ""
        var quote: Character?
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { part.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "." {
                keys.append(part.trimmingSpaces())
                part = ""
            } else {
                part.append(c)
            }
        }
        keys.append(part.trimmingSpaces())
        return keys.filter { !$0.isEmpty }
    }

    private func bracketBalance(_ s: Substring) -> Int {
        var balance = 0
        var quote: Character?
        for c in s {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" {
                break
            } else if c == "[" || c == "{" {
                balance += 1
            } else if c == "]" || c == "}" {
                balance -= 1
            }
        }
        return balance
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension Substring {
    func components(separatedBy delimiter: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = self[...]
        while let r = rest.range(of: delimiter) {
            parts.append(rest[..<r.lowerBound])
            rest = rest[r.upperBound...]
        }
        parts.append(rest)
        return parts
    }

    func range(of needle: String) -> Range<Substring.Index>? {
        guard !needle.isEmpty else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}
