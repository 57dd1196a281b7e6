/// The readable summary `agentpath analyze` prints: paths by severity, each step on its own
/// line with file:line.
public enum FindingsText {
    /// With `gate`, each finding the gate judged otherwise than plainly is marked: WAIVED
    /// (accepted, with the waiver), IN BASELINE, or FAILS THE GATE.
    public static func emit(_ r: AnalysisResult, files: SourceFiles, color: Bool = false, showMitigated: Bool = true, gate: GateResult? = nil) -> String {
        String(decoding: bytes(r, files: files, color: color, showMitigated: showMitigated, gate: gate), as: UTF8.self)
    }

    /// The text as UTF-8, written into one buffer.
    public static func bytes(_ r: AnalysisResult, files: SourceFiles, color: Bool = false, showMitigated: Bool = true, gate: GateResult? = nil) -> [UInt8] {
        let entries = Dictionary((gate?.entries ?? []).map { ($0.finding.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        func tint(_ s: FindingSeverity) -> String {
            switch s {
            case .critical: "1;31"
            case .high: "31"
            case .medium: "33"
            case .low: "36"
            case .info: "2"
            }
        }
        var out = TextBuffer(color: color, capacity: 1024 + r.findings.reduce(0) { $0 + 400 + 200 * $1.steps.count })
        let paths = r.paths
        let open = paths.filter { $0.status != .mitigated }
        out.paint("1", r.system.name)
        out += ": \(paths.count) attack path group\(paths.count == 1 ? "" : "s") — "
        var bySeverity = [Int](repeating: 0, count: FindingSeverity.allCases.count)
        for f in open { bySeverity[FindingSeverity.allCases.firstIndex(of: f.severity)!] += 1 }
        out += FindingSeverity.allCases.enumerated().compactMap { i, s in
            bySeverity[i] > 0 ? "\(bySeverity[i]) \(s.rawValue)" : nil
        }.joined(separator: ", ").nonEmpty(or: "none open")
        let mitigated = paths.filter { $0.status == .mitigated }
        let governance = r.governance
        out += "; \(mitigated.count) mitigated; \(governance.count) governance finding\(governance.count == 1 ? "" : "s")\n"
        if !r.recommendedCuts.isEmpty {
            out += "\nTop cuts:\n"
            for (i, c) in r.recommendedCuts.prefix(3).enumerated() { out += "  \(i + 1). \(c.text)\n" }
        }
        var paths_ = FindingsJSON.PathCache(files)
        for s in FindingSeverity.allCases {
            let group = open.filter { $0.severity == s }
            guard !group.isEmpty else { continue }
            out += "\n"
            out.paint(tint(s), s.rawValue.uppercased())
            out += "\n"
            for f in group {
                describe(f, &paths_, into: &out)
                mark(entries[f.fingerprint], into: &out)
            }
        }
        if showMitigated && !mitigated.isEmpty {
            out += "\n"
            out.paint("32", "MITIGATED")
            out += "\n"
            for f in mitigated {
                out.add("  [", f.rule, "] ", f.summary, " — cut by ", f.mitigatingControls.joined(separator: ", "), " (", f.fingerprint, ")\n")
                mark(entries[f.fingerprint], into: &out)
            }
        }
        if !governance.isEmpty {
            out += "\n"
            out.paint("1", "GOVERNANCE")
            out += "\n"
            for f in governance {
                out.add("  ", f.severity.rawValue, " [", f.rule, "] ", f.summary, "\n      at ")
                out.location(f.location, &paths_)
                out.add("; ", f.fingerprint, "\n")
                mark(entries[f.fingerprint], into: &out)
            }
        }
        return out.bytes
    }

    /// Text appended as UTF-8; `paint` wraps it in an ANSI colour when colour is on.
    struct TextBuffer {
        var bytes: [UInt8] = []
        let color: Bool

        init(color: Bool, capacity: Int) {
            self.color = color
            bytes.reserveCapacity(capacity)
        }

        static func += (out: inout TextBuffer, s: String) { out.bytes.append(contentsOf: s.utf8) }

        /// Several pieces in a row, without building the line as a string first.
        mutating func add(_ a: String, _ b: String, _ c: String) { self += a; self += b; self += c }
        mutating func add(_ parts: String...) { for p in parts { self += p } }

        mutating func paint(_ code: String, _ s: String) {
            if color { self += "\u{1B}[" + code + "m" + s + "\u{1B}[0m" } else { self += s }
        }

        mutating func int(_ i: Int) { JSONBytes.appendInt(i, to: &bytes) }

        /// `file:line:col`, as `SourceFiles.describe` writes it.
        mutating func location(_ l: SourceLocation, _ paths: inout FindingsJSON.PathCache) {
            guard let p = paths.path(l) else { self += "<unknown>"; return }
            self += p
            bytes.append(58)
            int(Int(l.line))
            bytes.append(58)
            int(Int(l.column))
        }
    }

    static func mark(_ e: GateEntry?, into out: inout TextBuffer) {
        guard let e else { return }
        switch e.verdict {
        case .waived:
            let w = e.waiver!
            out += "      "
            out.paint("1;32", "WAIVED")
            out += " — accepted by \(w.owner) until \(w.expires) (\(w.framework)): \(w.justification)\n"
        case .baseline:
            out += "      "
            out.paint("2", "IN BASELINE")
            out += " — known before, not new\n"
        case .fail:
            out += "      "
            out.paint("1;31", "FAILS THE GATE")
            out += "\n"
        case .pass: break
        }
        if let w = e.expiredWaiver {
            out += "      "
            out.paint("1;31", "WAIVER EXPIRED")
            out += " on \(w.expires) (owner \(w.owner))\n"
        }
    }

    static func describe(_ f: Finding, _ paths: inout FindingsJSON.PathCache, into out: inout TextBuffer) {
        out.add("  [", f.rule, "] ", f.title, ": ", f.summary, "\n")
        out += "      \(f.status.rawValue), score \(f.factors.score) = impact \(f.factors.impact) × exposure \(f.factors.exposure) × autonomy \(f.factors.autonomy) × hops \(f.factors.hops) × reduction \(f.factors.reduction); \(f.pathCount)\(f.pathCountCapped ? "+" : "") path\(f.pathCount == 1 ? "" : "s"); \(f.fingerprint)\n"
        if f.entries.count > 1 || f.otherEntries > 0 {
            out += "      reached from \(f.entries.map { "'\($0)'" }.joined(separator: ", "))\(f.otherEntries > 0 ? " and \(f.otherEntries) more entry point\(f.otherEntries == 1 ? "" : "s")" : "")\n"
        }
        for (i, s) in f.steps.enumerated() {
            out += "      "
            out.int(i + 1)
            out.add(". ", s.text, "  ")
            if out.color { out += "\u{1B}[2m" }
            out.location(s.location, &paths)
            if out.color { out += "\u{1B}[0m" }
            out += "\n"
            for c in s.controls {
                out.add("         ", c.strength.rawValue == "blocks" ? "✔" : "~", " ", c.control, " (", c.kind.rawValue, ") ", c.strength.rawValue, ": ", c.reason, "\n")
            }
        }
        if f.cutsTogether {
            out += "      cut: no single control closes every path; together: " + f.cuts.map(\.text).joined(separator: "; ") + "\n"
        } else if let cut = f.cuts.first {
            out += "      cut: \(cut.text)\(f.cuts.count > 1 ? " (or \(f.cuts.count - 1) other single control\(f.cuts.count == 2 ? "" : "s"))" : "")\n"
        }
        if !f.frameworks.isEmpty {
            out += "      maps to: " + f.frameworks.prefix(10).map(\.id).joined(separator: ", ") + (f.frameworks.count > 10 ? ", …" : "") + "\n"
        }
    }
}

extension String {
    func nonEmpty(or fallback: String) -> String { isEmpty ? fallback : self }
}
