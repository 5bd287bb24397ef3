/// Where a file sits in the package tree, so that relative imports can be
/// made absolute. `package` is nil when the file is under no source root.
public struct ModuleContext: Equatable, Sendable {
    public var package: [String]?
    /// The module's own dotted name (`__name__`), when known.
    public var name: [String]?

    public init(package: [String]?) { self.package = package }

    /// The context of module `moduleName` (`a.b.c`); a package's `__init__`
    /// is its own package, any other module lives in its parent.
    public init(moduleName: String?, isPackage: Bool) {
        guard let moduleName, !moduleName.isEmpty else {
            self.package = isPackage && moduleName != nil ? [] : nil
            return
        }
        let parts = moduleName.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        self.package = isPackage ? parts : Array(parts.dropLast())
        self.name = parts
    }

    public static let unknown = ModuleContext(package: nil)
}

/// One import the file makes, with absolute module names.
public struct ScannedImport: Equatable, Sendable {
    public enum Form: Equatable, Sendable {
        /// `import M` or `import M as x`
        case importModule
        /// `from M import name`, one per imported name
        case fromImport
        /// `from M import *`
        case fromStar
        /// `importlib.import_module("M")` or `__import__("M")` with a literal:
        /// `import M` in another spelling
        case dynamic
    }

    public var form: Form
    public var module: String
    public var name: String?
    /// Byte offset of the module path (`import`, dynamic) or the imported name (`from`).
    public var offset: Int
    public var underTypeChecking: Bool
    /// Made by a call (`__import__("M", fromlist=["n"])`), not a statement:
    /// the same finding, but not a statement that can be rewritten.
    public var isCall: Bool

    public init(form: Form, module: String, name: String? = nil, offset: Int, underTypeChecking: Bool = false,
                isCall: Bool = false) {
        self.form = form
        self.module = module
        self.name = name
        self.offset = offset
        self.underTypeChecking = underTypeChecking
        self.isCall = isCall
    }
}

/// A reference `x` or `x.a.b` whose head resolves to an import binding.
/// `dotted` is the binding's target followed by the attributes; its first
/// `targetLength` UTF-8 bytes are the target itself.
public struct ScannedUse: Equatable, Sendable {
    public var dotted: String
    public var targetLength: Int
    public var offset: Int

    public init(dotted: String, targetLength: Int, offset: Int) {
        self.dotted = dotted
        self.targetLength = targetLength
        self.offset = offset
    }

    /// The names this reference can stand for: the target and each longer
    /// prefix of `dotted` that ends at a dot boundary.
    public func refers(to name: String) -> Bool {
        let n = name.utf8.count
        guard n >= targetLength, dotted.utf8.count >= n, dotted.utf8.starts(with: name.utf8) else { return false }
        return dotted.utf8.count == n || dotted.utf8[dotted.utf8.index(dotted.utf8.startIndex, offsetBy: n)] == UInt8(ascii: ".")
    }
}

/// Everything the rules need from one file.
public struct ScanResult: Sendable {
    public var imports: [ScannedImport] = []
    public var uses: [ScannedUse] = []
    public var warnings: [ScanWarning] = []
    /// Byte ranges of comments (`#` included), when asked for.
    public var comments: [Range<Int>] = []
    /// True when a PEP 263 cookie declares a single-byte encoding.
    public var singleByteEncoding = false

    public init() {}
}
