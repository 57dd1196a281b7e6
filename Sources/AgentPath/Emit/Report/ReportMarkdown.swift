/// A short Markdown summary of the report (`agentpath report --format markdown`): gate,
/// counts by status and severity, top cuts and the worst paths. Model text is escaped so it
/// cannot add markup, links or HTML to a rendered Markdown page.
public enum ReportMarkdown {
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\", "`", "*", "_", "[", "]", "#", "|", "~": out += "\\"; out.unicodeScalars.append(c)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    public static func render(model vm: ValidatedModel, analysis r: AnalysisResult, gate: Gate = Gate(), worst: Int = 10) -> String {
        let e = escape
        let files = vm.model.files
        let paths = r.paths
        let failing = gate.failing(r)
        var out = "# \(e(r.system.name)) — agentpath threat model\n\n"
        if let d = vm.model.system.description { out += "\(e(d))\n\n" }
        out += failing.isEmpty
            ? "**Gate: pass** — no open path at \(gate.failOn?.rawValue ?? "any severity") or above.\n\n"
            : "**Gate: fail** — \(failing.count) open path\(failing.count == 1 ? "" : "s") at \(gate.failOn?.rawValue ?? "") or above.\n\n"
        out += "| Severity | Open | Reduced | Mitigated | Waived |\n|---|--:|--:|--:|--:|\n"
        for s in FindingSeverity.allCases where s != .info || paths.contains(where: { $0.severity == .info }) {
            let c = { (st: PathStatus) in paths.filter { $0.severity == s && $0.status == st }.count }
            out += "| \(s.rawValue) | \(c(.open)) | \(c(.reduced)) | \(c(.mitigated)) | 0 |\n"
        }
        out += "\n\(paths.count) attack path groups, \(r.governance.count) governance findings.\n"
        if !r.recommendedCuts.isEmpty {
            out += "\n## Top cuts\n\n"
            for (i, c) in r.recommendedCuts.prefix(3).enumerated() { out += "\(i + 1). \(e(c.text))\n" }
        }
        let open = paths.filter { $0.status != .mitigated }
        if !open.isEmpty {
            out += "\n## Worst open paths\n\n"
            for f in open.prefix(worst) {
                let at = files.path(f.location).map { " (`\($0.replacingOccurrences(of: "`", with: "'")):\(f.location.line)`)" } ?? ""
                out += "- **\(f.severity.rawValue) \(ReportContext.format1(f.factors.score))** \(f.rule) \(e(f.summary))\(at)\n"
            }
            if open.count > worst { out += "- … and \(open.count - worst) more in report.html\n" }
        }
        return out
    }
}
