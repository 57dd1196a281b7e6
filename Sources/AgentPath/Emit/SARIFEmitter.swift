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
        String(decoding: bytes(r, files: files, result: gateResult, toolVersion: toolVersion), as: UTF8.self)
    }

    /// The document as UTF-8, written straight into one buffer (no `JSON` tree): rules once
    /// each, then one result per finding, in the analysis order.
    public static func bytes(_ r: AnalysisResult, files: SourceFiles, result gateResult: GateResult, toolVersion: String) -> [UInt8] {
        let infos = RuleRegistry.infos
        let index = Dictionary(infos.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        // One pass over the findings: each rule's worst score and its framework tags.
        var worst = [Double?](repeating: nil, count: infos.count)
        var tags: [[String]] = infos.map { ["security", $0.kind == .path ? "attack-path" : "governance"] }
        var seen: [Set<String>] = tags.map { Set($0) }
        for f in r.findings {
            guard let i = index[f.rule], infos[i].id == f.rule else { continue }
            worst[i] = max(worst[i] ?? f.factors.score, f.factors.score)
            for ref in f.frameworks where tags[i].count < 20 && seen[i].insert(ref.id).inserted { tags[i].append(ref.id) }
        }
        var w = JSONWriter(capacity: 8192 + r.findings.reduce(0) { $0 + 1800 + 330 * $1.steps.count + 40 * ($1.entries.count + $1.frameworks.count) })
        w.beginObject()
        w.key("$schema"); w.string("https://json.schemastore.org/sarif-2.1.0.json")
        w.key("version"); w.string("2.1.0")
        w.key("runs"); w.beginArray()
        w.beginObject()
        w.key("tool"); w.beginObject()
        w.key("driver"); w.beginObject()
        w.key("name"); w.string("agentpath")
        w.key("semanticVersion"); w.string(toolVersion)
        w.key("informationUri"); w.string("https://github.com/agentpath/agentpath")
        w.key("rules"); w.beginArray()
        for (i, info) in infos.enumerated() {
            let controls = info.cutBy.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            w.beginObject()
            w.key("id"); w.string(info.id)
            w.key("name"); w.string(pascal(info.slug))
            w.key("shortDescription"); w.beginObject(); w.key("text"); w.string(info.title); w.endObject()
            w.key("fullDescription"); w.beginObject(); w.key("text"); w.string(info.rationale); w.endObject()
            w.key("help"); w.beginObject()
            w.key("text"); w.string(info.rationale + (controls.isEmpty ? "" : " Cut by: " + info.cutBy.map(\.rawValue).joined(separator: ", ") + "."))
            w.key("markdown"); w.string("**\(info.title)**\n\n\(info.rationale)\(controls.isEmpty ? "" : "\n\nControls that cut it: \(controls).")\n\nSee docs/rules.md#\(info.id.lowercased()).")
            w.endObject()
            w.key("defaultConfiguration"); w.beginObject(); w.key("level"); w.string(info.kind == .path ? "error" : "warning"); w.endObject()
            w.key("properties"); w.beginObject()
            w.key("tags"); w.strings(tags[i])
            w.key("security-severity"); w.string(score(worst[i] ?? info.defaultScore ?? 5))
            w.key("precision"); w.string(info.kind == .path ? "high" : "very-high")
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endObject()
        w.key("automationDetails"); w.beginObject(); w.key("id"); w.string("agentpath/\(r.system.id)/"); w.endObject()
        if let notes = invocations(gateResult) { w.key("invocations"); w.value(notes) }
        w.key("results"); w.beginArray()
        var uris = URICache(files)
        var waiverURIs = URICache(gateResult.waiverFiles)
        let entries = gateResult.entries
        for (i, f) in r.findings.enumerated() where i < entries.count {
            w.beginObject()
            w.key("ruleId"); w.string(f.rule)
            w.key("ruleIndex"); w.int(index[f.rule] ?? 0)
            if f.status == .mitigated {
                w.key("kind"); w.string("pass")
                w.key("level"); w.string("none")
            } else {
                w.key("kind"); w.string("fail")
                w.key("level"); w.string(level(f.severity))
            }
            w.key("message"); w.beginObject(); w.key("text"); w.string(message(f)); w.endObject()
            w.key("locations"); w.beginArray(); writeLocation(f.location, &uris, nil, into: &w); w.endArray()
            w.key("partialFingerprints"); w.beginObject(); w.key(escaping: fingerprintKey); w.string(f.fingerprint); w.endObject()
            if let waiver = entries[i].waiver {
                w.key("suppressions"); w.beginArray(); w.beginObject()
                w.key("kind"); w.string("external")
                w.key("status"); w.string("accepted")
                w.key("justification"); w.string(waiver.justification)
                w.key("location"); writeLocation(waiver.location, &waiverURIs, nil, into: &w)
                w.key("properties"); w.beginObject()
                w.key("owner"); w.string(waiver.owner)
                w.key("framework"); w.string(waiver.framework)
                w.key("expires"); w.string(waiver.expires.description)
                w.endObject()
                w.endObject(); w.endArray()
            }
            if gateResult.usedBaseline {
                w.key("baselineState"); w.string(entries[i].baselineState)
            }
            if !f.steps.isEmpty {
                w.key("codeFlows"); w.beginArray(); w.beginObject()
                w.key("threadFlows"); w.beginArray(); w.beginObject()
                w.key("locations"); w.beginArray()
                for s in f.steps {
                    w.beginObject()
                    w.key("location"); writeLocation(s.location, &uris, s.text, into: &w)
                    w.endObject()
                }
                w.endArray()
                w.endObject(); w.endArray()
                w.endObject(); w.endArray()
            }
            w.key("properties"); w.beginObject()
            w.key("severity"); w.string(f.severity.rawValue)
            w.key("security-severity"); w.string(score(f.factors.score))
            w.key("status"); w.string(f.status.rawValue)
            w.key("gate"); w.string(entries[i].verdict.rawValue)
            w.key("pathCount"); w.int(f.pathCount)
            w.key("entries"); w.strings(f.entries)
            w.key("otherEntries"); w.int(f.otherEntries)
            w.key("frameworks"); w.beginArray()
            for ref in f.frameworks { w.string(ref.catalog + ":" + ref.id) }
            w.endArray()
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.finish()
    }

    /// Each file's URI, computed once.
    struct URICache {
        let files: SourceFiles
        var uris: [Int32: String] = [:]
        init(_ files: SourceFiles) { self.files = files }
        mutating func uri(_ l: SourceLocation) -> String {
            if let u = uris[l.file] { return u }
            let u = SARIFEmitter.uri(files.path(l) ?? "model.yaml")
            uris[l.file] = u
            return u
        }
    }

    static func writeLocation(_ l: SourceLocation, _ uris: inout URICache, _ text: String?, into w: inout JSONWriter) {
        w.beginObject()
        w.key("physicalLocation"); w.beginObject()
        w.key("artifactLocation"); w.beginObject(); w.key("uri"); w.string(uris.uri(l)); w.endObject()
        w.key("region"); w.beginObject()
        w.key("startLine"); w.int(max(1, Int(l.line)))
        if l.column > 0 { w.key("startColumn"); w.int(Int(l.column)) }
        w.endObject()
        w.endObject()
        if let text { w.key("message"); w.beginObject(); w.key("text"); w.string(text); w.endObject() }
        w.endObject()
    }

    /// The waivers' expiry errors and unmatched warnings, when there are any.
    static func invocations(_ g: GateResult) -> JSON? {
        guard !g.diagnostics.isEmpty else { return nil }
        let notes: [JSON] = g.diagnostics.map { d in
            .object([
                ("descriptor", .object([("id", .string(d.code.rawValue))])),
                ("level", .string(d.severity == .error ? "error" : d.severity == .warning ? "warning" : "note")),
                ("message", .object([("text", .string(d.message))])),
                ("locations", .array([location(d.location, g.waiverFiles, nil)])),
            ])
        }
        return .array([.object([("executionSuccessful", .bool(true)), ("toolConfigurationNotifications", .array(notes))])])
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
