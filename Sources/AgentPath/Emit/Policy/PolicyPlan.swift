/// The decisions a policy skeleton makes, derived from a validated model and its analysis.
/// Both targets (Cedar and Rego) and the test vectors are rendered from one plan, so they
/// cannot drift apart.
public struct PolicyPlan: Sendable {
    /// The four decision points an enforcement point asks about.
    public enum Action: String, Sendable, CaseIterable {
        case callTool = "call_tool", delegate, issueCredential = "issue_credential", memoryWrite = "memory_write"

        /// The resource type the action applies to, as written in vectors and Rego input.
        public var resourceType: String {
            switch self {
            case .callTool: "tool"
            case .delegate: "agent"
            case .issueCredential: "credential"
            case .memoryWrite: "data"
            }
        }

        /// The Cedar entity type of the resource.
        public var cedarResource: String {
            switch self {
            case .callTool: "Tool"
            case .delegate: "Agent"
            case .issueCredential: "Credential"
            case .memoryWrite: "Data"
            }
        }
    }

    /// What the enforcement point knows at the moment of the request.
    public struct Context: Sendable, Hashable {
        public var intent = ""
        /// Rank of the most sensitive data in the context: 0 public … 4 secret.
        public var dataSensitivity = 0
        public var approved = false
        /// Untrusted content (untrusted data, unpinned tool descriptions, launcher prompts) is in the context.
        public var tainted = false
        public var delegationDepth = 0
        /// A fresh authorization decision was made for this delegation or credential.
        public var freshDecision = true
        public var passesCredentials = false
        public var credentialAgeSeconds = 0
        public var destination = ""

        public var json: JSON {
            .object([
                ("intent", .string(intent)), ("data_sensitivity", .int(dataSensitivity)), ("approved", .bool(approved)),
                ("tainted", .bool(tainted)), ("delegation_depth", .int(delegationDepth)), ("fresh_decision", .bool(freshDecision)),
                ("passes_credentials", .bool(passesCredentials)), ("credential_age_seconds", .int(credentialAgeSeconds)),
                ("destination", .string(destination)),
            ])
        }
    }

    /// An engine-neutral authorization request.
    public struct Request: Sendable, Hashable {
        public var agent: String
        public var action: Action
        public var resource: String
        public var context: Context
    }

    /// A permit: a declared, legitimate use.
    public struct Grant: Sendable {
        public var id: String
        public var agent: String
        public var action: Action
        public var resource: String
        /// For tool calls: the intents that list the tool.
        public var intents: [String]
        /// For delegations: the depth below which the delegation is allowed.
        public var maxDepth: Int?
        public var comment: [String]
    }

    /// Why a cut exists: one finding and the step it is cut at.
    public struct CutReason: Sendable {
        public var fingerprint: String
        public var rule: String
        public var title: String
        public var path: String
        public var step: Int
        public var frameworks: [String]
        /// The cut the analysis names, when the policy enforces a different step.
        public var namedCut: String?
    }

    public enum CutKind: String, Sendable {
        /// No egress once untrusted content is in context, unless the destination is allow-listed.
        case egress
        /// A consequential effect only with a human approval in the request.
        case approval
        /// No delegation from a tainted context or passing credentials without a fresh decision.
        case delegation
        /// No credential older than its TTL or issued without a fresh decision.
        case credential
        /// No memory write from a tainted context.
        case memory
    }

    /// A forbid rule that closes one or more open paths at one enforceable step.
    public struct Cut: Sendable {
        public var id: String
        public var kind: CutKind
        /// nil: any agent.
        public var agent: String?
        public var action: Action
        public var resource: String
        public var destinations: [String]
        public var ttlSeconds: Int?
        public var reasons: [CutReason]
        public var todo: String

        /// The deny message: the rule, the findings and the framework items it answers.
        public var message: String {
            let findings = reasons.map { "\($0.rule) \($0.fingerprint)" }.joined(separator: ", ")
            var seen = Set<String>()
            let items = reasons.flatMap(\.frameworks).filter { seen.insert($0).inserted }
            return "\(id): \(summary) [findings: \(findings)] [frameworks: \(items.joined(separator: ", "))]"
        }

        public var summary: String {
            switch kind {
            case .egress: "egress after untrusted content to a destination not on the allow-list"
            case .approval: "consequential tool call without a human approval"
            case .delegation: "delegation from a tainted context or passing credentials without a fresh decision"
            case .credential: "credential older than its TTL or without a fresh decision"
            case .memory: "memory write while untrusted content is in context"
            }
        }
    }

