import Foundation

/// `agentpath diff` output: a PR comment in GitHub-flavoured Markdown, plain text, and JSON.
/// Pure and ordered (`ModelDiff` sorts), so the same diff gives the same bytes.
public enum DiffMarkdown {
    /// The first line, so a CI step can find and update its earlier comment.
    public static let marker = "<!-- agentpath-diff -->"

    /// Rows per section; the rest are counted (a GitHub comment holds 65,536 characters).
    public static let rowLimit = 50

    public static func emit(_ d: ModelDiff) -> String {
        var out = marker + "\n"
        out += "### agentpath: \(headline(d))\n\n"
        out += "`\(code(d.baseName))` → `\(code(d.headName))`: \(plural(d.baseOpen, "open path")) before, \(d.headOpen) after"
        out += d.unchanged > 0 ? "; \(d.unchanged) unchanged.\n" : ".\n"
        if d.isEmpty {
            out += "\nNo attack path opened, closed or changed severity.\n"
            return out
        }
        if !d.opened.isEmpty {
            out += "\n#### Opened (\(d.opened.count))\n\n| Severity | Rule | Path | Where | Fingerprint |\n|---|---|---|---|---|\n"
            for r in d.opened.prefix(rowLimit) {
                out += "| **\(r.severity.rawValue)** | \(r.rule) | \(cell(r.summary)) | \(r.whereText.isEmpty ? "" : "`\(code(r.whereText))`") | `\(r.fingerprint)` |\n"
            }
            out += more(d.opened.count)
        }
        if !d.closed.isEmpty {
            out += "\n#### Closed (\(d.closed.count))\n\n| Severity | Rule | Path | How | Fingerprint |\n|---|---|---|---|---|\n"
            for c in d.closed.prefix(rowLimit) {
                out += "| \(c.record.severity.rawValue) | \(c.record.rule) | \(cell(c.record.summary)) | \(cell(how(c.how, c.head))) | `\(c.record.fingerprint)` |\n"
            }
            out += more(d.closed.count)
        }
        if !d.changed.isEmpty {
            out += "\n#### Severity changed (\(d.changed.count))\n\n| Change | Rule | Path | Where | Fingerprint |\n|---|---|---|---|---|\n"
            for c in d.changed.prefix(rowLimit) {
                let change = c.worse ? "\(c.base.severity.rawValue) → **\(c.head.severity.rawValue)** ▲" : "\(c.base.severity.rawValue) → \(c.head.severity.rawValue) ▼"
                out += "| \(change) | \(c.head.rule) | \(cell(c.head.summary)) | \(c.head.whereText.isEmpty ? "" : "`\(code(c.head.whereText))`") | `\(c.head.fingerprint)` |\n"
            }
            out += more(d.changed.count)
        }
        return out
    }

    public static func text(_ d: ModelDiff) -> String {
        var out = "\(d.baseName) → \(d.headName): \(headline(d)); \(d.baseOpen) → \(d.headOpen) open paths\n"
        for r in d.opened { out += "  + opened  \(r.severity.rawValue) [\(r.rule)] \(r.summary)  \(r.whereText) (\(r.fingerprint))\n" }
        for c in d.closed { out += "  - closed  \(c.record.severity.rawValue) [\(c.record.rule)] \(c.record.summary) — \(how(c.how, c.head)) (\(c.record.fingerprint))\n" }
        for c in d.changed {
            out += "  ~ \(c.worse ? "worse " : "better") \(c.base.severity.rawValue) → \(c.head.severity.rawValue) [\(c.head.rule)] \(c.head.summary)  \(c.head.whereText) (\(c.head.fingerprint))\n"
        }
        return out
    }

    public static func json(_ d: ModelDiff) -> String {
        func record(_ r: FindingRecord) -> [(String, JSON)] {
            [("fingerprint", .string(r.fingerprint)), ("rule", .string(r.rule)), ("title", .string(r.title)), ("severity", .string(r.severity.rawValue)),
             ("status", .string(r.status.rawValue)), ("score", .double(r.score)), ("summary", .string(r.summary)),
             ("location", .object([("file", JSON.optional(r.file)), ("line", .int(r.line))]))]
        }
        return JSON.object([
            ("format", .string("agentpath-diff")),
            ("version", .int(1)),
            ("base", .string(d.baseName)),
            ("head", .string(d.headName)),
            ("summary", .object([("opened", .int(d.opened.count)), ("closed", .int(d.closed.count)), ("changed", .int(d.changed.count)),
                                 ("unchanged", .int(d.unchanged)), ("base_open", .int(d.baseOpen)), ("head_open", .int(d.headOpen))])),
            ("opened", .array(d.opened.map { .object(record($0)) })),
            ("closed", .array(d.closed.map { c in
                .object(record(c.record) + [("closed_by", .string(c.how.rawValue)), ("mitigated_by", JSON.strings(c.head?.mitigatedBy ?? []))])
            })),
            ("changed", .array(d.changed.map { c in
                .object(record(c.head) + [("from", .string(c.base.severity.rawValue)), ("to", .string(c.head.severity.rawValue)), ("worse", .bool(c.worse))])
            })),
        ]).rendered()
    }

    static func more(_ n: Int) -> String {
        n > rowLimit ? "\n…and \(n - rowLimit) more (`agentpath diff --format json` lists all).\n" : ""
    }

    static func headline(_ d: ModelDiff) -> String {
        "\(plural(d.opened.count, "path")) opened, \(d.closed.count) closed, \(d.changed.count) changed severity"
    }

    static func how(_ how: ModelDiff.Closure, _ head: FindingRecord?) -> String {
        switch how {
        case .mitigated:
            let by = head?.mitigatedBy ?? []
            return by.isEmpty ? "mitigated" : "mitigated by " + by.joined(separator: ", ")
        case .gone: return "no longer in the model"
        }
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// A table cell: one line, pipes and HTML escaped.
    static func cell(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r": out += " "
            case "`": out += "'"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Text inside a code span: no backticks, no pipes (they end table cells even in code).
    static func code(_ s: String) -> String {
        s.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
    }
}
