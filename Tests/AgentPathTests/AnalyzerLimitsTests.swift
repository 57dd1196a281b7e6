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

    /// One group as the rules find it with no limit at all: path rules group by impact key
    /// (over every entry), governance rules by (element, key).
    struct RawGroup {
        var rule: String
        var impactKey: String
        var fingerprint: String
        var count: Int
        /// Entries in the order first seen, with the most exposed path of each.
        var entries: [String]
        var exposure: [String: Double]
    }

    /// Limits high enough that nothing is ever capped, dropped or counted aside.
    static var unbounded: AnalysisLimits {
        var l = AnalysisLimits()
        l.pathsPerGroup = 1 << 40
        l.findingsPerRule = 1 << 40
        l.entriesListed = 1 << 40
        return l
    }

    /// What each rule finds with no limit: its groups in the order they first appear. The
    /// influences are built as Analyzer.analyze builds them.
    static func rawGroups(_ model: ValidatedModel) -> [String: [RawGroup]] {
        let ctx = AnalysisContext(model)
        let evaluator = ControlEvaluator(ctx)
        let origins = ctx.origins(evaluator: evaluator)
        var hopSteps: [String: PathStep] = [:]
        let ranked = origins.enumerated().sorted { ($0.element.exposure, -$0.offset) > ($1.element.exposure, -$1.offset) }.map(\.element)
        let influences = ranked.map { Influence(origin: $0, ctx: ctx, evaluator: evaluator, hopSteps: &hopSteps) }
        var out: [String: [RawGroup]] = [:]
        for rule in RuleRegistry.all {
            let info = type(of: rule).info
            let input = RuleInput(ctx: ctx, evaluator: evaluator, origins: origins, influences: influences, limits: unbounded,
                                  budget: VariantBudget(unbounded))
            var groups: [RawGroup] = []
            var index: [String: Int] = [:]
            for c in rule.find(input) {
                let print = info.kind == .path ? Fingerprint.of([info.id, c.impactKey]) : Fingerprint.of([info.id, c.entry, c.impactKey])
                if index[print] == nil {
                    index[print] = groups.count
                    groups.append(RawGroup(rule: info.id, impactKey: c.impactKey, fingerprint: print, count: 0, entries: [], exposure: [:]))
                }
                let i = index[print]!
                groups[i].count += 1
                if groups[i].exposure[c.entry] == nil { groups[i].entries.append(c.entry) }
                groups[i].exposure[c.entry] = max(groups[i].exposure[c.entry] ?? 0, c.exposure)
            }
            out[info.id] = groups
        }
        return out
    }

    /// Checks a bounded analysis against the unbounded groups: path counts and capped flags,
    /// the entries listed (every entry that reaches the impact is listed or counted), and the
    /// groups kept and dropped per rule.
    static func check(_ result: AnalysisResult, against raw: [String: [RawGroup]], limits: AnalysisLimits,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (rule, groups) in raw.sorted(by: { $0.key < $1.key }) {
            let byPrint = Dictionary(uniqueKeysWithValues: groups.map { ($0.fingerprint, $0) })
            let found = result.findings.filter { $0.rule == rule }
            for f in found {
                guard let g = byPrint[f.fingerprint] else {
                    Issue.record("\(rule) \(f.entry): no such group without limits", sourceLocation: sourceLocation)
                    continue
                }
                #expect(f.pathCount == min(g.count, limits.pathsPerGroup), "\(rule) → \(g.impactKey): \(g.count) paths without limits",
                        sourceLocation: sourceLocation)
                #expect(f.pathCountCapped == (g.count > limits.pathsPerGroup), "\(rule) → \(g.impactKey): \(g.count) paths without limits",
                        sourceLocation: sourceLocation)
                // Every entry that reaches the impact is listed or counted, none twice, none invented.
                #expect(f.entries.first == f.entry, sourceLocation: sourceLocation)
                #expect(Set(f.entries).count == f.entries.count, sourceLocation: sourceLocation)
                #expect(Set(f.entries).isSubset(of: g.entries), "\(rule) → \(g.impactKey): listed \(f.entries), found \(g.entries)",
                        sourceLocation: sourceLocation)
                #expect(f.entries.count + f.otherEntries == g.entries.count,
                        "\(rule) → \(g.impactKey): \(f.entries.count) listed + \(f.otherEntries) others, \(g.entries.count) without limits",
                        sourceLocation: sourceLocation)
                #expect(f.entries.count == min(g.entries.count, limits.entriesListed), sourceLocation: sourceLocation)
                // Without a cap on paths, the representative's entry is the most exposed one that has an open path.
                if !f.pathCountCapped, f.status != .mitigated {
                    #expect(g.exposure[f.entry] != nil, sourceLocation: sourceLocation)
                }
            }
            // Groups beyond findingsPerRule are dropped (counted once each), in the order found.
            if groups.count > limits.findingsPerRule {
                #expect(found.count == limits.findingsPerRule, "\(rule): findings kept", sourceLocation: sourceLocation)
                #expect(result.truncated[rule] != nil, "\(rule): truncation not reported", sourceLocation: sourceLocation)
                continue
            }
            #expect(result.truncated[rule] == nil, "\(rule): truncated with \(groups.count) groups", sourceLocation: sourceLocation)
            #expect(Set(found.map(\.fingerprint)) == Set(groups.map(\.fingerprint)), "\(rule): one finding per group", sourceLocation: sourceLocation)
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
        // Every source steers the lead that deletes: one finding, the first ten sources listed
        // (all as exposed) and the other 30 counted.
        let ap002 = result.findings.filter { $0.rule == "AP002" && $0.impact == "consequential calls by 'lead-1'" }
        #expect(ap002.count == 1)
        #expect(ap002.first?.entries.count == limits.entriesListed)
        #expect(ap002.first?.otherEntries == Self.sourceCount - limits.entriesListed)
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
        limits.entriesListed = 2
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
            let kept = groups.prefix(limits.findingsPerRule).map(\.fingerprint)
            #expect(Set(found.map(\.fingerprint)) == Set(kept), "\(rule): the first groups found are kept")
            #expect(result.truncated[rule] == (groups.count > limits.findingsPerRule ? groups.count - limits.findingsPerRule : nil),
                    "\(rule): \(groups.count) groups, truncated \(result.truncated[rule] ?? 0)")
        }
        #expect(!result.truncated.isEmpty, "no rule reached findingsPerRule")
        let json = FindingsJSON.emit(result, files: model.model.files)
        #expect(json.contains("\"findings_per_rule\": 10"))
        for (rule, count) in result.truncated { #expect(json.contains("\"\(rule)\": \(count)")) }
    }

    /// AP004 ranks the people who ask like the other rules rank entry points: among many
    /// requesters, the outsider is the representative entry and listed first.
    @Test func confusedDeputyKeepsTheOutsiderAmongManyRequesters() throws {
        let path = AnalyzerFixtures.rule("ap004-many-requesters")
        let model = try AnalyzerFixtures.load(path)
        let raw = Self.rawGroups(model)
        #expect(Set(raw["AP004"]!.flatMap(\.entries)).count == 6)
        let result = Analyzer(frameworks: .empty).analyze(model)
        Self.check(result, against: raw, limits: AnalysisLimits())
        let found = result.findings.filter { $0.rule == "AP004" }
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.entry == "customer" }, "representatives: \(found.map(\.entry))")
    }
}
