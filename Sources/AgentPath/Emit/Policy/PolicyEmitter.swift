import Foundation
import Mustache

/// Which policy languages to emit.
public enum PolicyTarget: String, Sendable, CaseIterable {
    case cedar, rego, all

    var cedar: Bool { self != .rego }
    var rego: Bool { self != .cedar }
}

/// The Mustache templates of `templates/policy/`. Markup lives in the templates; the
/// emitter only fills in values that `PolicyText` has already escaped. They are rendered by
/// `PolicyTemplate` (the Mustache subset they use, without reflection), which gives the same
/// text as swift-mustache and stays fast on policy files with tens of thousands of rules.
public struct PolicyTemplates: Sendable {
    public static let names = ["schema.cedarschema", "policies.cedar", "policy.rego", "policy_test.rego"]
    let templates: [String: PolicyTemplate]
    let texts: [String: String]

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Loads `<name>.mustache` for every template name from a folder.
    public init(directory: String) throws {
        var loaded: [String: PolicyTemplate] = [:]
        var texts: [String: String] = [:]
        for name in Self.names {
            let path = directory + "/" + name + ".mustache"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw LoadError(description: "cannot read policy template \(path)")
            }
            do {
                loaded[name] = try PolicyTemplate(string: text)
                _ = try MustacheTemplate(string: text)
            } catch {
                throw LoadError(description: "policy template \(path) does not parse: \(error)")
            }
            texts[name] = text
        }
        templates = loaded
        self.texts = texts
    }

    /// The templates shipped in `templates/policy/` (found like the other resources).
    public static func builtin() throws -> PolicyTemplates {
        guard let dir = ResourceLocator.directory("templates") else {
            throw LoadError(description: "cannot find the templates/ folder; set AGENTPATH_HOME to the agentpath folder")
        }
        return try PolicyTemplates(directory: dir + "/policy")
    }

    func render(_ name: String, _ context: [String: TemplateValue]) -> String {
        templates[name]!.render(context)
    }

    /// The same template rendered by swift-mustache, for tests that compare the two renderers.
    func renderWithMustache(_ name: String, _ context: [String: TemplateValue]) throws -> String {
        try Self.renderWithMustache(text: texts[name]!, context)
    }

    static func renderWithMustache(text: String, _ context: [String: TemplateValue]) throws -> String {
        func any(_ v: TemplateValue) -> Any {
            switch v {
            case .text(let t): t
            case .flag(let b): b
            case .texts(let l): l
            case .list(let items): items.map { $0.mapValues(any) }
            }
        }
        return try MustacheTemplate(string: text).render(context.mapValues(any))
    }
}

/// Policy skeletons, their tests and the credential plan: a pure function of the model,
/// its analysis and the templates.
public enum PolicyEmitter {
    public static func files(for vm: ValidatedModel, analysis: AnalysisResult, templates: PolicyTemplates,
                             target: PolicyTarget = .all,
                             vectorsPerGroup: Int = PolicyPlan.defaultVectorsPerGroup) -> [(path: String, bytes: [UInt8])] {
        let plan = PolicyPlan.make(vm, analysis, vectorsPerGroup: vectorsPerGroup)
        var out: [(path: String, bytes: [UInt8])] = []
        if target.cedar {
            out.append(("cedar/schema.cedarschema", Array(templates.render("schema.cedarschema", ["system": .text(PolicyText.comment(vm.model.system.name))]).utf8)))
            out.append(("cedar/policies.cedar", Array(templates.render("policies.cedar", cedarContext(plan)).utf8)))
            out.append(("cedar/entities.json", entities(vm, plan).bytes()))
            out.append(("cedar/requests.json", cedarRequests(plan).bytes()))
        }
        if target.rego {
            out.append(("rego/agentpath.rego", Array(templates.render("policy.rego", regoContext(plan)).utf8)))
            out.append(("rego/agentpath_test.rego", Array(templates.render("policy_test.rego", regoTestContext(plan)).utf8)))
        }
        out.append(("vectors.json", vectors(plan).bytes()))
        out.append(("credential-plan.json", credentialPlan(vm, analysis, plan).bytes()))
        return out
    }

    // ---- template contexts -------------------------------------------------

    typealias Context = [String: TemplateValue]

