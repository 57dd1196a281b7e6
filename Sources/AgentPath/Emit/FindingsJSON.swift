/// The analysis result as JSON (schema/findings.schema.json, docs/output.md). Pure: same
/// result, same bytes.
///
/// Written straight into a byte buffer (`write(_:files:into:)`); `document` builds the same
/// document as a `JSON` tree, for callers that want to combine it (tests check the two agree
/// byte for byte).
public enum FindingsJSON {
    public static let formatVersion = 2

    public static func emit(_ r: AnalysisResult, files: SourceFiles) -> String {
        String(decoding: bytes(r, files: files), as: UTF8.self)
    }

    /// The document as UTF-8, with the final newline.
    public static func bytes(_ r: AnalysisResult, files: SourceFiles) -> [UInt8] {
        var w = JSONWriter(capacity: estimatedSize(r))
        write(r, files: files, into: &w)
        return w.finish()
    }

    /// A generous guess of the output size, so the buffer rarely grows.
    static func estimatedSize(_ r: AnalysisResult) -> Int {
        4096 + r.findings.reduce(0) { $0 + 1500 + 900 * $1.steps.count + 60 * $1.entries.count + 300 * $1.cuts.count + 60 * $1.frameworks.count }
    }

    public static func write(_ r: AnalysisResult, files: SourceFiles, into w: inout JSONWriter) {
        w.beginObject()
        w.key("format"); w.string("agentpath-findings")
        w.key("version"); w.int(formatVersion)
        w.key("system"); w.beginObject()
        w.key("id"); w.string(r.system.id)
        w.key("name"); w.string(r.system.name)
        w.endObject()
        w.key("summary"); writeSummary(r, into: &w)
        w.key("recommended_cuts"); w.beginArray()
        for c in r.recommendedCuts {
            w.beginObject()
            w.key("control"); w.string(c.cut.kind.rawValue)
            w.key("target"); w.string(c.cut.target)
            w.key("effect"); w.optionalString(c.cut.effect?.rawValue)
            w.key("text"); w.string(c.text)
            w.key("closes"); w.strings(c.closes)
            w.key("needed_for"); w.strings(c.neededFor)
            w.endObject()
        }
        w.endArray()
        w.key("findings"); w.beginArray()
        var paths = PathCache(files)
        for f in r.findings { writeFinding(f, &paths, into: &w) }
        w.endArray()
        w.key("limits"); w.beginObject()
        w.key("paths_per_group"); w.int(r.limits.pathsPerGroup)
        w.key("findings_per_rule"); w.int(r.limits.findingsPerRule)
        w.key("entries_listed"); w.int(r.limits.entriesListed)
        w.key("truncated"); w.beginObject()
        for (k, v) in r.truncated.sorted(by: { $0.key < $1.key }) { w.key(escaping: k); w.int(v) }
        w.endObject()
        w.endObject()
        w.endObject()
    }

    /// Counts by status and severity in one pass over the findings.
    static func writeSummary(_ r: AnalysisResult, into w: inout JSONWriter) {
        let severities = FindingSeverity.allCases
        var counts = [[Int]](repeating: [Int](repeating: 0, count: severities.count), count: 4)  // open, reduced, mitigated, governance
        var paths = 0
        for f in r.findings {
            guard let s = severities.firstIndex(of: f.severity) else { continue }
            if !f.isPath { counts[3][s] += 1; continue }
            paths += 1
            switch f.status {
            case .open: counts[0][s] += 1
            case .reduced: counts[1][s] += 1
            case .mitigated: counts[2][s] += 1
            }
        }
        w.beginObject()
        w.key("paths"); w.int(paths)
        for (i, name) in ["open", "reduced", "mitigated", "governance"].enumerated() {
            w.key(escaping: name)
            w.beginObject()
            for (j, s) in severities.enumerated() { w.key(escaping: s.rawValue); w.int(counts[i][j]) }
            w.endObject()
        }
        w.endObject()
    }

