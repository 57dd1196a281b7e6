import Foundation
import Testing
@testable import AgentPath

/// The search stays bounded on a large fan-out model, and what the findings say about the
/// bound (path counts, capped flags, truncated rules) matches what the rules really found.
/// No timing assertions: the model is sized so the suite stays fast.
@Suite("Analyzer: bounded search") struct AnalyzerLimitsTests {
    static let agentCount = 60
    static let sourceCount = 40

    /// 60 agents in a delegation tree (a root, 5 leads, 54 workers; full context down, raw
    /// results up) and 40 untrusted sources spread over the workers. The root, the leads and
    /// every other worker write one shared memory; the root and the leads read it, and four
    /// leads act on what they read (a delete, or secrets and an open egress).
    /// Sized so that every source steers every agent and the AP005 groups overflow the
    /// default `pathsPerGroup`, while the analysis stays quick in a debug build.
    static func fanOutModel() -> String {
        var y = """
        version: 1
        system: { name: fan-out, owner: sec }
        agents:
          - id: root
            owner: sec
            memory: [{ id: shared-mem, access: read_write }]
            delegates:

        """
        for l in 1...5 { y += "      - to: lead-\(l)\n" }
        let workers = agentCount - 6
        let leadTools = [1: "[rm]", 2: "[read-secrets, http]", 3: "[rm]", 4: "[read-secrets, http]"]
        for l in 1...5 {
            y += "  - id: lead-\(l)\n    owner: sec\n    tools: \(leadTools[l] ?? "[]")\n    memory: [{ id: shared-mem, access: read_write }]\n    delegates:\n"
            for w in 0..<workers where w % 5 == l - 1 { y += "      - to: w-\(w)\n" }
        }
        for w in 0..<workers {
            var tools = ["read-src-\(w % sourceCount)"]
            if w % 9 == 0 { tools.append("read-secrets") }
            if w % 9 == 4 { tools.append("http") }
            y += "  - id: w-\(w)\n    owner: sec\n    tools: [\(tools.joined(separator: ", "))]\n"
            if w % 2 == 0 { y += "    memory: [{ id: shared-mem, access: write }]\n" }
        }
        y += "tools:\n"
        for s in 0..<sourceCount { y += "  - { id: read-src-\(s), effects: [read], reads: [src-\(s)] }\n" }
        y += """
          - { id: read-secrets, effects: [read], reads: [secrets] }
          - { id: http, effects: [egress], egress: any }
          - { id: rm, effects: [delete], writes: [ledger] }
        data:
          - { id: secrets, sensitivity: restricted }
          - { id: ledger, sensitivity: confidential }
          - { id: shared-mem, kind: memory, sensitivity: internal }

        """
        for s in 0..<sourceCount { y += "  - { id: src-\(s), sensitivity: public, trust: untrusted, audience: public }\n" }
        return y
    }

    /// One (entry, impact key) group as the rules find it with no limit at all.
    struct RawGroup {
        var rule: String
        var entry: String
        var impactKey: String
        var count: Int
        var exposure: Double
    }

    /// Limits high enough that nothing is ever capped, dropped or counted aside.
    static var unbounded: AnalysisLimits {
        var l = AnalysisLimits()
        l.pathsPerGroup = 1 << 40
        l.findingsPerRule = 1 << 40
        l.entriesPerImpact = 1 << 40
        return l
    }

    /// What each rule finds with no limit: its groups in the order they first appear, keyed by
    /// fingerprint. The influences are built as Analyzer.analyze builds them.
    static func rawGroups(_ model: ValidatedModel) -> [String: [RawGroup]] {
        let ctx = AnalysisContext(model)
        let evaluator = ControlEvaluator(ctx)
        let origins = ctx.origins(evaluator: evaluator)
        var hopSteps: [String: PathStep] = [:]
        let ranked = origins.enumerated().sorted { ($0.element.exposure, -$0.offset) > ($1.element.exposure, -$1.offset) }.map(\.element)
        let influences = ranked.map { Influence(origin: $0, ctx: ctx, evaluator: evaluator, hopSteps: &hopSteps) }
        var out: [String: [RawGroup]] = [:]
        for rule in RuleRegistry.all {
            let id = type(of: rule).info.id
            let input = RuleInput(ctx: ctx, evaluator: evaluator, origins: origins, influences: influences, limits: unbounded,
                                  budget: VariantBudget(unbounded))
            var groups: [RawGroup] = []
            var index: [String: Int] = [:]
            for c in rule.find(input) {
                let key = c.entry + "\u{1F}" + c.impactKey
                if let i = index[key] {
                    groups[i].count += 1
                } else {
                    index[key] = groups.count
                    groups.append(RawGroup(rule: id, entry: c.entry, impactKey: c.impactKey, count: 1, exposure: c.exposure))
                }
            }
            out[id] = groups
        }
        return out
    }

