import Foundation
import Testing
@testable import AgentPath

/// Policy skeletons: emitted for a model, then judged by the real engines through
/// Tests/scripts/check_policies.py (cedarpy, regorus via opa-eval, rego-cpp via regopy).
enum PolicyFixtures {
    static let directory = RepoPaths.path("Tests/AgentPathTests/Fixtures/policy")
    static let checker = RepoPaths.path("Tests/scripts/check_policies.py")
    static let templates = Result { try PolicyTemplates(directory: RepoPaths.path("templates/policy")) }

    struct Emitted {
        var model: ValidatedModel
        var analysis: AnalysisResult
        var plan: PolicyPlan
        var files: [(path: String, bytes: [UInt8])]
        var folder: String

        func text(_ path: String) -> String {
            String(decoding: files.first { $0.path == path }?.bytes ?? [], as: UTF8.self)
        }
    }

    /// Loads, analyzes with the built-in frameworks, emits every target and writes the files to a temporary folder.
    static func emit(_ modelPath: String) throws -> Emitted {
        let diagnostics = DiagnosticCollector()
        let vm = try #require(Pipeline().load(path: modelPath, diagnostics: diagnostics), "\(modelPath) does not validate: \(diagnostics.sorted)")
        let analysis = Analyzer(frameworks: FrameworkFixtures.builtin.set).analyze(vm)
        let files = PolicyEmitter.files(for: vm, analysis: analysis, templates: try templates.get(), target: .all)
        let folder = RepoPaths.tempDir().appendingPathComponent(vm.model.system.id).path
        try OutputWriter(root: folder).write(files)
        return Emitted(model: vm, analysis: analysis, plan: PolicyPlan.make(vm, analysis), files: files, folder: folder)
    }

    /// Runs the engine checker; it fails loudly (exit 2) when an engine is missing.
    static func check(_ folder: String) throws -> (status: Int32, output: String) {
        try RepoPaths.run(["python3", checker, folder])
    }

    static func summary(_ output: String) -> (passed: Int, failed: Int)? {
        guard let line = output.split(separator: "\n").last(where: { $0.hasSuffix(" failed") }) else { return nil }
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
    }
}

@Suite struct PolicyEngineTests {
    @Test(arguments: RepoPaths.exampleModels)
    func examplePoliciesPassTheEngines(model: String) throws {
        let e = try PolicyFixtures.emit(model)
        let result = try PolicyFixtures.check(e.folder)
        let counts = PolicyFixtures.summary(result.output)
        #expect(result.status == 0, "\(model): \(result.output)")
        #expect(counts != nil && counts!.failed == 0 && counts!.passed > 0, "\(result.output)")
        #expect(!e.plan.vectors.isEmpty)
    }

    @Test func hardenedExampleAllowsEveryDeclaredFlow() throws {
        let e = try PolicyFixtures.emit(RepoPaths.path("models/devops-pipeline-hardened.yaml"))
        let m = e.model.model
        // Every tool an intent lists is a flow that must be allowed.
        for a in m.agents {
            for i in a.intents {
                for t in i.tools where a.tools.contains(where: { $0.id == t.id }) {
                    #expect(e.plan.vectors.contains { $0.allow && $0.request.agent == a.id && $0.request.resource == t.id && $0.request.context.intent == i.id },
                            "no allow vector for \(a.id) \(t.id) in \(i.id)")
                }
            }
            for d in a.delegates {
                #expect(e.plan.vectors.contains { $0.allow && $0.request.action == .delegate && $0.request.agent == a.id && $0.request.resource == d.to.id })
            }
        }
        #expect(e.plan.vectors.filter(\.allow).count > 0)
        let result = try PolicyFixtures.check(e.folder)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func codingAssistantDeniesTheExfiltrationEgressStep() throws {
        let e = try PolicyFixtures.emit(RepoPaths.path("models/coding-assistant.yaml"))
        let exfil = e.analysis.paths.filter { $0.rule == "AP001" && $0.status != .mitigated }
        #expect(!exfil.isEmpty)
        for f in exfil {
            let deny = e.plan.vectors.first { !$0.allow && $0.finding == f.fingerprint }
            let v = try #require(deny, "no deny vector for \(f.fingerprint)")
            let cut = try #require(e.plan.cuts.first { $0.id == v.policy })
            #expect(cut.kind == .egress)
            let last = try #require(f.steps.last)
            #expect([.egress, .publicWrite].contains(last.technique))
            #expect(v.request.action == .callTool && v.request.resource == last.via)
        }
        #expect(e.text("cedar/policies.cedar").contains("@id(\"cut-egress-assistant-gh.open_pr\")"))
        #expect(e.text("rego/agentpath.rego").contains("deny contains \"cut-egress-assistant-gh.open_pr: "))
        let result = try PolicyFixtures.check(e.folder)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func everyRuleNamesItsFindingsFrameworksAndATodo() throws {
        let e = try PolicyFixtures.emit(RepoPaths.path("models/devops-pipeline.yaml"))
        let cedar = e.text("cedar/policies.cedar")
        let rego = e.text("rego/agentpath.rego")
        #expect(!e.plan.cuts.isEmpty)
        for cut in e.plan.cuts {
            for r in cut.reasons {
                #expect(cedar.contains("// finding \(r.fingerprint)"))
                #expect(rego.contains("# finding \(r.fingerprint)"))
                #expect(cut.message.contains(r.fingerprint))
            }
            let block = cedar.components(separatedBy: "@id(\"\(cut.id)\")")[0].components(separatedBy: "\n\n").last ?? ""
            #expect(block.contains("// TODO: "), "\(cut.id) has no TODO")
            #expect(block.contains("frameworks: "), "\(cut.id) names no frameworks")
        }
    }
}

@Suite struct PolicyEscapingTests {
    static let marker = "PWNED"