    /// The file path of a location, looked up once per file rather than once per location.
    struct PathCache {
        let files: SourceFiles
        var last: (Int32, String?) = (-2, nil)
        init(_ files: SourceFiles) { self.files = files }
        mutating func path(_ l: SourceLocation) -> String? {
            if l.file != last.0 { last = (l.file, files.path(l)) }
            return last.1
        }
    }

    static func writeLocation(_ l: SourceLocation, _ paths: inout PathCache, into w: inout JSONWriter) {
        w.beginObject()
        w.key("file"); w.optionalString(paths.path(l))
        w.key("line"); w.int(Int(l.line))
        w.key("column"); w.int(Int(l.column))
        w.endObject()
    }

    static func writeFinding(_ f: Finding, _ paths: inout PathCache, into w: inout JSONWriter) {
        w.beginObject()
        w.key("fingerprint"); w.string(f.fingerprint)
        w.key("rule"); w.string(f.rule)
        w.key("title"); w.string(f.title)
        w.key("kind"); w.string(f.isPath ? "path" : "governance")
        w.key("status"); w.string(f.status.rawValue)
        w.key("severity"); w.string(f.severity.rawValue)
        w.key("score"); w.double(f.factors.score)
        w.key("factors"); w.beginObject()
        w.key("impact"); w.double(f.factors.impact)
        w.key("impact_reason"); w.string(f.factors.impactReason)
        w.key("exposure"); w.double(f.factors.exposure)
        w.key("exposure_reason"); w.string(f.factors.exposureReason)
        w.key("autonomy"); w.double(f.factors.autonomy)
        w.key("hops"); w.double(f.factors.hops)
        w.key("reduction"); w.double(f.factors.reduction)
        w.endObject()
        w.key("entry"); w.string(f.entry)
        w.key("entries"); w.strings(f.entries)
        w.key("impact"); w.string(f.impact)
        w.key("summary"); w.string(f.summary)
        w.key("location"); writeLocation(f.location, &paths, into: &w)
        w.key("path_count"); w.int(f.pathCount)
        w.key("path_count_capped"); w.bool(f.pathCountCapped)
        w.key("other_entries"); w.int(f.otherEntries)
        w.key("steps"); w.beginArray()
        for s in f.steps {
            w.beginObject()
            w.key("element"); w.string(s.element)
            w.key("kind"); w.string(s.kind.rawValue)
            w.key("technique"); w.string(s.technique.rawValue)
            w.key("via"); w.optionalString(s.via)
            w.key("effect"); w.optionalString(s.effect?.rawValue)
            w.key("text"); w.string(s.text)
            w.key("location"); writeLocation(s.location, &paths, into: &w)
            w.key("controls"); w.beginArray()
            for c in s.controls {
                w.beginObject()
                w.key("control"); w.string(c.control)
                w.key("kind"); w.string(c.kind.rawValue)
                w.key("strength"); w.string(c.strength.rawValue)
                w.key("reason"); w.string(c.reason)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("mitigated_by"); w.strings(f.mitigatingControls)
        w.key("reduced_by"); w.strings(f.reducingControls)
        w.key("cuts"); w.beginArray()
        for c in f.cuts {
            w.beginObject()
            w.key("control"); w.string(c.kind.rawValue)
            w.key("target"); w.string(c.target)
            w.key("effect"); w.optionalString(c.effect?.rawValue)
            w.key("step"); if c.stepIndex >= 0 { w.int(c.stepIndex) } else { w.null() }
            w.key("text"); w.string(c.text)
            w.endObject()
        }
        w.endArray()
        w.key("cuts_together"); w.bool(f.cutsTogether)
        w.key("frameworks"); w.beginArray()
        for ref in f.frameworks {
            w.beginObject()
            w.key("catalog"); w.string(ref.catalog)
            w.key("id"); w.string(ref.id)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    /// The same document as a `JSON` tree.
    public static func document(_ r: AnalysisResult, files: SourceFiles) -> JSON {
        .object([
            ("format", .string("agentpath-findings")),
            ("version", .int(formatVersion)),
            ("system", .object([("id", .string(r.system.id)), ("name", .string(r.system.name))])),
            ("summary", summary(r)),
            ("recommended_cuts", .array(r.recommendedCuts.map { c in
                .object([("control", .string(c.cut.kind.rawValue)), ("target", .string(c.cut.target)),
                         ("effect", JSON.optional(c.cut.effect?.rawValue)), ("text", .string(c.text)),
                         ("closes", JSON.strings(c.closes)), ("needed_for", JSON.strings(c.neededFor))])
            })),
            ("findings", .array(r.findings.map { finding($0, files) })),
            ("limits", .object([("paths_per_group", .int(r.limits.pathsPerGroup)), ("findings_per_rule", .int(r.limits.findingsPerRule)), ("entries_listed", .int(r.limits.entriesListed)),
                                ("truncated", .object(r.truncated.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))])),
        ])
    }

    public static func summary(_ r: AnalysisResult) -> JSON {
        func counts(_ fs: [Finding]) -> JSON {
            .object(FindingSeverity.allCases.map { s in (s.rawValue, .int(fs.filter { $0.severity == s }.count)) })
        }
        let paths = r.paths
        return .object([
            ("paths", .int(paths.count)),
            ("open", counts(paths.filter { $0.status == .open })),
            ("reduced", counts(paths.filter { $0.status == .reduced })),
            ("mitigated", counts(paths.filter { $0.status == .mitigated })),
            ("governance", counts(r.governance)),
        ])
    }

    static func location(_ l: SourceLocation, _ files: SourceFiles) -> JSON {
        .object([("file", JSON.optional(files.path(l))), ("line", .int(Int(l.line))), ("column", .int(Int(l.column)))])
    }

    static func finding(_ f: Finding, _ files: SourceFiles) -> JSON {
        .object([
            ("fingerprint", .string(f.fingerprint)),
            ("rule", .string(f.rule)),
            ("title", .string(f.title)),
            ("kind", .string(f.isPath ? "path" : "governance")),
            ("status", .string(f.status.rawValue)),
            ("severity", .string(f.severity.rawValue)),
            ("score", .double(f.factors.score)),
            ("factors", .object([
                ("impact", .double(f.factors.impact)), ("impact_reason", .string(f.factors.impactReason)),
                ("exposure", .double(f.factors.exposure)), ("exposure_reason", .string(f.factors.exposureReason)),
                ("autonomy", .double(f.factors.autonomy)), ("hops", .double(f.factors.hops)), ("reduction", .double(f.factors.reduction)),
            ])),
            ("entry", .string(f.entry)),
            ("entries", JSON.strings(f.entries)),
            ("impact", .string(f.impact)),
            ("summary", .string(f.summary)),
            ("location", location(f.location, files)),
            ("path_count", .int(f.pathCount)),
            ("path_count_capped", .bool(f.pathCountCapped)),
            ("other_entries", .int(f.otherEntries)),
            ("steps", .array(f.steps.map { s in
                .object([
                    ("element", .string(s.element)), ("kind", .string(s.kind.rawValue)), ("technique", .string(s.technique.rawValue)),
                    ("via", JSON.optional(s.via)), ("effect", JSON.optional(s.effect?.rawValue)), ("text", .string(s.text)),
                    ("location", location(s.location, files)),
                    ("controls", .array(s.controls.map { c in
                        .object([("control", .string(c.control)), ("kind", .string(c.kind.rawValue)), ("strength", .string(c.strength.rawValue)), ("reason", .string(c.reason))])
                    })),
                ])
            })),
            ("mitigated_by", JSON.strings(f.mitigatingControls)),
            ("reduced_by", JSON.strings(f.reducingControls)),
            ("cuts", .array(f.cuts.map { c in
                .object([("control", .string(c.kind.rawValue)), ("target", .string(c.target)), ("effect", JSON.optional(c.effect?.rawValue)), ("step", c.stepIndex >= 0 ? .int(c.stepIndex) : .null), ("text", .string(c.text))])
            })),
            ("cuts_together", .bool(f.cutsTogether)),
            ("frameworks", .array(f.frameworks.map { .object([("catalog", .string($0.catalog)), ("id", .string($0.id))]) })),
        ])
    }
}
