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
        /// The resources the permit covers: for a tool grant, the tools of one intent; otherwise one resource.
        public var resources: [String]
        /// For tool calls: the intent the permit is for (`context.intent` must equal it).
        public var intent: String?
        /// For delegations: the depth below which the delegation is allowed.
        public var maxDepth: Int?
        public var comment: [String]

        public var resource: String { resources[0] }
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
        /// The framework items of all the reasons, once each, in order of first appearance.
        public var frameworks: [FrameworkRef] = []

        /// The deny message: the rule, the findings and the framework items it answers.
        public var message: String {
            let findings = reasons.map { "\($0.rule) \($0.fingerprint)" }.joined(separator: ", ")
            let items = frameworks.map { "\($0.catalog):\($0.id)" }
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
        /// The selection group: `allow <action>`, `allow allow-listed destination` or `deny <cut kind> <rule>`.
        public var group: String
    }

    /// How many vectors of one group the plan had and how many it keeps.
    public struct VectorGroup: Sendable, Hashable {
        public var group: String
        public var total: Int
        public var kept: Int
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
    /// Per selection group, in order of first appearance: the candidates and the kept vectors.
    public var vectorGroups: [VectorGroup]
    /// The most vectors kept per group.
    public var vectorsPerGroup: Int
    /// Per credential: the TTL policies enforce (the declared one, or the recommended one when it is `never` or long).
    public var credentialTTL: [(id: String, seconds: Int, declared: String)]
}

extension PolicyPlan {
    /// TTL recommended for credentials declared without one or with more than an hour.
    public static let recommendedTTL = 900
    /// Default cap on the test vectors kept per group (see `Vector.group`).
    public static let defaultVectorsPerGroup = 50
    /// How many findings a cut's comment lists with their paths; the rest are counted per rule.
    public static let listedReasonsPerCut = 5
    static let consequential: Set<Effect> = [.write, .delete, .execute, .payment, .spawn, .credentialIssue]
    static let unlistedDestination = "unlisted.invalid"

