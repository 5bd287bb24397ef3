import PythonScan

/// Turns a file's moves into token-level edits (SPEC 8). A statement whose
/// names all move to one module keeps its shape and gets the new module;
/// otherwise the moved names leave it, and join an earlier
/// `from canonical import …` in the same block, or a new statement right
/// after the old one. The local name never changes: `from C import N as n`.
struct ImportRewrite {
    let bytes: [UInt8]
    let outline: ModuleOutline

    struct Result {
        var edits: [TextEdit] = []
        /// Sites left as they were, and why: their moves are refused.
        var refused: [Int: String] = [:]
        /// Why the replacements' imports found no place (no module-level import before the first call).
        var unplaced: String?
    }

    /// `additions`: imports the rewritten singleton calls need, at module level before `firstCall`.
    func edits(_ moves: [Int: [Int: FilePlanner.Move]], additions: [ReplacementCall] = [], firstCall: Int = .max) -> Result {
        var result = Result()
        /// Names that join an existing statement (by its site index), or a new one (by the site it follows).
        var joins: [Int: [String]] = [:]
        var fresh: [(after: Int, canonical: String, items: [String])] = []
        for s in moves.keys.sorted() {
            let site = outline.sites[s]
            let siteMoves = moves[s]!
            let all = siteMoves.count == site.items.count
            if all, let c = siteMoves.values.first?.canonical, siteMoves.values.allSatisfy({ $0.canonical == c }) {
                result.edits += inPlace(site, siteMoves, canonical: c)
                continue
            }
            guard let removals = removals(site, Set(siteMoves.keys)) else {
                result.refused[s] = "removing the moved names would cut a comment"
                continue
            }
            result.edits += removals
            var order: [String] = []
            var byCanonical: [String: [String]] = [:]
            for i in siteMoves.keys.sorted() {
                let m = siteMoves[i]!
                let item = site.items[i]
                if byCanonical[m.canonical] == nil { order.append(m.canonical) }
                byCanonical[m.canonical, default: []].append(ImportRewrite.itemText(m.name, item))
            }
            for c in order {
                let texts = byCanonical[c]!
                if !carriedComments(site, Set(siteMoves.keys)).isEmpty {
                    // Comments (`# noqa`, `# type: ignore`) go with the names onto a statement of their own.
                    fresh.append((s, c, texts))
                } else if let e = target(for: c, before: s, moving: Set(siteMoves.keys.map { site.items[$0].local })) {
                    let existing = Set(outline.sites[e].items.map { $0.name == $0.local ? $0.name : $0.name + " as " + $0.local })
                    joins[e, default: []] += texts.filter { !existing.contains($0) && !(joins[e] ?? []).contains($0) }
                } else if let k = fresh.indices.last, fresh[k].canonical == c, outline.sites[fresh[k].after].block == site.block,
                          outline.sites[fresh[k].after].lazy == site.lazy, adjacent(outline.sites[fresh[k].after], site, moving: []) {
                    // Only the newest statement can be joined: anything older is behind it.
                    fresh[k].items += texts.filter { !fresh[k].items.contains($0) }
                } else {
                    fresh.append((s, c, texts))
                }
            }
        }
        if let why = addImports(additions, before: firstCall, joins: &joins, fresh: &fresh) {
            result.unplaced = why
        }
        for (e, texts) in joins where !texts.isEmpty { result.edits.append(join(outline.sites[e], texts)) }
        for f in fresh {
            let site = outline.sites[f.after]
            let moved = Set((moves[f.after] ?? [:]).keys)
            let notes = carriedComments(site, moved)
            result.edits.append(newStatement(after: site, (site.lazy ? "lazy " : "") + "from \(f.canonical) import "
                + f.items.joined(separator: ", ") + (notes.isEmpty ? "" : "  " + notes.joined(separator: " "))))
        }
        return result
    }

    /// Each replacement's `from module import name` at module level: joined to an
    /// import of that module before the first call, else after the last
    /// module-level import before it. Nil when all found a place.
    func addImports(_ additions: [ReplacementCall], before firstCall: Int, joins: inout [Int: [String]],
                    fresh: inout [(after: Int, canonical: String, items: [String])]) -> String? {
        for call in additions where outline.bindings[call.name] != .imported(module: call.module, name: call.name) {
            let moduleLevel = outline.sites.indices.filter {
                let site = outline.sites[$0]
                return site.block == 0 && !site.guarded && site.wellFormed && site.range.upperBound <= firstCall
            }
            if let e = moduleLevel.first(where: { outline.sites[$0].module == call.module && !outline.sites[$0].star }) {
                if !(joins[e] ?? []).contains(call.name) { joins[e, default: []].append(call.name) }
            } else if let k = fresh.firstIndex(where: { $0.canonical == call.module && outline.sites[$0.after].block == 0 }) {
                if !fresh[k].items.contains(call.name) { fresh[k].items.append(call.name) }
            } else if let last = moduleLevel.last {
                fresh.append((last, call.module, [call.name]))
            } else {
                return "no module-level `from … import` before the first call to put `from \(call.module) import \(call.name)` after"
            }
        }
        return nil
    }

