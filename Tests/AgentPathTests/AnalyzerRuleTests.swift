import Foundation
import Testing
@testable import AgentPath

/// One fixture and whether the rule must fire on it.
struct RuleFixture: Sendable, CustomTestStringConvertible {
    var rule: String
    var fixture: String
    var fires: Bool
    var testDescription: String { "\(rule) \(fires ? "fires on" : "stays silent on") \(fixture)" }
}

/// The fixture table: every rule in `RuleRegistry.all` needs at least one model it fires on
/// and one near miss it must not fire on (Fixtures/rules/<name>.yaml). The exact findings
/// are asserted rule by rule below and in AnalyzerGovernanceTests.
enum RuleFixtureTable {
    static let table: [String: (positive: [String], negative: [String])] = [
        "AP001": (["ap001-trifecta", "ap001-delegation"],
                  ["ap001-neg-internal-audience", "ap001-neg-no-untrusted", "ap001-neg-allowlist", "ap001-neg-delegation-no-context"]),
        "AP002": (["ap002-untrusted-delete"], ["ap002-neg-untrusted-write"]),
        "AP003": (["ap003-inheritance"], ["ap003-neg-fresh-authorization"]),
        "AP004": (["ap004-deputy", "ap004-delegation"], ["ap004-neg-own-access"]),
        "AP005": (["ap005-memory"], ["ap005-neg-harmless-reader"]),
        "AP006": (["ap006-poisoning"], ["ap006-neg-pinned"]),
        "AP007": (["ap007-forged"], ["ap007-neg-signed"]),
        "AP008": (["ap008-theft"], ["ap008-neg-jit"]),
        "AP009": (["ap009-bypass"], ["ap009-neg-tool-approval"]),
        "AP010": (["ap010-unattended"], ["ap010-neg-supervised"]),
        "GV001": (["gv001-no-owner"], ["gv001-neg-owner"]),
        "GV002": (["gv002-no-audit"], ["gv002-neg-audited"]),
        "GV003": (["gv003-excess-scope"], ["gv003-neg-scoped"]),
        "GV004": (["gv004-shared-identity"], ["gv004-neg-distinct"]),
        "GV005": (["gv005-jit-no-revocation"], ["gv005-neg-revoked"]),
        "GV006": (["gv006-approval-drift"], ["gv006-neg-covered"]),
        "GV007": (["gv007-autonomous-destructive"], ["gv007-neg-planned-approval"]),
        "GV008": (["gv008-no-runtime-authz"], ["gv008-neg-enforced"]),
        "GV009": (["gv009-launcher"], ["gv009-neg-first-party"]),
    ]

    static var cases: [RuleFixture] {
        table.keys.sorted().flatMap { rule in
            table[rule]!.positive.map { RuleFixture(rule: rule, fixture: $0, fires: true) }
                + table[rule]!.negative.map { RuleFixture(rule: rule, fixture: $0, fires: false) }
        }
    }
}

@Suite("Analyzer: rule fixtures") struct AnalyzerRuleTests {
    // MARK: the table

    @Test func everyRuleHasAPositiveAndANegativeFixture() {
        for rule in RuleRegistry.all {
            let id = type(of: rule).info.id
            let entry = RuleFixtureTable.table[id]
            #expect(entry != nil, "rule \(id) has no row in RuleFixtureTable.table")
            #expect(entry?.positive.isEmpty == false, "rule \(id) has no positive fixture")
            #expect(entry?.negative.isEmpty == false, "rule \(id) has no negative fixture")
            for name in (entry?.positive ?? []) + (entry?.negative ?? []) {
                #expect(FileManager.default.fileExists(atPath: AnalyzerFixtures.rule(name)), "missing fixture Fixtures/rules/\(name).yaml for \(id)")
            }
        }
        let unknown = Set(RuleFixtureTable.table.keys).subtracting(RuleRegistry.ids)
        #expect(unknown.isEmpty, "table rows for rules that are not registered: \(unknown.sorted())")
    }