    static func contexts(_ plan: PolicyPlan, system: String) -> [String: Context] {
        [
            "schema.cedarschema": ["system": .text(PolicyText.comment(system))],
            "policies.cedar": cedarContext(plan), "policy.rego": regoContext(plan), "policy_test.rego": regoTestContext(plan),
        ]
    }

    static func common(_ plan: PolicyPlan) -> Context {
        [
            "system": .text(PolicyText.comment(plan.system.name)),
            "has_uncovered": .flag(!plan.uncovered.isEmpty),
            "uncovered": .list(plan.uncovered.map { u -> Context in
                ["fingerprint": .text(u.fingerprint), "rule": .text(PolicyText.comment(u.rule)),
                 "path": .text(PolicyText.comment(u.path, limit: 400)), "cut": .text(PolicyText.comment(u.cut))]
            }),
        ]
    }

    /// The findings a cut's comment lists with their paths (the first few), and a one-line
    /// count per rule of the rest, whose fingerprints are in `@findings` and the deny message.
    static func reasons(_ cut: PolicyPlan.Cut) -> TemplateValue {
        .list(cut.reasons.prefix(PolicyPlan.listedReasonsPerCut).map { r in
            var d: Context = [
                "fingerprint": .text(r.fingerprint), "rule": .text(PolicyText.comment(r.rule)), "title": .text(PolicyText.comment(r.title)),
                "step": .text(String(r.step + 1)), "path": .text(PolicyText.comment(r.path, limit: 600)),
            ]
            if let n = r.namedCut { d["named"] = .text(PolicyText.comment(n)) }
            return d
        })
    }

    static func moreReasons(_ cut: PolicyPlan.Cut) -> String? {
        let rest = cut.reasons.dropFirst(PolicyPlan.listedReasonsPerCut)
        guard !rest.isEmpty else { return nil }
        var order: [String] = []
        var counts: [String: Int] = [:]
        for r in rest {
            if counts[r.rule] == nil { order.append(r.rule) }
            counts[r.rule, default: 0] += 1
        }
        let byRule = order.map { "\($0): \(counts[$0]!)" }.joined(separator: ", ")
        return PolicyText.comment("and \(rest.count) more finding\(rest.count == 1 ? "" : "s") cut at this step (\(byRule))", limit: 1000)
    }

    /// The framework items of all the cut's findings, once each, grouped by catalog in order of
    /// first appearance: `owasp-llm-2025: LLM01:2025, LLM02:2025; mitre-atlas: AML.T0051.001`.
    static func frameworksByCatalog(_ cut: PolicyPlan.Cut) -> String {
        var catalogs: [String] = []
        var items: [String: [String]] = [:]
        for ref in cut.frameworks {
            if items[ref.catalog] == nil { catalogs.append(ref.catalog) }
            items[ref.catalog, default: []].append(ref.id)
        }
        return catalogs.map { "\($0): " + items[$0]!.joined(separator: ", ") }.joined(separator: "; ")
    }

    static func cutCommon(_ cut: PolicyPlan.Cut) -> Context {
        var d: Context = [
            "id": .text(cut.id), "summary": .text(PolicyText.comment(cut.summary)), "todo": .text(PolicyText.comment(cut.todo)),
            "action": .text(cut.action.rawValue), "resource_type": .text(cut.action.cedarResource),
            "reasons": reasons(cut),
            "is_egress": .flag(cut.kind == .egress), "is_approval": .flag(cut.kind == .approval), "is_delegation": .flag(cut.kind == .delegation),
            "is_credential": .flag(cut.kind == .credential), "is_memory": .flag(cut.kind == .memory),
            "has_destinations": .flag(!cut.destinations.isEmpty),
        ]
        if let more = moreReasons(cut) { d["more"] = .text(more) }
        return d
    }

    static func grantCommon(_ g: PolicyPlan.Grant) -> Context {
        var d: Context = [
            "id": .text(g.id), "action": .text(g.action.rawValue), "resource_type": .text(g.action.cedarResource),
            "comment": .texts(g.comment.map { PolicyText.comment($0, limit: 400) }),
            "has_intent": .flag(g.intent != nil), "has_depth": .flag(g.maxDepth != nil),
        ]
        if let depth = g.maxDepth { d["max_depth"] = .text(String(depth)) }
        return d
    }