    /// An earlier `from canonical import …` in the same block that names can
    /// join: of the same kind (`lazy` or not), with nothing between the two
    /// but other `from` imports that bind none of the names moving, blank
    /// lines and comments; else a name would be bound before code that
    /// rebinds or reads it.
    func target(for canonical: String, before s: Int, moving locals: Set<String>) -> Int? {
        let site = outline.sites[s]
        // Back through the statements just before: each gap must be blank or comments, each statement passed
        // over may bind none of the moving names. At most 200 back, so a file of 20,000 imports stays linear.
        var e = s - 1
        var later = site
        while e >= 0 && s - e <= 200 {
            let other = outline.sites[e]
            guard other.block == site.block, other.range.upperBound <= later.range.lowerBound,
                  blank(other.range.upperBound, later.range.lowerBound) else { return nil }
            if other.module == canonical && !other.star && other.wellFormed && !other.guarded && other.lazy == site.lazy {
                return e
            }
            guard !other.star, other.items.allSatisfy({ !locals.contains($0.local) }) else { return nil }
            later = other
            e -= 1
        }
        return nil
    }

    /// Only white space, `;`, backslashes and comments in `from..<to`.
    func blank(_ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0C || c == 0x0A || c == 0x0D || c == 0x3B || c == 0x5C { i += 1; continue }
            guard let comment = outline.firstComment(atOrAfter: i), comment.lowerBound == i else { return false }
            i = comment.upperBound
        }
        return true
    }

    /// Only white space, `;`, comments and `from` imports binding none of `locals` between `a` and `b`.
    func adjacent(_ a: FromImportSite, _ b: FromImportSite, moving locals: Set<String>) -> Bool {
        var i = a.range.upperBound
        let end = b.range.lowerBound
        while i < end {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0C || c == 0x0A || c == 0x0D || c == 0x3B || c == 0x5C { i += 1; continue }
            if let comment = outline.firstComment(atOrAfter: i), comment.lowerBound == i { i = comment.upperBound; continue }
            if let k = outline.site(startingAt: i), !outline.sites[k].star,
               outline.sites[k].items.allSatisfy({ !locals.contains($0.local) }) {
                i = outline.sites[k].range.upperBound
                continue
            }
            return false
        }
        return true
    }

    /// The comments that belong to the moved items: on an item's own line in
    /// a parenthesised list, or after a one-line statement.
    func carriedComments(_ site: FromImportSite, _ moved: Set<Int>) -> [String] {
        var out: [String] = []
        func lineEnd(_ i: Int) -> Int {
            var j = i
            while j < bytes.count && bytes[j] != 0x0A && bytes[j] != 0x0D { j += 1 }
            return j
        }
        func add(_ r: Range<Int>) {
            let text = String(decoding: bytes[r], as: UTF8.self)
            if !out.contains(text) { out.append(text) }
        }
        if site.openParen != nil {
            for i in moved.sorted() {
                let item = site.items[i]
                let from = item.comma?.upperBound ?? item.end
                if let c = outline.firstComment(atOrAfter: from), c.lowerBound < lineEnd(from) { add(c) }
            }
        }
        // The statement's own trailing comment (`from m import a, b  # noqa`).
        let end = site.range.upperBound
        if let c = outline.firstComment(atOrAfter: end), c.lowerBound < lineEnd(end),
           site.lineBreak != nil || site.openParen != nil {
            add(c)
        }
        return out
    }

    /// A moved item as written in its new statement: the local name kept,
    /// and the explicit re-export form `X as X` kept too.
    static func itemText(_ name: String, _ item: FromImportSite.Item) -> String {
        if name == item.local { return item.asRange != nil && item.name == item.local ? name + " as " + name : name }
        return name + " as " + item.local
    }

    func inPlace(_ site: FromImportSite, _ moves: [Int: FilePlanner.Move], canonical: String) -> [TextEdit] {
        var edits = [TextEdit(site.moduleRange, canonical)]
        for (i, m) in moves {
            let item = site.items[i]
            guard m.name != item.name else { continue }
            edits.append(TextEdit(item.nameRange, m.name))
            if let asRange = item.asRange {
                // `X as n` where the canonical module binds it as `n`: `n`, as anyone would write it.
                if m.name == item.local { edits.append(TextEdit(item.nameRange.upperBound..<asRange.upperBound, "")) }
            } else {
                edits.append(TextEdit(item.nameRange.upperBound..<item.nameRange.upperBound, " as " + item.local))
            }
        }
        return edits
    }

    /// Edits that take the items `moved` out of `site`, which keeps at least one.
    func removals(_ site: FromImportSite, _ moved: Set<Int>) -> [TextEdit]? {
        var edits: [TextEdit] = []
        var handled = Set<Int>()
        let last = site.items.count - 1
        if moved.contains(last) && site.items[last].comma == nil {
            // The tail has no trailing comma: cut from the end of the last kept item.
            let kept = (0..<site.items.count).last { !moved.contains($0) }!
            let range = site.items[kept].end..<site.items[last].end
            if cutsComment(site, range) { return nil }
            edits.append(TextEdit(range, ""))
            handled.formUnion(kept + 1...last)
        }
        for i in moved.sorted() where !handled.contains(i) {
            let item = site.items[i]
            var a = item.nameRange.lowerBound
            var b = item.comma!.upperBound
            if cutsComment(site, a..<b) { return nil }
            while b < bytes.count && (bytes[b] == 0x20 || bytes[b] == 0x09) { b += 1 }
            var lineStart = a
            while lineStart > 0 && (bytes[lineStart - 1] == 0x20 || bytes[lineStart - 1] == 0x09) { lineStart -= 1 }
            let startsLine = lineStart == 0 || bytes[lineStart - 1] == 0x0A || bytes[lineStart - 1] == 0x0D
            if startsLine && (b == bytes.count || bytes[b] == 0x0A || bytes[b] == 0x0D) {
                // The item had its own line: the line goes.
                a = lineStart
                if b < bytes.count && bytes[b] == 0x0D { b += 1 }
                if b < bytes.count && bytes[b] == 0x0A { b += 1 }
            }
            edits.append(TextEdit(a..<b, ""))
        }
        return edits
    }

    func cutsComment(_ site: FromImportSite, _ range: Range<Int>) -> Bool {
        site.comments.contains { range.overlaps($0) }
    }

    /// The names join `site`, after its last one.
    func join(_ site: FromImportSite, _ texts: [String]) -> TextEdit {
        let last = site.items[site.items.count - 1]
        if let close = site.closeParen, let comma = last.comma {
            var lineStart = close
            while lineStart > 0 && (bytes[lineStart - 1] == 0x20 || bytes[lineStart - 1] == 0x09) { lineStart -= 1 }
            if lineStart > 0 && (bytes[lineStart - 1] == 0x0A || bytes[lineStart - 1] == 0x0D) {
                // One name a line, with trailing commas: one more line like the last name's.
                let indent = indentation(of: last.nameRange.lowerBound) ?? "    "
                let eol = lineEnding(before: lineStart)
                return TextEdit(lineStart..<lineStart, texts.map { indent + $0 + "," + eol }.joined())
            }
            return TextEdit(comma.upperBound..<comma.upperBound, texts.map { " " + $0 + "," }.joined())
        }
        return TextEdit(last.end..<last.end, texts.map { ", " + $0 }.joined())
    }

    /// A new statement right after `site`: on the next line, indented the
    /// same, or after a `;` when the statement shares its line.
    func newStatement(after site: FromImportSite, _ text: String) -> TextEdit {
        if let indent = site.indent, let br = site.lineBreak {
            let pad = String(decoding: bytes[indent], as: UTF8.self)
            if br.isEmpty { return TextEdit(br.lowerBound..<br.lowerBound, "\n" + pad + text) }
            let eol = String(decoding: bytes[br], as: UTF8.self)
            return TextEdit(br.upperBound..<br.upperBound, pad + text + eol)
        }
        return TextEdit(site.range.upperBound..<site.range.upperBound, "; " + text)
    }

    func indentation(of offset: Int) -> String? {
        var i = offset
        while i > 0 && (bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09) { i -= 1 }
        guard i == 0 || bytes[i - 1] == 0x0A || bytes[i - 1] == 0x0D else { return nil }
        return String(decoding: bytes[i..<offset], as: UTF8.self)
    }

    func lineEnding(before lineStart: Int) -> String {
        if lineStart >= 2 && bytes[lineStart - 2] == 0x0D && bytes[lineStart - 1] == 0x0A { return "\r\n" }
        return bytes[lineStart - 1] == 0x0D ? "\r" : "\n"
    }
}