    @Test(arguments: RuleFixtureTable.cases)
    func fixtureFiresOrNot(_ c: RuleFixture) throws {
        let a = try AnalyzerFixtures.analyze(AnalyzerFixtures.rule(c.fixture))
        let found = a.findings(c.rule)
        if c.fires {
            #expect(!found.isEmpty, "\(c.rule) must fire on \(c.fixture); all findings:\n\(a.describe())")
        } else {
            #expect(found.isEmpty, "\(c.rule) must not fire on \(c.fixture):\n\(a.describe(found))")
        }
    }

    // MARK: helpers

    /// The rule's only finding in the model (fails with every finding listed otherwise).
    static func only(_ rule: String, _ a: Analysis, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Finding {
        let found = a.findings(rule)
        try #require(found.count == 1, "expected exactly one \(rule) finding, got \(found.count):\n\(a.describe(found))", sourceLocation: sourceLocation)
        return found[0]
    }

    static func line(_ needle: String, _ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        "\((path as NSString).lastPathComponent):\(try AnalyzerFixtures.line(of: needle, in: path, sourceLocation: sourceLocation))"
    }

    /// Whether a step carries `control` with `strength`.
    static func has(_ s: PathStep, _ control: String, _ strength: ControlEffect.Strength) -> Bool {
        s.controls.contains { $0.control == control && $0.strength == strength }
    }

    // MARK: AP001

    @Test func ap001TrifectaInOneAgent() throws {
        let path = AnalyzerFixtures.rule("ap001-trifecta")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP001", a)
        #expect(f.entry == "issues")
        #expect(f.impact == "confidential 'code' leaks")
        #expect(f.status == .open)
        #expect(f.severity == .critical)
        #expect(f.factors.score == 9.0)
        #expect(f.techniques == [.ingestUntrusted, .readSensitive, .egress])
        #expect(f.elements == ["bot", "bot", "bot"])
        #expect(f.vias == ["read_issues", "read_code", "post"])
        #expect(a.at(f.steps[0].location) == (try Self.line("reads: [issues]", path)))
        #expect(a.at(f.steps[1].location) == (try Self.line("reads: [code]", path)))
        #expect(a.at(f.steps[2].location) == (try Self.line("egress: any", path)))
        #expect(a.at(f.location) == (try Self.line("egress: any", path)))
        #expect(f.pathCount == 1)
        #expect(!f.pathCountCapped)
        #expect(f.mitigatingControls.isEmpty && f.reducingControls.isEmpty)
        #expect(f.cuts.map(\.key) == ["quarantine|bot|", "egress_allowlist|post|"])
        #expect(f.fingerprint == Fingerprint.of(["AP001", "code"]))
    }

    @Test func ap001AcrossDelegation() throws {
        let path = AnalyzerFixtures.rule("ap001-delegation")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP001", a)
        #expect(f.entry == "issues")
        #expect(f.status == .open)
        #expect(f.severity == .high)
        #expect(f.techniques == [.ingestUntrusted, .delegate, .readSensitive, .return, .delegate, .egress])
        #expect(f.elements == ["planner", "reader", "reader", "planner", "sender", "sender"])
        #expect(f.vias == ["read_issues", "planner", "read_code", "reader", "planner", "post"])
        #expect(a.at(f.steps[1].location) == (try Self.line("- to: reader", path)))
        #expect(a.at(f.steps[2].location) == (try Self.line("reads: [code]", path)))
        #expect(a.at(f.steps[3].location) == (try Self.line("- to: reader", path)))
        #expect(a.at(f.steps[4].location) == (try Self.line("- to: sender", path)))
        #expect(a.at(f.steps[5].location) == (try Self.line("egress: any", path)))
        // Three hops across agents lower the likelihood, not the impact.
        #expect(f.factors.impact == 9.0)
        #expect(abs(f.factors.hops - 0.85) < 1e-9)
        #expect(f.summary.contains("agents 'reader' and 'sender'"))
    }

    @Test func ap001ContextNoneBreaksTheDelegatedLeak() throws {
        let a = try AnalyzerFixtures.analyze(AnalyzerFixtures.rule("ap001-neg-delegation-no-context"))
        #expect(a.findings("AP001").isEmpty, "\(a.describe(a.findings("AP001")))")
        // The issue steers nothing that reaches the sender any more. (AP007, a forged message
        // on the unauthenticated channel to the sender, has another entry and still fires.)
        let fromIssue = a.result.paths.filter { $0.entry == "issues" && $0.steps.contains { $0.element == "sender" } }
        #expect(fromIssue.isEmpty, "\(a.describe(fromIssue))")
    }

    @Test func ap001CutByEnforcedEgressAllowlist() throws {
        let path = AnalyzerFixtures.rule("ap001-cut-allowlist")
        let enforced = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP001", enforced)
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["egress-allow"])
        #expect(f.techniques == [.ingestUntrusted, .readSensitive, .egress])
        #expect(Self.has(f.steps[2], "egress-allow", .blocks))
        #expect(f.cuts.isEmpty, "a mitigated finding proposes no cut")

        let planned = try AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")]))
        let g = try Self.only("AP001", planned)
        #expect(g.status == .open)
        #expect(g.mitigatingControls.isEmpty)
        #expect(g.steps.allSatisfy { $0.controls.isEmpty })
        #expect(g.fingerprint == f.fingerprint)
    }