    /// Builds the plan. Every step is linear in the model and the findings (dictionary
    /// lookups, no scans inside loops), so the emitter scales with the model.
    public static func make(_ vm: ValidatedModel, _ analysis: AnalysisResult,
                            vectorsPerGroup: Int = defaultVectorsPerGroup) -> PolicyPlan {
        let m = vm.model
        var grants: [Grant] = []
        var vectors: [Vector] = []

        func ttl(_ c: Credential) -> Int {
            if let s = c.ttl.seconds, s <= 3600 { return s }
            return recommendedTTL
        }
        let credentialTTL = m.credentials.map { (id: $0.id, seconds: ttl($0), declared: $0.ttl.description) }
        var ttlByCredential: [String: Int] = [:]
        for c in credentialTTL where ttlByCredential[c.id] == nil { ttlByCredential[c.id] = c.seconds }

        // Most sensitive data a tool reads (rank), computed once per tool.
        var toolSensitivity: [String: Int] = [:]
        func sensitivity(ofTool t: String) -> Int {
            if let s = toolSensitivity[t] { return s }
            let s = vm.tool(t).map { $0.reads.compactMap { vm.data($0.id)?.sensitivity.rank }.max() ?? 0 } ?? 0
            toolSensitivity[t] = s
            return s
        }
        func sensitivity(of tools: [String]) -> Int { tools.map(sensitivity(ofTool:)).max() ?? 0 }

        // The first agent (model order) that holds a credential, directly or through a tool.
        var firstHolder: [String: String] = [:]
        for a in m.agents {
            for c in a.credentials where firstHolder[c.id] == nil { firstHolder[c.id] = a.id }
            for t in a.tools { if let c = vm.tool(t.id)?.credential?.id, firstHolder[c] == nil { firstHolder[c] = a.id } }
        }
        // Egress allow-list controls by the element they apply to, in model order.
        var allowlistsByTarget: [String: [Int]] = [:]
        for (i, c) in m.controls.enumerated() where c.kind == .egressAllowlist {
            for t in c.appliesTo where allowlistsByTarget[t.id]?.last != i { allowlistsByTarget[t.id, default: []].append(i) }
        }

        // ---- cuts: one per (kind, agent, resource), each closing the open findings cut there
        var cuts: [Cut] = []
        var cutIndex: [String: Int] = [:]
        var uncovered: [Uncovered] = []
        // Per cut: the finding it was created for and the deny request built from it (nil
        // when the model has no agent to ask as).
        var cutDeny: [(finding: Finding, step: Int, request: Request)?] = []
        // Distinct framework lists of the findings, and per cut the lists of its reasons.
        var frameworkListIndex: [[FrameworkRef]: Int] = [:]
        var frameworkLists: [(refs: [FrameworkRef], strings: [String])] = []
        var cutLists: [[Int]] = []

        // Existence checks through the index: no copy of the element.
        func exists(_ id: String, _ kind: ElementKind) -> Bool { vm.index.kind(of: id) == kind }

        func agentAt(_ steps: [PathStep], _ i: Int) -> String? {
            var j = i
            while j >= 0 {
                if steps[j].kind == .agent, exists(steps[j].element, .agent) { return steps[j].element }
                j -= 1
            }
            return nil
        }

        /// The decision that can cut step `i`, if a runtime policy can.
        func enforceable(_ steps: [PathStep], _ i: Int) -> (kind: CutKind, agent: String?, action: Action, resource: String)? {
            let s = steps[i]
            switch s.technique {
            case .egress, .publicWrite, .serverInternal:
                guard let tool = s.via, exists(tool, .tool), let agent = agentAt(steps, i) else { return nil }
                return (.egress, agent, .callTool, tool)
            case .invokeConsequential, .autonomousAction, .bypassApproval, .onBehalf:
                guard let tool = s.via, exists(tool, .tool), let agent = agentAt(steps, i) else { return nil }
                return (.approval, agent, .callTool, tool)
            case .delegate:
                guard let from = s.via, exists(from, .agent), exists(s.element, .agent) else { return nil }
                return (.delegation, from, .delegate, s.element)
            case .credentialExposure, .credentialUse:
                guard exists(s.element, .credential) else { return nil }
                return (.credential, nil, .issueCredential, s.element)
            case .credentialInherit:
                guard let c = s.via, exists(c, .credential) else { return nil }
                return (.credential, nil, .issueCredential, c)
            case .memoryWrite:
                guard let d = s.via, exists(d, .data), let agent = agentAt(steps, i) else { return nil }
                return (.memory, agent, .memoryWrite, d)
            default:
                return nil
            }
        }

        for f in analysis.findings where f.isPath && f.status != .mitigated {
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
            // Findings of one rule mostly share one framework list: render each distinct list once.
            let list: Int
            if let l = frameworkListIndex[f.frameworks] {
                list = l
            } else {
                list = frameworkLists.count
                frameworkListIndex[f.frameworks] = list
                frameworkLists.append((f.frameworks, f.frameworks.map { "\($0.catalog):\($0.id)" }))
            }
            let reason = CutReason(fingerprint: f.fingerprint, rule: f.rule, title: f.title, path: path, step: stepIndex,
                                   frameworks: frameworkLists[list].strings, namedCut: named)
            if let i = cutIndex[id] {
                cuts[i].reasons.append(reason)
                if cutLists[i].last != list && !cutLists[i].contains(list) { cutLists[i].append(list) }
                continue
            }
            cutLists.append([list])
            var destinations: [String] = []
            if e.kind == .egress {
                // Allow-list controls on the tool, its server or the agent, in model order.
                let server = vm.tool(e.resource)?.server?.id
                var controls = Set<Int>()
                for t in [e.resource, e.agent ?? ""] + (server.map { [$0] } ?? []) { controls.formUnion(allowlistsByTarget[t] ?? []) }
                var seen = Set<String>()
                destinations = controls.sorted().flatMap { m.controls[$0].destinations }.filter { seen.insert($0).inserted }
            }
            let todo: String
            switch e.kind {
            case .egress: todo = "decide which destinations are safe for this tool and how the gateway sets context.tainted"
            case .approval: todo = "decide who may approve this call and whether some intents may skip approval"
            case .delegation: todo = "decide when a delegation counts as a fresh decision and which credentials may pass"
            case .credential: todo = "confirm the TTL and scopes with the credential's owner"
            case .memory: todo = "decide how memory writes are validated before they are trusted again"
            }
            let cut = Cut(id: id, kind: e.kind, agent: e.agent, action: e.action, resource: e.resource,
                          destinations: destinations,
                          ttlSeconds: e.kind == .credential ? ttlByCredential[e.resource] : nil,
                          reasons: [reason], todo: todo)
            cutIndex[id] = cuts.count
            cuts.append(cut)
            cutDeny.append(nil)

            // A request at the cut step that the policy must deny: one per cut, from the first
            // finding it closes (the others would ask the same question).
            guard let principal = e.agent ?? firstHolder[e.resource] ?? m.agents.first?.id else { continue }
            var ctx = Context()
            let agent = vm.agent(principal)
            ctx.intent = agent?.intents.first { $0.tools.contains { $0.id == e.resource } }?.id ?? agent?.intents.first?.id ?? ""
            ctx.dataSensitivity = f.steps.compactMap { s in s.technique == .readSensitive ? (vm.data(s.via ?? "")?.sensitivity.rank ?? sensitivity(ofTool: s.via ?? "")) : nil }.max() ?? 0
            ctx.tainted = true
            ctx.approved = e.kind != .approval
            ctx.destination = unlistedDestination
            if e.kind == .delegation || e.kind == .credential { ctx.freshDecision = false }
            if e.kind == .delegation {
                ctx.passesCredentials = agent?.delegates.first { $0.to.id == e.resource }.map { !$0.passes.isEmpty } ?? false
            }
            if e.kind == .credential { ctx.credentialAgeSeconds = (cut.ttlSeconds ?? recommendedTTL) + 1 }
            cutDeny[cutDeny.count - 1] = (f, stepIndex, Request(agent: principal, action: e.action, resource: e.resource, context: ctx))
        }

        // Each cut's framework items: the union of its distinct framework lists.
        for i in cuts.indices {
            var seen = Set<FrameworkRef>()
            cuts[i].frameworks = cutLists[i].flatMap { frameworkLists[$0].refs }.filter { seen.insert($0).inserted }
        }

        var approvalCuts = Set<String>()
        for c in cuts where c.kind == .approval { approvalCuts.insert((c.agent ?? "") + "\u{0}" + c.resource) }

        // ---- grants and the legitimate flows they allow
        // Per (agent, tool): the first tool grant (intent) that covers it.
        var toolGrant: [String: (grant: String, intent: String)] = [:]
        let depthLimit = max(1, m.agents.count - 1)
        for a in m.agents {
            let held = Set(a.tools.map(\.id))
            // One permit per intent, over the intent's tools the agent holds.
            for intent in a.intents {
                var tools: [String] = []
                var seen = Set<String>()
                for t in intent.tools where held.contains(t.id) && vm.tool(t.id) != nil && seen.insert(t.id).inserted { tools.append(t.id) }
                guard !tools.isEmpty else { continue }
                let id = PolicyText.policyID(["grant-intent", a.id, intent.id])
                var comment = ["agent '\(a.id)' may call these tools while acting under its intent '\(intent.id)'"]
                for t in tools {
                    let tool = vm.tool(t)!
                    comment.append("tool '\(t)': \(PolicyText.comment(tool.info.displayName)); effects: \(tool.effects.map(\.rawValue).joined(separator: ", "))")
                }
                comment.append("no finding: a declared use. TODO: confirm the intent's tools and narrow by tool arguments where possible")
                grants.append(Grant(id: id, agent: a.id, action: .callTool, resources: tools, intent: intent.id, maxDepth: nil, comment: comment))
                let intentSensitivity = sensitivity(of: intent.tools.map(\.id))
                for t in tools {
                    let key = a.id + "\u{0}" + t
                    if toolGrant[key] == nil { toolGrant[key] = (id, intent.id) }
                    var ctx = Context()
                    ctx.intent = intent.id
                    ctx.dataSensitivity = intentSensitivity
                    ctx.approved = vm.tool(t)!.effects.contains { consequential.contains($0) } || approvalCuts.contains(key)
                    vectors.append(Vector(name: "allow \(a.id) \(t) for intent \(intent.id)",
                                          request: Request(agent: a.id, action: .callTool, resource: t, context: ctx),
                                          allow: true, policy: id, finding: nil, group: "allow call_tool"))
                }
            }
            for d in a.delegates {
                let id = PolicyText.policyID(["grant-delegate", a.id, d.to.id])
                grants.append(Grant(id: id, agent: a.id, action: .delegate, resources: [d.to.id], intent: nil, maxDepth: depthLimit,
                                    comment: ["agent '\(a.id)' may delegate to '\(d.to.id)' (declared delegation)",
                                              "passes: \(d.passes.isEmpty ? "no credentials" : d.passes.map(\.id).joined(separator: ", ")); exchange: \(d.exchange.rawValue)",
                                              "no finding: a declared delegation. TODO: tighten the depth limit (\(depthLimit)) to the real chain length"]))
                var ctx = Context()
                ctx.intent = a.intents.first?.id ?? ""
                ctx.passesCredentials = !d.passes.isEmpty
                vectors.append(Vector(name: "allow \(a.id) delegates to \(d.to.id)",
                                      request: Request(agent: a.id, action: .delegate, resource: d.to.id, context: ctx),
                                      allow: true, policy: id, finding: nil, group: "allow delegate"))
            }
            var creds: [String] = []
            var seenCreds = Set<String>()
            for c in a.credentials.map(\.id) + a.tools.compactMap({ vm.tool($0.id)?.credential?.id }) where seenCreds.insert(c).inserted { creds.append(c) }
            for c in creds where vm.credential(c) != nil {
                let id = PolicyText.policyID(["grant-credential", a.id, c])
                grants.append(Grant(id: id, agent: a.id, action: .issueCredential, resources: [c], intent: nil, maxDepth: nil,
                                    comment: ["agent '\(a.id)' may be issued credential '\(c)' (held by the agent or one of its tools)",
                                              "no finding: a declared holding. TODO: confirm the agent still needs it (see credential-plan.json)"]))
                var ctx = Context()
                ctx.intent = a.intents.first?.id ?? ""
                vectors.append(Vector(name: "allow \(a.id) is issued \(c)",
                                      request: Request(agent: a.id, action: .issueCredential, resource: c, context: ctx),
                                      allow: true, policy: id, finding: nil, group: "allow issue_credential"))
            }
            for mem in a.memory where mem.access.writes && vm.data(mem.data.id) != nil {
                let id = PolicyText.policyID(["grant-memory", a.id, mem.data.id])
                grants.append(Grant(id: id, agent: a.id, action: .memoryWrite, resources: [mem.data.id], intent: nil, maxDepth: nil,
                                    comment: ["agent '\(a.id)' may write memory '\(mem.data.id)'",
                                              "no finding: a declared memory. TODO: decide which intents may write it"]))
                var ctx = Context()
                ctx.intent = a.intents.first?.id ?? ""
                vectors.append(Vector(name: "allow \(a.id) writes memory \(mem.data.id)",
                                      request: Request(agent: a.id, action: .memoryWrite, resource: mem.data.id, context: ctx),
                                      allow: true, policy: id, finding: nil, group: "allow memory_write"))
            }
        }
        // An allow-listed destination lifts an egress cut: one request per destination, so each
        // literal is checked to match the model's string exactly.
        for c in cuts where c.kind == .egress {
            guard let agentID = c.agent, let grant = toolGrant[agentID + "\u{0}" + c.resource] else { continue }
            for (i, d) in c.destinations.enumerated() {
                var ctx = Context()
                ctx.intent = grant.intent
                ctx.tainted = true
                ctx.approved = true
                ctx.destination = d
                vectors.append(Vector(name: "allow \(agentID) \(c.resource) to allow-listed destination \(i + 1)",
                                      request: Request(agent: agentID, action: .callTool, resource: c.resource, context: ctx),
                                      allow: true, policy: grant.grant, finding: nil, group: "allow allow-listed destination"))
            }
        }
        // One denial per cut, named after the first finding it closes.
        var denyVectors: [Vector] = []
        for (cut, deny) in zip(cuts, cutDeny) {
            guard let d = deny else { continue }
            let more = cut.reasons.count - 1
            denyVectors.append(Vector(name: "deny \(d.finding.rule) \(d.finding.fingerprint) at step \(d.step + 1) (\(d.finding.steps[d.step].technique.rawValue))"
                                        + (more > 0 ? " and \(more) more finding\(more == 1 ? "" : "s") at \(cut.id)" : ""),
                                      request: d.request, allow: false, policy: cut.id, finding: d.finding.fingerprint,
                                      group: "deny \(cut.kind.rawValue) \(d.finding.rule)"))
        }
        let (kept, groups) = select(vectors + denyVectors, perGroup: vectorsPerGroup)
        return PolicyPlan(system: m.system, grants: grants, cuts: cuts, vectors: kept,
                          uncovered: uncovered, vectorGroups: groups, vectorsPerGroup: vectorsPerGroup, credentialTTL: credentialTTL)
    }

    /// Keeps at most `perGroup` vectors of each group, spread evenly over the group (first,
    /// then every n-th), in their original order; reports per group what was kept.
    static func select(_ all: [Vector], perGroup: Int) -> ([Vector], [VectorGroup]) {
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (i, v) in all.enumerated() {
            if members[v.group] == nil { order.append(v.group) }
            members[v.group, default: []].append(i)
        }
        var keep = [Bool](repeating: false, count: all.count)
        var groups: [VectorGroup] = []
        for g in order {
            let idx = members[g]!
            let n = idx.count
            let k = min(n, max(0, perGroup))
            for j in 0..<k { keep[idx[j * n / k]] = true }
            groups.append(VectorGroup(group: g, total: n, kept: k))
        }
        return (all.indices.filter { keep[$0] }.map { all[$0] }, groups)
    }
}
