/// GV004 — several agents share one identity, so no action can be attributed.
public struct SharedIdentityRule: Rule {
    public static let info = RuleInfo(
        id: "GV004", slug: "shared-identity", title: "Identity shared by several agents",
        rationale: "Per-agent authorization and audit need per-agent identity. A shared identity makes every agent's grant the union of all and every log line ambiguous.",
        kind: .governance, defaultScore: 5, cutBy: [.runtimeAuthorization, .auditLogging])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        var out: [PathCandidate] = []
        var byID: [String: [Agent]] = [:]
        for a in input.ctx.agents {
            guard let i = a.identity else { continue }
            if i.kind == .shared {
                out.append(.governance(Self.info, element: a.id, impact: "actions cannot be attributed", summary: "agent '\(a.id)' runs under a shared identity", at: a.info.location(of: "identity")))
            } else if let id = i.id {
                byID[id, default: []].append(a)
            }
        }
        for (id, agents) in byID.sorted(by: { $0.key < $1.key }) where agents.count > 1 {
            let names = agents.map(\.id).sorted()
            out.append(.governance(Self.info, element: names[0], key: "identity:\(id)", impact: "actions cannot be attributed",
                                   summary: "agents \(names.map { "'\($0)'" }.joined(separator: ", ")) share identity '\(id)'",
                                   at: agents.min { $0.id < $1.id }!.info.location(of: "identity")))
        }
        return out
    }
}
