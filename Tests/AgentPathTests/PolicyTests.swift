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
            // Each finding is closed by an egress cut at its last step, and each cut has one denial.
            let cut = try #require(e.plan.cuts.first { $0.reasons.contains { $0.fingerprint == f.fingerprint } }, "no cut for \(f.fingerprint)")
            #expect(cut.kind == .egress)
            let last = try #require(f.steps.last)
            #expect([.egress, .publicWrite].contains(last.technique))
            #expect(cut.resource == last.via)
            let v = try #require(e.plan.vectors.first { !$0.allow && $0.policy == cut.id }, "no deny vector for \(cut.id)")
            #expect(v.request.action == .callTool && v.request.resource == last.via)
            #expect(v.finding == cut.reasons[0].fingerprint)
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
        #expect(e.plan.cuts.contains { $0.reasons.count > PolicyPlan.listedReasonsPerCut }, "no cut exercises the listing cap")
        for cut in e.plan.cuts {
            let block = cedar.components(separatedBy: "@id(\"\(cut.id)\")")[0].components(separatedBy: "\n\n").last ?? ""
            let regoBlock = rego.components(separatedBy: "deny contains \(PolicyText.rego(cut.message))")[0].components(separatedBy: "\n\n").last ?? ""
            // The first findings are listed with their paths; all are in @findings and the deny message.
            for (i, r) in cut.reasons.enumerated() {
                #expect(block.contains("// finding \(r.fingerprint)") == (i < PolicyPlan.listedReasonsPerCut))
                #expect(regoBlock.contains("# finding \(r.fingerprint)") == (i < PolicyPlan.listedReasonsPerCut))
                #expect(cut.message.contains(r.fingerprint))
            }
            #expect(cedar.contains("@id(\"\(cut.id)\")\n@findings(\"\(cut.reasons.map(\.fingerprint).joined(separator: ","))\")"))
            let rest = cut.reasons.count - PolicyPlan.listedReasonsPerCut
            #expect(block.contains("// and \(rest) more finding") == (rest > 0), "\(cut.id): count of the findings not listed")
            #expect(regoBlock.contains("# and \(rest) more finding") == (rest > 0), "\(cut.id): count of the findings not listed")
            #expect(block.contains("// TODO: "), "\(cut.id) has no TODO")
            #expect(block.contains("// frameworks: "), "\(cut.id) names no frameworks")
            #expect(regoBlock.contains("# TODO: ") && !regoBlock.contains("# frameworks: "), "Rego: the frameworks are in the deny message only")
            #expect(cut.message.contains("[frameworks: ") && cut.reasons.allSatisfy { r in r.frameworks.allSatisfy { cut.message.contains($0) } })
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

@Suite struct PolicySelectionTests {
    static func analyzed(_ path: String) throws -> (ValidatedModel, AnalysisResult) {
        let diagnostics = DiagnosticCollector()
        let vm = try #require(Pipeline().load(path: path, diagnostics: diagnostics), "\(path) does not validate: \(diagnostics.sorted)")
        return (vm, Analyzer(frameworks: FrameworkFixtures.builtin.set).analyze(vm))
    }

    /// One permit per agent intent, over the intent's tools the agent holds; together they cover
    /// exactly the (agent, intent, tool) triples the model declares.
    @Test func toolGrantsArePerIntent() throws {
        let (vm, analysis) = try Self.analyzed(RepoPaths.path("models/coding-assistant.yaml"))
        let plan = PolicyPlan.make(vm, analysis)
        var granted = Set<String>()
        for g in plan.grants where g.action == .callTool {
            let intent = try #require(g.intent)
            #expect(g.id == PolicyText.policyID(["grant-intent", g.agent, intent]))
            for t in g.resources { granted.insert("\(g.agent) \(intent) \(t)") }
        }
        var declared = Set<String>()
        for a in vm.model.agents {
            for i in a.intents {
                for t in i.tools where a.tools.contains(where: { $0.id == t.id }) && vm.tool(t.id) != nil { declared.insert("\(a.id) \(i.id) \(t.id)") }
            }
        }
        #expect(!declared.isEmpty && granted == declared)
        #expect(plan.grants.filter { $0.action != .callTool }.allSatisfy { $0.intent == nil && $0.resources.count == 1 })
    }

    /// With a cap, each group keeps at most that many vectors, evenly spread and in order, and
    /// vectors.json counts what was left out. The engines still pass on the selection.
    @Test func capKeepsAnEvenSpreadPerGroupAndCountsTheRest() throws {
        let (vm, analysis) = try Self.analyzed(RepoPaths.path("models/devops-pipeline.yaml"))
        let all = PolicyPlan.make(vm, analysis)
        #expect(all.vectorGroups.allSatisfy { $0.kept == $0.total }, "the example model is under the default cap")
        #expect(all.cuts.allSatisfy { c in all.vectors.filter { !$0.allow && $0.policy == c.id }.count == 1 }, "one denial per cut")
        let cap = 2
        let some = PolicyPlan.make(vm, analysis, vectorsPerGroup: cap)
        #expect(some.vectorGroups.map(\.group) == all.vectorGroups.map(\.group))
        #expect(some.vectorGroups.map(\.total) == all.vectorGroups.map(\.total))
        #expect(some.vectorGroups.contains { $0.total > cap })
        for g in some.vectorGroups {
            let kept = some.vectors.filter { $0.group == g.group }
            let full = all.vectors.filter { $0.group == g.group }
            #expect(g.kept == min(g.total, cap) && kept.count == g.kept)
            #expect(kept.first?.name == full.first?.name, "the first of each group is kept")
            // Kept vectors are a subsequence of the group, in order.
            var it = full.makeIterator()
            #expect(kept.allSatisfy { k in while let f = it.next() { if f.name == k.name { return true } }; return false })
        }
        let files = PolicyEmitter.files(for: vm, analysis: analysis, templates: try PolicyFixtures.templates.get(), vectorsPerGroup: cap)
        let doc = String(decoding: files.first { $0.path == "vectors.json" }!.bytes, as: UTF8.self)
        let leftOut = some.vectorGroups.reduce(0) { $0 + $1.total - $1.kept }
        #expect(leftOut > 0 && doc.contains("\"left_out\": \(leftOut),") && doc.contains("\"per_group\": \(cap),"))
        let folder = RepoPaths.tempDir().appendingPathComponent("capped").path
        try OutputWriter(root: folder).write(files)
        let result = try PolicyFixtures.check(folder)
        #expect(result.status == 0, "\(result.output)")
    }

    /// A generated 2,000-element model: same bytes on a second run, a bounded number of vectors,
    /// and every file well under the per-element size the emitter had before the caps.
    @Test func generatedModelOutputIsBoundedAndDeterministic() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("r.yaml")
        let r = try runProcess("/usr/bin/env", ["python3", Paths.inPackage("benchmarks/gen_model.py"), "2000", "--seed", "1", "--topology", "realistic", "-o", path])
        #expect(r.status == 0, "the generator needs python3: \(r.stderr)")
        let (vm, analysis) = try Self.analyzed(path)
        let templates = try PolicyFixtures.templates.get()
        let a = PolicyEmitter.files(for: vm, analysis: analysis, templates: templates)
        let b = PolicyEmitter.files(for: vm, analysis: analysis, templates: templates)
        #expect(a.map(\.path) == b.map(\.path))
        #expect(zip(a, b).allSatisfy { $0.bytes == $1.bytes }, "two emits of one model must give the same bytes")
        let plan = PolicyPlan.make(vm, analysis)
        #expect(plan.vectors.count <= plan.vectorGroups.count * PolicyPlan.defaultVectorsPerGroup)
        #expect(plan.vectorGroups.contains { $0.kept < $0.total }, "the cap is reached on this model")
        let elements = vm.model.elementCount
        for f in a {
            // Bytes per model element; before the caps, policies.cedar alone took about 2,250.
            let limit = f.path.hasSuffix("requests.json") || f.path.hasSuffix("vectors.json") || f.path.hasSuffix("_test.rego") ? 300 : 1200
            #expect(f.bytes.count <= limit * elements, "\(f.path): \(f.bytes.count) bytes for \(elements) elements")
        }
    }
}