    static func cedarContext(_ plan: PolicyPlan) -> Context {
        var ctx = common(plan)
        ctx["grants"] = .list(plan.grants.map { g -> Context in
            var d = grantCommon(g)
            d["agent"] = .text(PolicyText.cedar(g.agent))
            if let intent = g.intent {
                d["intent"] = .text(PolicyText.cedar(intent))
                d["resources"] = .text(g.resources.map { cedarUID(g.action.cedarResource, $0) }.joined(separator: ", "))
            } else {
                d["resource"] = .text(PolicyText.cedar(g.resource))
            }
            return d
        })
        ctx["cuts"] = .list(plan.cuts.map { c -> Context in
            var d = cutCommon(c)
            d["fingerprints"] = .text(c.reasons.map(\.fingerprint).joined(separator: ","))
            d["frameworks"] = .text(PolicyText.comment(frameworksByCatalog(c), limit: 2000))
            if let a = c.agent { d["agent"] = .text(PolicyText.cedar(a)) }
            d["resource"] = .text(PolicyText.cedar(c.resource))
            d["destinations"] = .text(c.destinations.map(PolicyText.cedar).joined(separator: ", "))
            return d
        })
        return ctx
    }

    static func regoContext(_ plan: PolicyPlan) -> Context {
        var ctx = common(plan)
        ctx["credentials"] = .list(plan.credentialTTL.map { ["id": .text(PolicyText.rego($0.id)), "seconds": .text(String($0.seconds))] })
        ctx["grants"] = .list(plan.grants.map { g -> Context in
            var d = grantCommon(g)
            d["agent_rego"] = .text(PolicyText.rego(g.agent))
            if let intent = g.intent {
                d["intent_rego"] = .text(PolicyText.rego(intent))
                d["resources_set"] = .text("{" + g.resources.map(PolicyText.rego).joined(separator: ", ") + "}")
            } else {
                d["resource_rego"] = .text(PolicyText.rego(g.resource))
            }
            return d
        })
        ctx["cuts"] = .list(plan.cuts.map { c -> Context in
            var d = cutCommon(c)
            if let a = c.agent { d["agent_rego"] = .text(PolicyText.rego(a)) }
            d["resource_rego"] = .text(PolicyText.rego(c.resource))
            d["message_rego"] = .text(PolicyText.rego(c.message))
            d["destinations_set"] = .text("{" + c.destinations.map(PolicyText.rego).joined(separator: ", ") + "}")
            return d
        })
        return ctx
    }

    static func regoTestContext(_ plan: PolicyPlan) -> Context {
        [
            "system": .text(PolicyText.comment(plan.system.name)),
            "per_group": .text(String(plan.vectorsPerGroup)),
            "left_out": .text(String(plan.vectorGroups.reduce(0) { $0 + $1.total - $1.kept })),
            "vectors": .list(plan.vectors.enumerated().map { i, v -> Context in
                ["index": .text(String(format: "%03d", i + 1)), "name": .text(PolicyText.comment(v.name)), "allow": .flag(v.allow),
                 "input": .text(regoInput(v.request).rendered(pretty: false))]
            }),
        ]
    }

    // ---- JSON outputs --------------------------------------------------------

    /// The Rego input document for a request.
    public static func regoInput(_ r: PolicyPlan.Request) -> JSON {
        .object([
            ("agent", .string(r.agent)), ("action", .string(r.action.rawValue)),
            ("tool", .string(r.action == .callTool ? r.resource : "")),
            ("resource", .object([("type", .string(r.action.resourceType)), ("id", .string(r.resource))])),
            ("context", r.context.json),
        ])
    }

    static func vectors(_ plan: PolicyPlan) -> JSON {
        .object([
            ("format", .string("agentpath-policy-vectors")), ("version", .int(2)), ("system", .string(plan.system.id)),
            ("selection", .object([
                ("per_group", .int(plan.vectorsPerGroup)),
                ("total", .int(plan.vectorGroups.reduce(0) { $0 + $1.total })),
                ("kept", .int(plan.vectors.count)),
                ("left_out", .int(plan.vectorGroups.reduce(0) { $0 + $1.total - $1.kept })),
                ("groups", .array(plan.vectorGroups.map { g in
                    .object([("group", .string(g.group)), ("total", .int(g.total)), ("kept", .int(g.kept))])
                })),
            ])),
            ("vectors", .array(plan.vectors.map { v in
                .object([
                    ("name", .string(v.name)), ("expect", .string(v.allow ? "allow" : "deny")),
                    ("policy", JSON.optional(v.policy)), ("finding", JSON.optional(v.finding)),
                    ("request", .object([
                        ("principal", .object([("type", .string("agent")), ("id", .string(v.request.agent))])),
                        ("action", .string(v.request.action.rawValue)),
                        ("resource", .object([("type", .string(v.request.action.resourceType)), ("id", .string(v.request.resource))])),
                        ("context", v.request.context.json),
                    ])),
                ])
            })),
        ])
    }

