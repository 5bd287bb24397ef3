/// Dynamic imports: a call of `importlib.import_module` or of an
/// `__import__` whose module is a string literal is an import statement in
/// another spelling (SPEC 2, "the same syntax tree is the same finding"):
///
/// - `import_module("M")`, `import_module(name="M")` are `import M`;
///   `import_module(".m", "pkg")` and `package=` resolve as importlib does;
/// - `__import__("M")` is `import M`; `__import__("M", fromlist=["n"])` is
///   `from M import n`, and `fromlist=["*"]` is `from M import *`; a `level`
///   climbs from the file's own package, as `from .. import` does;
/// - `builtins.__import__`, `importlib.__import__` and
///   `__builtins__.__import__` are `__import__`.
///
/// A module name computed at run time (`import_module(name)`) cannot be known
/// from the text; the README lists that among the limits.
extension Parser {
    enum ImportFunction {
        case importModule
        case dunderImport
    }

    /// `__import__` or `__builtins__.__import__` when no binding in the file
    /// shadows it: the builtin.
    func builtinImport(_ r: Reference) -> ImportFunction? {
        let head = Int(r.head)
        if isName(head, "__import__") { return calledName("", r) == "" ? .dunderImport : nil }
        guard isName(head, "__builtins__") else { return nil }
        return calledName("", r) == ".__import__" ? .dunderImport : nil
    }

    /// The dotted name of what a call calls: `f.__call__(…)` calls `f`.
    func calledName(_ target: String, _ r: Reference) -> String {
        var d = dotted(target, r)
        while d.hasSuffix(".__call__") { d.removeLast(".__call__".count) }
        return d
    }

    func importFunction(_ r: Reference) -> ImportFunction? {
        // Most calls are of other functions: the last name of the chain (past `.__call__`s)
        // tells, before any string is built.
        var last = Int(r.chainEnd)
        while last > Int(r.head) && (t[last].kind != .name || isName(last, "__call__")) { last -= 1 }
        if last != Int(r.head) && !isName(last, "import_module") && !isName(last, "__import__") { return nil }
        switch scopes.resolve(r.name, from: r.scope) {
        case let .imported(target):
            switch calledName(target, r) {
            case "importlib.import_module": return .importModule
            case "builtins.__import__", "importlib.__import__": return .dunderImport
            default: return nil
            }
        case .unbound:
            return builtinImport(r)
        case .other:
            return nil
        }
    }

    /// The arguments of the call whose `(` is at `open`.
    struct CallArguments {
        var positional: [Range<Int>] = []
        var keywords: [(name: String, value: Range<Int>)] = []
        /// `*args` at this position: it and every later position are unknown.
        var starredFrom: Int?
        var doubleStarred = false
        /// A `\\N{…}` escape in a `**{…}` key: the call cannot be read.
        var unreadable: Int?

        enum Argument {
            case absent
            case unknown
            case given(Range<Int>)
        }
    }

    func callArguments(_ open: Int) -> CallArguments {
        var args = CallArguments()
        let close = Int(match[open])
        var a = open + 1
        while a < close {
            let b = findTop(a, close) { $0 == .comma }
            if b > a {
                switch kind(a) {
                case .star:
                    // `*("M",)`, `*["M"]`, `*{"M"}`: the items themselves; anything else is unknown from here on.
                    if args.starredFrom == nil, let items = starredItems(a + 1, b) {
                        args.positional += items
                    } else if args.starredFrom == nil {
                        args.starredFrom = args.positional.count
                    }
                case .doubleStar:
                    if !dictItems(a + 1, b, into: &args) { args.doubleStarred = true }
                case .name where kind(a + 1) == .equal: args.keywords.append((text(a), (a + 2)..<b))
                default: args.positional.append(a..<b)
                }
            }
            a = b + 1
        }
        return args
    }

    func argument(_ args: CallArguments, _ position: Int, _ keyword: String) -> CallArguments.Argument {
        if let starred = args.starredFrom, position >= starred { return .unknown }
        if position < args.positional.count { return .given(args.positional[position]) }
        // The last of a name wins, as in a dict display (`**{"name": "a", "name": "b"}`).
        if let kw = args.keywords.last(where: { $0.name == keyword }) { return .given(kw.value) }
        return args.doubleStarred ? .unknown : .absent
    }