    // MARK: AP002

    @Test func ap002UntrustedContentTriggersADelete() throws {
        let path = AnalyzerFixtures.rule("ap002-untrusted-delete")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP002", a)
        #expect(f.entry == "issues")
        #expect(f.impact == "consequential calls by 'bot'")
        #expect(f.status == .open)
        #expect(f.severity == .high)
        #expect(f.techniques == [.ingestUntrusted, .invokeConsequential])
        #expect(f.elements == ["bot", "bot"])
        #expect(f.vias == ["read_issues", "wipe"])
        #expect(f.steps[1].effect == .delete)
        #expect(a.at(f.steps[1].location) == (try Self.line("effects: [delete]", path)))
        #expect(f.factors.impact == 8.5)
    }

    @Test func ap002CutByPerCallApproval() throws {
        let path = AnalyzerFixtures.rule("ap002-cut-approval")
        let f = try Self.only("AP002", AnalyzerFixtures.analyze(path))
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["wipe-approval"])
        #expect(Self.has(f.steps[1], "wipe-approval", .blocks))

        let g = try Self.only("AP002", AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")])))
        #expect(g.status == .open)
        #expect(g.mitigatingControls.isEmpty)
    }

    /// A quarantine one delegation hop down must be reported as cutting the path there,
    /// not make the path disappear (Influence walks blocked hops in its second phase).
    @Test func ap002QuarantineAtADelegationHopIsReportedAsMitigated() throws {
        let path = AnalyzerFixtures.rule("ap002-delegated-quarantine")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP002", a)
        #expect(f.entry == "issues")
        #expect(f.status == .mitigated)
        #expect(f.techniques == [.ingestUntrusted, .delegate, .invokeConsequential])
        #expect(f.elements == ["planner", "worker", "worker"])
        #expect(Self.has(f.steps[1], "worker-quarantine", .blocks))
        #expect(a.at(f.steps[1].location) == (try Self.line("- to: worker", path)))
        #expect(f.mitigatingControls == ["worker-quarantine"])

        let planned = try AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")]))
        let g = try Self.only("AP002", planned)
        #expect(g.status == .open)
    }

    /// The blocked hop sits behind two openly steered agents (reader → planner → worker):
    /// the second phase of Influence must walk through agents the first phase reached.
    @Test func ap002QuarantineTwoHopsDownIsReportedAsMitigated() throws {
        let path = AnalyzerFixtures.rule("ap002-quarantine-two-hops")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP002", a)
        #expect(f.status == .mitigated)
        #expect(f.techniques == [.ingestUntrusted, .return, .delegate, .invokeConsequential])
        #expect(f.elements == ["reader", "planner", "worker", "worker"])
        #expect(f.mitigatingControls == ["worker-quarantine"])
        #expect(Self.has(f.steps[2], "worker-quarantine", .blocks))
        #expect(a.at(f.steps[2].location) == (try Self.line("- to: worker", path)))
    }

    // MARK: AP003

