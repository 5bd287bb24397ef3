/// What `ssot fix` needs of one file beyond its findings (SPEC 8): the
/// module-level bindings its text makes, in statement order, for the static
/// resolver; and every `from … import …` statement with the byte ranges of
/// its parts, so that a rewrite edits tokens and nothing else.
public struct ModuleOutline: Sendable {
    /// Each module-level name as the module leaves it once it has run.
    public var bindings: [String: BoundValue] = [:]
    /// The name each `def` and `class` gave its object, by the offset of that name.
    public var definedNames: [Int: String] = [:]
    /// Why a name the module does not bind may still be an attribute of it
    /// (a star import, a module `__getattr__`); nil when it cannot be.
    public var openNames: String?
    /// Why no name of this module can be trusted (it writes `globals()`).
    public var dynamic: String?
    public var sites: [FromImportSite] = []
    /// The modules the file imports when it is loaded (outside any function),
    /// absolute; for `from M import n` both `M` and `M.n`, since `n` may be a submodule.
    public var loadImports: [String] = []
    /// A module-level `import_module(…)` or `__import__(…)` whose name is not a literal: what it loads is unknown.
    public var loadsUnknown = false
    /// `a.b.c = …` (and `del a.b.c`, `a.b += …`) anywhere in the file: what
    /// `a` held at module level, and the attributes. Another module's name
    /// assigned from here is not what that module's text says.
    public var attributeWrites: [AttributeWrite] = []
    /// Every comment of the file.
    public var comments: [Range<Int>] = []
    /// Every function, with the names it binds itself (parameters and locals); an outline made
    /// with `functionScopes: false` keeps each function's range only.
    public var functions: [FunctionScope] = []
    /// String literals that read as dotted names (`mock.patch("a.b.C")`), in file order.
    public var dottedStrings: [DottedString] = []

    public init() {}

    /// The first comment that starts at or after `offset` (comments are in file order): a binary search,
    /// so a file of 100,000 comments costs no scan per question.
    public func firstComment(atOrAfter offset: Int) -> Range<Int>? {
        var lo = 0, hi = comments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if comments[mid].lowerBound < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo < comments.count ? comments[lo] : nil
    }

    /// The index of the import statement that starts at `offset`, if any (sites are in file order).
    public func site(startingAt offset: Int) -> Int? {
        var lo = 0, hi = sites.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sites[mid].range.lowerBound < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo < sites.count && sites[lo].range.lowerBound == offset ? lo : nil
    }

    /// `dottedStrings: false` leaves `dottedStrings` empty: only the mentions `ssot fix` prints read
    /// them, and decoding every string literal of a file is not free. `functionScopes: false` keeps
    /// only each function's range: its names are read by `--unsafe-fixes` alone.
    public static func of(_ bytes: UnsafeBufferPointer<UInt8>, module: ModuleContext, dottedStrings: Bool = true,
                          functionScopes: Bool = true) -> ModuleOutline {
        var lexer = Lexer(bytes, collectComments: true)
        lexer.run()
        let walker = OutlineWalker(tokens: lexer.tokens.buffer, source: bytes, comments: lexer.comments, module: module)
        walker.collectsDottedStrings = dottedStrings
        walker.collectsFunctionScopes = functionScopes
        walker.run()
        let outline = walker.outline
        withExtendedLifetime(lexer.tokens) {}
        return outline
    }

    public static func of(_ bytes: [UInt8], module: ModuleContext, dottedStrings: Bool = true,
                          functionScopes: Bool = true) -> ModuleOutline {
        bytes.withUnsafeBufferPointer { of($0, module: module, dottedStrings: dottedStrings, functionScopes: functionScopes) }
    }
}

