import SSOTCore

/// `ssot report --format markdown`: for `$GITHUB_STEP_SUMMARY` or a pull
/// request comment. Headed tables, the long lists folded in `<details>`,
/// repository text escaped (SPEC 7: a path cannot close a table cell or open
/// a link), and never more than 1 MiB, GitHub's limit for a step summary:
/// what does not fit is cut, and the report says so.
enum MigrationMarkdown {
    static let limit = 1 << 20
    /// Kept free for the note that says what was cut.
    static let reserve = 1024

    /// The summary written row by row against one budget for the whole of
    /// it: a table or a list that does not fit is cut at a row, a `<details>`
    /// is opened only with room to close it, and the last line says what
    /// was left out of which part.
    static func render(_ r: MigrationReport) -> String {
        var out = Budget(room: limit - reserve)
        out.add("## SSOT migration: \(r.revision == "working tree" ? "the working tree" : "`\(r.revision.prefix(12))`")\n\n")
        out.table("rules", header: "| rule | legacy | files | canonical | compliance | file compliance | allowed | loose | fixable | goal |\n"
                    + "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n",
                  rows: r.standings.map { s in
                      "| \(cell(s.rule)) | \(s.legacy) | \(s.legacyFiles) | \(s.canonical) | \(Figures.percent(s.compliance)) | "
                          + "\(Figures.percent(s.fileCompliance)) | \(s.allowance) | \(s.loose) | \(s.fixable) | \(cell(Figures.goal(s))) |\n"
                  })
        if let base = r.base {
            out.table("rules since the base", header: "\n### Since `\(base.prefix(12))`\n\n| rule | legacy | files | compliance | new code | changed files |\n"
                        + "|---|--:|--:|--:|--:|--:|\n",
                      rows: r.standings.compactMap { s in
                          r.changes[s.rule].map { c in
                              "| \(cell(s.rule)) | \(Figures.signed(c.legacy)) | \(Figures.signed(c.legacyFiles)) | "
                                  + "\(Figures.points(c.compliance)) | \(Figures.percent(c.newCode)) | \(c.newCodeFiles) |\n"
                          }
                      })
        }
        out.add("\n\(r.scanned) files scanned.\n")
        if !r.unchecked.isEmpty {
            out.table("files not checked", header: "\n**\(r.unchecked.count) \(r.unchecked.count == 1 ? "file" : "files") could not be checked:** "
                        + "their findings are in no count above.\n\n| file | why |\n|---|---|\n",
                      rows: r.unchecked.map { "| \(code($0.path)) | \(code($0.reason)) |\n" })
        }
        if !r.folders.isEmpty {
            out.table("folders", header: "\n<details><summary>Most legacy findings, by folder (depth \(r.depth))</summary>\n\n"
                        + "| folder | findings | files |\n|---|--:|--:|\n",
                      rows: r.folders.map { "| \(code($0.path)) | \($0.findings) | \($0.files) |\n" }, footer: "\n</details>\n")
            out.table("files", header: "\n<details><summary>… and by file</summary>\n\n| file | findings |\n|---|--:|\n",
                      rows: r.files.map { "| \(code($0.path)) | \($0.findings) |\n" }, footer: "\n</details>\n")
        }
        if !out.cut.isEmpty {
            out.text += "\n_ssot cut this summary at GitHub's 1 MiB limit: " + out.cut.joined(separator: "; ")
                + " left out; `ssot report --format json` has them all._\n"
        }
        return out.text
    }

    /// The summary so far and the room left in it.
    struct Budget {
        var text = ""
        var room: Int
        /// What was left out, part by part ("12 of 40 folders").
        var cut: [String] = []

        mutating func add(_ s: String) {
            guard cut.isEmpty, s.utf8.count <= room else { return }
            text += s
            room -= s.utf8.count
        }

        /// A table's header, as many of its rows as fit, and its footer.
        /// Once a part is cut, the parts after it are left out whole: the
        /// summary is always a beginning of the full one.
        mutating func table(_ what: String, header: String, rows: [String], footer: String = "") {
            let fixed = header.utf8.count + footer.utf8.count
            guard cut.isEmpty, fixed <= room else {
                cut.append("the \(what) (\(rows.count))")
                return
            }
            room -= fixed
            text += header
            var shown = 0
            for row in rows {
                guard row.utf8.count <= room else { break }
                text += row
                room -= row.utf8.count
                shown += 1
            }
            text += footer
            if shown < rows.count { cut.append("\(rows.count - shown) of \(rows.count) \(what)") }
        }
    }

    /// A path in a table cell as a code span: GitHub neither mentions
    /// (`@name`) nor links (`www.…`, `a@b.c`) inside one, and nothing in it
    /// is markup. A `|` is still escaped, as a table's cells need, and the
    /// fence is one backtick longer than any run of them in the path.
    static func code(_ s: String) -> String {
        let text = TextEscape.escape(s).split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
        var longest = 0, run = 0
        for c in text.utf8 {
            run = c == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") || text.hasPrefix(" ") && text.hasSuffix(" ") ? " " : ""
        return fence + pad + text + pad + fence
    }

    /// Repository text in a table cell: no line break, no `|`, and nothing
    /// markdown or HTML reads as markup.
    static func cell(_ s: String) -> String {
        var out = ""
        for u in TextEscape.escape(s).unicodeScalars {
            switch u {
            case "|": out += "\\|"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "#", "!", "~": out += "\\" + String(u)
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