@Suite struct PolicyTemplateTests {
    static let models = RepoPaths.exampleModels + [PolicyFixtures.directory + "/hostile.yaml", PolicyFixtures.directory + "/small.yaml"]

    /// The policy renderer gives the same text as swift-mustache for every template and model.
    @Test(arguments: Self.models)
    func rendererMatchesSwiftMustache(model: String) throws {
        let (vm, analysis) = try PolicySelectionTests.analyzed(model)
        let plan = PolicyPlan.make(vm, analysis)
        let templates = try PolicyFixtures.templates.get()
        let contexts = PolicyEmitter.contexts(plan, system: vm.model.system.name)
        #expect(Set(contexts.keys) == Set(PolicyTemplates.names))
        for (name, ctx) in contexts {
            let ours = templates.render(name, ctx)
            let reference = try templates.renderWithMustache(name, ctx)
            #expect(ours == reference, "\(name) for \(model) differs from swift-mustache")
        }
    }

    @Test func sectionsStandaloneLinesAndCommentsFollowMustache() throws {
        let text = "a {{{x}}}\n{{! note }}\n{{#items}}\n  - {{{name}}}{{#on}} on{{/on}}{{^on}} off{{/on}}\n{{/items}}\n{{^items}}\nnone\n{{/items}}\n{{#words}}[{{{.}}}]{{/words}}\n  {{#x}}\nx is {{{x}}}\n  {{/x}}\nend"
        let t = try PolicyTemplate(string: text)
        let ctx: [String: TemplateValue] = [
            "x": .text("1"), "words": .texts(["p", "q"]),
            "items": .list([["name": .text("n1"), "on": .flag(true)], ["name": .text("n2"), "on": .flag(false)]]),
        ]
        let expected = "a 1\n  - n1 on\n  - n2 off\n[p][q]\nx is 1\nend"
        #expect(t.render(ctx) == expected)
        #expect(try PolicyTemplates.renderWithMustache(text: text, ctx) == expected)
        #expect(throws: PolicyTemplate.ParseError.self) { try PolicyTemplate(string: "{{#a}}x") }
        #expect(throws: PolicyTemplate.ParseError.self) { try PolicyTemplate(string: "{{x}}") }
    }
}
