/// One violation of one rule at one place (SPEC section 2).
public struct Finding: Equatable, Sendable {
    public var path: String
    public var line: Int
    public var column: Int
    public var rule: String
    public var fingerprint: String
    public var message: String
    public var replacement: String?
    /// Over the baseline's allowance for its key.
    public var new: Bool
    /// The source line, for the report's excerpt, and how many characters the caret spans.
    /// A long line is kept as a window around the finding (SPEC 7: the cost
    /// of a check is linear, and 10,000 findings on one line once held
    /// 10,000 copies of it): `sourceStart` is the window's first column,
    /// and `cutBefore` and `cutAfter` say whether text was cut before or after it.
    public var sourceLine: String
    public var span: Int
    public var sourceStart = 1
    public var cutBefore = false
    public var cutAfter = false

    public init(path: String, line: Int, column: Int, rule: String, fingerprint: String, message: String,
                replacement: String?, new: Bool = true, sourceLine: String = "", span: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
        self.rule = rule
        self.fingerprint = fingerprint
        self.message = message
        self.replacement = replacement
        self.new = new
        self.sourceLine = sourceLine
        self.span = span
    }

    public var key: BaselineKey { BaselineKey(path: path, rule: rule, fingerprint: fingerprint) }

    /// Report order: path, line, column, rule.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.path != b.path { return Bytewise.less(a.path, b.path) }
        if a.line != b.line { return a.line < b.line }
        if a.column != b.column { return a.column < b.column }
        return a.rule < b.rule
    }
}

/// A file-level note or warning: something the user should know that is
/// not a finding (a file that did not tokenize, an unused ignore comment).
public struct FileMessage: Equatable, Sendable {
    public enum Severity: String, Sendable { case warning, note }
    public var severity: Severity
    public var path: String
    public var line: Int?
    public var column: Int?
    public var text: String

    public init(_ severity: Severity, path: String, line: Int? = nil, column: Int? = nil, _ text: String) {
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.text = text
    }
}