    /// The expression inside redundant parentheses and walruses, tuples kept:
    /// `((x))` is `x`, `(m := x)` is `x`, `("n",)` stays a tuple.
    func innerExpression(_ lo: Int, _ hi: Int) -> (Int, Int) {
        var lo = lo, hi = hi
        while hi - lo > 2 {
            if kind(lo) == .name && kind(lo + 1) == .walrus {
                lo += 2
            } else if kind(lo) == .lparen && Int(match[lo]) == hi - 1 && findTop(lo + 1, hi - 1, { $0 == .comma }) == hi - 1 {
                lo += 1
                hi -= 1
            } else {
                break
            }
        }
        return (lo, hi)
    }

    /// What `*x` unpacks, when `x` is a literal display: a list, tuple or
    /// set's items (`*` items flattened), a dict's keys. nil otherwise.
    func starredItems(_ lo: Int, _ hi: Int) -> [Range<Int>]? {
        let (lo, hi) = innerExpression(lo, hi)
        guard let items = displayItems(lo, hi) else { return nil }
        var out: [Range<Int>] = []
        for item in items {
            if kind(item.lowerBound) == .star {
                guard let inner = starredItems(item.lowerBound + 1, item.upperBound) else { return nil }
                out += inner
            } else if kind(lo) == .lbrace {
                guard kind(item.lowerBound) != .doubleStar else { return nil }
                out.append(item.lowerBound..<findTop(item.lowerBound, item.upperBound) { $0 == .colon })  // a key, or a set's item
            } else {
                out.append(item)
            }
        }
        return out
    }

    /// `**{"name": "M"}` as keywords (`**` items flattened); false when the
    /// dict is not a literal with literal keys. An unreadable key (`\N{…}`)
    /// makes the call unreadable, not unknown.
    func dictItems(_ lo: Int, _ hi: Int, into args: inout CallArguments) -> Bool {
        let (lo, hi) = innerExpression(lo, hi)
        guard kind(lo) == .lbrace, let items = displayItems(lo, hi) else { return false }
        for item in items {
            if kind(item.lowerBound) == .doubleStar {
                guard dictItems(item.lowerBound + 1, item.upperBound, into: &args) else { return false }
                continue
            }
            let colon = findTop(item.lowerBound, item.upperBound) { $0 == .colon }
            guard colon < item.upperBound else { return false }
            switch literalValue(item.lowerBound, colon) {
            case let .text(key): args.keywords.append((String(decoding: key, as: UTF8.self), (colon + 1)..<item.upperBound))
            case let .unreadable(at):
                args.unreadable = args.unreadable ?? at
                return false
            case .computed: return false
            }
        }
        return true
    }

    /// The items of the display `lo..<hi` (a list, a tuple with a comma, a
    /// dict or set), or nil for any other expression.
    func displayItems(_ lo: Int, _ hi: Int) -> [Range<Int>]? {
        guard lo < hi, Int(match[lo]) == hi - 1 else { return nil }
        switch kind(lo) {
        case .lbracket, .lbrace: break
        case .lparen: guard hi - lo == 2 || findTop(lo + 1, hi - 1, { $0 == .comma }) < hi - 1 else { return nil }
        default: return nil
        }
        var items: [Range<Int>] = []
        var a = lo + 1
        while a < hi - 1 {
            let b = findTop(a, hi - 1) { $0 == .comma }
            if b > a {
                // A comprehension is no display of items.
                if findTop(a, b, { $0 == .kwFor }) < b { return nil }
                items.append(a..<b)
            }
            a = b + 1
        }
        return items
    }

