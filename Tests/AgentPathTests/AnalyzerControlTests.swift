import Foundation
import Testing
@testable import AgentPath

/// What a human approval does, and whether every cut the analyzer proposes really closes
/// the finding it is proposed for.
@Suite("Analyzer: controls") struct AnalyzerControlTests {
    typealias R = AnalyzerRuleTests

    struct ApprovalCase: Sendable, CustomTestStringConvertible {
        var fixture: String
        var rule: String
        var control: String
        var step: Int
        var shows: String
        var grant: String
        var status: PathStatus
        var strength: ControlEffect.Strength
        var testDescription: String { "\(rule) with \(shows) / \(grant) → \(status.rawValue)" }
    }

    /// Only a per-call approval that shows the full arguments blocks; summary or
    /// per-session approvals only reduce; an allow-always approval neither blocks nor
    /// reduces (it is listed as bypassed).
    static let approvalCases: [ApprovalCase] = [
        ("full_arguments", "per_call", PathStatus.mitigated, ControlEffect.Strength.blocks),
        ("summary", "per_call", .reduced, .reduces),
        ("full_arguments", "per_session", .reduced, .reduces),
        ("summary", "per_session", .reduced, .reduces),
        ("full_arguments", "allow_always", .open, .bypassed),
        ("summary", "allow_always", .open, .bypassed),
    ].flatMap { shows, grant, status, strength in
        [
            ApprovalCase(fixture: "ap001-approval", rule: "AP001", control: "post-approval", step: 2, shows: shows, grant: grant, status: status, strength: strength),
            ApprovalCase(fixture: "ap010-cut-approval", rule: "AP010", control: "purge-approval", step: 0, shows: shows, grant: grant, status: status, strength: strength),
        ]
    }

    @Test(arguments: approvalCases)
    func humanApproval(_ c: ApprovalCase) throws {
        let path = try AnalyzerFixtures.variant(of: AnalyzerFixtures.rule(c.fixture),
                                                [("shows: full_arguments", "shows: \(c.shows)"), ("grant: per_call", "grant: \(c.grant)")])
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only(c.rule, a)
        #expect(f.status == c.status, "\(a.describe([f]))")
        #expect(f.steps[c.step].controls.map(\.control) == [c.control])
        #expect(f.steps[c.step].controls.first?.strength == c.strength)
        switch c.status {
        case .mitigated:
            #expect(f.mitigatingControls == [c.control])
            #expect(f.reducingControls.isEmpty)
        case .reduced:
            #expect(f.mitigatingControls.isEmpty)
            #expect(f.reducingControls == [c.control])
            #expect(f.factors.reduction == 0.75)
            #expect(!f.cuts.isEmpty, "a reduced path is still open and needs a cut")
        case .open:
            #expect(f.mitigatingControls.isEmpty)
            #expect(f.reducingControls.isEmpty)
            #expect(f.factors.reduction == 1)
        }
    }

    @Test func approvalOnlyReducingLowersTheScoreByAQuarter() throws {
        let open = try R.only("AP001", AnalyzerFixtures.analyze(AnalyzerFixtures.rule("ap001-trifecta")))
        let path = try AnalyzerFixtures.variant(of: AnalyzerFixtures.rule("ap001-approval"), [("shows: full_arguments", "shows: summary")])
        let reduced = try R.only("AP001", AnalyzerFixtures.analyze(path))
        #expect(reduced.status == .reduced)
        #expect(reduced.factors.score == (open.factors.score * 0.75 * 10).rounded() / 10)
        #expect(reduced.fingerprint == open.fingerprint)
    }

    /// Two routes steer the planner (through 'coder' and through 'deployer'): a quarantine
    /// on either route's agent leaves the other open, so neither may be proposed, and every
    /// cut that is proposed must close the finding.
    @Test func quarantineIsNotProposedOnOneOfTwoRoutes() throws {
        let path = AnalyzerFixtures.rule("ap002-two-routes")
        let f = try R.only("AP002", AnalyzerFixtures.analyze(path))
        #expect(f.elements == ["coder", "planner", "planner"])
        #expect(!f.cuts.contains { $0.kind == .quarantine && ($0.target == "coder" || $0.target == "deployer") }, "cuts: \(f.cuts.map(\.key))")
        #expect(!f.cuts.isEmpty)
        for cut in f.cuts {
            let after = try Self.apply(cut, to: path)
            let g = after.findings("AP002").first { $0.fingerprint == f.fingerprint }
            #expect(g?.status == .mitigated, "cut \(cut.key) leaves the finding \(g?.status.rawValue ?? "gone")")
        }
    }

