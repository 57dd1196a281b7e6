/// SARIF 2.1.0 for code scanning: one rule per analyzer rule, results at the model line of
/// the key step, a code flow through every hop, and our own partial fingerprint.
public enum SARIFEmitter {
    public static let fingerprintKey = "agentpathFinding/v1"

    public static func emit(_ r: AnalysisResult, files: SourceFiles, gate: Gate, toolVersion: String) -> String {
        emit(r, files: files, result: gate.evaluate(r, today: CalendarDate(year: 2000, month: 1, day: 1)!), toolVersion: toolVersion)
    }

    /// With the gate's verdicts: waived findings carry an accepted external suppression with
    /// the waiver's justification; with a baseline, `baselineState` says new or unchanged;
    /// waiver diagnostics are tool configuration notifications.
    public static func emit(_ r: AnalysisResult, files: SourceFiles, result gateResult: GateResult, toolVersion: String) -> String {
        let infos = RuleRegistry.infos
        let index = Dictionary(infos.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rules: [JSON] = infos.map { info in
            let fs = r.findings.filter { $0.rule == info.id }
            let worst = fs.map(\.factors.score).max() ?? info.defaultScore ?? 5
            var tags = ["security", info.kind == .path ? "attack-path" : "governance"]
            var seen = Set(tags)
            for ref in fs.flatMap(\.frameworks) where tags.count < 20 && seen.insert(ref.id).inserted { tags.append(ref.id) }
            let controls = info.cutBy.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            return .object([
                ("id", .string(info.id)),
                ("name", .string(pascal(info.slug))),
                ("shortDescription", .object([("text", .string(info.title))])),
                ("fullDescription", .object([("text", .string(info.rationale))])),
                ("help", .object([
                    ("text", .string(info.rationale + (controls.isEmpty ? "" : " Cut by: " + info.cutBy.map(\.rawValue).joined(separator: ", ") + "."))),
                    ("markdown", .string("**\(info.title)**\n\n\(info.rationale)\(controls.isEmpty ? "" : "\n\nControls that cut it: \(controls).")\n\nSee docs/rules.md#\(info.id.lowercased())."))])),
                ("defaultConfiguration", .object([("level", .string(info.kind == .path ? "error" : "warning"))])),
                ("properties", .object([("tags", JSON.strings(tags)), ("security-severity", .string(score(worst))), ("precision", .string(info.kind == .path ? "high" : "very-high"))])),
            ])
        }
        let results: [JSON] = zip(r.findings, gateResult.entries).map { f, entry in
            var result: [(String, JSON)] = [
                ("ruleId", .string(f.rule)),
                ("ruleIndex", .int(index[f.rule] ?? 0)),
            ]
            if f.status == .mitigated {
                result.append(("kind", .string("pass")))
                result.append(("level", .string("none")))
            } else {
                result.append(("kind", .string("fail")))
                result.append(("level", .string(level(f.severity))))
            }
            result.append(("message", .object([("text", .string(message(f)))])))
            result.append(("locations", .array([location(f.location, files, nil)])))
            result.append(("partialFingerprints", .object([(fingerprintKey, .string(f.fingerprint))])))
            if let w = entry.waiver {
                result.append(("suppressions", .array([.object([
                    ("kind", .string("external")),
                    ("status", .string("accepted")),
                    ("justification", .string(w.justification)),
                    ("location", location(w.location, gateResult.waiverFiles, nil)),
                    ("properties", .object([("owner", .string(w.owner)), ("framework", .string(w.framework)), ("expires", .string(w.expires.description))])),
                ])])))
            }
            if gateResult.usedBaseline {
                result.append(("baselineState", .string(entry.baselineState)))
            }
            if !f.steps.isEmpty {
                result.append(("codeFlows", .array([.object([("threadFlows", .array([.object([("locations", .array(f.steps.map { s in
                    .object([("location", location(s.location, files, s.text))])
                }))])]))])])))
            }
            result.append(("properties", .object([
                ("severity", .string(f.severity.rawValue)),
                ("security-severity", .string(score(f.factors.score))),
                ("status", .string(f.status.rawValue)),
                ("gate", .string(entry.verdict.rawValue)),
                ("pathCount", .int(f.pathCount)),
                ("entries", JSON.strings(f.entries)),
                ("otherEntries", .int(f.otherEntries)),
                ("frameworks", JSON.strings(f.frameworks.map { "\($0.catalog):\($0.id)" })),
            ])))
            return .object(result)
        }
        let doc = JSON.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("agentpath")),
                    ("semanticVersion", .string(toolVersion)),
                    ("informationUri", .string("https://github.com/agentpath/agentpath")),
                    ("rules", .array(rules)),
                ]))])),
                ("automationDetails", .object([("id", .string("agentpath/\(r.system.id)/"))])),
            ] + invocations(gateResult) + [
                ("results", .array(results)),
            ])])),
        ])
        return doc.rendered()
    }

    /// The waivers' expiry errors and unmatched warnings, when there are any.
    static func invocations(_ g: GateResult) -> [(String, JSON)] {
        guard !g.diagnostics.isEmpty else { return [] }
        let notes: [JSON] = g.diagnostics.map { d in
            .object([
                ("descriptor", .object([("id", .string(d.code.rawValue))])),
                ("level", .string(d.severity == .error ? "error" : d.severity == .warning ? "warning" : "note")),
                ("message", .object([("text", .string(d.message))])),
                ("locations", .array([location(d.location, g.waiverFiles, nil)])),
            ])
        }
        return [("invocations", .array([.object([("executionSuccessful", .bool(true)), ("toolConfigurationNotifications", .array(notes))])]))]
    }

    static func message(_ f: Finding) -> String {
        var m = "\(f.title): \(f.summary)."
        if f.status == .mitigated { m += " Mitigated by \(f.mitigatingControls.joined(separator: ", "))." }
        else if let cut = f.cuts.first { m += " Cut: \(cut.text)." }
        return m
    }

    static func location(_ l: SourceLocation, _ files: SourceFiles, _ text: String?) -> JSON {
        var region: [(String, JSON)] = [("startLine", .int(max(1, Int(l.line))))]
        if l.column > 0 { region.append(("startColumn", .int(Int(l.column)))) }
        var loc: [(String, JSON)] = [("physicalLocation", .object([
            ("artifactLocation", .object([("uri", .string(uri(files.path(l) ?? "model.yaml")))])),
            ("region", .object(region)),
        ]))]
        if let text { loc.append(("message", .object([("text", .string(text))]))) }
        return .object(loc)
    }

    /// Relative paths as URI references (spaces and the like percent-encoded).
    static func uri(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            let c = Character(UnicodeScalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) { out.append(c) } else { out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true) }
        }
        return out
    }

    static func level(_ s: FindingSeverity) -> String {
        switch s {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    static func score(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? "\(Int(r)).0" : "\(r)"
    }

    static func pascal(_ slug: String) -> String {
        slug.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
