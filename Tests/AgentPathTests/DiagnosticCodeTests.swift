import Foundation
import Testing
@testable import AgentPath

/// One fixture that triggers one diagnostic code, with exactly where and what it reports.
struct CodeFixture: Sendable {
    enum Message: Sendable {
        case exact(String)
        case contains(String)
    }

    /// The path loaded, relative to Fixtures/.
    var fixture: String
    /// The file the diagnostic names, relative to Fixtures/ (default: the fixture).
    var file: String?
    /// 0 for a diagnostic about a whole file or directory.
    var line: Int32
    var column: Int32
    var message: Message
    var configure: @Sendable (inout Pipeline) -> Void = { _ in }
    /// For codes that loading a model does not produce (the CI gate's): how to produce them.
    var runner: (@Sendable () -> LoadOutcome)? = nil

    var reportedPath: String { Fixtures.path(file ?? fixture) }
}

/// Every diagnostic code and the fixture that triggers it. `codeTableCoversEveryCode`
/// fails when a code is added without a fixture here.
enum CodeTable {
    static func bytes(_ name: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: Fixtures.path(name))[.size] as? Int) ?? -1
    }

    static let fixtures: [DiagnosticCode: CodeFixture] = modelFixtures.merging(GateCodes.fixtures) { a, _ in a }.merging(FrameworkCodes.fixtures) { a, _ in a }

    static let modelFixtures: [DiagnosticCode: CodeFixture] = [
        .yamlSyntax: CodeFixture(
            fixture: "codes/e0001-yaml-syntax.yaml", line: 6, column: 4,
            message: .exact("did not find expected '-' indicator while parsing a block collection")),
        .fileUnreadable: CodeFixture(
            fixture: "codes/e0002-missing-include.yaml", line: 3, column: 11,
            message: .exact("included file 'no-such-part.yaml' cannot be read (missing or not a file)")),
        .invalidEncoding: CodeFixture(
            fixture: "codes/e0003-invalid-encoding.yaml", line: 4, column: 44,
            message: .exact("invalid trailing UTF-8 octet (byte 0x22); a model file must be UTF-8 text")),
        .nestingTooDeep: CodeFixture(
            // `tags: ` then 70 `[`: the top mapping is level 1, so the 64th `[` (column 70) is level 65.
            fixture: "codes/e0004-nesting-too-deep.yaml", line: 3, column: 70,
            message: .exact("collections nest deeper than 64 levels")),
        .aliasLimit: CodeFixture(
            // a3 expands to 11,111 nodes; aliases reach 12,330 by line 7 and pass 100,000 at the 8th `*a3`.
            fixture: "codes/e0005-alias-bomb.yaml", line: 8, column: 45,
            message: .exact("aliases expand to more than 100000 nodes; refusing to expand further (alias bomb?)")),
        .multipleDocuments: CodeFixture(
            fixture: "codes/e0006-multiple-documents.yaml", line: 3, column: 1,
            message: .exact("a model file holds one YAML document; split further documents into their own files")),
        .tooManyFiles: CodeFixture(
            fixture: "codes/e0007-too-many-files", line: 0, column: 0,
            message: .exact("the directory holds more than 3 model files"),
            configure: { $0.loader.maxFiles = 3 }),
        .undefinedAlias: CodeFixture(
            fixture: "codes/e0008-undefined-alias.yaml", line: 4, column: 24,
            message: .exact("alias '*trust-level' names no anchor defined before it")),
        .fileTooLarge: CodeFixture(
            fixture: "codes/e0009-file-too-large.yaml", line: 1, column: 1,
            message: .exact("file is \(bytes("codes/e0009-file-too-large.yaml")) bytes; the limit is 64"),
            configure: { $0.loader.limits.maxFileBytes = 64 }),
        .emptyModel: CodeFixture(
            fixture: "codes/e0010-empty-model.yaml", line: 1, column: 1,
            message: .exact("the file is empty; a model file is a mapping with `version`, `system` and element lists")),
        .badVersion: CodeFixture(
            fixture: "codes/e0101-bad-version.yaml", line: 1, column: 10,
            message: .exact("unknown model version '2'; this agentpath reads version 1")),
        .wrongType: CodeFixture(
            fixture: "codes/e0102-wrong-type.yaml", line: 6, column: 19,
            message: .exact("'long_running' in agent 'assistant' must be true or false (YAML 1.2: only true and false are booleans), found a string")),
        .unknownKey: CodeFixture(
            fixture: "codes/e0103-unknown-key.yaml", line: 6, column: 5,
            message: .exact("unknown key 'tols' in agent 'assistant'; did you mean 'tools'?")),
        .missingKey: CodeFixture(
            fixture: "codes/e0104-missing-key.yaml", line: 5, column: 5,
            message: .exact("zone 'dmz' is missing required key 'trust'")),
        .invalidEnum: CodeFixture(
            fixture: "codes/e0105-invalid-enum.yaml", line: 6, column: 15,
            message: .exact("invalid value 'autonomus' for 'autonomy' in agent 'assistant'; expected supervised, approval or autonomous; did you mean 'autonomous'?")),
        .badDuration: CodeFixture(
            fixture: "codes/e0106-bad-duration.yaml", line: 6, column: 10,
            message: .exact("invalid duration '15x' for 'ttl' in credential 'token'; write `never` or a count with a unit: 30s, 15m, 1h30m, 7d")),
        .invalidID: CodeFixture(
            fixture: "codes/e0107-invalid-id.yaml", line: 4, column: 9,
            message: .exact("invalid agent id 'Support Bot'; ids match [a-z0-9][a-z0-9._-]*; did you mean 'support-bot'?")),
        .duplicateKey: CodeFixture(
            fixture: "codes/e0108-duplicate-key.yaml", line: 5, column: 3,
            message: .exact("key 'name' appears twice in this mapping")),
        .duplicateID: CodeFixture(
            fixture: "codes/e0109-duplicate-id.yaml", line: 6, column: 11,
            message: .exact("duplicate id 'corp': already used by the zone at \(Fixtures.path("codes/e0109-duplicate-id.yaml")):4:11")),
        .includeCycle: CodeFixture(
            // Loading a includes b, whose include of a closes the cycle: reported in b.
            fixture: "codes/e0110-cycle-a.yaml", file: "codes/e0110-cycle-b.yaml", line: 1, column: 11,
            message: .exact("include cycle: \(Fixtures.path("codes/e0110-cycle-a.yaml")) → \(Fixtures.path("codes/e0110-cycle-b.yaml")) → \(Fixtures.path("codes/e0110-cycle-a.yaml"))")),
        .systemSection: CodeFixture(
            fixture: "codes/e0111-system-section.yaml", line: 1, column: 1,
            message: .exact("the model has no `system` section; add `system: { name: ... }` to its main file")),
        .includeOutside: CodeFixture(
            fixture: "codes/e0112-include-outside.yaml", line: 4, column: 5,
            message: .exact("include '/etc/passwd' must be a relative path to a .yaml or .yml file")),
        .unknownZone: CodeFixture(
            fixture: "codes/e0201-unknown-zone.yaml", line: 6, column: 41,
            message: .exact("unknown zone 'crop' in 'zone' of agent 'assistant'; did you mean 'corp'?")),
        .unknownAgent: CodeFixture(
            fixture: "codes/e0202-unknown-agent.yaml", line: 4, column: 23,
            message: .exact("unknown agent 'asistant' in 'uses' of human 'dev'; did you mean 'assistant'?")),
        .unknownTool: CodeFixture(
            fixture: "codes/e0203-unknown-tool.yaml", line: 6, column: 21,
            message: .exact("unknown tool 'gh.read_isues' in 'tools' of agent 'assistant'; did you mean 'gh.read_issues'?")),
        .unknownServer: CodeFixture(
            fixture: "codes/e0204-unknown-server.yaml", line: 6, column: 44,
            message: .exact("unknown MCP server 'search-mcp' in 'server' of tool 'search'")),
        .unknownCredential: CodeFixture(
            fixture: "codes/e0205-unknown-credential.yaml", line: 7, column: 9,
            message: .exact("unknown credential 'github-token' in 'credentials' of agent 'assistant'")),
        .unknownData: CodeFixture(
            fixture: "codes/e0206-unknown-data.yaml", line: 8, column: 13,
            message: .exact("unknown data element 'documents' in 'reads' of tool 'search'")),
        .unknownReference: CodeFixture(
            fixture: "codes/e0207-unknown-reference.yaml", line: 4, column: 27,
            message: .exact("unknown data element or tool 'private-repo' in 'grants' of credential 'token'")),
        .wrongKindReference: CodeFixture(
            fixture: "codes/e0208-wrong-kind-reference.yaml", line: 4, column: 43,
            message: .exact("'tools' of agent 'assistant' names 'docs', which is a data element; expected a tool")),
        .selfDelegation: CodeFixture(
            fixture: "codes/e0301-self-delegation.yaml", line: 7, column: 15,
            message: .exact("agent 'planner' delegates to itself")),
        .intentToolNotHeld: CodeFixture(
            fixture: "codes/e0302-intent-tool-not-held.yaml", line: 8, column: 39,
            message: .exact("intent 'answer' of agent 'assistant' names tool 'send-mail', which the agent does not hold; add it to the agent's tools")),
        .contradictoryEgress: CodeFixture(
            fixture: "codes/e0303-contradictory-egress.yaml", line: 8, column: 13,
            message: .exact("tool 'post' has the egress effect but says `egress: none`")),
        .toolWithoutEffects: CodeFixture(
            fixture: "codes/w0001-tool-without-effects.yaml", line: 6, column: 9,
            message: .exact("tool 'search' declares no effects; the analysis assumes it has none")),
        .agentWithoutOwner: CodeFixture(
            fixture: "codes/w0002-agent-without-owner.yaml", line: 4, column: 9,
            message: .exact("agent 'assistant' has no owner")),
        .credentialWithoutGrants: CodeFixture(
            fixture: "codes/w0003-credential-without-grants.yaml", line: 6, column: 9,
            message: .exact("credential 'api-key' grants nothing the model names; its reach is unknown")),
        .duplicateEntry: CodeFixture(
            fixture: "codes/w0004-duplicate-entry.yaml", line: 6, column: 35,
            message: .exact("'read' is listed twice in 'effects' of tool 'search'")),
        .memoryNotMemoryKind: CodeFixture(
            fixture: "codes/w0005-memory-not-memory-kind.yaml", line: 7, column: 15,
            message: .exact("agent 'assistant' uses data 'notes' (kind documents) as memory")),
        .controlWithoutTargets: CodeFixture(
            fixture: "codes/w0006-control-without-targets.yaml", line: 6, column: 9,
            message: .exact("control 'audit' applies to nothing, so it cuts nothing; list its targets in applies_to")),
        .unusedElement: CodeFixture(
            fixture: "codes/w0007-unused-element.yaml", line: 7, column: 11,
            message: .exact("tool 'delete-all' is not reachable by any agent")),
        .egressWithoutEffect: CodeFixture(
            fixture: "codes/w0008-egress-without-effect.yaml", line: 8, column: 13,
            message: .exact("tool 'fetch' says `egress: allowlist` without the egress effect; it is treated as an egress")),
    ]

    static func run(_ code: DiagnosticCode) -> (CodeFixture, LoadOutcome)? {
        guard let entry = fixtures[code] else { return nil }
        if let runner = entry.runner { return (entry, runner()) }
        return (entry, load(Fixtures.path(entry.fixture), configure: entry.configure))
    }
}