    // MARK: every proposed cut closes its finding

    /// Applies one proposed cut as an enforced control (in a second file of the model, so
    /// the fixture itself is untouched) and returns the re-analysis.
    static func apply(_ cut: CutOption, to modelPath: String) throws -> Analysis {
        try apply([cut], to: modelPath)
    }

    /// Applies several cuts at once, one enforced control each (`cut-under-test`, then `-2`, …).
    static func apply(_ cuts: [CutOption], to modelPath: String) throws -> Analysis {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentpath-cut-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: modelPath, toPath: dir.appendingPathComponent("a-model.yaml").path)
        var control = "controls:\n"
        for (i, cut) in cuts.enumerated() {
            control += """
              - id: cut-under-test\(i == 0 ? "" : "-\(i + 1)")
                kind: \(cut.kind.rawValue)
                applies_to: [\(cut.target)]
                status: enforced
                shows: full_arguments
                grant: per_call

            """
            if let e = cut.effect { control += "    effects: [\(e.rawValue)]\n" }
        }
        try control.write(to: dir.appendingPathComponent("z-cut.yaml"), atomically: true, encoding: .utf8)
        return try AnalyzerFixtures.analyze(dir.path)
    }

    static var cutModels: [String] {
        RuleFixtureTable.table.keys.sorted().filter { $0.hasPrefix("AP") }.flatMap { RuleFixtureTable.table[$0]!.positive }
            .map { "rules/\($0)" } + ["rules/ap002-delegated-quarantine", "rules/ap002-quarantine-two-hops", "rules/ap002-two-routes",
                                   "example/devops-pipeline", "example/support-agent"]
    }

    static func resolve(_ name: String) -> String {
        name.hasPrefix("example/") ? AnalyzerFixtures.example(String(name.dropFirst(8))) : AnalyzerFixtures.rule(String(name.dropFirst(6)))
    }

    /// "A cut for the group must close every open variant": applying any one of a finding's
    /// cuts as an enforced control leaves that finding mitigated. (AP009 is the exception by
    /// design: a blocking approval removes the way around, so the finding disappears.)
    @Test(arguments: cutModels)
    func everyProposedCutClosesItsFinding(_ model: String) throws {
        let path = Self.resolve(model)
        let base = try AnalyzerFixtures.analyze(path)
        var tried = Set<String>()
        for f in base.result.paths where f.status != .mitigated {
            #expect(!f.cuts.isEmpty, "open path without a cut: \(base.describe([f]))")
            if f.cutsTogether {
                // No single control closes it: all of its cuts together do.
                let after = try Self.apply(f.cuts, to: path)
                let now = after.result.findings.first { $0.fingerprint == f.fingerprint }
                #expect(now == nil || now?.status == .mitigated, "cuts \(f.cuts.map(\.key)) together do not close\n  \(base.describe([f]))\nafter:\n  \(now.map { after.describe([$0]) } ?? "(finding gone)")")
                continue
            }
            for cut in f.cuts where tried.insert(cut.key).inserted {
                let after = try Self.apply(cut, to: path)
                let closedHere = base.result.paths.filter { $0.status != .mitigated && !$0.cutsTogether && $0.cuts.contains { $0.key == cut.key } }
                for g in closedHere {
                    let now = after.result.findings.first { $0.fingerprint == g.fingerprint }
                    if g.rule == "AP009" {
                        #expect(now == nil || now?.status == .mitigated, "cut \(cut.key) does not close \(base.describe([g]))\nafter: \(now.map { after.describe([$0]) } ?? "gone")")
                    } else {
                        #expect(now?.status == .mitigated, "cut '\(cut.text)' (\(cut.key)) does not close\n  \(base.describe([g]))\nafter:\n  \(now.map { after.describe([$0]) } ?? "(finding gone)")")
                        if let now, now.status == .mitigated { #expect(now.mitigatingControls.contains("cut-under-test")) }
                    }
                }
            }
        }
    }
}