    @Test func ap003SubAgentInheritsTheAdminKey() throws {
        let path = AnalyzerFixtures.rule("ap003-inheritance")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP003", a)
        #expect(f.entry == "issues")
        #expect(f.impact == "'worker' wields 'planner''s credential 'admin-key'")
        #expect(f.status == .open)
        #expect(f.techniques == [.ingestUntrusted, .delegate, .credentialInherit, .credentialUse])
        #expect(f.elements == ["planner", "worker", "worker", "admin-key"])
        #expect(f.vias == ["read_issues", "planner", "admin-key", "worker"])
        #expect(a.at(f.steps[2].location) == (try Self.line("passes: [admin-key]", path)))
        #expect(a.at(f.location) == (try Self.line("passes: [admin-key]", path)))
        #expect(a.at(f.steps[3].location) == (try Self.line("grants: [db]", path)))
        #expect(f.fingerprint == Fingerprint.of(["AP003", "planner->worker"]))
    }

    @Test func ap003CutByRuntimeAuthorizationOnTheSubAgent() throws {
        let path = AnalyzerFixtures.rule("ap003-cut-authz")
        let f = try Self.only("AP003", AnalyzerFixtures.analyze(path))
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["worker-authz"])
        #expect(Self.has(f.steps[2], "worker-authz", .blocks))

        let g = try Self.only("AP003", AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")])))
        #expect(g.status == .open)
        #expect(g.mitigatingControls.isEmpty)
    }

    // MARK: AP004

    @Test func ap004OutsiderReachesTheCRMThroughTheHelper() throws {
        let path = AnalyzerFixtures.rule("ap004-deputy")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP004", a)
        #expect(f.entry == "customer")
        #expect(f.status == .open)
        // Both steps are on-behalf-of: the ask (looked up on the requester and the agent) and
        // the reach with the agent's own grant.
        #expect(f.techniques == [.onBehalf, .onBehalf])
        #expect(f.elements == ["helper", "helper"])
        #expect(f.vias == ["customer", "crm"])
        #expect(f.steps.map(\.effect) == [.read, .read])
        #expect(a.at(f.steps[0].location) == (try Self.line("uses: [helper]", path)))
        #expect(a.at(f.steps[1].location) == (try Self.line("reads: [crm]", path)))
        #expect(f.factors.exposure == 1.0)
    }

    @Test func ap004SteeredPlannerReachesThroughItsSubAgent() throws {
        let path = AnalyzerFixtures.rule("ap004-delegation")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP004", a)
        #expect(f.entry == "issues")
        #expect(f.impact == "'planner' reaches what only 'worker' may reach")
        #expect(f.status == .open)
        #expect(f.techniques == [.ingestUntrusted, .delegate, .onBehalf])
        #expect(f.elements == ["planner", "worker", "worker"])
        #expect(f.vias == ["read_issues", "planner", "drop"])
        #expect(a.at(f.steps[2].location) == (try Self.line("effects: [delete]", path)))
    }

    @Test func ap004CutByRuntimeAuthorization() throws {
        let path = AnalyzerFixtures.rule("ap004-cut-authz")
        let f = try Self.only("AP004", AnalyzerFixtures.analyze(path))
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["helper-authz"])
        #expect(Self.has(f.steps[1], "helper-authz", .blocks))

        let g = try Self.only("AP004", AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")])))
        #expect(g.status == .open)
    }

    // MARK: AP005

    @Test func ap005InjectedNotesSteerALaterReader() throws {
        let path = AnalyzerFixtures.rule("ap005-memory")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP005", a)
        #expect(f.entry == "issues")
        #expect(f.impact == "instructions persist in 'notes' and steer 'operator'")
        #expect(f.status == .open)
        #expect(f.techniques == [.ingestUntrusted, .memoryWrite, .memoryRead, .invokeConsequential])
        #expect(f.elements == ["scout", "scout", "operator", "operator"])
        #expect(f.vias == ["read_issues", "notes", "notes", "wipe"])
        #expect(a.at(f.steps[1].location) == (try Self.line("access: write", path)))
        #expect(a.at(f.steps[2].location) == (try Self.line("access: read }", path)))
        #expect(a.at(f.location) == (try Self.line("access: write", path)))
        #expect(f.fingerprint == Fingerprint.of(["AP005", "notes"]))
    }