extension DiagnosticCode {
    var expectedSeverity: Severity { rawValue.hasPrefix("W") ? .warning : .error }
}

@Suite("Diagnostic codes")
struct DiagnosticCodeTests {
    static let modelCodes = DiagnosticCode.allCases

    @Test func codeTableCoversEveryCode() {
        let missing = Self.modelCodes.filter { CodeTable.fixtures[$0] == nil }
        #expect(missing.isEmpty, "no fixture test for \(missing.map(\.rawValue))")
        #expect(CodeTable.fixtures.count == Self.modelCodes.count)
    }

    @Test func codesAreUniqueAndWellFormed() {
        let raw = DiagnosticCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for r in raw {
            #expect(r.wholeMatch(of: /[EW][0-9]{4}/) != nil, "\(r) is not E#### or W####")
        }
    }

    @Test(arguments: DiagnosticCodeTests.modelCodes)
    func fixtureTriggersCode(_ code: DiagnosticCode) throws {
        let (entry, outcome) = try #require(CodeTable.run(code), "no fixture for \(code.rawValue)")
        let d = try #require(outcome.first(code), "\(entry.fixture) did not report \(code.rawValue); it reported:\n\(outcome.listing)")
        #expect(d.severity == code.expectedSeverity)
        #expect(d.path == entry.reportedPath)
        #expect(d.location.line == entry.line, "\(d.text)")
        #expect(d.location.column == entry.column, "\(d.text)")
        switch entry.message {
        case .exact(let m): #expect(d.message == m)
        case .contains(let m): #expect(d.message.contains(m), "\(d.message)")
        }
        // The rendered line carries the same facts, in the compiler convention.
        let location = entry.line > 0 ? "\(entry.reportedPath):\(entry.line):\(entry.column)" : entry.reportedPath
        #expect(d.text == "\(location): \(code.expectedSeverity.rawValue): \(d.message) [\(code.rawValue)]")

        if code.expectedSeverity == .error {
            #expect(outcome.model == nil, "a model with an error must not validate")
        } else {
            // Warning fixtures are otherwise valid: a warning alone never makes a model invalid.
            #expect(outcome.errors.isEmpty, "\(outcome.listing)")
            #expect(outcome.model != nil)
        }
    }