    /// A request with the decision the policies must give.
    public struct Vector: Sendable {
        public var name: String
        public var request: Request
        public var allow: Bool
        /// For denials: the policy id that must be among the reasons.
        public var policy: String?
        public var finding: String?
    }

    /// A finding no runtime decision can cut (its steps are all inputs, such as reading).
    public struct Uncovered: Sendable {
        public var fingerprint: String
        public var rule: String
        public var path: String
        public var cut: String
    }

    public var system: SystemInfo
    public var grants: [Grant]
    public var cuts: [Cut]
    public var vectors: [Vector]
    public var uncovered: [Uncovered]
    /// Per credential: the TTL policies enforce (the declared one, or the recommended one when it is `never` or long).
    public var credentialTTL: [(id: String, seconds: Int, declared: String)]
}

extension PolicyPlan {
    /// TTL recommended for credentials declared without one or with more than an hour.
    public static let recommendedTTL = 900
    static let consequential: Set<Effect> = [.write, .delete, .execute, .payment, .spawn, .credentialIssue]
    static let unlistedDestination = "unlisted.invalid"

    public static func make(_ vm: ValidatedModel, _ analysis: AnalysisResult) -> PolicyPlan {
        let m = vm.model
        var grants: [Grant] = []
        var vectors: [Vector] = []

        func ttl(_ c: Credential) -> Int {
            if let s = c.ttl.seconds, s <= 3600 { return s }
            return recommendedTTL
        }
        let credentialTTL = m.credentials.map { (id: $0.id, seconds: ttl($0), declared: $0.ttl.description) }

        // Data an agent's tools can read, for the data-sensitivity the context carries.
        func sensitivity(of tools: [String]) -> Int {
            tools.compactMap { vm.tool($0) }.flatMap(\.reads).compactMap { vm.data($0.id)?.sensitivity.rank }.max() ?? 0
        }

        // ---- cuts: one per (kind, agent, resource), each closing the open findings cut there
        var cuts: [Cut] = []
        var cutIndex: [String: Int] = [:]
        var uncovered: [Uncovered] = []
        var denyVectors: [Vector] = []

        func agentAt(_ steps: [PathStep], _ i: Int) -> String? {
            var j = i
            while j >= 0 {
                if steps[j].kind == .agent, vm.agent(steps[j].element) != nil { return steps[j].element }
                j -= 1
            }
            return nil
        }

        /// The decision that can cut step `i`, if a runtime policy can.
        func enforceable(_ steps: [PathStep], _ i: Int) -> (kind: CutKind, agent: String?, action: Action, resource: String)? {
            let s = steps[i]
            switch s.technique {
            case .egress, .publicWrite, .serverInternal:
                guard let tool = s.via, vm.tool(tool) != nil, let agent = agentAt(steps, i) else { return nil }
                return (.egress, agent, .callTool, tool)
            case .invokeConsequential, .autonomousAction, .bypassApproval, .onBehalf:
                guard let tool = s.via, vm.tool(tool) != nil, let agent = agentAt(steps, i) else { return nil }
                return (.approval, agent, .callTool, tool)
            case .delegate:
                guard let from = s.via, vm.agent(from) != nil, vm.agent(s.element) != nil else { return nil }
                return (.delegation, from, .delegate, s.element)
            case .credentialExposure, .credentialUse:
                guard vm.credential(s.element) != nil else { return nil }
                return (.credential, nil, .issueCredential, s.element)
            case .credentialInherit:
                guard let c = s.via, vm.credential(c) != nil else { return nil }
                return (.credential, nil, .issueCredential, c)
            case .memoryWrite:
                guard let d = s.via, vm.data(d) != nil, let agent = agentAt(steps, i) else { return nil }
                return (.memory, agent, .memoryWrite, d)
            default:
                return nil
            }
        }

        for f in analysis.paths where f.status != .mitigated {
            let path = f.steps.map { "\($0.technique.rawValue) \($0.element)" + ($0.via.map { " via \($0)" } ?? "") }.joined(separator: " -> ")
            var chosen: (step: Int, named: String?)?
            for c in f.cuts where c.stepIndex >= 0 && c.stepIndex < f.steps.count && enforceable(f.steps, c.stepIndex) != nil {
                chosen = (c.stepIndex, nil)
                break
            }
            if chosen == nil, let last = f.steps.indices.last(where: { enforceable(f.steps, $0) != nil }) {
                chosen = (last, f.cuts.first.map { "\($0.kind.rawValue) on \($0.target)" })
            }
            guard let (stepIndex, named) = chosen, let e = enforceable(f.steps, stepIndex) else {
                uncovered.append(Uncovered(fingerprint: f.fingerprint, rule: f.rule, path: path,
                                           cut: f.cuts.first.map { "\($0.kind.rawValue) on \($0.target)" } ?? "none proposed"))
                continue
            }
            let id = PolicyText.policyID(["cut", e.kind.rawValue] + (e.agent.map { [$0] } ?? []) + [e.resource])
            let reason = CutReason(fingerprint: f.fingerprint, rule: f.rule, title: f.title, path: path, step: stepIndex,
                                   frameworks: f.frameworks.map { "\($0.catalog):\($0.id)" }, namedCut: named)
            if let i = cutIndex[id] {
                cuts[i].reasons.append(reason)
            } else {
                cutIndex[id] = cuts.count
                var destinations: [String] = []
                if e.kind == .egress {
                    let server = vm.tool(e.resource)?.server?.id
                    let targets = Set([e.resource, e.agent ?? ""] + (server.map { [$0] } ?? []))
                    var seen = Set<String>()
                    destinations = m.controls.filter { $0.kind == .egressAllowlist && $0.appliesTo.contains { targets.contains($0.id) } }
                        .flatMap(\.destinations).filter { seen.insert($0).inserted }
                }
                let todo: String
                switch e.kind {
                case .egress: todo = "decide which destinations are safe for this tool and how the gateway sets context.tainted"
                case .approval: todo = "decide who may approve this call and whether some intents may skip approval"
                case .delegation: todo = "decide when a delegation counts as a fresh decision and which credentials may pass"
                case .credential: todo = "confirm the TTL and scopes with the credential's owner"
                case .memory: todo = "decide how memory writes are validated before they are trusted again"
                }
                cuts.append(Cut(id: id, kind: e.kind, agent: e.agent, action: e.action, resource: e.resource,
                                destinations: destinations,
                                ttlSeconds: e.kind == .credential ? credentialTTL.first { $0.id == e.resource }?.seconds : nil,
                                reasons: [reason], todo: todo))
            }
            // A request at the cut step that the policy must deny.
            let cut = cuts[cutIndex[id]!]
            let principal = e.agent ?? m.agents.first { a in a.credentials.contains { $0.id == e.resource }
                || a.tools.contains { vm.tool($0.id)?.credential?.id == e.resource } }?.id ?? m.agents.first?.id
            guard let principal else { continue }
            var ctx = Context()
            let agent = vm.agent(principal)
            ctx.intent = agent?.intents.first { $0.tools.contains { $0.id == e.resource } }?.id ?? agent?.intents.first?.id ?? ""
            ctx.dataSensitivity = f.steps.compactMap { s in s.technique == .readSensitive ? (vm.data(s.via ?? "")?.sensitivity.rank ?? sensitivity(of: [s.via ?? ""])) : nil }.max() ?? 0
            ctx.tainted = true
            ctx.approved = e.kind != .approval
            ctx.destination = unlistedDestination
            if e.kind == .delegation || e.kind == .credential { ctx.freshDecision = false }
            if e.kind == .delegation {
                ctx.passesCredentials = agent?.delegates.first { $0.to.id == e.resource }.map { !$0.passes.isEmpty } ?? false
            }
            if e.kind == .credential { ctx.credentialAgeSeconds = (cut.ttlSeconds ?? recommendedTTL) + 1 }
            denyVectors.append(Vector(name: "deny \(f.rule) \(f.fingerprint) at step \(stepIndex + 1) (\(f.steps[stepIndex].technique.rawValue))",
                                      request: Request(agent: principal, action: e.action, resource: e.resource, context: ctx),
                                      allow: false, policy: id, finding: f.fingerprint))
        }

        func approvalCut(_ agent: String, _ tool: String) -> Bool {
            cuts.contains { $0.kind == .approval && $0.agent == agent && $0.resource == tool }
        }

        // ---- grants and the legitimate flows they allow
        let depthLimit = max(1, m.agents.count - 1)
        for a in m.agents {
            for t in a.tools.map(\.id) {
                let intents = a.intents.filter { i in i.tools.contains { $0.id == t } }.map(\.id)
                guard !intents.isEmpty, let tool = vm.tool(t) else { continue }
                let id = PolicyText.policyID(["grant", a.id, t])
                grants.append(Grant(id: id, agent: a.id, action: .callTool, resource: t, intents: intents, maxDepth: nil,
                                    comment: ["agent '\(a.id)' may call tool '\(t)' for its intents \(intents.joined(separator: ", "))",
                                              "tool: \(PolicyText.comment(tool.info.displayName)); effects: \(tool.effects.map(\.rawValue).joined(separator: ", "))",
                                              "no finding: a declared use. TODO: confirm the intents and narrow by tool arguments where possible"]))
                for intent in intents {
                    var ctx = Context()
                    ctx.intent = intent
                    ctx.dataSensitivity = sensitivity(of: a.intents.first { $0.id == intent }?.tools.map(\.id) ?? [])
                    ctx.approved = tool.effects.contains { consequential.contains($0) } || approvalCut(a.id, t)
                    vectors.append(Vector(name: "allow \(a.id) \(t) for intent \(intent)",
                                          request: Request(agent: a.id, action: .callTool, resource: t, context: ctx),
                                          allow: true, policy: id, finding: nil))
                }
            }
            for d in a.delegates {
                let id = PolicyText.policyID(["grant-delegate", a.id, d.to.id])
                grants.append(Grant(id: id, agent: a.id, action: .delegate, resource: d.to.id, intents: [], maxDepth: depthLimit,
                                    comment: ["agent '\(a.id)' may delegate to '\(d.to.id)' (declared delegation)",
                                              "passes: \(d.passes.isEmpty ? "no credentials" : d.passes.map(\.id).joined(separator: ", ")); exchange: \(d.exchange.rawValue)",
                                              "no finding: a declared delegation. TODO: tighten the depth limit (\(depthLimit)) to the real chain length"]))
                var ctx = Context()
                ctx.intent = a.intents.first?.id ?? ""
                ctx.passesCredentials = !d.passes.isEmpty
                vectors.append(Vector(name: "allow \(a.id) delegates to \(d.to.id)",
                                      request: Request(agent: a.id, action: .delegate, resource: d.to.id, context: ctx),
                                      allow: true, policy: id, finding: nil))
            }
            var creds: [String] = []
            for c in a.credentials.map(\.id) + a.tools.compactMap({ vm.tool($0.id)?.credential?.id }) where !creds.contains(c) { creds.append(c) }
            for c in creds where vm.credential(c) != nil {
                let id = PolicyText.policyID(["grant-credential", a.id, c])
                grants.append(Grant(id: id, agent: a.id, action: .issueCredential, resource: c, intents: [], maxDepth: nil,
                                    comment: ["agent '\(a.id)' may be issued credential '\(c)' (held by the agent or one of its tools)",
                                              "no finding: a declared holding. TODO: confirm the agent still needs it (see credential-plan.json)"]))
                var ctx = Context()
                ctx.intent = a.intents.first?.id ?? ""
                vectors.append(Vector(name: "allow \(a.id) is issued \(c)",
                                      request: Request(agent: a.id, action: .issueCredential, resource: c, context: ctx),
                                      allow: true, policy: id, finding: nil))
            }
            for mem in a.memory where mem.access.writes && vm.data(mem.data.id) != nil {
                let id = PolicyText.policyID(["grant-memory", a.id, mem.data.id])
                grants.append(Grant(id: id, agent: a.id, action: .memoryWrite, resource: mem.data.id, intents: [], maxDepth: nil,
                                    comment: ["agent '\(a.id)' may write memory '\(mem.data.id)'",
                                              "no finding: a declared memory. TODO: decide which intents may write it"]))
                var ctx = Context()
                ctx.intent = a.intents.first?.id ?? ""
                vectors.append(Vector(name: "allow \(a.id) writes memory \(mem.data.id)",
                                      request: Request(agent: a.id, action: .memoryWrite, resource: mem.data.id, context: ctx),
                                      allow: true, policy: id, finding: nil))
            }
        }
        // An allow-listed destination lifts an egress cut: one request per destination, so each
        // literal is checked to match the model's string exactly.
        for c in cuts where c.kind == .egress {
            guard let agentID = c.agent, let grant = grants.first(where: { $0.action == .callTool && $0.agent == agentID && $0.resource == c.resource }),
                  let intent = grant.intents.first else { continue }
            for (i, d) in c.destinations.enumerated() {
                var ctx = Context()
                ctx.intent = intent
                ctx.tainted = true
                ctx.approved = true
                ctx.destination = d
                vectors.append(Vector(name: "allow \(agentID) \(c.resource) to allow-listed destination \(i + 1)",
                                      request: Request(agent: agentID, action: .callTool, resource: c.resource, context: ctx),
                                      allow: true, policy: grant.id, finding: nil))
            }
        }
        return PolicyPlan(system: m.system, grants: grants, cuts: cuts, vectors: vectors + denyVectors,
                          uncovered: uncovered, credentialTTL: credentialTTL)
    }
}