    /// Rules that keep only the `entriesPerImpact` most exposed entries per impact key.
    static let entryBudgetRules: Set<String> = ["AP001", "AP002", "AP003", "AP004", "AP005"]

    /// Checks a bounded analysis against the unbounded groups: path counts and capped flags,
    /// the entries kept per impact (the most exposed) and the count of the others, and the
    /// groups kept and dropped per rule.
    static func check(_ result: AnalysisResult, against raw: [String: [RawGroup]], limits: AnalysisLimits,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (rule, groups) in raw.sorted(by: { $0.key < $1.key }) {
            let byPrint = Dictionary(uniqueKeysWithValues: groups.map { (Fingerprint.of([rule, $0.entry, $0.impactKey]), $0) })
            let found = result.findings.filter { $0.rule == rule }
            var keptByImpact: [String: [Finding]] = [:]
            for f in found {
                guard let g = byPrint[f.fingerprint] else {
                    Issue.record("\(rule) \(f.entry): no such group without limits", sourceLocation: sourceLocation)
                    continue
                }
                keptByImpact[g.impactKey, default: []].append(f)
                #expect(f.pathCount == min(g.count, limits.pathsPerGroup), "\(rule) \(f.entry) → \(g.impactKey): \(g.count) paths without limits",
                        sourceLocation: sourceLocation)
                #expect(f.pathCountCapped == (g.count > limits.pathsPerGroup), "\(rule) \(f.entry) → \(g.impactKey): \(g.count) paths without limits",
                        sourceLocation: sourceLocation)
            }
            // Groups beyond findingsPerRule are dropped (counted once each), in the order found.
            if groups.count > limits.findingsPerRule {
                #expect(found.count == limits.findingsPerRule, "\(rule): findings kept", sourceLocation: sourceLocation)
                #expect(result.truncated[rule] != nil, "\(rule): truncation not reported", sourceLocation: sourceLocation)
                continue
            }
            #expect(result.truncated[rule] == nil, "\(rule): truncated with \(groups.count) groups", sourceLocation: sourceLocation)
            let impacts = Dictionary(grouping: groups, by: \.impactKey)
            for (impact, all) in impacts.sorted(by: { $0.key < $1.key }) {
                let kept = keptByImpact[impact] ?? []
                let keptEntries = Set(kept.map(\.entry))
                let bounded = entryBudgetRules.contains(rule)
                let expectedKept = bounded ? min(all.count, limits.entriesPerImpact) : all.count
                #expect(kept.count == expectedKept, "\(rule) → \(impact): \(kept.count) entries kept of \(all.count)", sourceLocation: sourceLocation)
                for f in kept {
                    #expect(f.otherEntries == all.count - kept.count, "\(rule) \(f.entry) → \(impact): other entries", sourceLocation: sourceLocation)
                }
                // The entries kept are the most exposed ones.
                let dropped = all.filter { !keptEntries.contains($0.entry) }
                if let worstKept = all.filter({ keptEntries.contains($0.entry) }).map(\.exposure).min(), let bestDropped = dropped.map(\.exposure).max() {
                    #expect(worstKept >= bestDropped,
                            "\(rule) → \(impact): kept \(kept.map(\.entry).sorted()) (exposure ≥ \(worstKept)) but dropped \(dropped.filter { $0.exposure > worstKept }.map(\.entry)) (exposure \(bestDropped))",
                            sourceLocation: sourceLocation)
                }
            }
        }
        for f in result.findings { #expect(f.pathCount <= limits.pathsPerGroup, sourceLocation: sourceLocation) }
    }

    /// The generated model, loaded once, with what the rules find in it without limits.
    static let fanOut: Result<(ValidatedModel, [String: [RawGroup]]), Error> = Result {
        let path = try AnalyzerFixtures.temporary(fanOutModel(), name: "fan-out.yaml")
        let diagnostics = DiagnosticCollector()
        guard let model = Pipeline().load(path: path, diagnostics: diagnostics) else {
            throw FanOutError(text: DiagnosticsEmitter.text(diagnostics.diagnostics, color: false))
        }
        return (model, rawGroups(model))
    }

    struct FanOutError: Error { var text: String }

    @Test func fanOutModelRespectsDefaultLimits() throws {
        let (model, raw) = try Self.fanOut.get()
        #expect(model.model.agents.count == Self.agentCount)
        let limits = AnalysisLimits()
        let result = Analyzer(frameworks: .empty, limits: limits).analyze(model)
        Self.check(result, against: raw, limits: limits)
        #expect(result.origins.count == Self.sourceCount)
        // Every source steers the lead that deletes; the five most exposed are kept and the
        // other 35 counted on each of them.
        let ap002 = result.findings.filter { $0.rule == "AP002" && $0.impact == "consequential calls by 'lead-1'" }
        #expect(ap002.count == limits.entriesPerImpact)
        #expect(ap002.allSatisfy { $0.otherEntries == Self.sourceCount - limits.entriesPerImpact })
        // The model is big enough to hit the per-group cap.
        let capped = result.findings.filter(\.pathCountCapped)
        #expect(!capped.isEmpty, "no group was capped; the model is too small to test the bound")
        #expect(capped.allSatisfy { $0.pathCount == limits.pathsPerGroup })
        #expect(result.truncated.isEmpty)
    }

    @Test func fanOutModelRespectsTightLimits() throws {
        let (model, raw) = try Self.fanOut.get()
        var limits = AnalysisLimits()
        limits.pathsPerGroup = 3
        limits.entriesPerImpact = 2
        let result = Analyzer(frameworks: .empty, limits: limits).analyze(model)
        Self.check(result, against: raw, limits: limits)
        #expect(result.findings.contains { $0.pathCountCapped && $0.pathCount == 3 })
        let json = FindingsJSON.emit(result, files: model.model.files)
        #expect(json.contains("\"paths_per_group\": 3"))
    }

    @Test func fanOutModelRespectsFindingsPerRule() throws {
        let (model, raw) = try Self.fanOut.get()
        var limits = Self.unbounded
        limits.pathsPerGroup = AnalysisLimits().pathsPerGroup
        limits.findingsPerRule = 10
        let result = Analyzer(frameworks: .empty, limits: limits).analyze(model)
        for (rule, groups) in raw.sorted(by: { $0.key < $1.key }) {
            let found = result.findings.filter { $0.rule == rule }
            let kept = groups.prefix(limits.findingsPerRule).map { Fingerprint.of([rule, $0.entry, $0.impactKey]) }
            #expect(Set(found.map(\.fingerprint)) == Set(kept), "\(rule): the first groups found are kept")
            #expect(result.truncated[rule] == (groups.count > limits.findingsPerRule ? groups.count - limits.findingsPerRule : nil),
                    "\(rule): \(groups.count) groups, truncated \(result.truncated[rule] ?? 0)")
        }
        #expect(!result.truncated.isEmpty, "no rule reached findingsPerRule")
        let json = FindingsJSON.emit(result, files: model.model.files)
        #expect(json.contains("\"findings_per_rule\": 10"))
        for (rule, count) in result.truncated { #expect(json.contains("\"\(rule)\": \(count)")) }
    }

    /// AP004 ranks the people who ask like the other rules rank entry points: when more ask
    /// an agent than `entriesPerImpact`, the outsider is kept before insiders.
    @Test func confusedDeputyKeepsTheOutsiderAmongManyRequesters() throws {
        let path = AnalyzerFixtures.rule("ap004-many-requesters")
        let model = try AnalyzerFixtures.load(path)
        let raw = Self.rawGroups(model)
        #expect(Set(raw["AP004"]!.map(\.entry)).count == 6)
        let result = Analyzer(frameworks: .empty).analyze(model)
        Self.check(result, against: raw, limits: AnalysisLimits())
        let entries = result.findings.filter { $0.rule == "AP004" }.map(\.entry)
        #expect(entries.contains("customer"), "kept: \(entries.sorted())")
    }
}
