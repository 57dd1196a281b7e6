/// The readable summary `agentpath analyze` prints: paths by severity, each step on its own
/// line with file:line.
public enum FindingsText {
    /// With `gate`, each finding the gate judged otherwise than plainly is marked: WAIVED
    /// (accepted, with the waiver), IN BASELINE, or FAILS THE GATE.
    public static func emit(_ r: AnalysisResult, files: SourceFiles, color: Bool = false, showMitigated: Bool = true, gate: GateResult? = nil) -> String {
        let entries = Dictionary((gate?.entries ?? []).map { ($0.finding.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        func paint(_ code: String, _ s: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func tint(_ s: FindingSeverity) -> String {
            switch s {
            case .critical: "1;31"
            case .high: "31"
            case .medium: "33"
            case .low: "36"
            case .info: "2"
            }
        }
        var out = ""
        let paths = r.paths
        let open = paths.filter { $0.status != .mitigated }
        out += paint("1", "\(r.system.name)") + ": \(paths.count) attack path group\(paths.count == 1 ? "" : "s") — "
        out += FindingSeverity.allCases.compactMap { s in
            let n = open.filter { $0.severity == s }.count
            return n > 0 ? "\(n) \(s.rawValue)" : nil
        }.joined(separator: ", ").nonEmpty(or: "none open")
        out += "; \(paths.filter { $0.status == .mitigated }.count) mitigated; \(r.governance.count) governance finding\(r.governance.count == 1 ? "" : "s")\n"
        if !r.recommendedCuts.isEmpty {
            out += "\nTop cuts:\n"
            for (i, c) in r.recommendedCuts.prefix(3).enumerated() { out += "  \(i + 1). \(c.text)\n" }
        }
        for s in FindingSeverity.allCases {
            let group = paths.filter { $0.severity == s && ($0.status != .mitigated) }
            guard !group.isEmpty else { continue }
            out += "\n" + paint(tint(s), s.rawValue.uppercased()) + "\n"
            for f in group { out += describe(f, files, paint) + mark(entries[f.fingerprint], paint) }
        }
        let mitigated = paths.filter { $0.status == .mitigated }
        if showMitigated && !mitigated.isEmpty {
            out += "\n" + paint("32", "MITIGATED") + "\n"
            for f in mitigated {
                out += "  [\(f.rule)] \(f.summary) — cut by \(f.mitigatingControls.joined(separator: ", ")) (\(f.fingerprint))\n" + mark(entries[f.fingerprint], paint)
            }
        }
        if !r.governance.isEmpty {
            out += "\n" + paint("1", "GOVERNANCE") + "\n"
            for f in r.governance {
                out += "  \(f.severity.rawValue) [\(f.rule)] \(f.summary)\n      at \(files.describe(f.location)); \(f.fingerprint)\n" + mark(entries[f.fingerprint], paint)
            }
        }
        return out
    }

    static func mark(_ e: GateEntry?, _ paint: (String, String) -> String) -> String {
        guard let e else { return "" }
        var out = ""
        switch e.verdict {
        case .waived:
            let w = e.waiver!
            out += "      " + paint("1;32", "WAIVED") + " — accepted by \(w.owner) until \(w.expires) (\(w.framework)): \(w.justification)\n"
        case .baseline: out += "      " + paint("2", "IN BASELINE") + " — known before, not new\n"
        case .fail: out += "      " + paint("1;31", "FAILS THE GATE") + "\n"
        case .pass: break
        }
        if let w = e.expiredWaiver { out += "      " + paint("1;31", "WAIVER EXPIRED") + " on \(w.expires) (owner \(w.owner))\n" }
        return out
    }

    static func describe(_ f: Finding, _ files: SourceFiles, _ paint: (String, String) -> String) -> String {
        var out = "  [\(f.rule)] \(f.title): \(f.summary)\n"
        out += "      \(f.status.rawValue), score \(f.factors.score) = impact \(f.factors.impact) × exposure \(f.factors.exposure) × autonomy \(f.factors.autonomy) × hops \(f.factors.hops) × reduction \(f.factors.reduction); \(f.pathCount)\(f.pathCountCapped ? "+" : "") path\(f.pathCount == 1 ? "" : "s"); \(f.fingerprint)\n"
        if f.entries.count > 1 || f.otherEntries > 0 {
            out += "      reached from \(f.entries.map { "'\($0)'" }.joined(separator: ", "))\(f.otherEntries > 0 ? " and \(f.otherEntries) more entry point\(f.otherEntries == 1 ? "" : "s")" : "")\n"
        }
        for (i, s) in f.steps.enumerated() {
            out += "      \(i + 1). \(s.text)  " + paint("2", files.describe(s.location)) + "\n"
            for c in s.controls { out += "         \(c.strength.rawValue == "blocks" ? "✔" : "~") \(c.control) (\(c.kind.rawValue)) \(c.strength.rawValue): \(c.reason)\n" }
        }
        if f.cutsTogether {
            out += "      cut: no single control closes every path; together: \(f.cuts.map(\.text).joined(separator: "; "))\n"
        } else if let cut = f.cuts.first {
            out += "      cut: \(cut.text)\(f.cuts.count > 1 ? " (or \(f.cuts.count - 1) other single control\(f.cuts.count == 2 ? "" : "s"))" : "")\n"
        }
        let ids = f.frameworks.map(\.id)
        if !ids.isEmpty { out += "      maps to: \(ids.prefix(10).joined(separator: ", "))\(ids.count > 10 ? ", …" : "")\n" }
        return out
    }
}

extension String {
    func nonEmpty(or fallback: String) -> String { isEmpty ? fallback : self }
}