    static func cedarUID(_ type: String, _ id: String) -> String { "AgentPath::\(type)::\(PolicyText.cedar(id))" }

    static func cedarRequests(_ plan: PolicyPlan) -> JSON {
        .array(plan.vectors.map { v in
            .object([
                ("name", .string(v.name)),
                ("principal", .string(cedarUID("Agent", v.request.agent))),
                ("action", .string("AgentPath::Action::\"\(v.request.action.rawValue)\"")),
                ("resource", .string(cedarUID(v.request.action.cedarResource, v.request.resource))),
                ("context", v.request.context.json),
                ("expected", .string(v.allow ? "Allow" : "Deny")),
                ("policy", JSON.optional(v.policy)),
            ])
        })
    }

    static func ref(_ type: String, _ id: String) -> JSON {
        .object([("__entity", .object([("type", .string("AgentPath::\(type)")), ("id", .string(id))]))])
    }

    static func uid(_ type: String, _ id: String) -> JSON {
        .object([("type", .string("AgentPath::\(type)")), ("id", .string(id))])
    }

    static func entities(_ vm: ValidatedModel, _ plan: PolicyPlan) -> JSON {
        let m = vm.model
        var out: [JSON] = []
        for h in m.humans {
            out.append(.object([("uid", uid("Human", h.id)), ("attrs", .object([
                ("name", .string(h.info.displayName)), ("role", .string(h.role.rawValue))])), ("parents", .array([]))]))
        }
        for a in m.agents {
            out.append(.object([("uid", uid("Agent", a.id)), ("attrs", .object([
                ("name", .string(a.info.displayName)), ("owner", .string(a.info.owner ?? "")),
                ("autonomy", .string(a.autonomy.rawValue)),
                ("identity", .string(a.identity.map { $0.id ?? $0.kind.rawValue } ?? "")),
                ("tools", .array(a.tools.filter { vm.tool($0.id) != nil }.map { ref("Tool", $0.id) })),
                ("credentials", .array(a.credentials.filter { vm.credential($0.id) != nil }.map { ref("Credential", $0.id) })),
                ("intents", JSON.strings(a.intents.map(\.id))),
            ])), ("parents", .array([]))]))
        }
        for s in m.mcpServers {
            out.append(.object([("uid", uid("McpServer", s.id)), ("attrs", .object([
                ("name", .string(s.info.displayName)), ("pinned", .bool(s.pinned)), ("publisher", .string(s.publisher.rawValue))])),
                ("parents", .array([]))]))
        }
        for t in m.tools {
            out.append(.object([("uid", uid("Tool", t.id)), ("attrs", .object([
                ("name", .string(t.info.displayName)), ("effects", JSON.strings(t.effects.map(\.rawValue))),
                ("egress", .string(t.egress.rawValue)),
                ("credentials", .array(t.credential.flatMap { vm.credential($0.id) != nil ? [ref("Credential", $0.id)] : [] } ?? [])),
            ])), ("parents", .array(t.server.flatMap { vm.server($0.id) != nil ? [uid("McpServer", $0.id)] : [] } ?? []))]))
        }
        for d in m.data {
            let zoneUntrusted = d.zone.flatMap { vm.zone($0.id) }?.trust == .untrusted
            let trusted = d.trust.map { $0 == .trusted } ?? !zoneUntrusted
            out.append(.object([("uid", uid("Data", d.id)), ("attrs", .object([
                ("name", .string(d.info.displayName)), ("sensitivity", .string(d.sensitivity.rawValue)),
                ("sensitivity_rank", .int(d.sensitivity.rank)), ("trusted", .bool(trusted))])), ("parents", .array([]))]))
        }
        let ttlByCredential = Dictionary(plan.credentialTTL.map { ($0.id, $0.seconds) }, uniquingKeysWith: { first, _ in first })
        for c in m.credentials {
            let ttl = ttlByCredential[c.id] ?? PolicyPlan.recommendedTTL
            out.append(.object([("uid", uid("Credential", c.id)), ("attrs", .object([
                ("name", .string(c.info.displayName)), ("kind", .string(c.kind?.rawValue ?? "")),
                ("scopes", JSON.strings(c.scopes)), ("ttl_seconds", .int(ttl)), ("declared_ttl", .string(c.ttl.description)),
                ("issued", .string(c.issued.rawValue)), ("revocation", .string(c.revocation.rawValue))])), ("parents", .array([]))]))
        }
        return .array(out)
    }