    @Test func ap005CutByMemoryValidation() throws {
        let path = AnalyzerFixtures.rule("ap005-cut-validation")
        let f = try Self.only("AP005", AnalyzerFixtures.analyze(path))
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["notes-validation"])
        #expect(Self.has(f.steps[1], "notes-validation", .blocks))

        let g = try Self.only("AP005", AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")])))
        #expect(g.status == .open)
        #expect(g.mitigatingControls.isEmpty)
    }

    // MARK: AP006

    @Test func ap006UnpinnedServerSteersTheDelete() throws {
        let path = AnalyzerFixtures.rule("ap006-poisoning")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP006", a)
        #expect(f.entry == "community-mcp")
        #expect(f.status == .open)
        #expect(f.techniques == [.toolDescription, .invokeConsequential])
        #expect(f.elements == ["bot", "bot"])
        #expect(f.vias == ["community-mcp", "wipe"])
        #expect(a.at(f.steps[0].location) == (try Self.line("pinned: false", path)))
        #expect(a.at(f.steps[1].location) == (try Self.line("effects: [delete]", path)))
        #expect(f.factors.exposure == 0.9)
    }

    @Test func ap006CutByToolPinning() throws {
        let path = AnalyzerFixtures.rule("ap006-cut-pinning")
        let f = try Self.only("AP006", AnalyzerFixtures.analyze(path))
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["server-pinning"])
        #expect(Self.has(f.steps[0], "server-pinning", .blocks))

        let g = try Self.only("AP006", AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")])))
        #expect(g.status == .open)
    }

    // MARK: AP007

    @Test func ap007ForgedTaskDrivesTheDeployer() throws {
        let path = AnalyzerFixtures.rule("ap007-forged")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP007", a)
        #expect(f.entry == "planner->deployer")
        #expect(f.impact == "forged tasks drive 'deployer'")
        #expect(f.status == .open)
        #expect(f.techniques == [.forgeMessage, .invokeConsequential])
        #expect(f.elements == ["deployer", "deployer"])
        #expect(f.vias == ["planner", "deploy"])
        #expect(a.at(f.steps[0].location) == (try Self.line("- to: deployer", path)))
        #expect(a.at(f.steps[1].location) == (try Self.line("effects: [execute]", path)))
        #expect(f.steps[1].effect == .execute)
    }

    @Test func ap007CutByMessageSigning() throws {
        let path = AnalyzerFixtures.rule("ap007-cut-signing")
        let f = try Self.only("AP007", AnalyzerFixtures.analyze(path))
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["deployer-signing"])
        #expect(Self.has(f.steps[0], "deployer-signing", .blocks))

        let g = try Self.only("AP007", AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")])))
        #expect(g.status == .open)
    }

    // MARK: AP008

    @Test func ap008KeyInTheEnvironmentOfAShell() throws {
        let path = AnalyzerFixtures.rule("ap008-theft")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP008", a)
        #expect(f.entry == "ci-key")
        #expect(f.status == .open)
        #expect(f.techniques == [.credentialExposure, .credentialUse])
        #expect(f.elements == ["ci-key", "ci-key"])
        #expect(f.vias == ["shell", nil])
        #expect(a.at(f.steps[0].location) == (try Self.line("storage: env", path)))
        #expect(a.at(f.steps[1].location) == (try Self.line("ttl: never", path)))
        #expect(f.factors.exposure == 0.7)
    }

    @Test func ap008CutBySandboxOnTheShell() throws {
        let path = AnalyzerFixtures.rule("ap008-cut-sandbox")
        let f = try Self.only("AP008", AnalyzerFixtures.analyze(path))
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["shell-sandbox"])
        #expect(Self.has(f.steps[0], "shell-sandbox", .blocks))

        let g = try Self.only("AP008", AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")])))
        #expect(g.status == .open)
    }

    // MARK: AP009

