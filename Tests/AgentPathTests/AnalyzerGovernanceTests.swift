import Foundation
import Testing
@testable import AgentPath

/// Governance rules (GV001–GV009): exact findings on their positive fixtures. The
/// negative fixtures are checked through RuleFixtureTable in AnalyzerRuleTests.
@Suite("Analyzer: governance rules") struct AnalyzerGovernanceTests {
    typealias R = AnalyzerRuleTests

    /// Governance findings have no steps and are open with their rule's fixed score.
    func expectGovernance(_ f: Finding, score: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!f.isPath, sourceLocation: sourceLocation)
        #expect(f.steps.isEmpty, sourceLocation: sourceLocation)
        #expect(f.status == .open, sourceLocation: sourceLocation)
        #expect(f.factors.score == score, sourceLocation: sourceLocation)
        #expect(f.cuts.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func gv001AgentWithoutOwner() throws {
        let path = AnalyzerFixtures.rule("gv001-no-owner")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only("GV001", a)
        #expect(f.entry == "orphan")
        #expect(f.summary == "agent 'orphan' has no owner")
        #expect(a.at(f.location) == (try R.line("- id: orphan", path)))
        expectGovernance(f, score: 3)
        #expect(f.severity == .low)
    }

    @Test func gv002PlannedAuditLogLogsNothing() throws {
        let path = AnalyzerFixtures.rule("gv002-no-audit")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only("GV002", a)
        #expect(f.entry == "bot")
        #expect(f.impact == "unlogged tool calls (search), delegations and credential use")
        #expect(a.at(f.location) == (try R.line("- id: bot", path)))
        expectGovernance(f, score: 4)
    }

    @Test func gv003UnusedGrant() throws {
        let path = AnalyzerFixtures.rule("gv003-excess-scope")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only("GV003", a)
        #expect(f.entry == "key")
        #expect(f.impact == "unused grants: archive")
        #expect(a.at(f.location) == (try R.line("grants: [db, archive]", path)))
        // The unused grant is restricted data: the score says so.
        expectGovernance(f, score: 6.5)
    }

    @Test func gv004SharedIdentities() throws {
        let path = AnalyzerFixtures.rule("gv004-shared-identity")
        let a = try AnalyzerFixtures.analyze(path)
        let found = a.findings("GV004").sorted { $0.entry < $1.entry }
        try #require(found.count == 2, "\(a.describe(found))")
        #expect(found[0].entry == "alpha")
        #expect(found[0].summary == "agents 'alpha', 'beta' share identity 'svc-bots'")
        #expect(found[0].fingerprint == Fingerprint.of(["GV004", "alpha", "identity:svc-bots"]))
        // Reported at the identity of the sharing agent with the smallest id.
        let alphaIdentity = try AnalyzerFixtures.line(of: "- id: alpha", in: path) + 2
        #expect(a.at(found[0].location) == "gv004-shared-identity.yaml:\(alphaIdentity)")
        #expect(found[1].entry == "gamma")
        #expect(found[1].summary == "agent 'gamma' runs under a shared identity")
        #expect(a.at(found[1].location) == (try R.line("identity: { kind: shared }", path)))
        for f in found { expectGovernance(f, score: 5) }
    }

    @Test func gv005LongRunningAgentKeepsJITToken() throws {
        let path = AnalyzerFixtures.rule("gv005-jit-no-revocation")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only("GV005", a)
        #expect(f.entry == "watcher")
        #expect(f.impact == "standing access through 'watch-token'")
        #expect(a.at(f.location) == (try R.line("credentials: [watch-token]", path)))
        expectGovernance(f, score: 5)
    }

    @Test func gv006ToolOutsideEveryIntent() throws {
        let path = AnalyzerFixtures.rule("gv006-approval-drift")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only("GV006", a)
        #expect(f.entry == "bot")
        #expect(f.impact == "tools outside every intent: export")
        #expect(a.at(f.location) == (try R.line("tools: [search, export]", path)))
        expectGovernance(f, score: 3.5)
    }

    @Test func gv007AutonomousDeleteWithoutApproval() throws {
        let path = AnalyzerFixtures.rule("gv007-autonomous-destructive")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only("GV007", a)
        #expect(f.entry == "janitor")
        #expect(f.impact == "no approval step for purge")
        #expect(a.at(f.location) == (try R.line("autonomy: autonomous", path)))
        expectGovernance(f, score: 4.5)
    }

    @Test func gv008PlannedRuntimeAuthorizationDoesNotCount() throws {
        let path = AnalyzerFixtures.rule("gv008-no-runtime-authz")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only("GV008", a)
        #expect(f.entry == "gv008-no-runtime-authorization")
        #expect(f.fingerprint == Fingerprint.of(["GV008", "gv008-no-runtime-authorization", "system"]))
        #expect(a.at(f.location) == (try R.line("system: {", path)))
        expectGovernance(f, score: 5)
    }

    @Test func gv009CommunityLauncherSetsThePrompt() throws {
        let path = AnalyzerFixtures.rule("gv009-launcher")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try R.only("GV009", a)
        #expect(f.entry == "action")
        #expect(f.impact == "controls bot")
        #expect(a.at(f.location) == (try R.line("sets: [prompt]", path)))
        expectGovernance(f, score: 6)
    }
}
