
/// Why `ssot fix` leaves a finding as it is (SPEC 8's list, and the cases it
/// is silent on: a star import, a name the resolver cannot decide, a rule
/// without a canonical module).
public enum FixReason: String, CaseIterable, Sendable, Comparable {
    case notExported = "not exported"
    case differentObject = "different object"
    case moduleImport = "module import"
    case starImport = "star import"
    case guarded
    case dynamic
    case singletonUse = "singleton use"
    case unresolved
    case noCanonical = "no canonical module"

    public static func < (a: FixReason, b: FixReason) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// One line a person reads next to the count.
    public var meaning: String {
        switch self {
        case .notExported: return "the canonical module does not bind that object"
        case .differentObject: return "the canonical module binds another object under that name"
        case .moduleImport: return "imports a module (the legacy one, or one it names); its uses are not rewritten"
        case .starImport: return "`from M import *`: the names it brings cannot be listed"
        case .guarded: return "inside a try whose except catches ImportError: a fallback the author chose"
        case .dynamic: return "importlib.import_module or __import__: code, not a statement"
        case .singletonUse: return "a retired singleton: the replacement needs a user context"
        case .unresolved: return "ssot cannot prove which object the name is"
        case .noCanonical: return "the rule names no canonical module"
        }
    }
}

/// The object a not-exported finding imports: adding it to the canonical
/// module unblocks every finding with the same key.
public struct Unexported: Hashable, Sendable {
    /// The name the findings import it by.
    public var name: String
    /// The module that defines it (or the outside module it comes from).
    public var definedIn: String
    public var canonical: String

    public init(name: String, definedIn: String, canonical: String) {
        self.name = name
        self.definedIn = definedIn
        self.canonical = canonical
    }
}

/// What `ssot fix` does with one finding.
public struct FixDecision: Sendable {
    public var finding: Finding
    /// nil: rewritten (or, with --diff and --check, would be).
    public var reason: FixReason?
    /// The import written, or why not.
    public var detail: String
    public var unexported: Unexported?

    public init(finding: Finding, reason: FixReason?, detail: String, unexported: Unexported? = nil) {
        self.finding = finding
        self.reason = reason
        self.detail = detail
        self.unexported = unexported
    }
}

/// A string that names a banned module (`mock.patch("legacy.X")`): not a
/// finding, never edited, but it breaks when the legacy module goes.
public struct ModuleMention: Sendable, Equatable {
    public var path: String
    public var line: Int
    public var column: Int
    public var text: String
    public var rule: String

    public init(path: String, line: Int, column: Int, text: String, rule: String) {
        self.path = path
        self.line = line
        self.column = column
        self.text = text
        self.rule = rule
    }
}

/// One file's part of a fix.
public struct FileFix: Sendable {
    public var path: String
    public var original: [UInt8]
    /// The rewritten file; nil when nothing in it changes.
    public var fixed: [UInt8]?
    public var decisions: [FixDecision]
    public var mentions: [ModuleMention] = []
    /// Why a planned rewrite was not kept (it did not re-parse as intended).
    public var refused: String?
    /// The findings of the rewritten file, for the baseline.
    public var findingsAfter: [Finding]?
    /// A note about the file (a symlink, not rewritten).
    public var note: String?

    public init(path: String, original: [UInt8], decisions: [FixDecision], mentions: [ModuleMention] = []) {
        self.path = path
        self.original = original
        self.decisions = decisions
        self.mentions = mentions
    }
}
