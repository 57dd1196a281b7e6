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

    /// The summary under a bare threshold: no waivers, no baseline.
    public static func render(model vm: ValidatedModel, analysis r: AnalysisResult, gate: Gate = Gate(), worst: Int = 10) -> String {
        render(model: vm, analysis: r, gate: gate.evaluateWithoutWaivers(r), worst: worst)
    }

    /// The summary with the gate's evaluation: waived paths are counted apart and listed with
    /// their acceptance, expired waivers fail the gate and are listed too.
    public static func render(model vm: ValidatedModel, analysis r: AnalysisResult, gate g: GateResult, worst: Int = 10) -> String {
        let e = escape
        let files = vm.model.files
        let paths = r.paths
        let waivers = Dictionary(g.entries.compactMap { x in x.waiver.map { (x.finding.fingerprint, $0) } }, uniquingKeysWith: { a, _ in a })
        let failing = g.count(.fail), expired = g.expiredWaivers
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var out = "# \(e(r.system.name)) — agentpath threat model\n\n"
        if let d = vm.model.system.description { out += "\(e(d))\n\n" }
        var reasons: [String] = []
        if failing > 0 || g.passed {
            if let failOn = g.gate.failOn {
                reasons.append(failing == 0 ? "no open path at \(failOn.rawValue) or above" : "\(plural(failing, "open path")) at \(failOn.rawValue) or above")
            } else {
                reasons.append("the severity gate is off")
            }
        }
        if !expired.isEmpty { reasons.append(plural(expired.count, "expired waiver")) }
        let waivedCount = g.count(.waived)
        if waivedCount > 0 { reasons.append("\(waivedCount) waived") }
        out += "**Gate: \(g.passed ? "pass" : "fail")** — \(reasons.joined(separator: "; ")).\n\n"
        out += "| Severity | Open | Reduced | Mitigated | Waived |\n|---|--:|--:|--:|--:|\n"
        for s in FindingSeverity.allCases where s != .info || paths.contains(where: { $0.severity == .info }) {
            let c = { (st: PathStatus) in paths.filter { $0.severity == s && $0.status == st && waivers[$0.fingerprint] == nil }.count }
            let w = paths.filter { $0.severity == s && waivers[$0.fingerprint] != nil }.count
            out += "| \(s.rawValue) | \(c(.open)) | \(c(.reduced)) | \(c(.mitigated)) | \(w) |\n"
        }
        out += "\n\(paths.count) attack path groups, \(r.governance.count) governance findings.\n"
        if !r.recommendedCuts.isEmpty {
            out += "\n## Top cuts\n\n"
            for (i, c) in r.recommendedCuts.prefix(3).enumerated() { out += "\(i + 1). \(e(c.text))\n" }
        }
        func line(_ f: Finding) -> String {
            let at = files.path(f.location).map { " (`\($0.replacingOccurrences(of: "`", with: "'")):\(f.location.line)`)" } ?? ""
            return "- **\(f.severity.rawValue) \(ReportContext.format1(f.factors.score))** \(f.rule) \(e(f.summary))\(at)"
        }
        let open = paths.filter { $0.status != .mitigated && waivers[$0.fingerprint] == nil }
        if !open.isEmpty {
            out += "\n## Worst open paths\n\n"
            for f in open.prefix(worst) { out += line(f) + "\n" }
            if open.count > worst { out += "- … and \(open.count - worst) more in report.html\n" }
        }
        let waived = paths.filter { waivers[$0.fingerprint] != nil }
        if !waived.isEmpty {
            out += "\n## Waived paths\n\n"
            for f in waived { out += line(f) + " — **waived**: \(e(ReportContext.acceptance(waivers[f.fingerprint]!)))\n" }
        }
        if !expired.isEmpty {
            out += "\n## Expired waivers\n\n"
            for w in expired {
                let at = g.waiverFiles.path(w.location).map { " (`\($0.replacingOccurrences(of: "`", with: "'")):\(w.location.line)`)" } ?? ""
                out += "- `\(w.fingerprint)` expired on \(w.expires), owner \(e(w.owner)) (\(e(w.framework)))\(at): renew it after review, or fix the finding\n"
            }
        }
        return out
    }
}
