import Foundation
import Mustache

/// Which policy languages to emit.
public enum PolicyTarget: String, Sendable, CaseIterable {
    case cedar, rego, all

    var cedar: Bool { self != .rego }
    var rego: Bool { self != .cedar }
}

/// The Mustache templates of `templates/policy/`. Markup lives in the templates; the
/// emitter only fills in values that `PolicyText` has already escaped.
public struct PolicyTemplates: Sendable {
    public static let names = ["schema.cedarschema", "policies.cedar", "policy.rego", "policy_test.rego"]
    let templates: [String: MustacheTemplate]

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Loads `<name>.mustache` for every template name from a folder.
    public init(directory: String) throws {
        var loaded: [String: MustacheTemplate] = [:]
        for name in Self.names {
            let path = directory + "/" + name + ".mustache"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw LoadError(description: "cannot read policy template \(path)")
            }
            do {
                loaded[name] = try MustacheTemplate(string: text)
            } catch {
                throw LoadError(description: "policy template \(path) does not parse: \(error)")
            }
        }
        templates = loaded
    }

    /// The templates shipped in `templates/policy/` (found like the other resources).
    public static func builtin() throws -> PolicyTemplates {
        guard let dir = ResourceLocator.directory("templates") else {
            throw LoadError(description: "cannot find the templates/ folder; set AGENTPATH_HOME to the agentpath folder")
        }
        return try PolicyTemplates(directory: dir + "/policy")
    }

    func render(_ name: String, _ context: [String: Any]) -> String {
        templates[name]!.render(context)
    }
}