    @Test func jsonDiagnosticsCarryFileLineAndColumn() throws {
        let (entry, outcome) = try #require(CodeTable.run(.unknownTool))
        let rendered = DiagnosticsEmitter.json(outcome.diagnostics).rendered()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [[String: Any]])
        let item = try #require(parsed.first { $0["code"] as? String == "E0203" })
        #expect(item["severity"] as? String == "error")
        #expect(item["file"] as? String == entry.reportedPath)
        #expect(item["line"] as? Int == Int(entry.line))
        #expect(item["column"] as? Int == Int(entry.column))
        #expect((item["message"] as? String)?.hasPrefix("unknown tool 'gh.read_isues'") == true)

        // A whole-directory diagnostic has no line or column.
        let (_, dirOutcome) = try #require(CodeTable.run(.tooManyFiles))
        let dirJSON = DiagnosticsEmitter.json(dirOutcome.diagnostics).rendered()
        let dirParsed = try #require(try JSONSerialization.jsonObject(with: Data(dirJSON.utf8)) as? [[String: Any]])
        #expect(dirParsed.count == 1)
        #expect(dirParsed.first?["line"] is NSNull)
        #expect(dirParsed.first?["column"] is NSNull)
    }

    @Test func includeCycleIsReportedOnceAndTheModelStillMerges() {
        let outcome = load(Fixtures.path("codes/e0110-cycle-a.yaml"))
        #expect(outcome.codes == [.includeCycle], "\(outcome.listing)")
    }

    @Test func secondSystemSectionIsAnError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("main.yaml", "version: 1\nsystem: { name: One }\ninclude: [part.yaml]\n")
        try dir.write("part.yaml", "system: { name: Two }\n")
        let outcome = load(dir.file("main.yaml"))
        let d = try #require(outcome.first(.systemSection), "\(outcome.listing)")
        #expect(d.path == dir.file("part.yaml"))
        #expect(d.location.line == 1 && d.location.column == 9)
        #expect(d.message == "a second `system` section; the first is at \(dir.file("main.yaml")):2:9")
    }

    @Test func missingTopLevelFileIsAFileLevelDiagnostic() throws {
        let dir = try TemporaryDirectory()
        let outcome = load(dir.file("nope.yaml"))
        let d = try #require(outcome.first(.fileUnreadable))
        #expect(d.path == dir.file("nope.yaml"))
        #expect(d.location.line == 0)
        #expect(d.message == "no such file or directory")
        #expect(d.text == "\(dir.file("nope.yaml")): error: no such file or directory [E0002]")
    }
}