    /// Adds what the call imports, if it is a dynamic import with a literal module.
    func dynamicImport(_ call: DynamicCall, into result: inout ScanResult) {
        let r = references[Int(call.reference)]
        guard let function = importFunction(r) else { return }
        let args = callArguments(Int(call.open))
        if let at = args.unreadable {
            result.warnings.append(ScanWarning(offset: at, message: "a \\N{…} escape in a dynamic import's arguments: "
                                                   + "ssot cannot read the module it names", incomplete: true))
            return
        }
        guard case let .given(nameRange) = argument(args, 0, "name") else { return }
        let offset = Int(t[firstToken(nameRange)].start)
        func add(_ form: ScannedImport.Form, _ module: String, _ name: String? = nil) {
            result.imports.append(ScannedImport(form: form, module: module, name: name, offset: offset,
                                                underTypeChecking: call.underTypeChecking, isCall: true))
        }
        func unreadable(_ at: Int) {
            result.warnings.append(ScanWarning(offset: at, message: "a \\N{…} escape in a dynamic import's arguments: "
                                                   + "ssot cannot read the module it names", incomplete: true))
        }
        let name: [UInt8]
        switch literalValue(nameRange.lowerBound, nameRange.upperBound) {
        case let .text(v): name = v
        case let .unreadable(at): return unreadable(at)
        case .computed: return
        }
        guard !StringLiteral.holdsControl(name) else { return }
        let text = String(decoding: name, as: UTF8.self)
        switch function {
        case .importModule:
            guard !text.isEmpty else { return }
            let dots = text.utf8.prefix(while: { $0 == UInt8(ascii: ".") }).count
            if dots == 0 { return add(.dynamic, text) }
            // importlib resolves `.m` against the `package` argument, not the caller's package.
            let package: [String]
            switch argument(args, 1, "package") {
            case let .given(given):
                let (lo, hi) = literalRange(given.lowerBound, given.upperBound)
                let range = lo..<hi
                if let own = ownModuleName(range) {
                    // `__package__`, `__spec__.parent` or `__name__`: the file's own names.
                    guard !own.isEmpty else { return }
                    package = own
                } else {
                    switch literalValue(range.lowerBound, range.upperBound) {
                    case let .text(p) where !p.isEmpty && !StringLiteral.holdsControl(p):
                        package = String(decoding: p, as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                    case let .unreadable(at): return unreadable(at)
                    default: return
                    }
                }
            case .absent, .unknown:
                return
            }
            let keep = package.count - (dots - 1)
            guard keep >= 1 else { return }
            let rest = String(text.dropFirst(dots))
            add(.dynamic, (package[0..<keep] + (rest.isEmpty ? [] : [rest])).joined(separator: "."))
        case .dunderImport:
            var level = 0
            if case let .given(range) = argument(args, 4, "level"), let v = integerLiteral(range) { level = v }
            let absolute: String
            guard !text.hasPrefix(".") else { return }
            if level == 0 {
                guard !text.isEmpty else { return }
                absolute = text
            } else {
                // The package comes from `globals`: the file's own (`globals()`), or a literal
                // dict's `__package__` or `__name__`, as importlib's _calc___package__ reads it.
                var package = module.package
                if case let .given(range) = argument(args, 1, "globals") {
                    var given = CallArguments()
                    let (lo, hi) = innerExpression(range.lowerBound, range.upperBound)
                    if kind(lo) == .lbrace {
                        guard dictItems(lo, hi, into: &given) else {
                            if let at = given.unreadable { unreadable(at) }
                            return
                        }
                        package = globalsPackage(given)
                    }
                }
                guard let package, let resolved = Parser.resolve(level: level, text, in: package) else { return }
                absolute = resolved
            }
            switch fromList(argument(args, 3, "fromlist")) {
            case let .names(names) where !names.isEmpty:
                for n in names { n == "*" ? add(.fromStar, absolute) : add(.fromImport, absolute, n) }
            case let .unreadable(at):
                unreadable(at)
            default:
                add(.dynamic, absolute)
            }
        }
    }

    /// `__package__`, `__spec__.parent` (the file's package) or `__name__`
    /// (its module name), unbound in the file; nil for any other expression.
    func ownModuleName(_ range: Range<Int>) -> [String]? {
        let lo = range.lowerBound
        if range.count == 1 && isName(lo, "__package__") { return module.package }
        if range.count == 1 && isName(lo, "__name__") { return module.name }
        if range.count == 3 && isName(lo, "__spec__") && kind(lo + 1) == .dot && isName(lo + 2, "parent") { return module.package }
        return nil
    }

    /// The package a literal `globals` dict gives `__import__`: its
    /// `__package__`, else its `__name__` (less the last part, unless it has
    /// `__path__`). nil when neither is a literal string.
    func globalsPackage(_ given: CallArguments) -> [String]? {
        func literal(_ key: String) -> String? {
            guard let value = given.keywords.last(where: { $0.name == key })?.value,
                  case let .text(v) = literalValue(value.lowerBound, value.upperBound), !StringLiteral.holdsControl(v) else { return nil }
            return String(decoding: v, as: UTF8.self)
        }
        func parts(_ s: String) -> [String] { s.isEmpty ? [] : s.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
        if let p = literal("__package__") { return parts(p) }
        guard let name = literal("__name__") else { return nil }
        return given.keywords.contains(where: { $0.name == "__path__" }) ? parts(name) : Array(parts(name).dropLast())
    }

    enum FromList {
        case names([String])
        case unknown
        case unreadable(Int)
    }

    /// `fromlist`: a list, tuple or set display of string literals, `None`,
    /// or absent. A string is a sequence of one-character names, as CPython iterates it.
    func fromList(_ arg: CallArguments.Argument) -> FromList {
        var range: Range<Int>
        switch arg {
        case .absent: return .names([])
        case .unknown: return .unknown
        case let .given(r): range = r
        }
        // `(["n"])` and `("n")` are parentheses and `x := […]` its value; `("n",)` and `()` are tuples.
        let (lo, hi) = innerExpression(range.lowerBound, range.upperBound)
        range = lo..<hi
        if range.count == 1 && kind(range.lowerBound) == .kwNone { return .names([]) }
        // A display is iterated as CPython iterates it: items, `*` items flattened, a dict's keys.
        if [.lbracket, .lparen, .lbrace].contains(kind(lo)) && Int(match[lo]) == hi - 1 {
            guard let items = starredItems(lo, hi) else { return .unknown }
            var names: [String] = []
            for item in items {
                switch literalValue(item.lowerBound, item.upperBound) {
                case let .text(v): if !StringLiteral.holdsControl(v) { names.append(String(decoding: v, as: UTF8.self)) }
                case let .unreadable(at): return .unreadable(at)
                case .computed: return .unknown
                }
            }
            return .names(names)
        }
        switch literalValue(range.lowerBound, range.upperBound) {
        case let .text(v):
            guard !StringLiteral.holdsControl(v) else { return .unknown }
            return .names(String(decoding: v, as: UTF8.self).map(String.init))
        case let .unreadable(at): return .unreadable(at)
        case .computed: return .unknown
        }
    }

    /// An integer literal (`1`, `0x1`, `0o1`, `0b1`, `1_0`, `True`, `False`), or nil.
    func integerLiteral(_ range: Range<Int>) -> Int? {
        let (lo, hi) = literalRange(range.lowerBound, range.upperBound)
        guard hi - lo == 1 else { return nil }
        if kind(lo) == .kwTrue { return 1 }
        if kind(lo) == .kwFalse { return 0 }
        guard kind(lo) == .number else { return nil }
        var digits = Array(UnsafeBufferPointer(rebasing: src[Int(t[lo].start)..<Int(t[lo].end)])).filter { $0 != UInt8(ascii: "_") }
        var radix = 10
        if digits.count > 2 && digits[0] == UInt8(ascii: "0") {
            switch digits[1] | 0x20 {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: break
            }
            if radix != 10 { digits.removeFirst(2) }
        }
        guard digits.count <= 12 else { return nil }
        return Int(String(decoding: digits, as: UTF8.self), radix: radix)
    }

    /// The first token of an argument's literal, past parentheses and a
    /// walrus: where CPython's `ast` puts it.
    func firstToken(_ range: Range<Int>) -> Int {
        min(literalRange(range.lowerBound, range.upperBound).0, range.upperBound - 1)
    }
}
