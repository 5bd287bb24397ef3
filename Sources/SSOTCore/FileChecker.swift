import PythonScan

/// What checking one file produced.
public struct FileReport: Sendable {
    public var path: String
    public var findings: [Finding] = []
    public var messages: [FileMessage] = []
    /// False when the file was skipped (too large, a symlink, unreadable).
    public var scanned = true
    /// Why the file cannot be checked at all (over max-file-size, an encoding
    /// ssot does not read, a symlink out of the tree, a stray `.pyc`): the
    /// gating modes reject the change for it (SPEC 2), the others warn.
    public var uncheckable: String?
    /// Findings counted, not built, by rule id: the rules the checker was
    /// told to tally (a report's shadows, SPEC 9, need how many and where,
    /// never the excerpt; building 30,000 findings to count them cost a
    /// tenth of a report).
    public var tally: [String: Int] = [:]

    public init(path: String) { self.path = path }
}

/// Applies the configured rules to one file's bytes. Holds nothing of git or
/// of the baseline: the gate decides what is new.
public struct FileChecker: Sendable {
    public let config: Config
    private let prefilter: Prefilter
    /// Scan every file, even one that cannot contain a finding, so that each
    /// file that does not tokenize is named. The gates check few files and
    /// want that; a whole-tree scan skips such files for speed.
    private let thorough: Bool
    /// Rule ids counted into `FileReport.tally` instead of reported. No
    /// inline ignore names them (the shadows' ids are not kebab-case).
    private let tallied: Set<String>

    /// Linux's PATH_MAX: a longer dotted name names no file to import.
    public static let maxModuleName = 4096

    public init(config: Config, thorough: Bool = false, tallied: Set<String> = []) {
        self.config = config
        self.thorough = thorough
        self.tallied = tallied
        self.prefilter = Prefilter(config: config)
    }

    public func check(path: String, bytes: UnsafeBufferPointer<UInt8>) -> FileReport {
        // PEP 263: CPython decodes the file first, so ssot must read what it reads.
        switch SourceEncoding.declared(bytes) {
        case .utf8: return checkUTF8(path: path, bytes: bytes)
        case .latin1:
            let decoded = SourceEncoding.latin1ToUTF8(bytes)
            return decoded.withUnsafeBufferPointer { checkUTF8(path: path, bytes: $0) }
        case let .other(name):
            var report = FileReport(path: path)
            report.scanned = false
            report.uncheckable = "declares the encoding \(name), which ssot does not read (only UTF-8, ASCII and Latin-1):"
                + " Python decodes it before it runs, so the file is not checked"
            report.messages.append(FileMessage(.warning, path: path, line: 1, report.uncheckable!))
            return report
        }
    }

    /// `bytes` are UTF-8 (or ASCII) whatever the cookie says: Latin-1 was decoded.
    func checkUTF8(path: String, bytes: UnsafeBufferPointer<UInt8>) -> FileReport {
        var report = FileReport(path: path)
        let rules = config.rules.filter { $0.applies(to: path) }
        let roots = config.sourceRoots
        guard !rules.isEmpty, thorough || prefilter.mightMatch(bytes, package: {
            ModuleName.context(path: path, sourceRoots: roots).package?.first
        }) else { return report }
        let scan = PythonScanner.scan(bytes, moduleContext: { ModuleName.context(path: path, sourceRoots: roots) },
                                      collectComments: config.inlineIgnores)
        // Each finding holds its fingerprint, and one statement may import thousands of
        // names from one module: a module name longer than any a file system could hold
        // would make the findings' size the square of the file's (SPEC 7: linear cost).
        if let long = scan.imports.first(where: { $0.module.utf8.count > FileChecker.maxModuleName }) {
            report.scanned = false
            report.uncheckable = "a module name of \(long.module.utf8.count) bytes, longer than any importable one"
                + " (\(FileChecker.maxModuleName)): not checked"
            report.messages.append(FileMessage(.warning, path: path, report.uncheckable!))
            return report
        }
        var raw: [(offset: Int, rule: Rule, fingerprint: String, replacement: String?)] = []
        // Fingerprints may not outgrow the file by more than a constant factor.
        var budget = 64 * bytes.count + 1 << 20
        for rule in rules {
            if tallied.contains(rule.id) {
                var n = 0
                for imp in scan.imports where !(imp.underTypeChecking && config.typeChecking == .ignore) {
                    if RuleMatch.matches(imp, rule) { n += 1 }
                }
                if rule.kind == .singleton {
                    for use in scan.uses where rule.banned.contains(where: { use.refers(to: $0) }) { n += 1 }
                }
                if n > 0 { report.tally[rule.id, default: 0] += n }
                continue
            }
            for imp in scan.imports {
                if imp.underTypeChecking && config.typeChecking == .ignore { continue }
                if let fingerprint = RuleMatch.fingerprint(of: imp, rule) {
                    budget -= fingerprint.utf8.count + (RuleMatch.replacement(for: imp, rule)?.utf8.count ?? 0)
                    if budget < 0 {
                        report.scanned = false
                        report.tally = [:]
                        report.uncheckable = "its findings would be many times its own size (one module imported with"
                            + " thousands of names): not checked"
                        report.messages.append(FileMessage(.warning, path: path, report.uncheckable!))
                        return report
                    }
                    raw.append((imp.offset, rule, fingerprint, RuleMatch.replacement(for: imp, rule)))
                }
            }
            if rule.kind == .singleton {
                for use in scan.uses {
                    if let banned = rule.banned.first(where: { use.refers(to: $0) }) {
                        raw.append((use.offset, rule, "use \(banned)", rule.replacement))
                    }
                }
            }
        }
        guard !raw.isEmpty || !scan.warnings.isEmpty || !scan.comments.isEmpty else { return report }
        let lines = LineIndex(bytes)
        // In offset order, so that many findings on one long line count its columns once.
        raw.sort { $0.offset < $1.offset }
        var hint = (line: 0, offset: -1, column: 1)
        for r in raw {
            let line: Int, column: Int
            if hint.offset >= 0 && r.offset >= hint.offset && lines.lineIndex(of: r.offset) + 1 == hint.line {
                (line, column) = (hint.line, hint.column + SourceText.characters(bytes, hint.offset..<r.offset))
            } else {
                (line, column) = lines.position(of: r.offset, in: bytes)
            }
            hint = (line, r.offset, column)
            let range = lines.lineRange(line, in: bytes)
            report.findings.append(Finding(
                path: path, line: line, column: column, rule: r.rule.id, fingerprint: r.fingerprint,
                message: r.rule.message, replacement: r.replacement,
                sourceLine: "", span: SourceText.span(bytes, at: r.offset)))
            SourceText.window(bytes, range, at: r.offset, column: column, into: &report.findings[report.findings.count - 1])
        }
        if let w = scan.warnings.first(where: \.incomplete) {
            report.uncheckable = "\(w.message): not checked"
        }
        for w in scan.warnings {
            let (line, column) = lines.position(of: min(w.offset, bytes.count), in: bytes)
            report.messages.append(FileMessage(.warning, path: path, line: line, column: column,
                                               "\(w.message); the file was scanned as far as it could be"))
        }
        if config.inlineIgnores {
            InlineIgnores.apply(scan.comments, bytes: bytes, lines: lines, ruleIDs: Set(config.rules.map(\.id)),
                                to: &report)
        }
        report.findings.sort(by: Finding.reportOrder)
        return report
    }
}