    @Test func hostileStringsStayInsideLiteralsAndComments() throws {
        let e = try PolicyFixtures.emit(PolicyFixtures.directory + "/hostile.yaml")
        // Every line that carries hostile text is a comment or holds it inside an escaped literal.
        for path in ["cedar/policies.cedar", "cedar/schema.cedarschema", "rego/agentpath.rego", "rego/agentpath_test.rego"] {
            for line in e.text(path).split(separator: "\n", omittingEmptySubsequences: false) where line.contains(Self.marker) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                let isComment = trimmed.hasPrefix("//") || trimmed.hasPrefix("#")
                let inLiteral = trimmed.hasPrefix("when {") || trimmed.hasPrefix("unless {") || trimmed.hasPrefix("input.context.")
                    || trimmed.hasPrefix("not input.context.") || trimmed.hasPrefix("authz.allow with input as") || trimmed.hasPrefix("not authz.allow with input as")
                #expect(isComment || inLiteral, "\(path): hostile text outside a comment or literal: \(line)")
            }
            // No raw control characters from the model survive.
            #expect(!e.text(path).unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "\(path) holds a raw control character")
        }
        // The fake rules in names never become rules: the rule counts are what the plan says.
        let cedar = e.text("cedar/policies.cedar")
        let rules = cedar.split(separator: "\n").filter { $0.hasPrefix("permit (") || $0.hasPrefix("forbid (") }
        #expect(rules.count == e.plan.grants.count + e.plan.cuts.count + 2)
        let rego = e.text("rego/agentpath.rego")
        #expect(rego.split(separator: "\n").filter { $0.hasPrefix("permit contains") }.count == e.plan.grants.count)
        #expect(rego.split(separator: "\n").filter { $0.hasPrefix("allow ") || $0.hasPrefix("allow:") }.count == 1)
        // The destinations, quotes and all, are matched exactly by all three engines.
        #expect(e.plan.vectors.contains { $0.allow && $0.request.context.destination.contains(Self.marker) })
        let result = try PolicyFixtures.check(e.folder)
        #expect(result.status == 0, "\(result.output)")
        let counts = PolicyFixtures.summary(result.output)
        #expect(counts?.failed == 0 && (counts?.passed ?? 0) > 20)
    }

    @Test func literalEscapes() {
        #expect(PolicyText.cedar("a\"b\\c\nd") == "\"a\\\"b\\\\c\\u{a}d\"")
        #expect(PolicyText.rego("a\"b\\c\nd\u{1F600}") == "\"a\\\"b\\\\c\\nd\\ud83d\\ude00\"")
        #expect(PolicyText.comment("x\n} permit(principal, action, resource);\r\n// y") == "x } permit(principal, action, resource); // y")
        #expect(PolicyText.isSafeID("gh.open_pr-2"))
        #expect(!PolicyText.isSafeID("a\"b"))
        #expect(PolicyText.policyID(["cut", "A\"b"]) == "cut-__b")
    }
}

@Suite struct PolicyGoldenTests {
    /// Set AGENTPATH_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
    @Test func smallModelMatchesGoldenFiles() throws {
        let e = try PolicyFixtures.emit(PolicyFixtures.directory + "/small.yaml")
        let golden = PolicyFixtures.directory + "/golden"
        if ProcessInfo.processInfo.environment["AGENTPATH_UPDATE_GOLDEN"] == "1" {
            try OutputWriter(root: golden).write(e.files)
        }
        for f in e.files {
            let expected = try? String(contentsOfFile: golden + "/" + f.path, encoding: .utf8)
            #expect(expected == String(decoding: f.bytes, as: UTF8.self), "\(f.path) differs from the golden file (AGENTPATH_UPDATE_GOLDEN=1 rewrites it)")
        }
        let result = try PolicyFixtures.check(golden)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func buildWritesPoliciesIntoTheMainJob() throws {
        let e = try PolicyFixtures.emit(PolicyFixtures.directory + "/small.yaml")
        let files = BuildOutputs.files(for: e.model, analysis: e.analysis, diagnostics: [], policyTemplates: try PolicyFixtures.templates.get())
        let paths = Set(files.map(\.path))
        for p in ["policies/cedar/policies.cedar", "policies/cedar/schema.cedarschema", "policies/cedar/entities.json",
                  "policies/cedar/requests.json", "policies/rego/agentpath.rego", "policies/rego/agentpath_test.rego",
                  "policies/vectors.json", "policies/credential-plan.json"] {
            #expect(paths.contains(p), "missing \(p)")
        }
    }
}