/// Policy skeletons, their tests and the credential plan: a pure function of the model,
/// its analysis and the templates.
public enum PolicyEmitter {
    public static func files(for vm: ValidatedModel, analysis: AnalysisResult, templates: PolicyTemplates,
                             target: PolicyTarget = .all) -> [(path: String, bytes: [UInt8])] {
        let plan = PolicyPlan.make(vm, analysis)
        var out: [(path: String, bytes: [UInt8])] = []
        if target.cedar {
            out.append(("cedar/schema.cedarschema", Array(templates.render("schema.cedarschema", ["system": PolicyText.comment(vm.model.system.name)]).utf8)))
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

    static func common(_ plan: PolicyPlan) -> [String: Any] {
        [
            "system": PolicyText.comment(plan.system.name),
            "has_uncovered": !plan.uncovered.isEmpty,
            "uncovered": plan.uncovered.map { u -> [String: Any] in
                ["fingerprint": u.fingerprint, "rule": PolicyText.comment(u.rule), "path": PolicyText.comment(u.path, limit: 400),
                 "cut": PolicyText.comment(u.cut)]
            },
        ]
    }

    static func reasons(_ cut: PolicyPlan.Cut) -> [[String: Any]] {
        cut.reasons.map { r in
            var d: [String: Any] = [
                "fingerprint": r.fingerprint, "rule": PolicyText.comment(r.rule), "title": PolicyText.comment(r.title),
                "step": String(r.step + 1), "path": PolicyText.comment(r.path, limit: 600),
                "frameworks": PolicyText.comment(r.frameworks.joined(separator: ", "), limit: 1000),
            ]
            if let n = r.namedCut { d["named"] = PolicyText.comment(n) }
            return d
        }
    }

    static func cutCommon(_ cut: PolicyPlan.Cut) -> [String: Any] {
        [
            "id": cut.id, "summary": PolicyText.comment(cut.summary), "todo": PolicyText.comment(cut.todo),
            "action": cut.action.rawValue, "resource_type": cut.action.cedarResource,
            "reasons": reasons(cut), "fingerprints": cut.reasons.map(\.fingerprint).joined(separator: ","),
            "is_egress": cut.kind == .egress, "is_approval": cut.kind == .approval, "is_delegation": cut.kind == .delegation,
            "is_credential": cut.kind == .credential, "is_memory": cut.kind == .memory,
            "has_destinations": !cut.destinations.isEmpty,
        ]
    }

    static func grantCommon(_ g: PolicyPlan.Grant) -> [String: Any] {
        var d: [String: Any] = [
            "id": g.id, "action": g.action.rawValue, "resource_type": g.action.cedarResource,
            "comment": g.comment.map { PolicyText.comment($0, limit: 400) },
            "has_intents": !g.intents.isEmpty, "has_depth": g.maxDepth != nil,
        ]
        if let depth = g.maxDepth { d["max_depth"] = String(depth) }
        return d
    }

    static func cedarContext(_ plan: PolicyPlan) -> [String: Any] {
        var ctx = common(plan)
        ctx["grants"] = plan.grants.map { g -> [String: Any] in
            var d = grantCommon(g)
            d["agent"] = PolicyText.cedar(g.agent)
            d["resource"] = PolicyText.cedar(g.resource)
            d["intents"] = g.intents.map(PolicyText.cedar).joined(separator: ", ")
            return d
        }
        ctx["cuts"] = plan.cuts.map { c -> [String: Any] in
            var d = cutCommon(c)
            if let a = c.agent { d["agent"] = PolicyText.cedar(a) }
            d["resource"] = PolicyText.cedar(c.resource)
            d["destinations"] = c.destinations.map(PolicyText.cedar).joined(separator: ", ")
            return d
        }
        return ctx
    }

    static func regoContext(_ plan: PolicyPlan) -> [String: Any] {
        var ctx = common(plan)
        ctx["credentials"] = plan.credentialTTL.map { ["id": PolicyText.rego($0.id), "seconds": String($0.seconds)] }
        ctx["grants"] = plan.grants.map { g -> [String: Any] in
            var d = grantCommon(g)
            d["agent_rego"] = PolicyText.rego(g.agent)
            d["resource_rego"] = PolicyText.rego(g.resource)
            d["intents_set"] = "{" + g.intents.map(PolicyText.rego).joined(separator: ", ") + "}"
            return d
        }
        ctx["cuts"] = plan.cuts.map { c -> [String: Any] in
            var d = cutCommon(c)
            if let a = c.agent { d["agent_rego"] = PolicyText.rego(a) }
            d["resource_rego"] = PolicyText.rego(c.resource)
            d["message_rego"] = PolicyText.rego(c.message)
            d["destinations_set"] = "{" + c.destinations.map(PolicyText.rego).joined(separator: ", ") + "}"
            return d
        }
        return ctx
    }

    static func regoTestContext(_ plan: PolicyPlan) -> [String: Any] {
        [
            "system": PolicyText.comment(plan.system.name),
            "vectors": plan.vectors.enumerated().map { i, v -> [String: Any] in
                ["index": String(format: "%03d", i + 1), "name": PolicyText.comment(v.name), "allow": v.allow,
                 "input": regoInput(v.request).rendered(pretty: false)]
            },
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
            ("format", .string("agentpath-policy-vectors")), ("version", .int(1)), ("system", .string(plan.system.id)),
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
        for c in m.credentials {
            let ttl = plan.credentialTTL.first { $0.id == c.id }?.seconds ?? PolicyPlan.recommendedTTL
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
        func findings(_ c: String) -> [String] {
            analysis.findings.filter { f in f.status != .mitigated && f.steps.contains { $0.element == c || $0.via == c } }.map(\.fingerprint)
        }
        func grant(_ c: Credential) -> JSON {
            let ttl = plan.credentialTTL.first { $0.id == c.id }?.seconds ?? PolicyPlan.recommendedTTL
            var notes: [String] = []
            if c.issued != .jit { notes.append("issue just in time through the broker instead of a static secret") }
            if c.ttl.seconds == nil || (c.ttl.seconds ?? 0) > 3600 { notes.append("declared TTL \(c.ttl) replaced by \(TTL.seconds(ttl))") }
            if c.revocation != .onTaskEnd { notes.append("revoke at task end (declared: \(c.revocation.rawValue))") }
            return .object([
                ("credential", .string(c.id)), ("kind", JSON.optional(c.kind?.rawValue)),
                ("scopes", JSON.strings(c.scopes)), ("ttl_seconds", .int(ttl)), ("declared_ttl", .string(c.ttl.description)),
                ("revocation_trigger", .string("task_end")), ("renewable", .bool(false)),
                ("delegable", .bool(false)), ("findings", JSON.strings(findings(c.id))), ("notes", JSON.strings(notes)),
                ("todo", .string("narrow the scopes to what this intent's tools use")),
            ])
        }
        var agents: [JSON] = []
        for a in m.agents {
            var intents: [JSON] = []
            var used = Set<String>()
            for i in a.intents {
                var creds: [String] = []
                for t in i.tools { if let c = vm.tool(t.id)?.credential?.id, !creds.contains(c) { creds.append(c) } }
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