/// SPEC section 2's table: which imports a rule reports, and as what.
public enum RuleMatch {
    /// Whether `rule` reports `imp`: `fingerprint(of:_:) != nil`, without building the text.
    public static func matches(_ imp: ScannedImport, _ rule: Rule) -> Bool {
        switch imp.form {
        case .importModule, .dynamic:
            return rule.banned.contains(where: imp.module.isUnder)
        case .fromStar:
            return (rule.kind == .singleton && rule.banned.contains { $0.hasPrefix(imp.module + ".") })
                || rule.banned.contains(where: imp.module.isUnder)
        case .fromImport:
            let name = imp.name ?? ""
            return rule.banned.contains { imp.module.isUnder($0) || String.isUnder(module: imp.module, name: name, $0) }
        }
    }

    public static func fingerprint(of imp: ScannedImport, _ rule: Rule) -> String? {
        switch imp.form {
        case .importModule, .dynamic:
            return rule.banned.contains(where: imp.module.isUnder) ? "import \(imp.module)" : nil
        case .fromStar:
            // A star import binds a banned singleton `M.n` as surely as `from M import n` (SPEC 2).
            let binds = rule.kind == .singleton && rule.banned.contains { $0.hasPrefix(imp.module + ".") }
            return binds || rule.banned.contains(where: imp.module.isUnder) ? "from \(imp.module) import *" : nil
        case .fromImport:
            let name = imp.name ?? ""
            if rule.banned.contains(where: { imp.module.isUnder($0) || String.isUnder(module: imp.module, name: name, $0) }) {
                return "from \(imp.module) import \(name)"
            }
            return nil
        }
    }

    /// The canonical import for an import rule; the singleton's replacement otherwise.
    public static func replacement(for imp: ScannedImport, _ rule: Rule) -> String? {
        guard rule.kind == .import else { return rule.replacement }
        guard let canonical = rule.canonical else { return rule.replacement }
        switch imp.form {
        case .fromImport: return "from \(canonical) import \(imp.name ?? "")"
        case .fromStar: return "from \(canonical) import *"
        case .importModule, .dynamic: return "import \(canonical)"
        }
    }
}

/// Text helpers for reports: a line decoded for display, and the width of
/// the name or literal a finding points at.
enum SourceText {
    /// Characters (UTF-8 lead bytes) in `range`.
    static func characters(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var n = 0
        for k in range where bytes[k] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Bytes kept either side of a finding in its excerpt.
    static let reach = 160

    /// The finding's line, or for a long one the window of it around `offset`
    /// (cut on character boundaries): each finding holds a bounded excerpt.
    static func window(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, at offset: Int, column: Int, into f: inout Finding) {
        guard range.count > 2 * reach else {
            f.sourceLine = decode(bytes, range)
            return
        }
        var start = max(range.lowerBound, offset - reach)
        while start > range.lowerBound && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        var end = min(range.upperBound, offset + reach)
        while end < range.upperBound && bytes[end] & 0xC0 == 0x80 { end += 1 }
        f.sourceLine = decode(bytes, start..<end)
        var before = 0
        for k in start..<min(offset, end) where bytes[k] & 0xC0 != 0x80 { before += 1 }
        f.sourceStart = column - before
        f.cutBefore = start > range.lowerBound
        f.cutAfter = end < range.upperBound
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        return String(decoding: slice, as: UTF8.self)
    }

    static func span(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        guard offset < bytes.count else { return 1 }
        var k = offset
        let first = bytes[k]
        if first == 0x22 || first == 0x27 {
            k += 1
            while k < bytes.count && bytes[k] != first && bytes[k] != 0x0A { k += 1 }
            return max(1, k + 1 - offset)
        }
        if first == UInt8(ascii: "*") { return 1 }
        var chars = 0
        while k < bytes.count {
            let c = bytes[k]
            let isName = (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2E || c >= 0x80
            if !isName { break }
            if c & 0xC0 != 0x80 { chars += 1 }
            k += 1
        }
        return max(1, chars)
    }
}