    @Test func ap009HelperStepsAroundTheLeadsApproval() throws {
        let path = AnalyzerFixtures.rule("ap009-bypass")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP009", a)
        #expect(f.entry == "lead-approval")
        #expect(f.impact == "'execute' without approval through 'deploy'")
        #expect(f.status == .open)
        #expect(f.techniques == [.bypassApproval])
        #expect(f.elements == ["helper"])
        #expect(f.vias == ["deploy"])
        #expect(f.steps[0].effect == .execute)
        #expect(a.at(f.steps[0].location) == (try Self.line("effects: [execute]", path)))
        #expect(f.factors.exposure == 0.8, "the helper is reached by delegation")
        #expect(f.fingerprint == Fingerprint.of(["AP009", "helper:deploy"]))
    }

    /// AP009 is closed by giving the sub-agent an approval that blocks: the way around is
    /// then gone, so the finding disappears (no AP009 finding is ever "mitigated"). An
    /// approval that only reduces leaves the bypass reduced; one that is planned or
    /// allow-always leaves it open.
    @Test(arguments: [
        ("enforced", "full_arguments", "per_call", nil),
        ("planned", "full_arguments", "per_call", PathStatus.open),
        ("enforced", "summary", "per_call", PathStatus.reduced),
        ("enforced", "full_arguments", "per_session", PathStatus.reduced),
        ("enforced", "full_arguments", "allow_always", PathStatus.open),
    ] as [(String, String, String, PathStatus?)])
    func ap009HelperApproval(status: String, shows: String, grant: String, expected: PathStatus?) throws {
        let block = "  - id: helper-approval\n    kind: human_approval\n    applies_to: [helper]\n"
        let path = try AnalyzerFixtures.variant(of: AnalyzerFixtures.rule("ap009-cut-helper-approval"), [
            (block + "    status: enforced\n    shows: full_arguments\n    grant: per_call\n",
             block + "    status: \(status)\n    shows: \(shows)\n    grant: \(grant)\n"),
        ])
        let a = try AnalyzerFixtures.analyze(path)
        let found = a.findings("AP009")
        guard let expected else {
            #expect(found.isEmpty, "a blocking approval on the helper closes the bypass:\n\(a.describe(found))")
            return
        }
        let f = try Self.only("AP009", a)
        #expect(f.status == expected, "\(a.describe(found))")
        #expect(f.techniques == [.bypassApproval])
        #expect(f.elements == ["helper"])
        if expected == .reduced { #expect(f.reducingControls == ["helper-approval"]) }
        if grant == "allow_always" { #expect(Self.has(f.steps[0], "helper-approval", .bypassed)) }
    }

    // MARK: AP010

    @Test func ap010AutonomousDeleteWithNoAttacker() throws {
        let path = AnalyzerFixtures.rule("ap010-unattended")
        let a = try AnalyzerFixtures.analyze(path)
        let f = try Self.only("AP010", a)
        #expect(f.entry == "janitor")
        #expect(f.impact == "'purge' (delete) with no one in the loop")
        #expect(f.status == .open)
        #expect(f.techniques == [.autonomousAction])
        #expect(f.elements == ["janitor"])
        #expect(f.vias == ["purge"])
        #expect(f.steps[0].effect == .delete)
        #expect(a.at(f.steps[0].location) == (try Self.line("effects: [delete]", path)))
        #expect(a.at(f.location) == (try Self.line("autonomy: autonomous", path)))
        #expect(f.factors.exposure == 0.7)
    }

    @Test func ap010CutByPerCallApproval() throws {
        let path = AnalyzerFixtures.rule("ap010-cut-approval")
        let f = try Self.only("AP010", AnalyzerFixtures.analyze(path))
        #expect(f.status == .mitigated)
        #expect(f.mitigatingControls == ["purge-approval"])
        #expect(Self.has(f.steps[0], "purge-approval", .blocks))

        let g = try Self.only("AP010", AnalyzerFixtures.analyze(AnalyzerFixtures.variant(of: path, [("status: enforced", "status: planned")])))
        #expect(g.status == .open)
        #expect(g.mitigatingControls.isEmpty)
    }
}
