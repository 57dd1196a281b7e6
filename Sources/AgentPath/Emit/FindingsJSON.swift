/// The analysis result as JSON (schema/findings.schema.json, docs/output.md). Pure: same
/// result, same bytes.
public enum FindingsJSON {
    public static let formatVersion = 2

    public static func emit(_ r: AnalysisResult, files: SourceFiles) -> String {
        document(r, files: files).rendered()
    }

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