/// The value a module-level name holds, as the module's own text says.
/// Two names are the same object only when they come to the same
/// `definition` or `module`; anything the text cannot decide is `unknown`.
public indirect enum BoundValue: Hashable, Sendable {
    /// `def`, `class`, `type`, or an assignment of anything but a name: an
    /// object made here, identified by the offset of what made it.
    case definition(offset: Int)
    /// `import a.b as x` binds `x` to module `a.b`; `import a.b` binds `a` to `a`.
    case module(String)
    /// `from M import n`, M absolute.
    case imported(module: String, name: String)
    /// `x = y.a.b`: what `y` held at that statement, then its attributes.
    case attribute(BoundValue, [String])
    case unknown(String)
}

/// One `from M import …` statement anywhere in the file.
public struct FromImportSite: Sendable {
    public struct Item: Sendable {
        /// The imported name and the name it binds (NFKC, as CPython compares them).
        public var name: String
        public var local: String
        public var nameRange: Range<Int>
        /// `as x`, from the keyword to the alias.
        public var asRange: Range<Int>?
        /// The comma after the item, if any.
        public var comma: Range<Int>?
        public var end: Int { asRange?.upperBound ?? nameRange.upperBound }
    }

    /// From `from` (or `lazy`) to the end of the statement's last token.
    public var range: Range<Int>
    /// The dots and dotted name after `from`, as written.
    public var moduleRange: Range<Int>
    public var level: Int
    /// The module, made absolute; nil when the dots climb above the top package.
    public var module: String?
    public var star = false
    public var items: [Item] = []
    /// The `(` and `)` around the names, when there are some.
    public var openParen: Int?
    public var closeParen: Int?
    /// The suite the statement is in: statements with the same block are at the same level.
    public var block: Int
    /// The line's leading white space, when the statement begins its line.
    public var indent: Range<Int>?
    /// The line break that ends the statement, when nothing follows it on its line.
    public var lineBreak: Range<Int>?
    /// In the body of a `try` whose handlers catch `ImportError` (or everything).
    public var guarded = false
    public var inFunction = false
    public var underTypeChecking = false
    /// Comments between the statement's first and last token.
    public var comments: [Range<Int>] = []
    /// False when a token did not fit the grammar: such a statement is never edited.
    public var wellFormed = true
    /// `lazy from …` (PEP 810).
    public var lazy = false
}

/// A string literal whose text is a dotted name, and where it is.
public struct DottedString: Sendable, Equatable {
    public var text: String
    public var offset: Int
}

/// An assignment to an attribute of a module-level name.
public struct AttributeWrite: Sendable {
    /// The name written through, and what the module level leaves it bound to (nil: not a module-level name).
    public var head: String
    public var base: BoundValue?
    public var attributes: [String]
    public var offset: Int
}

/// A `def`, from the end of its header to the end of its body, and the
/// names it binds: parameters, assignment and loop targets, imports, nested
/// `def`s; and what `--unsafe-fixes` needs to trust a name there.
public struct FunctionScope: Sendable {
    public var range: Range<Int>
    public var names: Set<String>
    public var parameters: Set<String> = []
    /// Names bound by a plain assignment directly in the body (not in a
    /// branch, loop or `try`), with the offset of each.
    public var straightBindings: [(name: String, offset: Int)] = []
    /// Names deleted, caught (`except … as`), or declared `global`/`nonlocal`.
    public var unsettled: Set<String> = []
    /// Lambdas and comprehensions inside, whose names are their own.
    public var innerScopes: [Range<Int>] = []

    /// Whether `name` is surely bound at `offset` in the body, not in an inner scope.
    public func binds(_ name: String, at offset: Int) -> Bool {
        guard !unsettled.contains(name), !innerScopes.contains(where: { $0.contains(offset) }) else { return false }
        return parameters.contains(name) || straightBindings.contains { $0.name == name && $0.offset < offset }
    }

    /// The innermost function of `functions` around `offset`.
    public static func innermost(_ functions: [FunctionScope], at offset: Int) -> FunctionScope? {
        functions.filter { $0.range.contains(offset) }.min { $0.range.count < $1.range.count }
    }
}
