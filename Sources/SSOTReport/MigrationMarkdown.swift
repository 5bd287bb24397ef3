import SSOTCore

/// `ssot report --format markdown`: for `$GITHUB_STEP_SUMMARY` or a pull
/// request comment. Headed tables, the long lists folded in `<details>`,
/// repository text escaped (SPEC 7: a path cannot close a table cell or open
/// a link), and never more than 1 MiB, GitHub's limit for a step summary:
/// what does not fit is cut, and the report says so.
enum MigrationMarkdown {
    static let limit = 1 << 20

    static func render(_ r: MigrationReport) -> String {
        var out = "## SSOT migration: \(r.revision == "working tree" ? "the working tree" : "`\(r.revision.prefix(12))`")\n\n"
        out += "| rule | legacy | files | canonical | compliance | file compliance | allowed | loose | fixable | goal |\n"
        out += "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n"
        for s in r.standings {
            out += "| \(cell(s.rule)) | \(s.legacy) | \(s.legacyFiles) | \(s.canonical) | \(Figures.percent(s.compliance)) | "
                + "\(Figures.percent(s.fileCompliance)) | \(s.allowance) | \(s.loose) | \(s.fixable) | \(cell(Figures.goal(s))) |\n"
        }
        if let base = r.base {
            out += "\n### Since `\(base.prefix(12))`\n\n| rule | legacy | files | compliance | new code | changed files |\n"
            out += "|---|--:|--:|--:|--:|--:|\n"
            for s in r.standings {
                guard let c = r.changes[s.rule] else { continue }
                out += "| \(cell(s.rule)) | \(Figures.signed(c.legacy)) | \(Figures.signed(c.legacyFiles)) | "
                    + "\(Figures.points(c.compliance)) | \(Figures.percent(c.newCode)) | \(c.newCodeFiles) |\n"
            }
        }
        out += "\n\(r.scanned) files scanned.\n"
        var lists = ""
        if !r.folders.isEmpty {
            lists += "\n<details><summary>Most legacy findings, by folder (depth \(r.depth))</summary>\n\n| folder | findings | files |\n|---|--:|--:|\n"
            for f in r.folders { lists += "| \(cell(f.path)) | \(f.findings) | \(f.files) |\n" }
            lists += "\n</details>\n\n<details><summary>… and by file</summary>\n\n| file | findings |\n|---|--:|\n"
            for f in r.files { lists += "| \(cell(f.path)) | \(f.findings) |\n" }
            lists += "\n</details>\n"
        }
        let room = limit - out.utf8.count - 200
        if lists.utf8.count > room {
            var cut = ""
            for line in lists.split(separator: "\n", omittingEmptySubsequences: false) {
                if cut.utf8.count + line.utf8.count + 1 > room { break }
                cut += line + "\n"
            }
            out += cut + "\n</details>\n\n_ssot cut this summary at GitHub's 1 MiB limit: \(lists.utf8.count - cut.utf8.count) bytes of the lists are left out; `ssot report --format json` has them all._\n"
        } else {
            out += lists
        }
        return out
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
