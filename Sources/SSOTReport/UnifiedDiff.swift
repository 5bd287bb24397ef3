import SSOTCore

/// A unified diff of two versions of a file (`ssot fix --diff`), as
/// `git diff` and `ruff check --diff` print one: `---`/`+++` headers, hunks
/// with three lines of context. Lines are compared as bytes, line ends
/// included, by Myers' algorithm.
public enum UnifiedDiff {
    public static func render(path: String, old: [UInt8], new: [UInt8], context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        let script = edits(a, b)
        guard script.contains(where: { $0 != .same }) else { return "" }
        let shown = TextEscape.escape(path)
        var out = "--- a/\(shown)\n+++ b/\(shown)\n"
        // Walk the script, cutting it into hunks around the changes.
        var positions: [(op: Op, i: Int, j: Int)] = []
        var i = 0, j = 0
        for op in script {
            positions.append((op, i, j))
            switch op {
            case .same: i += 1; j += 1
            case .delete: i += 1
            case .insert: j += 1
            }
        }
        let changed = positions.indices.filter { positions[$0].op != .same }
        var k = 0
        while k < changed.count {
            var lo = max(0, changed[k] - context)
            var hi = min(positions.count, changed[k] + context + 1)
            while k + 1 < changed.count && changed[k + 1] - context <= hi {
                k += 1
                hi = min(positions.count, changed[k] + context + 1)
            }
            lo = max(0, lo)
            let slice = positions[lo..<hi]
            let oldCount = slice.filter { $0.op != .insert }.count
            let newCount = slice.filter { $0.op != .delete }.count
            let oldStart = oldCount == 0 ? slice.first!.i : slice.first!.i + 1
            let newStart = newCount == 0 ? slice.first!.j : slice.first!.j + 1
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
            for p in slice {
                switch p.op {
                case .same: out += " " + text(a[p.i])
                case .delete: out += "-" + text(a[p.i])
                case .insert: out += "+" + text(b[p.j])
                }
            }
            k += 1
        }
        return out
    }

    static func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }

    /// One line for the diff, its own line end kept (a CRLF file's diff has
    /// CRLF), as bytes a patch needs: only the control characters that could
    /// drive a terminal are escaped (SPEC 7); tab, CR and a BOM stay, so
    /// `git apply` takes the patch.
    static func text(_ line: ArraySlice<UInt8>) -> String {
        var body = line
        var end = ""
        if body.last == 0x0A { body = body.dropLast(); end = "\n" }
        var shown = ""
        for u in String(decoding: body, as: UTF8.self).unicodeScalars {
            let v = u.value
            if (v < 0x20 && v != 0x09 && v != 0x0D) || v == 0x7F || (0x80...0x9F).contains(v) {
                shown += "\\u{" + String(v, radix: 16) + "}"
            } else {
                shown.unicodeScalars.append(u)
            }
        }
        return shown + (end.isEmpty ? "\n\\ No newline at end of file\n" : end)
    }

    /// Lines as git cuts them: at LF only (a CR-only file is one line to git).
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                out.append(bytes[start...i])
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { out.append(bytes[start...]) }
        return out
    }

    enum Op: Equatable { case same, delete, insert }

    /// The shortest edit script (Myers 1986), as a list of operations.
    static func edits(_ a: [ArraySlice<UInt8>], _ b: [ArraySlice<UInt8>]) -> [Op] {
        let n = a.count, m = b.count, max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            // The trace holds a frontier per step: past 32 M entries (a file rewritten nearly line by line),
            // the diff is the whole file out and in, never memory without bound.
            if trace.count * v.count > 32 << 20 {
                return [Op](repeating: .delete, count: n) + [Op](repeating: .insert, count: m)
            }
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? v[max + k + 1] : v[max + k - 1] + 1
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[max + k] = x
                if x >= n && y >= m { trace.append(v); break outer }
            }
        }
        // Back from the end: trace[d] is the frontier before round d.
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 2, through: 1, by: -1) {
            let v = trace[d]
            let k = x - y
            let down = k == -d || (k != d && v[max + k - 1] < v[max + k + 1])
            let pk = down ? k + 1 : k - 1
            let px = v[max + pk], py = px - pk
            while x > px && y > py { ops.append(.same); x -= 1; y -= 1 }
            ops.append(down ? .insert : .delete)
            x = px
            y = py
        }
        while x > 0 && y > 0 { ops.append(.same); x -= 1; y -= 1 }
        return ops.reversed()
    }
}