    /// Per agent and intent: the credentials its tools need, with the scopes, TTL and
    /// revocation trigger a just-in-time broker should issue them with.
    static func credentialPlan(_ vm: ValidatedModel, _ analysis: AnalysisResult, _ plan: PolicyPlan) -> JSON {
        let m = vm.model
        // The open findings through each credential (as a step's element or via), in finding
        // order: one pass over the findings instead of one per credential grant.
        var findingsByCredential: [String: [String]] = [:]
        for f in analysis.findings where f.status != .mitigated {
            var ids = Set<String>()
            for s in f.steps {
                ids.insert(s.element)
                if let v = s.via { ids.insert(v) }
            }
            for id in ids where vm.credential(id) != nil { findingsByCredential[id, default: []].append(f.fingerprint) }
        }
        let ttlByCredential = Dictionary(plan.credentialTTL.map { ($0.id, $0.seconds) }, uniquingKeysWith: { first, _ in first })
        var grants: [String: JSON] = [:]
        func grant(_ c: Credential) -> JSON {
            if let g = grants[c.id] { return g }
            let g = makeGrant(c)
            grants[c.id] = g
            return g
        }
        func makeGrant(_ c: Credential) -> JSON {
            let ttl = ttlByCredential[c.id] ?? PolicyPlan.recommendedTTL
            var notes: [String] = []
            if c.issued != .jit { notes.append("issue just in time through the broker instead of a static secret") }
            if c.ttl.seconds == nil || (c.ttl.seconds ?? 0) > 3600 { notes.append("declared TTL \(c.ttl) replaced by \(TTL.seconds(ttl))") }
            if c.revocation != .onTaskEnd { notes.append("revoke at task end (declared: \(c.revocation.rawValue))") }
            return .object([
                ("credential", .string(c.id)), ("kind", JSON.optional(c.kind?.rawValue)),
                ("scopes", JSON.strings(c.scopes)), ("ttl_seconds", .int(ttl)), ("declared_ttl", .string(c.ttl.description)),
                ("revocation_trigger", .string("task_end")), ("renewable", .bool(false)),
                ("delegable", .bool(false)), ("findings", JSON.strings(findingsByCredential[c.id] ?? [])), ("notes", JSON.strings(notes)),
                ("todo", .string("narrow the scopes to what this intent's tools use")),
            ])
        }
        var agents: [JSON] = []
        for a in m.agents {
            var intents: [JSON] = []
            var used = Set<String>()
            for i in a.intents {
                var creds: [String] = []
                var seen = Set<String>()
                for t in i.tools { if let c = vm.tool(t.id)?.credential?.id, seen.insert(c).inserted { creds.append(c) } }
                used.formUnion(creds)
                intents.append(.object([("intent", .string(i.id)), ("tools", JSON.strings(i.tools.map(\.id))),
                                        ("credentials", .array(creds.compactMap { vm.credential($0) }.map(grant)))]))
            }
            let unused = a.credentials.map(\.id).filter { !used.contains($0) }
            agents.append(.object([("agent", .string(a.id)), ("identity", JSON.optional(a.identity.map { $0.id ?? $0.kind.rawValue })),
                                   ("intents", .array(intents)),
                                   ("held_outside_intents", JSON.strings(unused))]))
        }
        return .object([("format", .string("agentpath-credential-plan")), ("version", .int(1)),
                        ("system", .string(m.system.id)), ("broker", .string("just-in-time")),
                        ("agents", .array(agents))])
    }
}
